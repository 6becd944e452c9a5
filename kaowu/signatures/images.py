"""Checking the handwritten signature a phone sends: a PNG from the canvas, not too big, not blank."""

import base64
import binascii
import io

from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 600 * 1024
MAX_SIDE = 2400
# A signature leaves ink on at least this share of the canvas (a tap or a dot is not a signature).
MIN_INK_SHARE = 0.002
PREFIX = "data:image/png;base64,"


class SignatureImageError(ValueError):
    pass


def signature_png(data_url: str) -> bytes:
    """The cleaned PNG (ink in black on white, no metadata) of a canvas data URL, or SignatureImageError."""
    if not data_url or not data_url.startswith(PREFIX):
        raise SignatureImageError(gettext("请先在签名区域手写签名"))
    try:
        raw = base64.b64decode(data_url[len(PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureImageError(gettext("签名图片无效，请重新签名")) from None
    if len(raw) > MAX_BYTES:
        raise SignatureImageError(gettext("签名图片过大，请清除后重新签名"))
    try:
        with Image.open(io.BytesIO(raw), formats=("PNG",)) as image:
            if image.format != "PNG" or max(image.size) > MAX_SIDE:
                raise SignatureImageError(gettext("签名图片无效，请重新签名"))
            image.load()
            rgba = image.convert("RGBA")
    # Pillow's PNG decoder says "broken PNG file" with SyntaxError; a bad chunk may give ValueError or EOFError.
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise SignatureImageError(gettext("签名图片无效，请重新签名")) from None
    # Ink: opaque and dark pixels. The canvas is transparent or white where nothing was drawn.
    alpha = rgba.getchannel("A").point(lambda a: 255 if a > 128 else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < 128 else 0)
    ink = Image.composite(dark, Image.new("L", rgba.size, 0), alpha)
    inked = ink.histogram()[255]
    if inked < MIN_INK_SHARE * rgba.size[0] * rgba.size[1]:
        raise SignatureImageError(gettext("未检测到签名笔迹，请在签名区域内手写签名"))
    clean = Image.new("RGB", rgba.size, "white")
    clean.paste((17, 24, 39), mask=ink)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
