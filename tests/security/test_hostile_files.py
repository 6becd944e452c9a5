"""Hostile files the first checks let through: a PDF hiding its script deeper than the object walk
looked, a PDF whose object streams inflate to hundreds of megabytes that pypdf reads byte by byte, and
a signature PNG with a broken chunk (kaowu.core.uploads, kaowu.signatures.images)."""

import base64
import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from kaowu.core.uploads import UploadRejected, document_check
from kaowu.signatures.images import SignatureImageError, signature_png

PAGE_TREE = [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]


def _pdf(catalog: bytes) -> bytes:
    """A one-page PDF with a classic cross-reference table and the given catalog as object 1."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate([catalog, *PAGE_TREE], start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _pdf_with_object_streams(count: int, padding: int) -> bytes:
    """A one-page PDF with `count` object streams, each inflating to `padding` bytes of whitespace
    around one object, found through a cross-reference stream."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}

    def write(number, body):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    write(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    write(2, PAGE_TREE[0])
    write(3, PAGE_TREE[1])
    header = b"1000 0 " + b" " * padding
    packed = zlib.compress(header + b"null", 9)
    for k in range(count):
        write(10 + k, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
              % (len(header), len(packed), packed))
    xref = out.tell()
    rows = [(0, 0, 65535), *((1, offsets[n], 0) for n in (1, 2, 3)),
            *((1, offsets[10 + k], 0) for k in range(count)), (1, xref, 0), *((2, 10 + k, 0) for k in range(count))]
    index = [0, 4, 10, count + 1, *(n for k in range(count) for n in (1000 + k, 1))]
    table = zlib.compress(b"".join(struct.pack(">BIH", *row) for row in rows))
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /Root 1 0 R /W [1 4 2] /Index [%s] /Filter /FlateDecode /Length %d >>"
              b"\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
              % (10 + count, 1000 + count, b" ".join(b"%d" % n for n in index), len(table), table, xref))
    return out.getvalue()


def _check(data: bytes):
    return document_check(SimpleUploadedFile("form.pdf", data, content_type="application/pdf"))


def test_a_script_nested_deeper_than_the_walk_and_spelt_with_escapes_is_refused():
    # A link whose action chain (/Next) runs 40 levels deep before the JavaScript action; the name is
    # written /Java#53cript, which viewers read as /JavaScript and a byte search does not find.
    chain = b"<< /S /GoTo /D [3 0 R /Fit] /Next " * 40 + b"<< /S /Java#53cript /J#53 (app.alert(1)) >>" + b" >>" * 40
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /Dests << /Kids [ << /A " + chain + b" >> ] >> >> >>"
    with pytest.raises(UploadRejected, match="脚本"):
        _check(_pdf(catalog))


def test_a_plain_pdf_is_still_accepted():
    assert _check(_pdf(b"<< /Type /Catalog /Pages 2 0 R >>")).extension == "pdf"


def test_a_pdf_with_a_small_object_stream_is_accepted():
    assert _check(_pdf_with_object_streams(1, 1000)).extension == "pdf"


def test_object_streams_that_inflate_far_beyond_a_form_are_refused_quickly():
    # 5 streams of 40 MB of spaces each: 200 KB on the wire; before the budget, pypdf spent about a
    # minute reading them and kept 200 MB.
    data = _pdf_with_object_streams(5, 40_000_000)
    assert len(data) < 300_000
    started = time.monotonic()
    with pytest.raises(UploadRejected, match="PDF文件已损坏或格式不正确"):
        _check(data)
    assert time.monotonic() - started < 5


def _signature_with_a_misaligned_chunk() -> str:
    image = Image.new("RGBA", (300, 150), (0, 0, 0, 0))
    ImageDraw.Draw(image).line((10, 10, 290, 140), fill=(0, 0, 0, 255), width=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    png = out.getvalue()
    at = png.index(b"IDAT") - 4  # the chunk's length field: 100 bytes short, the next chunk header is garbage
    (length,) = struct.unpack(">I", png[at:at + 4])
    broken = png[:at] + struct.pack(">I", length - 100) + png[at + 4:]
    return "data:image/png;base64," + base64.b64encode(broken).decode()


def test_a_signature_png_with_a_broken_chunk_is_refused_with_a_message_not_a_500():
    with pytest.raises(SignatureImageError, match="签名图片无效"):
        signature_png(_signature_with_a_misaligned_chunk())
