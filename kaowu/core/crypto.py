"""Encryption of personal data at rest (PIPL Art. 28–29, MLPS level 3): the keyring and the two
primitives every encrypted column and file goes through.

Keys live outside the database, in the environment:

* ``KAOWU_DATA_KEYS`` — ``keyid:base64(32 bytes),keyid:…``. The first key encrypts; every listed key
  decrypts, so a key is rotated by putting a new one first, running ``manage.py data_keys_rotate``
  and then dropping the old one.
* ``KAOWU_LOOKUP_KEY`` — base64 of at least 32 bytes: the HMAC-SHA256 key of the blind indexes
  (``*_digest`` columns) that keep exact-match lookups and uniqueness working.

In development, the demo and the tests (``KAOWU_DEBUG`` or ``KAOWU_DEMO`` on), missing keys are
generated once into the var dir, like the secret key; in production a missing or malformed key is
``ImproperlyConfigured``.

Values are AES-256-GCM with a random 96-bit nonce, stored as ``v1:<keyid>:<base64url(nonce+ct)>``;
the associated data names the column (``table.column``), so a ciphertext copied into another column
or table does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class DecryptionError(Exception):
    """A stored value that does not decrypt: wrong key, another column's value, or tampered."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, AESGCM]       # key id → cipher, current first
    current_id: str
    lookup_key: bytes

    @property
    def current(self) -> AESGCM:
        return self.keys[self.current_id]

    def cipher(self, key_id: str) -> AESGCM:
        try:
            return self.keys[key_id]
        except KeyError:
            raise ImproperlyConfigured(
                f"KAOWU_DATA_KEYS: data encrypted with key '{key_id}', which is not configured "
                f"(configured: {', '.join(self.keys)})") from None


def _b64decode(value: str) -> bytes:
    value = value.strip()
    padded = value + "=" * (-len(value) % 4)
    try:
        return base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("not valid base64") from None


def parse_data_keys(text: str) -> dict[str, bytes]:
    """``keyid:base64,…`` → {keyid: 32 bytes}, in order. Raises ImproperlyConfigured on any flaw."""
    keys: dict[str, bytes] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured("KAOWU_DATA_KEYS: each entry is keyid:base64 (keyid: letters, digits, - or _, "
                                       "at most 16)")
        if key_id in keys:
            raise ImproperlyConfigured(f"KAOWU_DATA_KEYS: key id '{key_id}' is listed twice")
        try:
            raw = _b64decode(encoded)
        except ImproperlyConfigured:
            raise ImproperlyConfigured(f"KAOWU_DATA_KEYS: key '{key_id}' is not valid base64") from None
        if len(raw) != KEY_BYTES:
            raise ImproperlyConfigured(f"KAOWU_DATA_KEYS: key '{key_id}' must be {KEY_BYTES} bytes, not {len(raw)}")
        keys[key_id] = raw
    if not keys:
        raise ImproperlyConfigured("KAOWU_DATA_KEYS is empty")
    return keys


def parse_lookup_key(text: str) -> bytes:
    try:
        raw = _b64decode(text)
    except ImproperlyConfigured:
        raise ImproperlyConfigured("KAOWU_LOOKUP_KEY is not valid base64") from None
    if len(raw) < KEY_BYTES:
        raise ImproperlyConfigured(f"KAOWU_LOOKUP_KEY must be at least {KEY_BYTES} bytes")
    return raw


def new_data_key_entry(key_id: str | None = None) -> str:
    key_id = key_id or "k" + secrets.token_hex(3)
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def new_lookup_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _development_value(path: Path, make) -> str:
    """Read a generated development key from the var dir, creating it (0600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first
        return path.read_text().strip()
    value = make()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def _load() -> Keyring:
    from django.conf import settings

    data_text = getattr(settings, "KAOWU_DATA_KEYS", "") or ""
    lookup_text = getattr(settings, "KAOWU_LOOKUP_KEY", "") or ""
    development = settings.DEBUG or getattr(settings, "DEMO_MODE", False)
    var_dir = Path(settings.VAR_DIR)
    if not data_text.strip():
        if not development:
            raise ImproperlyConfigured("KAOWU_DATA_KEYS must be set in production (manage.py data_keys_generate)")
        data_text = _development_value(var_dir / "data_keys", lambda: new_data_key_entry("dev1"))
    if not lookup_text.strip():
        if not development:
            raise ImproperlyConfigured("KAOWU_LOOKUP_KEY must be set in production (manage.py data_keys_generate)")
        lookup_text = _development_value(var_dir / "lookup_key", new_lookup_key)
    keys = parse_data_keys(data_text)
    lookup_key = parse_lookup_key(lookup_text)
    return Keyring(keys={k: AESGCM(v) for k, v in keys.items()}, current_id=next(iter(keys)), lookup_key=lookup_key)


_keyring: Keyring | None = None
_lock = threading.Lock()


def keyring() -> Keyring:
    global _keyring
    if _keyring is None:
        with _lock:
            if _keyring is None:
                _keyring = _load()
    return _keyring


def keyring_reset(**kwargs) -> None:
    """Forget the loaded keys (settings changed in a test, or keys rotated in a long-lived shell)."""
    global _keyring
    _keyring = None


# --- values (columns) -------------------------------------------------------------------------------

def encrypt_text(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ring.current.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{PREFIX}:{ring.current_id}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii').rstrip('=')}"


def key_id_of(stored: str) -> str | None:
    """The key id of a stored value, or None if it is not an encrypted value."""
    parts = stored.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def decrypt_text(stored: str, *, context: str) -> str:
    parts = stored.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError(f"{context}: value is not encrypted")
    cipher = keyring().cipher(parts[1])
    try:
        blob = _b64decode(parts[2])
    except ImproperlyConfigured:
        raise DecryptionError(f"{context}: malformed value") from None
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptionError(f"{context}: malformed value")
    try:
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode("utf-8")).decode("utf-8")
    except InvalidTag:
        raise DecryptionError(f"{context}: value does not decrypt (wrong key, another column's value, "
                              f"or tampered)") from None


def blind_index(normalised: str, *, context: str) -> str:
    """HMAC-SHA256 of a normalised value, keyed by KAOWU_LOOKUP_KEY and bound to its column."""
    message = context.encode("utf-8") + b"\x00" + normalised.encode("utf-8")
    return hmac.new(keyring().lookup_key, message, hashlib.sha256).hexdigest()


# --- files ------------------------------------------------------------------------------------------
# A stored file is MAGIC, one byte key-id length, the key id, an 8-byte random nonce prefix, then the
# plaintext in CHUNK-byte pieces, each sealed with nonce = prefix + 4-byte counter and associated
# data = header + counter + final flag: pieces cannot be reordered, dropped or the file truncated,
# and a reader can seek (HTTP Range on videos) without decrypting the whole file.

FILE_MAGIC = b"KWENC1\n"
FILE_CHUNK = 64 * 1024
TAG_BYTES = 16


def file_header(key_id: str, prefix: bytes) -> bytes:
    encoded = key_id.encode("ascii")
    return FILE_MAGIC + bytes([len(encoded)]) + encoded + prefix


def _chunk_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _chunk_ad(header: bytes, index: int, final: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def encrypt_stream(pieces):
    """Yield the encrypted file for an iterable of plaintext byte pieces (any sizes)."""
    ring = keyring()
    prefix = secrets.token_bytes(8)
    header = file_header(ring.current_id, prefix)
    cipher = ring.current
    yield header
    buffer = bytearray()
    index = 0
    for piece in pieces:
        if isinstance(piece, str):
            piece = piece.encode("utf-8")
        buffer += piece
        # Keep at least one byte back, so that the last piece is always sealed as final.
        while len(buffer) > FILE_CHUNK:
            chunk = bytes(buffer[:FILE_CHUNK])
            del buffer[:FILE_CHUNK]
            yield cipher.encrypt(_chunk_nonce(prefix, index), chunk, _chunk_ad(header, index, False))
            index += 1
    yield cipher.encrypt(_chunk_nonce(prefix, index), bytes(buffer), _chunk_ad(header, index, True))


def encrypt_bytes(data: bytes) -> bytes:
    return b"".join(encrypt_stream([data]))


def read_file_header(handle) -> tuple[bytes, str, bytes] | None:
    """(header, key id, nonce prefix) of an encrypted file at the start of `handle`, else None
    (the handle is left at 0 then)."""
    handle.seek(0)
    start = handle.read(len(FILE_MAGIC) + 1)
    if len(start) < len(FILE_MAGIC) + 1 or not start.startswith(FILE_MAGIC):
        handle.seek(0)
        return None
    key_id = handle.read(start[-1]).decode("ascii", "replace")
    prefix = handle.read(8)
    if len(prefix) != 8:
        raise DecryptionError("truncated encrypted file header")
    return file_header(key_id, prefix), key_id, prefix


def plaintext_size(stored_size: int, header_size: int) -> int:
    body = stored_size - header_size
    pieces = max(1, -(-body // (FILE_CHUNK + TAG_BYTES)))
    return body - pieces * TAG_BYTES


class DecryptingReader:
    """A read-only, seekable file object over an encrypted file (decrypts one chunk at a time)."""

    def __init__(self, raw, *, name: str = ""):
        found = read_file_header(raw)
        if found is None:
            raise DecryptionError(f"{name}: not an encrypted file")
        self.raw = raw
        self.name = name
        self.header, self.key_id, self.prefix = found
        self.cipher = keyring().cipher(self.key_id)
        raw.seek(0, os.SEEK_END)
        self.size = plaintext_size(raw.tell(), len(self.header))
        if self.size < 0:
            raise DecryptionError(f"{name}: truncated encrypted file")
        self.pieces = max(1, -(-self.size // FILE_CHUNK)) if self.size else 1
        self.position = 0
        self._cached: tuple[int, bytes] | None = None
        self.closed = False

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        final = index == self.pieces - 1
        self.raw.seek(len(self.header) + index * (FILE_CHUNK + TAG_BYTES))
        sealed = self.raw.read(FILE_CHUNK + TAG_BYTES)
        try:
            plain = self.cipher.decrypt(_chunk_nonce(self.prefix, index), sealed, _chunk_ad(self.header, index, final))
        except InvalidTag:
            raise DecryptionError(f"{self.name}: file does not decrypt (wrong key, truncated or tampered)") from None
        self._cached = (index, plain)
        return plain

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.size - self.position
        out = bytearray()
        while size > 0 and self.position < self.size:
            index, offset = divmod(self.position, FILE_CHUNK)
            piece = self._chunk(index)[offset:offset + size]
            if not piece:
                break
            out += piece
            self.position += len(piece)
            size -= len(piece)
        return bytes(out)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def __iter__(self):
        while True:
            block = self.read(FILE_CHUNK)
            if not block:
                return
            yield block

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            target = offset
        elif whence == os.SEEK_CUR:
            target = self.position + offset
        elif whence == os.SEEK_END:
            target = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if target < 0:
            raise ValueError("negative seek position")
        self.position = target
        return target

    def tell(self) -> int:
        return self.position

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
            self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _on_setting_changed(*, setting, **kwargs):
    # Only the keys themselves: a test that turns demo mode off keeps the keys already loaded.
    if setting in {"KAOWU_DATA_KEYS", "KAOWU_LOOKUP_KEY", "VAR_DIR"}:
        keyring_reset()


def _connect_signals() -> None:
    from django.core.signals import setting_changed

    setting_changed.connect(_on_setting_changed, dispatch_uid="kaowu.core.crypto.setting_changed")


_connect_signals()
