"""Upload intake for identity photos: 证件照, 身份证人像面, 身份证国徽面, 手持身份证半身照.

`image_load` turns an uploaded file into a clean RGB Pillow image or refuses it with an
`ImageRejected(reason_code, message)` whose Chinese message says what was wrong and what to do.
The checks run cheapest first and nothing is decoded before it is known to be safe to decode:

1. size in bytes (settings.KAOWU_UPLOAD_MAX_BYTES, 2 MB by default; seed 001: 照片文件小于2M);
2. type by content: the first bytes must be a JPEG or PNG signature *and* Pillow, restricted to
   those two decoders, must agree. The file name and the client's content type are never read;
3. the pixel count declared in the header (settings.KAOWU_IMAGE_MAX_PIXELS, 40 M by default) —
   read before any pixel is decoded, so a small file declaring 30000×30000 is refused without
   allocating 2.7 GB. Pillow's own DecompressionBombError/Warning are caught as well;
4. full decode: truncated or corrupt files are refused (Pillow raises on a truncated JPEG as long
   as nobody set ImageFile.LOAD_TRUNCATED_IMAGES, which we check);
5. EXIF orientation applied (a phone photo taken upright is upright here), then the minimum
   dimensions of the kind (`KINDS`) on the upright image.

The result holds a fresh RGB image without any metadata (EXIF, GPS, ICC, XMP, comments);
`LoadedImage.to_jpeg_bytes()` re-encodes it as a baseline JPEG, which is what gets stored.
`image_open_stored` reopens such a stored file for the face comparison.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, ImageFile, ImageOps

JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Pillow names JPEGs from some phones (several frames: Samsung, Fujifilm) "MPO"; the first frame
# is an ordinary JPEG.
_PILLOW_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}

# Reason codes, for the caller's records and tests; the message is what the candidate reads.
EMPTY_FILE = "empty_file"
TOO_LARGE = "too_large"
UNSUPPORTED_TYPE = "unsupported_type"
TOO_MANY_PIXELS = "too_many_pixels"
CORRUPT = "corrupt"
TOO_SMALL = "too_small"

RETAKE = "请重新拍照或选择照片上传"


@dataclass(frozen=True)
class ImageKind:
    """Minimum dimensions of one kind of photo.

    `any_orientation`: the minimum applies to the long and short sides whatever the orientation
    (an ID card or a half-length photo taken in portrait is fine); otherwise width × height.
    """

    label: str
    min_width: int
    min_height: int
    any_orientation: bool = False

    def fits(self, width: int, height: int) -> bool:
        if self.any_orientation:
            return max(width, height) >= max(self.min_width, self.min_height) and \
                min(width, height) >= min(self.min_width, self.min_height)
        return width >= self.min_width and height >= self.min_height


KINDS: dict[str, ImageKind] = {
    # 1-inch photo (25×35 mm) at 300 dpi. The 二代身份证 photo is 358×441, platforms ask for
    # 295×413 up to 480×640: the smallest of these still gives a face of ≥ 100 px for recognition.
    "id_photo": ImageKind("证件照", 295, 413),
    # The card is 85.6×54 mm; at 640×400 its portrait's face is ≈ 90 px, enough for dlib's detector
    # (≥ 80 px at the first pass) and for the 150 px face chip the recogniser reads.
    "id_card_front": ImageKind("身份证人像面", 640, 400, any_orientation=True),
    "id_card_back": ImageKind("身份证国徽面", 640, 400, any_orientation=True),
    # VGA: the candidate's face in a half-length photo is then still ≥ 100 px.
    "handheld": ImageKind("手持身份证半身照", 640, 480, any_orientation=True),
}


class ImageRejected(Exception):
    """An upload that cannot be used; `message` (Chinese) says what was wrong and what to do."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message

    # The same attribute name as FaceError and RuleResult, for callers that store a reason.
    @property
    def code(self) -> str:
        return self.reason_code


@dataclass(frozen=True)
class LoadedImage:
    """An accepted upload: upright, RGB, no metadata."""

    image: Image.Image = field(repr=False)
    kind: str
    format: str  # of the upload: "JPEG" or "PNG"
    size_bytes: int  # of the upload

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    def to_jpeg_bytes(self, quality: int = 90) -> bytes:
        """Baseline JPEG of the upright image, without EXIF, ICC profile or any other metadata."""
        buffer = io.BytesIO()
        self.image.save(buffer, format="JPEG", quality=quality, optimize=True)
        return buffer.getvalue()


def size_text(size: int) -> str:
    """A byte count as the candidate reads it: "2 MB", "3.46 MB", "500 KB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".") + " MB"


def _too_large(label: str, size: int, max_bytes: int) -> ImageRejected:
    return ImageRejected(TOO_LARGE, f"{label}文件大小为{size_text(size)}，超过了{size_text(max_bytes)}的上限，"
                                    "请压缩或降低分辨率后重新上传")


def _read_all(file) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):  # Django's UploadedFile: don't hold a temporary file's handle twice
        return b"".join(file.chunks())
    return file.read()


def _declared_size(file) -> int | None:
    size = getattr(file, "size", None)
    return size if isinstance(size, int) else None


def _upright_rgb(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, flatten transparency onto white and return a metadata-free RGB copy."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greyscale PNG: scale, don't clip
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "RGBa", "La", "PA"):
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", image.size, (255, 255, 255))
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        image = flattened
    image = image.convert("RGB")
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean  # a new image: no info dict, no EXIF, no ICC profile


def _read_upload(file, *, label: str, max_bytes: int) -> tuple[bytes, str]:
    """(the file's bytes, "JPEG" or "PNG" by its signature), or ImageRejected."""
    if file is None:
        raise ImageRejected(EMPTY_FILE, f"请选择{label}后上传")
    declared = _declared_size(file)
    if declared is not None and declared > max_bytes:
        raise _too_large(label, declared, max_bytes)
    data = _read_all(file)
    if not data:
        raise ImageRejected(EMPTY_FILE, f"{label}文件是空的，{RETAKE}")
    if len(data) > max_bytes:
        raise _too_large(label, len(data), max_bytes)
    if data.startswith(JPEG_SIGNATURE):
        return data, "JPEG"
    if data.startswith(PNG_SIGNATURE):
        return data, "PNG"
    raise ImageRejected(UNSUPPORTED_TYPE, f"{label}文件不是JPG或PNG图片，{RETAKE}")


def _decode(data: bytes, *, label: str, signature_format: str, max_pixels: int) -> Image.Image:
    """The upright RGB picture: the header checked (format, pixel count) before any pixel is decoded."""
    corrupt = ImageRejected(CORRUPT, f"{label}文件已损坏或不完整，无法读取，{RETAKE}")
    too_many = ImageRejected(TOO_MANY_PIXELS, f"{label}的像素过多（超过{max_pixels // 10_000}万像素），"
                                              "请缩小图片尺寸后重新上传")
    try:
        # Reads the header only: size and format, no pixel is decoded yet.
        image = Image.open(io.BytesIO(data), formats=("JPEG", "PNG"))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except Image.UnidentifiedImageError:
        raise ImageRejected(UNSUPPORTED_TYPE, f"{label}文件不是JPG或PNG图片，{RETAKE}") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise corrupt from None

    if _PILLOW_FORMATS.get(image.format or "") != signature_format:
        raise ImageRejected(UNSUPPORTED_TYPE, f"{label}文件不是JPG或PNG图片，{RETAKE}")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise corrupt
    if width * height > max_pixels:
        raise too_many
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # someone switched Pillow to pad truncated files with grey
        raise RuntimeError("ImageFile.LOAD_TRUNCATED_IMAGES must stay False for identity photos")

    try:
        image.load()
        return _upright_rgb(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, MemoryError):
        # Pillow's decoders raise OSError ("image file is truncated", "broken data stream") and
        # SyntaxError ("broken PNG file"); exif_transpose may trip over malformed EXIF.
        raise corrupt from None
    finally:
        image.close()


def image_load(file, *, kind: str) -> LoadedImage:
    """Check and decode an uploaded photo of the given kind (see `KINDS`).

    `file` is a Django UploadedFile, any binary file object, or bytes. Raises ImageRejected.
    """
    try:
        spec = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown photo kind {kind!r}") from None
    label = spec.label
    data, signature_format = _read_upload(file, label=label, max_bytes=settings.KAOWU_UPLOAD_MAX_BYTES)
    upright = _decode(data, label=label, signature_format=signature_format,
                      max_pixels=settings.KAOWU_IMAGE_MAX_PIXELS)
    if not spec.fits(upright.width, upright.height):
        if spec.any_orientation:
            needed = f"{max(spec.min_width, spec.min_height)}×{min(spec.min_width, spec.min_height)}"
        else:
            needed = f"{spec.min_width}×{spec.min_height}（宽×高）"
        raise ImageRejected(TOO_SMALL, f"{label}尺寸为{upright.width}×{upright.height}像素，小于要求的{needed}像素，"
                                       "请使用更高分辨率重新拍照后上传")
    return LoadedImage(image=upright, kind=kind, format=signature_format, size_bytes=len(data))


def image_open_stored(file) -> Image.Image:
    """Reopen a photo that `image_load` accepted and `to_jpeg_bytes` stored (a Django File,
    a binary file object, a path or bytes) as an RGB image. Stored files are trusted: the
    pixel cap still applies through Pillow's own check, the intake checks are not repeated."""
    if isinstance(file, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(file))
    elif hasattr(file, "read"):
        opened_here = hasattr(file, "open") and getattr(file, "closed", False)  # a Django FieldFile
        if opened_here:
            file.open("rb")
        try:
            file.seek(0)
            source = io.BytesIO(file.read())
        finally:
            if opened_here:
                file.close()
    else:
        source = file  # a path
    with Image.open(source, formats=("JPEG", "PNG")) as image:
        image.load()
        return image.convert("RGB")
