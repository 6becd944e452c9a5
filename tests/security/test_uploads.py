"""Uploaded documents are decoded, not sniffed (kaowu.core.uploads.document_check); a full or
read-only upload directory gives "文件保存失败，请稍后重试" and leaves no row and no file."""

import errno
import io
import struct
import zlib

import pytest
from django.core.files.storage import filesystem
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path
from PIL import Image

from kaowu.accounts.models import User
from kaowu.core.uploads import UploadRejected, document_check
from kaowu.identity import services as identity
from kaowu.identity.models import Photo
from kaowu.identity.tests import imagery
from kaowu.organization.models import Office
from kaowu.testing.factories import CandidateFactory, UserFactory
from kaowu.testing.files import jpeg_bytes, pdf_bytes, png_bytes
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application, ApplicationAttachment
from kaowu.workflow.types import ApplicationType, ReviewStep, district_office_of_candidate, register

CHINESE = "\u4e00-\u9fff"


def _upload(data: bytes, name: str = "upload.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _decompression_bomb() -> bytes:
    """A 1 KB PNG that declares 20000×20000 RGB pixels (1.2 GB once decoded)."""
    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 200_000, 9)) + _png_chunk(b"IEND", b""))


def _noisy(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 80).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


def _pdf_with(**actions) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if "javascript" in actions:  # a document-level script in the /Names tree
        script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                   NameObject("/JS"): TextStringObject(actions["javascript"])})
        names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(script)])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(names)})
    if "open_action" in actions:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(actions["open_action"])})
    if "attachment" in actions:
        writer.add_attachment("readme.html", actions["attachment"])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HOSTILE = {
    "png header then html": b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>",
    "jpeg header then garbage": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8,
    "truncated png": _noisy("PNG")[:3000],
    "truncated jpeg": _noisy("JPEG")[:3000],
    "decompression bomb png": _decompression_bomb(),
    "pdf header then html": b"%PDF-1.7\n<html><body onload=alert(1)>stamped</body></html>\n",
    "pdf header, html and a trailer": b"%PDF-1.4\n<html></html>\nstartxref\n9\n%%EOF\n",
    "pdf with javascript": _pdf_with(javascript="app.alert('x');"),
    "pdf with an open action script": _pdf_with(open_action="app.launchURL('http://evil.example/');"),
    "pdf with an embedded file": _pdf_with(attachment=b"<html><script>alert(1)</script></html>"),
    "truncated pdf": pdf_bytes()[: len(pdf_bytes()) // 2],
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_documents_are_refused_with_a_chinese_message(data, settings):
    settings.KAOWU_IMAGE_MAX_PIXELS = 40_000_000
    with pytest.raises(UploadRejected) as refused:
        document_check(_upload(data))
    message = refused.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert "Traceback" not in message


def test_the_decompression_bomb_is_refused_for_its_pixels_without_decoding_them():
    with pytest.raises(UploadRejected, match="像素过多"):
        document_check(_upload(_decompression_bomb()))


def test_active_pdf_content_is_named_in_the_message():
    with pytest.raises(UploadRejected, match="脚本"):
        document_check(_upload(_pdf_with(javascript="app.alert(1)")))


@pytest.mark.parametrize(("data", "extension", "content_type"), [
    (png_bytes(), "png", "image/png"),
    (jpeg_bytes(), "jpg", "image/jpeg"),
    (_noisy("JPEG"), "jpg", "image/jpeg"),
    (pdf_bytes(), "pdf", "application/pdf"),
    (_pdf_with(), "pdf", "application/pdf"),
], ids=["png", "jpeg", "photo-like jpeg", "reportlab pdf", "pypdf pdf"])
def test_real_documents_are_accepted(data, extension, content_type):
    checked = document_check(_upload(data))
    assert (checked.extension, checked.content_type) == (extension, content_type)
    assert checked.size == len(checked.content) > 0


def test_an_image_is_stored_re_encoded_so_nothing_appended_survives():
    polyglot = png_bytes() + b"<html><script>alert(1)</script></html>"
    checked = document_check(_upload(polyglot))
    assert b"<html" not in checked.content and b"script" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        image.load()
        assert image.size == (64, 48)


def test_a_pdf_is_stored_as_it_was_sent():
    assert document_check(_upload(pdf_bytes())).content == pdf_bytes()


# --- through a real upload path: nothing stored ---------------------------------------------------

UPLOAD_TYPE = "security_uploads"
register(ApplicationType(code=UPLOAD_TYPE, label="上传测试", form_class=None,
                         review_chain=(ReviewStep("区县招办审核", Office.Kind.DISTRICT_OFFICE, district_office_of_candidate),),
                         describe=lambda data: [], window_kind=None, window_per_sitting=False,
                         attachment_kinds={"proof": "证明材料", "form": "申请表"}))


def _draft_view(request):
    """A candidate saves a draft with two files (the first is written before the second fails)."""
    from django.http import HttpResponse

    workflow.application_save_draft(
        actor=request.user, data={}, type_code=UPLOAD_TYPE, candidate=request.user.candidate,
        attachments={"proof": request.FILES["proof"], "form": request.FILES["form"]})
    return HttpResponse("saved")


urlpatterns = [path("draft/", _draft_view)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_hostile_attachment_leaves_no_application_and_no_file(media, gansu):
    candidate = CandidateFactory()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.application_save_draft(actor=candidate.user, data={}, type_code=UPLOAD_TYPE, candidate=candidate,
                                        attachments={"proof": _upload(HOSTILE["png header then html"], "盖章.png")})
    assert "图片文件已损坏" in refused.value.message and refused.value.field == "proof"
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()
    assert _files_under(media) == []


# --- a full or read-only disk ----------------------------------------------------------------------

class _Disk:
    """The upload directory's file system as FileSystemStorage sees it, with a fault from the
    (`healthy` + 1)th file on: the files before it are written completely."""

    def __init__(self, fault: int):
        import os

        self._os, self.fault, self.healthy = os, fault, 0

    def _faulty(self) -> bool:
        self.healthy -= 1
        return self.healthy < 0

    def __getattr__(self, name):
        return getattr(self._os, name)

    def open(self, path, flags, mode=0o777, **kwargs):
        if self.fault == errno.EROFS and self._faulty():
            raise OSError(errno.EROFS, "Read-only file system", path)
        return self._os.open(path, flags, mode, **kwargs)

    def fdopen(self, fd, mode="r", *args, **kwargs):
        real = self._os.fdopen(fd, mode, *args, **kwargs)
        return _FillsUp(real) if self.fault == errno.ENOSPC and self._faulty() else real


class _FillsUp:
    """A file that takes the first bytes, then finds the disk full (the partial file stays on disk)."""

    def __init__(self, real):
        self.real = real

    def write(self, chunk):
        self.real.write(chunk[:16])
        self.real.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self):
        self.real.close()


@pytest.fixture(params=[errno.ENOSPC, errno.EROFS], ids=["disk full", "read-only"])
def broken_disk(request, monkeypatch, media):
    media.mkdir(parents=True, exist_ok=True)
    disk = _Disk(request.param)
    monkeypatch.setattr(filesystem, "os", disk)
    return disk


@pytest.mark.django_db(transaction=True)
def test_an_attachment_that_cannot_be_written_leaves_no_row_and_no_file(client, broken_disk, media, gansu):
    candidate = CandidateFactory()
    client.force_login(candidate.user)
    client.raise_request_exception = False
    broken_disk.healthy = 1  # the first file is written completely, the second fails
    with override_settings(ROOT_URLCONF=__name__):
        response = client.post("/draft/", {"proof": _upload(pdf_bytes(), "证明.pdf"),
                                           "form": _upload(png_bytes(), "申请表.png")})
    page = response.content.decode()
    assert response.status_code == 503 and "文件保存失败，请稍后重试" in page and response["Retry-After"].isdigit()
    assert "Traceback" not in page and "No space" not in page and "Read-only" not in page
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()
    assert _files_under(media) == []


@pytest.mark.django_db(transaction=True)
def test_an_identity_photo_that_cannot_be_written_leaves_no_row_and_no_file(client, broken_disk, media, gansu):
    candidate = CandidateFactory(user=UserFactory(exam_type=User.ExamType.UPGRADE))
    identity.consent_give(user=candidate.user)
    client.force_login(candidate.user)
    client.raise_request_exception = False
    response = client.post("/identity/photos/id_card_back/",
                           {"photo": SimpleUploadedFile("back.jpg", imagery.jpeg(imagery.back_of_card()))},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 503 and "文件保存失败，请稍后重试" in response.content.decode()
    assert response["HX-Retarget"]  # htmx shows the notice instead of dropping the error
    assert not Photo.objects.exists()
    assert _files_under(media) == []

