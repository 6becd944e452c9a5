"""The default file storage: uploads (identity photos, signatures, appeal videos, attachments,
proofs, imports, generated documents) are encrypted at rest with the data keys of
`kaowu.core.crypto`, so a copy of the media directory reveals no face, ID card or signature.

Files are written encrypted (a small header names the key) and decrypted as they are read through
``storage.open`` / ``FieldFile.open`` (seekable, one 64 KiB chunk at a time, so HTTP Range on a video
works). ``size()`` is the plaintext size. A file without the header (written before encryption was
turned on) is read as it is; ``manage.py data_keys_rotate`` encrypts it. Nothing may read an upload
by its filesystem path: ``path()`` exists for Django's own use only.
"""

from __future__ import annotations

import os

from django.core.files import File
from django.core.files.storage import FileSystemStorage

from . import crypto
from .uploads import TransactionalStorageMixin


class _EncryptedContent:
    """What FileSystemStorage._save streams to disk: the encrypted pieces of `content`
    (deliberately without temporary_file_path, so an upload is never moved in unencrypted)."""

    def __init__(self, content):
        self.content = content

    def chunks(self, chunk_size=None):
        if hasattr(self.content, "seek"):
            try:
                self.content.seek(0)
            except (OSError, ValueError):
                pass
        return crypto.encrypt_stream(self.content.chunks())


# TransactionalStorageMixin: a full or read-only disk leaves no partial file (FileSaveFailed → the
# "文件保存失败" page), and files written by a rolled-back transaction are deleted (kaowu.core.uploads).
class EncryptedFileSystemStorage(TransactionalStorageMixin, FileSystemStorage):
    def _save(self, name, content):
        return super()._save(name, _EncryptedContent(content))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Encrypted files are written through storage.save(), not opened for writing.")
        raw = open(self.path(name), "rb")  # noqa: SIM115 - closed by the returned file
        try:
            if crypto.read_file_header(raw) is None:
                return File(raw, name)  # written before encryption: read as it is
            return File(crypto.DecryptingReader(raw, name=name), name)
        except Exception:
            raw.close()
            raise

    def size(self, name):
        with open(self.path(name), "rb") as raw:
            found = crypto.read_file_header(raw)
            if found is None:
                return os.path.getsize(self.path(name))
            raw.seek(0, os.SEEK_END)
            return crypto.plaintext_size(raw.tell(), len(found[0]))

    def is_encrypted(self, name) -> bool:
        with open(self.path(name), "rb") as raw:
            return crypto.read_file_header(raw) is not None

    def key_id(self, name) -> str | None:
        with open(self.path(name), "rb") as raw:
            found = crypto.read_file_header(raw)
            return found[1] if found else None

    def reencrypt(self, name) -> bool:
        """Rewrite one file under the current key (plaintext files are encrypted). Atomic: written
        beside it, then renamed over it. Returns whether the file changed."""
        current = crypto.keyring().current_id
        if self.key_id(name) == current:
            return False
        path = self.path(name)
        with self.open(name, "rb") as source:
            temporary = f"{path}.rekey-{os.getpid()}"
            with open(temporary, "wb") as target:
                for piece in crypto.encrypt_stream(iter(lambda: source.read(crypto.FILE_CHUNK), b"")):
                    target.write(piece)
        if self.file_permissions_mode is not None:
            os.chmod(temporary, self.file_permissions_mode)
        os.replace(temporary, path)
        return True

    def decrypt_in_place(self, name) -> bool:
        """Rewrite one file as plaintext (a migration going backward). Returns whether it changed."""
        if not self.is_encrypted(name):
            return False
        path = self.path(name)
        temporary = f"{path}.plain-{os.getpid()}"
        with self.open(name, "rb") as source, open(temporary, "wb") as target:
            for block in iter(lambda: source.read(crypto.FILE_CHUNK), b""):
                target.write(block)
        os.replace(temporary, path)
        return True


def field_files_operation(app_label: str, model_name: str, field_name: str):
    """A migration operation encrypting the existing files of one FileField (backward: decrypting them)."""
    from django.db import migrations

    def run(forward):
        def apply(apps, schema_editor):
            model = apps.get_model(app_label, model_name)
            storage = model._meta.get_field(field_name).storage
            if not isinstance(storage, EncryptedFileSystemStorage):
                return
            for name in model._base_manager.exclude(**{field_name: ""}).values_list(field_name, flat=True):
                if not (name and storage.exists(name)):
                    continue
                if forward:
                    storage.reencrypt(name)
                else:
                    storage.decrypt_in_place(name)
        return apply

    return migrations.RunPython(run(True), run(False), elidable=False)


def files_rotate(*, storage=None) -> dict[str, int]:
    """Encrypt (or re-encrypt under the current key) every file under the storage's directory —
    files of every FileField and any file no row points to any more. Files already on the current
    key are skipped, so a run can be interrupted and started again. Returns counts per top folder."""
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    if not isinstance(storage, EncryptedFileSystemStorage):
        return {}
    counts: dict[str, int] = {}
    root = str(storage.location)
    for directory, _subdirectories, files in os.walk(root):
        for filename in sorted(files):
            if ".rekey-" in filename or ".plain-" in filename:
                continue  # a rewrite interrupted earlier: its original is still in place
            name = os.path.relpath(os.path.join(directory, filename), root).replace(os.sep, "/")
            folder = name.split("/", 1)[0] if "/" in name else "."
            counts.setdefault(folder, 0)
            if storage.reencrypt(name):
                counts[folder] += 1
    return counts
