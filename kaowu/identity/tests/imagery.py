"""Test images derived from the two public-domain portraits in ../shared/testdata/faces.

Used by the tests' conftest and by bench/face_compare.py. Everything is made in memory from the
two portraits (never real citizens' data): ID-photo-like, ID-card-like and handheld-like
versions of each person, and the bad uploads the intake and the photo standards must refuse.
The face boxes below are where dlib's HOG detector finds the face in each original.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

FACES_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "faces"

ID_BLUE = (67, 142, 219)  # the usual 证件照 blue
ID_WHITE = (246, 246, 246)


@dataclass(frozen=True)
class Portrait:
    file: str
    face: tuple[int, int, int, int]  # left, top, right, bottom in the original


PORTRAITS = {
    "hopper": Portrait("hopper.jpg", (161, 137, 377, 353)),
    "collins": Portrait("collins.png", (179, 83, 267, 171)),
}


@cache
def original(name: str) -> Image.Image:
    with Image.open(FACES_DIR / PORTRAITS[name].file) as image:
        return image.convert("RGB")


def jpeg(image: Image.Image, quality: int = 90, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, **params)
    return buffer.getvalue()


def png(image: Image.Image, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **params)
    return buffer.getvalue()


def _head_mask(size: tuple[int, int], face: tuple[float, float, float, float]) -> Image.Image:
    """Head (an ellipse around the face box with room for hair), neck and shoulders, feathered."""
    left, top, right, bottom = face
    w, h = right - left, bottom - top
    cx = (left + right) / 2
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse((left - 0.22 * w, top - 0.5 * h, right + 0.22 * w, bottom + 0.08 * h), fill=255)
    draw.rectangle((cx - 0.3 * w, bottom - 0.2 * h, cx + 0.3 * w, bottom + 0.45 * h), fill=255)
    draw.polygon([(cx - 0.45 * w, bottom + 0.35 * h), (cx + 0.45 * w, bottom + 0.35 * h),
                  (cx + 1.6 * w, bottom + 1.2 * h), (cx + 1.6 * w, size[1]), (cx - 1.6 * w, size[1]),
                  (cx - 1.6 * w, bottom + 1.2 * h)], fill=255)
    return mask.filter(ImageFilter.GaussianBlur(2))


def portrait_on(name: str, *, size: tuple[int, int], face_height: float, face_centre: tuple[float, float],
                background: tuple[int, int, int] | Image.Image = ID_BLUE) -> Image.Image:
    """The person cut out of the original and placed on a plain background (an ID photo studio):
    the face box `face_height` px high, its centre at `face_centre`."""
    source, portrait = original(name), PORTRAITS[name]
    left, top, right, bottom = portrait.face
    scale = face_height / (bottom - top)
    scaled = source.resize((round(source.width * scale), round(source.height * scale)), Image.Resampling.LANCZOS)
    offset = (round(face_centre[0] - (left + right) / 2 * scale), round(face_centre[1] - (top + bottom) / 2 * scale))
    face = tuple(v * scale for v in portrait.face)
    mask = _head_mask(scaled.size, face)
    canvas = background.copy() if isinstance(background, Image.Image) else Image.new("RGB", size, background)
    canvas.paste(scaled, offset, mask)
    return canvas


# --- good photos -------------------------------------------------------------------------------

def id_photo(name: str, *, background=ID_BLUE, size=(358, 441)) -> Image.Image:
    """证件照 like the 二代身份证 photo: 358×441, face box ≈ 42 % of the height, centred."""
    width, height = size
    return portrait_on(name, size=size, face_height=0.42 * height, face_centre=(width / 2, 0.46 * height),
                       background=background)


def card_portrait(name: str, *, width: int) -> Image.Image:
    """The small greyscale portrait printed on an ID card, slightly tilted."""
    height = round(width * 1.25)
    photo = portrait_on(name, size=(width, height), face_height=0.5 * height,
                        face_centre=(width / 2, 0.45 * height), background=(236, 236, 236))
    photo = ImageOps.grayscale(photo).convert("RGB")
    return photo.rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=(236, 236, 236))


def id_card_front(name: str, *, size=(856, 540)) -> Image.Image:
    """身份证人像面 as a phone scan: a pale card, lines of 'text' on the left, the portrait right."""
    width, height = size
    card = Image.new("RGB", size, (232, 228, 214))
    draw = ImageDraw.Draw(card)
    for y in range(0, height, 6):  # the guilloche-like pale pattern
        draw.line((0, y, width, y + 40), fill=(222, 220, 206))
    for i, line_width in enumerate((260, 180, 330, 330, 330, 420)):
        y = 60 + i * 62
        draw.rectangle((60, y, 60 + line_width, y + 22), fill=(70, 70, 70))
    portrait = card_portrait(name, width=round(width * 0.3))
    card.paste(portrait, (width - portrait.width - 40, 70))
    return card


def id_card_front_jpeg(name: str, *, quality: int = 40) -> bytes:
    """The card downscaled, JPEG at low quality, stored lying on its side with EXIF Orientation=6
    (what a phone writes when it was held in portrait): upright only once the tag is applied."""
    card = id_card_front(name).resize((700, 442), Image.Resampling.LANCZOS)
    return jpeg_with_orientation(card, 6, quality=quality)


def back_of_card(size=(856, 540)) -> Image.Image:
    """身份证国徽面: an emblem circle and text lines, no face."""
    card = Image.new("RGB", size, (230, 226, 210))
    draw = ImageDraw.Draw(card)
    draw.ellipse((60, 50, 220, 210), outline=(200, 40, 40), width=10)
    for i in range(4):
        draw.rectangle((260, 300 + i * 50, 760, 322 + i * 50), fill=(70, 70, 70))
    return card


def handheld(name: str, *, size=(1024, 768), card_width: int = 300) -> Image.Image:
    """手持身份证半身照: the person, face box ≈ 22 % of the height, holding the card up at the
    lower right. With `card_width` ≳ 450 the card's portrait is detected as a second face."""
    width, height = size
    photo = portrait_on(name, size=size, face_height=0.22 * height, face_centre=(0.4 * width, 0.3 * height),
                        background=(214, 208, 196))
    card = id_card_front(name).resize((card_width, round(card_width * 540 / 856)), Image.Resampling.LANCZOS)
    photo.paste(card, (width - card_width - 20, height - card.height - 20))
    return photo


# --- EXIF ----------------------------------------------------------------------------------------

_INVERSE = {  # how to store an upright image so that exif_transpose of this orientation restores it
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def jpeg_with_orientation(upright: Image.Image, orientation: int, *, quality: int = 90) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "KaowuTestCamera"  # Make
    exif[0x0131] = "kaowu tests"  # Software
    return jpeg(upright.transpose(_INVERSE[orientation]), quality=quality, exif=exif.tobytes())


# --- bad photos ----------------------------------------------------------------------------------

def gradient(size=(358, 441)) -> Image.Image:
    """No face: a light vertical gradient."""
    line = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", [ImageOps.autocontrast(line, cutoff=0).point(lambda v: 120 + v // 2)] * 3)


def two_faces() -> Image.Image:
    """Both people's ID photos side by side (716×441)."""
    canvas = Image.new("RGB", (716, 441), ID_BLUE)
    canvas.paste(id_photo("hopper"), (0, 0))
    canvas.paste(id_photo("collins"), (358, 0))
    return canvas


def face_too_small(name: str = "hopper") -> Image.Image:
    """A light canvas with the person far away: face box ≈ 12 % of the height."""
    size = (600, 800)
    return portrait_on(name, size=size, face_height=0.12 * size[1], face_centre=(300, 0.45 * size[1]),
                       background=ID_WHITE)


def face_too_large(name: str = "hopper") -> Image.Image:
    """A tight crop: the face fills the picture."""
    left, top, right, bottom = PORTRAITS[name].face
    w, h = right - left, bottom - top
    crop = original(name).crop((round(left - 0.05 * w), round(top - 0.1 * h), round(right + 0.05 * w),
                                round(bottom + 0.15 * h)))
    return crop.resize((358, 441), Image.Resampling.LANCZOS)


def off_centre(name: str = "hopper") -> Image.Image:
    """Face pushed to the left edge of an otherwise good 证件照."""
    return portrait_on(name, size=(358, 441), face_height=0.42 * 441, face_centre=(0.3 * 358, 0.46 * 441),
                       background=ID_BLUE)


def dark(name: str = "hopper") -> Image.Image:
    return ImageEnhance.Brightness(id_photo(name)).enhance(0.2)


def blurred(name: str = "hopper", radius: float = 4) -> Image.Image:
    return id_photo(name).filter(ImageFilter.GaussianBlur(radius))


def dark_background(name: str = "hopper") -> Image.Image:
    return id_photo(name, background=(40, 40, 46))


def cluttered_background(name: str = "hopper") -> Image.Image:
    """The original portrait (flag, sky, props) cropped to 证件照 proportions around the face."""
    left, top, right, bottom = PORTRAITS[name].face
    h = bottom - top
    height = round(h / 0.42)
    width = round(height * 358 / 441)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    box = (round(cx - width / 2), round(cy - 0.46 * height), round(cx + width / 2), round(cy + 0.54 * height))
    return original(name).crop(box).resize((358, 441), Image.Resampling.LANCZOS)


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    id_photo("hopper").save(buffer, format="GIF")
    return buffer.getvalue()


TEXT_NAMED_JPG = "这不是照片，只是一个改名为 .jpg 的文本文件\n".encode()

PDF_BYTES = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
             b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def oversized_png() -> bytes:
    """≈ 3.6 MB: random noise does not compress."""
    rng = random.Random(20261122)
    noise = Image.frombytes("RGB", (1100, 1100), rng.randbytes(1100 * 1100 * 3))
    return png(noise, compress_level=1)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A greyscale PNG that declares width×height. `rows` real rows of zeros are compressed into
    the IDAT (all of them when None: zeros compress ≈ 1000:1, so 8000×6000 is ≈ 50 kB)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    idat = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows))
    idat += compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    data = jpeg(id_photo("hopper"), quality=92)
    return data[: len(data) // 2]
