"""Graphical captcha (图形验证码).

Answers live in the cache (Redis in production), not the database: registration peaks would
otherwise write a row per image. Each challenge is single use and expires.
"""

import io
import random
import secrets

from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# No 0/O, 1/I/L: candidates on small phones must be able to read it.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 4
_KEY_PREFIX = "captcha:"


def captcha_new() -> str:
    """Create a challenge and return its key."""
    key = secrets.token_urlsafe(16)
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    cache.set(_KEY_PREFIX + key, answer, settings.KAOWU_CAPTCHA_TTL_SECONDS)
    return key


def captcha_answer(key: str) -> str | None:
    """The expected answer (for rendering the image, and for browser tests that play the user)."""
    return cache.get(_KEY_PREFIX + key)


def captcha_check(key: str, response: str) -> bool:
    """Check and consume a challenge: a key can be tried once, right or wrong."""
    if not key:
        return False
    answer = cache.get(_KEY_PREFIX + key)
    cache.delete(_KEY_PREFIX + key)
    return answer is not None and answer == (response or "").strip().upper()


def captcha_image(answer: str) -> bytes:
    width, height = 120, 44
    rng = random.Random(answer + secrets.token_hex(4))
    image = Image.new("RGB", (width, height), (246, 248, 251))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)), (rng.randint(0, width), rng.randint(0, height))],
            fill=(rng.randint(150, 210), rng.randint(150, 210), rng.randint(150, 210)),
            width=1,
        )
    font = ImageFont.load_default(size=28)
    x = 10
    for char in answer:
        glyph = Image.new("RGBA", (30, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 2), char, font=font,
                                   fill=(rng.randint(10, 80), rng.randint(30, 90), rng.randint(90, 160)))
        glyph = glyph.rotate(rng.randint(-20, 20), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (x, rng.randint(0, 6)), glyph)
        x += 26
    for _ in range(120):
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)), fill=(120, 130, 150))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
