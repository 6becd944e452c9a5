"""Uploaded documents (proofs, stamped forms, materials) and how any uploaded file is stored.

Checking — `document_check` is the one intake of every uploaded document (workflow attachments,
hence the 成绩复核 stamped form and the 转考 proof; 专升本 materials; 身份证号更正 proofs). The type is
recognised by content, never by name, and the whole file is read, not its first bytes:

- a JPEG or PNG is decoded completely by Pillow (restricted to that one decoder), within the pixel
  cap `KAOWU_IMAGE_MAX_PIXELS` checked on the header before any pixel is decoded, so a small file
  declaring 20000×20000 is refused without allocating anything; a truncated or corrupt image is
  refused. The accepted image is re-encoded (upright, without EXIF/GPS or anything appended after
  the image data), and that clean copy is what gets stored: `CheckedDocument.content`;
- a PDF must be one structurally (the `%PDF-` header, `startxref` pointing at a cross-reference
  table or stream, `%%EOF` at the end), parse with pypdf, have at least one page, not be encrypted,
  and hold no active content (JavaScript, launch or auto-run actions, embedded files, XFA).

Storing — `TransactionalStorageMixin` goes into the project's file storage. When the disk is full
or read-only (ENOSPC, EROFS, EACCES …) it removes the partly written file and raises `FileSaveFailed`,
which the site shows as "文件保存失败，请稍后重试" (kaowu.core.middleware.ServiceUnavailableMiddleware);
and a file written inside a transaction that is then rolled back is deleted at the end of the
request (`uncommitted_files_removed`), so a failed save never leaves an orphan file behind a row
that does not exist.
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

PROOF_MAX_BYTES = 5 * 1024 * 1024

JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_SIGNATURE = b"%PDF-"

_SIGNATURES = {
    PDF_SIGNATURE: ("pdf", "application/pdf"),
    JPEG_SIGNATURE: ("jpg", "image/jpeg"),
    PNG_SIGNATURE: ("png", "image/png"),
}
# Pillow calls multi-frame phone JPEGs (Samsung, Fujifilm) "MPO"; the first frame is a plain JPEG.
_PILLOW_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png"}

# PDF names that make a document do something when opened or hold other files: none belongs in a
# scanned or printed form. `/OpenAction` only counts when it is an action, not a page to open at.
PDF_FORBIDDEN_NAMES = frozenset({
    "/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/AA",
    "/SubmitForm", "/ImportData", "/GoToE", "/Sound", "/Movie",
})
PDF_MAX_OBJECTS = 50_000  # a 200-page form has a few thousand; each costs pypdf about 35 µs
PDF_MAX_PAGES = 200
# Direct objects nested deeper than this are refused: the walk would not see what they hold.
PDF_MAX_DEPTH = 32
# What pypdf may decompress while checking (object and cross-reference streams; page contents and
# images are never decoded here), per stream and for all object streams together: a few hundred
# bytes of Flate make megabytes, and pypdf reads an object stream's whitespace byte by byte.
PDF_MAX_DECODED_BYTES = 8 * 1024 * 1024
_PDF_LIMITS = {name: PDF_MAX_DECODED_BYTES for name in (
    "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
    "brotli_maximum_output_length", "jbig2_maximum_output_length", "array_based_stream_maximum_output_length",
    "stream_decoding_work_maximum_length")}
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_STREAM_AT = re.compile(rb"\s*\d+\s+\d+\s+obj\b")


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedDocument:
    """An accepted document: what to store (`content`, re-encoded for images) and how to label it."""

    extension: str
    content_type: str
    size: int  # of `content`, the bytes that are stored
    content: bytes = field(default=b"", repr=False)

    def as_file(self, name: str) -> ContentFile:
        """The checked content as a file to save, named `<name>.<extension>`."""
        return ContentFile(self.content, name=f"{name}.{self.extension}")


def _read_all(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def document_check(upload, *, max_bytes: int = PROOF_MAX_BYTES) -> CheckedDocument:
    """A PDF, JPG or PNG of at most `max_bytes`, recognised by its content and checked throughout.
    Raises UploadRejected with a Chinese message saying what to do. Slow (a full decode): call it
    before any transaction opens."""
    if upload is None:
        raise UploadRejected(gettext("请上传证明材料"))
    size = upload.size
    if size == 0:
        raise UploadRejected(gettext("文件是空的，请重新选择"))
    if size > max_bytes:
        raise UploadRejected(gettext("文件大小为%(size).1fMB，超过%(limit)sMB的限制，请压缩后重新上传")
                             % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024})
    data = _read_all(upload)
    if len(data) > max_bytes:  # the declared size lied
        raise UploadRejected(gettext("文件大小为%(size).1fMB，超过%(limit)sMB的限制，请压缩后重新上传")
                             % {"size": len(data) / 1024 / 1024, "limit": max_bytes // 1024 // 1024})
    for signature, (extension, content_type) in _SIGNATURES.items():
        if data.startswith(signature):
            if extension == "pdf":
                _pdf_check(data)
                content = data
            else:
                extension, content = _image_reencoded(data, extension)
                content_type = "image/png" if extension == "png" else "image/jpeg"
            return CheckedDocument(extension=extension, content_type=content_type, size=len(content),
                                   content=content)
    raise UploadRejected(gettext("证明材料须为PDF、JPG或PNG文件，请重新扫描或拍照后上传"))


# --- images -----------------------------------------------------------------------------------------

def _image_reencoded(data: bytes, extension: str) -> tuple[str, bytes]:
    from PIL import Image, ImageFile, ImageOps

    corrupt = UploadRejected(gettext("图片文件已损坏或不完整，无法读取，请重新扫描或拍照后上传"))
    max_pixels = settings.KAOWU_IMAGE_MAX_PIXELS
    too_many = UploadRejected(gettext("图片像素过多（超过%(count)s万像素），请缩小图片尺寸后重新上传")
                              % {"count": max_pixels // 10_000})
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # someone switched Pillow to pad truncated files with grey
        raise RuntimeError("ImageFile.LOAD_TRUNCATED_IMAGES must stay False for uploads")
    expected = "JPEG" if extension == "jpg" else "PNG"
    try:
        # The header only: format and size, no pixel decoded yet.
        image = Image.open(io.BytesIO(data), formats=(expected,))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except Exception:  # UnidentifiedImageError, SyntaxError, OSError …: not an image of that type
        raise corrupt from None
    try:
        if _PILLOW_FORMATS.get(image.format or "") != extension:
            raise corrupt
        width, height = image.size
        if width <= 0 or height <= 0:
            raise corrupt
        if width * height > max_pixels:
            raise too_many
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many from None
        except Exception:  # truncated ("image file is truncated"), broken PNG chunks, bad EXIF …
            raise corrupt from None
    finally:
        image.close()
    return _encode(upright, extension)


def _encode(image, extension: str) -> tuple[str, bytes]:
    """A fresh file holding only the pixels: no EXIF, GPS, comments or bytes after the image."""
    from PIL import Image

    buffer = io.BytesIO()
    if extension == "png":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        clean = Image.new(image.mode, image.size)
        if image.mode == "P":
            clean.putpalette(image.getpalette() or [])
        clean.paste(image)
        clean.save(buffer, format="PNG", optimize=False)
        return "png", buffer.getvalue()
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(buffer, format="JPEG", quality=92)
    return "jpg", buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------------

def _pdf_objects(data: bytes, broken: UploadRejected) -> list:
    """Every object of the PDF (and its trailer), read by pypdf after the file's end was checked:
    `broken` for anything that is not a plain, unencrypted PDF of 1 … PDF_MAX_PAGES pages."""
    tail = data[-2048:]
    match = _STARTXREF.search(tail)  # anchored at the end: the last startxref, followed only by %%EOF
    if match is None:
        raise broken
    offset = int(match.group(1))
    if not 0 < offset < len(data) or not (data[offset:offset + 4] == b"xref" or _XREF_STREAM_AT.match(data, offset)):
        raise broken

    from pypdf import PdfReader, apply_configuration
    from pypdf.generic import IndirectObject

    try:
        with apply_configuration(**_PDF_LIMITS):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadRejected(gettext("PDF文件已加密，请去除密码保护后重新上传"))
            pages = len(reader.pages)
            ids = [(number, generation) for generation, numbers in reader.xref.items() for number in numbers]
            ids += [(number, 0) for number in reader.xref_objStm]
            if len(ids) > PDF_MAX_OBJECTS:
                raise broken
            # Object streams decoded once each (pypdf keeps the result), within one budget for all.
            decoded = 0
            for number in {stream for stream, _index in reader.xref_objStm.values()}:
                decoded += len(reader.get_object(IndirectObject(number, 0, reader)).get_data())
                if decoded > PDF_MAX_DECODED_BYTES:
                    raise broken
            objects = [reader.trailer]
            for number, generation in ids:
                objects.append(reader.get_object(IndirectObject(number, generation, reader)))
    except UploadRejected:
        raise
    except Exception:  # pypdf's PdfReadError, and whatever a hostile file makes it trip over
        raise broken from None
    if not 1 <= pages <= PDF_MAX_PAGES:
        raise broken
    return objects


def _pdf_inspect(value, active: UploadRejected, depth: int = 0) -> None:
    """`active` when the object names a script, an attachment or an automatic action."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if depth > PDF_MAX_DEPTH:
        raise active  # what lies deeper is not checked: refused rather than let through
    if isinstance(value, NameObject):
        if str(value) in PDF_FORBIDDEN_NAMES:
            raise active
    elif isinstance(value, DictionaryObject):  # stream objects are dictionaries too
        for key, item in value.items():
            if str(key) in PDF_FORBIDDEN_NAMES:
                raise active
            if key == "/OpenAction" and (not isinstance(item, ArrayObject | IndirectObject)
                                         or isinstance(item.get_object(), DictionaryObject)):
                raise active  # an action dictionary (inline or referenced), not a destination
            if not isinstance(item, IndirectObject):
                _pdf_inspect(item, active, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            if not isinstance(item, IndirectObject):
                _pdf_inspect(item, active, depth + 1)


def _pdf_check(data: bytes) -> None:
    broken = UploadRejected(gettext("PDF文件已损坏或格式不正确，请重新扫描或导出PDF后上传"))
    objects = _pdf_objects(data, broken)
    active = UploadRejected(gettext("PDF文件含有脚本、附件或自动执行的操作，请使用“打印为PDF”重新生成后上传"))
    for obj in objects:
        _pdf_inspect(obj, active)
    # Belt and braces for names hidden where the object walk does not look (a broken object pypdf
    # skipped): the raw bytes must not name them either.
    for name in (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile"):
        if name in data:
            raise active


# --- storing ----------------------------------------------------------------------------------------

class FileSaveFailed(OSError):
    """The storage could not write an uploaded or generated file (disk full, read-only, no permission).
    Nothing of it is left behind; the site answers "文件保存失败，请稍后重试"."""


# Files written during the current request inside a transaction that has not committed (yet).
_uncommitted: ContextVar[list | None] = ContextVar("kaowu_uncommitted_files", default=None)


@contextmanager
def uncommitted_files_removed():
    """Around a request: a file the storage wrote inside a transaction that was then rolled back
    (the service raised, a savepoint was undone) is deleted when the block ends."""
    pending: list = []
    token = _uncommitted.set(pending)
    try:
        yield
    finally:
        _uncommitted.reset(token)
        for storage, name in pending:
            try:
                storage.delete(name)
            except Exception:  # noqa: BLE001 — cleaning up must not replace the real answer
                logger.warning("could not delete %s written by a rolled-back transaction", name, exc_info=True)


def _track_until_commit(storage, name: str) -> None:
    pending = _uncommitted.get()
    if pending is None:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: nothing will be rolled back
    if any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        return  # a TestCase's transaction never commits: on_commit would never say the file is kept
    entry = (storage, name)
    pending.append(entry)

    def kept():
        if entry in pending:
            pending.remove(entry)

    transaction.on_commit(kept)


@contextmanager
def file_saved_first(field_file, name: str, content):
    """Save a large file (copied and encrypted: slow) before the transaction that records it opens,
    and delete it again if the block fails, so the row and the file exist together or not at all."""
    field_file.save(name, content, save=False)
    try:
        yield field_file
    except BaseException:
        try:
            field_file.storage.delete(field_file.name)
        except OSError:
            logger.warning("could not delete %s after its transaction failed", field_file.name, exc_info=True)
        raise


class TransactionalStorageMixin:
    """For the project's file storage (before the Django storage class in the bases)."""

    def _save(self, name, content):
        existed = self.exists(name)
        try:
            saved = super()._save(name, content)
        except OSError as exc:
            if not existed:
                try:
                    self.delete(name)  # the part written before the disk filled up
                except OSError:
                    logger.warning("could not delete the partly written %s", name, exc_info=True)
            logger.error("could not save %s: %s", name, exc)
            raise FileSaveFailed(exc.errno, exc.strerror or str(exc)) from exc
        _track_until_commit(self, saved)
        return saved
