"""Small real documents for upload tests: uploads are decoded and parsed (kaowu.core.uploads), so a
signature followed by filler is refused like any other fake."""

import functools
import io


@functools.cache
def pdf_bytes(text: str = "proof") -> bytes:
    """A one-page PDF drawn by ReportLab (what a scanner's or a printer driver's PDF looks like)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@functools.cache
def png_bytes(width: int = 64, height: int = 48) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 245)).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 245)).save(buffer, "JPEG")
    return buffer.getvalue()
