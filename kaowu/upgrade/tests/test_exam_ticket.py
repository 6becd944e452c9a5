"""《考生准考证》 in 表格下载: only after the 诚信考试承诺书 has been open 10 seconds (checked on the server),
then a PDF with the 证件照, 考生号, name and the masked ID number, the CJK font embedded."""

import datetime
import io

import pypdf
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from kaowu.upgrade import services
from kaowu.upgrade.models import UpgradeRegistration

from .test_qualification_and_reports import paid_veteran, point  # noqa: F401


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def test_ticket_after_the_pledge(client, paid_veteran):  # noqa: F811
    registration = paid_veteran
    client.force_login(registration.user)
    assert client.get("/upgrade/forms/pledge/").status_code == 302  # not qualified yet
    UpgradeRegistration.objects.filter(pk=registration.pk).update(qualification="approved")
    page = client.get("/upgrade/forms/").content.decode()
    assert "下载《考生准考证》" in page and 'href="/upgrade/forms/pledge/"' in page
    response = client.get("/upgrade/forms/ticket.pdf")
    assert response.status_code == 302 and response["Location"] == "/upgrade/forms/pledge/"

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = client.get("/upgrade/forms/pledge/").content.decode()
        assert "诚信考试承诺书" in page and 'data-countdown="10"' in page and "disabled" in page
    with time_machine.travel(start + datetime.timedelta(seconds=4), tick=False):
        response = client.post("/upgrade/forms/pledge/", follow=True)
        assert "倒计时结束后再确认" in response.content.decode()
        assert 'data-countdown="6"' in response.content.decode()
    registration.refresh_from_db()
    assert not registration.notice_read(services.EXAM_PLEDGE)
    assert client.get("/upgrade/forms/ticket.pdf").status_code == 302
    with time_machine.travel(start + datetime.timedelta(seconds=11), tick=False):
        response = client.post("/upgrade/forms/pledge/")
        assert response.status_code == 302 and response["Location"] == "/upgrade/forms/"
    registration.refresh_from_db()
    assert registration.notice_read(services.EXAM_PLEDGE)
    assert 'href="/upgrade/forms/ticket.pdf"' in client.get("/upgrade/forms/").content.decode()

    response = client.get("/upgrade/forms/ticket.pdf")
    assert response["Content-Type"] == "application/pdf" and b"/FontFile2" in response.content
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    user = registration.user
    assert "考生准考证" in text and user.real_name in text and "贴照片处" in text
    assert user.id_number not in text and user.id_number[:3] in text and user.id_number[-4:] in text


def test_ticket_carries_the_id_photo(client, paid_veteran):  # noqa: F811
    from kaowu.identity.models import Photo, Verification

    registration = paid_veteran
    UpgradeRegistration.objects.filter(pk=registration.pk).update(
        qualification="approved", notices={**registration.notices, services.EXAM_PLEDGE: {
            "shown_at": timezone.now().isoformat(), "read_at": timezone.now().isoformat()}})
    verification = Verification.objects.create(user=registration.user, kind=Verification.Kind.UPGRADE,
                                               status=Verification.Status.PASSED)
    photo = Photo(verification=verification, kind=Photo.Kind.ID_PHOTO, width=300, height=400, sha256="x" * 64)
    photo.file.save("id.jpg", ContentFile(jpeg()), save=True)
    client.force_login(registration.user)
    response = client.get("/upgrade/forms/ticket.pdf")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages[0].images) == 1
    assert "贴照片处" not in reader.pages[0].extract_text()
