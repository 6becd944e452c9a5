"""The encryption primitives of kaowu.core.crypto: values and chunked files."""

import io

import pytest

from kaowu.core import crypto


@pytest.mark.parametrize("size", [0, 1, crypto.FILE_CHUNK - 1, crypto.FILE_CHUNK, crypto.FILE_CHUNK + 1,
                                  3 * crypto.FILE_CHUNK])
def test_a_file_of_any_size_round_trips_and_reports_its_plaintext_size(size):
    data = bytes(i % 251 for i in range(size))
    sealed = crypto.encrypt_bytes(data)
    reader = crypto.DecryptingReader(io.BytesIO(sealed), name="f")
    assert reader.size == size
    assert reader.read() == data
    assert len(sealed) > size  # header and tags


def test_a_file_written_in_odd_pieces_reads_the_same_as_one_piece():
    data = bytes(range(256)) * 700
    pieces = [data[i:i + 1000] for i in range(0, len(data), 1000)]
    sealed = b"".join(crypto.encrypt_stream(pieces))
    assert crypto.DecryptingReader(io.BytesIO(sealed)).read() == data


def test_dropping_the_last_chunk_of_a_file_is_detected():
    data = b"x" * (2 * crypto.FILE_CHUNK + 5)
    sealed = crypto.encrypt_bytes(data)
    truncated = sealed[:len(sealed) - (5 + crypto.TAG_BYTES)]  # exactly the final chunk removed
    with pytest.raises(crypto.DecryptionError):
        crypto.DecryptingReader(io.BytesIO(truncated)).read()


def test_a_value_is_bound_to_its_column():
    sealed = crypto.encrypt_text("13912345678", context="accounts_user.phone")
    assert crypto.decrypt_text(sealed, context="accounts_user.phone") == "13912345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(sealed, context="upgrade_upgraderegistration.phone")


def test_a_plaintext_value_is_not_taken_for_a_ciphertext():
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text("62010219950307123X", context="accounts_user.id_number")


def test_the_blind_index_differs_per_column_and_per_value():
    one = crypto.blind_index("13912345678", context="accounts_user.phone")
    assert one == crypto.blind_index("13912345678", context="accounts_user.phone")
    assert one != crypto.blind_index("13912345678", context="upgrade_upgraderegistration.phone")
    assert one != crypto.blind_index("13912345679", context="accounts_user.phone")
