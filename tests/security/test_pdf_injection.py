"""Hostile text in every PDF the project draws (issue 12, item 1).

ReportLab reads a Paragraph's text as markup: `<img src="http://…">` made the server fetch the URL
at every download, `<img src="/path">` drew a server file into the official form, `<a href>` put a
link in it and `</b> <foo>` made every download a 500. Each PDF below is downloaded the way its
reader gets it (the candidate's or the staff member's request) with hostile text in every field a
candidate (or a staff member, or another province's package) can fill, and must come back as a PDF
that shows that text literally, with no image but its own, no link, and no network connection
attempted while it was drawn."""

import ast
import datetime
import io
import re
import socket
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

# Fixtures of the apps' own tests (each builds the world its PDF needs).
from kaowu.exams.tests.conftest import area_staff, exam_world  # noqa: F401
from kaowu.transfers.tests.test_in import here  # noqa: F401
from kaowu.transfers.tests.test_out import committed, paid, pay, reviewing, world  # noqa: F401
from kaowu.upgrade.tests.test_qualification_and_reports import paid_veteran, point  # noqa: F401

# --- the attacker's text and what must (not) happen ------------------------------------------------


@pytest.fixture
def listener():
    """A local TCP server nobody should reach: a connection to it waits in its backlog."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture
def no_network(monkeypatch, listener):
    """Every connection opened the way URL clients open them (urllib, http.client) is recorded and
    fails; `check()` also looks for a connection that reached the listener, the host the hostile
    URLs name, by any other way. (Raw sockets stay usable for the test's own database and cache.)"""
    attempts: list = []

    def refuse_create_connection(address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network access during a PDF download")

    monkeypatch.setattr(socket, "create_connection", refuse_create_connection)

    def check():
        assert attempts == [], f"connections attempted: {attempts}"
        try:
            connection, peer = listener.accept()
        except BlockingIOError:
            return
        connection.close()
        pytest.fail(f"the hostile URL was fetched (from {peer})")

    return check


@pytest.fixture
def local_png(tmp_path) -> Path:
    """An image file on the server that markup must not be able to draw into a form."""
    path = tmp_path / "server-secret.png"
    Image.new("RGB", (40, 40), (200, 0, 0)).save(path)
    return path


@pytest.fixture
def hostile(listener, local_png):
    """`hostile(n)`: as much attacker text as fits a field of `n` characters (all of it when None)."""
    port = listener.getsockname()[1]
    parts = [f'<img src="http://127.0.0.1:{port}/x.png"/>', f'<img src="{local_png}"/>', "</b> <foo>",
             '<a href="http://evil">x</a>', '<img src="/etc/passwd"/>', "&amp;"]

    def text(max_length: int | None = None) -> str:
        if max_length is None:
            return "".join(parts)
        chosen = ""
        for part in parts:
            if len(chosen) + len(part) <= max_length:
                chosen += part
        assert chosen, max_length
        return chosen

    return text


def limit(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _images(resources, seen=None) -> int:
    """Image XObjects drawn from these resources, inside forms too."""
    seen = set() if seen is None else seen
    count = 0
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject")
    for ref in (xobjects.get_object() if xobjects is not None else {}).values():
        key = getattr(ref, "idnum", id(ref))
        if key in seen:
            continue
        seen.add(key)
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            count += 1
        elif obj.get("/Subtype") == "/Form":
            count += _images(obj.get("/Resources"), seen)
    return count


def assert_inert(response, texts: list[str], *, images: int = 0, no_network=None) -> None:
    """The download is a PDF showing each text literally, with `images` images and no link."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    shown = _squeeze("".join(page.extract_text() for page in reader.pages))
    for text in texts:
        assert _squeeze(text) in shown, f"not shown literally: {text!r}"
    assert sum(_images(page.get("/Resources")) for page in reader.pages) == images
    assert not any(page.get("/Annots") for page in reader.pages), "the PDF carries a link or other annotation"
    assert b"/URI" not in response.content
    if no_network is not None:
        no_network()


# --- 成绩复核申请表 ----------------------------------------------------------------------------------

def test_score_review_form(gansu, settings, tmp_path, hostile, no_network, client,
                           django_capture_on_commit_callbacks):
    import time_machine

    from kaowu.accounts.models import User
    from kaowu.catalog.models import BusinessWindow
    from kaowu.records import services
    from kaowu.records.models import ExamScore, ScoreReviewResult
    from kaowu.records.tests.conftest import world_build
    from kaowu.workflow.models import ApplicationTransition, ApplicationVersion

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KAOWU_HOLIDAYS = []
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    records = world_build()
    with time_machine.travel(datetime.datetime(2027, 4, 10, 9, tzinfo=beijing), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.score_import_start(sitting=records.sitting, staff=records.province_staff, file=SimpleUploadedFile(
                "scores.csv", "准考证号,姓名,课程代码,成绩,缺考/违纪\n620101000001,张伟,03708,52,\n".encode()))
    records.sitting.score_publication_at = datetime.datetime(2027, 4, 12, 9, tzinfo=beijing)
    records.sitting.save()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=records.sitting,
                                  starts_at=records.sitting.score_publication_at,
                                  ends_at=datetime.datetime(2027, 4, 30, 17, tzinfo=beijing))
    candidate = records.numbers["n1"].candidate
    with time_machine.travel(datetime.datetime(2027, 4, 16, 10, tzinfo=beijing), tick=False):
        score = ExamScore.objects.get(exam_number=records.numbers["n1"], course__code="03708")
        application = services.score_review_submit(actor=candidate.user, candidate=candidate,
                                                   exam_score_id=score.pk, reason="自评成绩与公布成绩相差较大")
        # Whatever the form lets through today, the PDF must draw any stored text as text.
        name, reason = hostile(limit(User, "real_name")), "复核原因：" + hostile()
        User.objects.filter(pk=candidate.user_id).update(real_name=name)
        version = application.current_version
        ApplicationVersion.objects.filter(pk=version.pk).update(data={
            **version.data, "reason": reason, "course_name": hostile(), "sitting_name": hostile()})
        note = hostile(limit(ScoreReviewResult, "note"))
        ScoreReviewResult.objects.create(application=application, exam_score=score, changed=False,
                                         old_score=Decimal("52"), note=note, office=records.province_staff.office,
                                         recorded_by=records.province_staff.user)
        ApplicationTransition.objects.create(application=application, to_status=application.status,
                                             actor=records.province_staff.user,
                                             actor_office=records.province_staff.office,
                                             comment=hostile(limit(ApplicationTransition, "comment")))

        client.force_login(candidate.user)
        response = client.get(reverse("records:review_form_pdf", args=[application.number]))
        assert_inert(response, [name, reason, note], no_network=no_network)

        client.force_login(records.province_staff.user)
        response = client.get(reverse("backoffice:records_staff:review_form_pdf", args=[application.pk]))
        assert_inert(response, [name, reason, note], no_network=no_network)


# --- 考籍转出登记表 --------------------------------------------------------------------------------

def test_transfer_out_form(world, reviewing, hostile, no_network, client):  # noqa: F811
    from kaowu.accounts.models import User
    from kaowu.transfers.tests.test_out import sign
    from kaowu.workflow.models import ApplicationTransition, ApplicationVersion

    application = reviewing()   # submitted: in the 市考办's queue
    version = application.current_version
    fields = {key: f"{key}:{hostile()}" for key in ("to_province_name", "receiving_authority", "mailing_address",
                                                   "postcode", "contact_phone")}
    profile = {**version.data["profile"], **{key: f"{key}:{hostile()}" for key in (
        "name", "id_number_masked", "exam_number", "exam_area", "major")}}
    courses = [{**course, "name": f"课程{hostile()}", "sitting": hostile(), "source": hostile()}
               for course in version.data["courses"]]
    ApplicationVersion.objects.filter(pk=version.pk).update(data={
        **version.data, **fields, "profile": profile, "courses": courses})
    User.objects.filter(pk=application.applicant_id).update(real_name=hostile(limit(User, "real_name")))
    comment = hostile(limit(ApplicationTransition, "comment"))
    ApplicationTransition.objects.create(application=application, from_status="reviewing", to_status="returned",
                                         actor=world["staff"]["city"].user,
                                         actor_office=world["staff"]["city"].office, comment=comment)
    application.refresh_from_db()
    sign(application)   # the candidate's 扫码签字 of this very text: the one image the form carries

    texts = [*fields.values(), *profile.values(), *(c["name"] for c in courses), comment]
    client.force_login(world["candidate"].user)
    response = client.get(reverse("transfers:out_form_pdf", args=[application.number]))
    assert_inert(response, texts, images=1, no_network=no_network)

    client.force_login(world["staff"]["city"].user)
    response = client.get(reverse("backoffice:transfers_staff:out_form_pdf", args=[application.pk]))
    assert_inert(response, texts, images=1, no_network=no_network)


# --- 考籍转入登记表 --------------------------------------------------------------------------------

def test_transfer_in_form(here, hostile, no_network, client):  # noqa: F811
    from kaowu.transfers.models import IncomingCourse, IncomingTransfer, IncomingTransition
    from kaowu.transfers.tests.test_in import entered

    transfer = entered(here)
    # Another province's package (or the staff member typing in a paper file) fills these.
    values = {"name": hostile(limit(IncomingTransfer, "name")),
              "source_number": hostile(limit(IncomingTransfer, "source_number")),
              "profile": {key: f"{key}:{hostile()}" for key in ("exam_number", "exam_area", "major")}}
    IncomingTransfer.objects.filter(pk=transfer.pk).update(**values)
    course_name = hostile(limit(IncomingCourse, "name"))
    IncomingCourse.objects.filter(transfer=transfer).update(
        name=course_name, code=hostile(limit(IncomingCourse, "code")),
        sitting=hostile(limit(IncomingCourse, "sitting")))
    comment = hostile(limit(IncomingTransition, "comment"))
    IncomingTransition.objects.filter(transfer=transfer).update(comment=comment)

    client.force_login(here["candidate"].user)
    response = client.get(reverse("transfers:in_form_pdf", args=[transfer.number]))
    assert_inert(response, [values["name"], values["source_number"], *values["profile"].values(), course_name,
                            comment], no_network=no_network)


# --- 专升本: 报名信息登记表, 体检表, 录取加分登记表, 考生准考证 -------------------------------------------

UPGRADE_FIELDS = ("nation", "political_status", "phone", "school", "junior_major", "household", "recipient",
                  "recipient_phone", "postcode", "mail_address")
UPGRADE_FORMS = {
    "registration": ["real_name", "candidate_number", "point", *UPGRADE_FIELDS, "organization", "role"],
    "medical": ["real_name", "candidate_number"],
    "bonus": ["real_name", "candidate_number", "point", "school", "junior_major"],
    "ticket": ["real_name", "candidate_number", "point"],
}


@pytest.mark.parametrize("key", list(UPGRADE_FORMS))
def test_upgrade_forms(key, paid_veteran, point, hostile, no_network, client, settings, tmp_path):  # noqa: F811
    from kaowu.accounts.models import User
    from kaowu.identity.models import Photo, Verification
    from kaowu.organization.models import Office
    from kaowu.upgrade import services
    from kaowu.upgrade.models import ResumeEntry, UpgradeRegistration

    settings.MEDIA_ROOT = tmp_path / "media"
    registration = paid_veteran
    values = {field: hostile(limit(UpgradeRegistration, field)) for field in UPGRADE_FIELDS}
    UpgradeRegistration.objects.filter(pk=registration.pk).update(
        **values, qualification="approved", notices={**registration.notices, services.EXAM_PLEDGE: {
            "shown_at": timezone.now().isoformat(), "read_at": timezone.now().isoformat()}})
    values["real_name"] = hostile(limit(User, "real_name"))
    values["candidate_number"] = hostile(limit(User, "candidate_number"))
    User.objects.filter(pk=registration.user_id).update(real_name=values["real_name"],
                                                        candidate_number=values["candidate_number"])
    values["point"] = hostile(limit(Office, "name"))
    Office.objects.filter(pk=point.pk).update(name=values["point"])
    values["organization"] = hostile(limit(ResumeEntry, "organization"))
    values["role"] = hostile(limit(ResumeEntry, "role"))
    ResumeEntry.objects.filter(registration=registration).update(organization=values["organization"],
                                                                 role=values["role"])
    # The 证件照 of the passed 身份认证: the one image the 考生准考证 carries.
    verification = Verification.objects.create(user=registration.user, kind=Verification.Kind.UPGRADE,
                                               status=Verification.Status.PASSED)
    photo = Photo(verification=verification, kind=Photo.Kind.ID_PHOTO, width=300, height=400, sha256="x" * 64)
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 40, 40)).save(jpeg, "JPEG")
    photo.file.save("id.jpg", ContentFile(jpeg.getvalue()), save=True)

    client.force_login(registration.user)
    response = client.get(f"/upgrade/forms/{key}.pdf")
    assert_inert(response, [values[field] for field in UPGRADE_FORMS[key]], images=1 if key == "ticket" else 0,
                 no_network=no_network)


# --- 准考证（考场座次通知单）, 考场名单, 门贴 ------------------------------------------------------------

@pytest.fixture
def seated(exam_world, hostile, settings, tmp_path):  # noqa: F811
    """A candidate seated in room 001 of a site whose name and address, and a course whose name, came
    from staff forms and imports, all hostile."""
    from kaowu.accounts.models import User
    from kaowu.catalog.models import BusinessWindow, Course, Major
    from kaowu.exams.models import ExamSite, SeatAssignment
    from kaowu.identity.models import Verification

    settings.MEDIA_ROOT = tmp_path / "media"
    room = exam_world.room("001", 30)
    course, = exam_world.register("620100000001", "00041")
    user = course.registration.exam_number.candidate.user
    Verification.objects.create(user=user, kind="two_photos", status="passed")
    values = {"real_name": hostile(limit(User, "real_name")),
              "major": hostile(limit(Major, "name")),
              "site_name": hostile(limit(ExamSite, "name")), "site_address": hostile(limit(ExamSite, "address")),
              "course": hostile(limit(Course, "name"))}
    User.objects.filter(pk=user.pk).update(real_name=values["real_name"])
    Major.objects.filter(pk=course.registration.major_id).update(name=values["major"])
    ExamSite.objects.filter(pk=exam_world.site.pk).update(name=values["site_name"], address=values["site_address"])
    Course.objects.filter(pk=course.course_id).update(name=values["course"])
    SeatAssignment.objects.create(registered_course=course, sitting=exam_world.sitting,
                                  session=course.sitting_course.session, room=room, seat=1, assigned_at=timezone.now())
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=exam_world.sitting,
                                  starts_at=timezone.now() - datetime.timedelta(hours=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=5))
    return {"user": user, "room": room, **values}


def test_admission_ticket(seated, no_network, client):
    client.force_login(seated["user"])
    response = client.get(reverse("documents:ticket_download"))
    # Drawn on the canvas (no markup), in full where it fits: name, major, the site line.
    assert_inert(response, [seated["real_name"], seated["major"],
                            f"{seated['site_name']}：{seated['site_address']}"], no_network=no_network)


@pytest.mark.parametrize("kind", ["list", "door"])
def test_room_and_door_lists(kind, seated, exam_world, area_staff, no_network, client):  # noqa: F811
    client.force_login(area_staff.user)
    texts = [seated["site_name"], seated["course"]] + ([seated["site_address"], seated["real_name"]]
                                                       if kind == "list" else [])
    one = client.get(reverse("backoffice:exams_staff:room_pdf", args=[seated["room"].pk, exam_world.morning.pk,
                                                                      kind]))
    assert_inert(one, texts, no_network=no_network)
    every = client.get(reverse("backoffice:exams_staff:session_pdf", args=[exam_world.morning.pk, kind])
                       + f"?area={exam_world.lanzhou.pk}")
    assert_inert(every, texts, no_network=no_network)


# --- no builder can forget -----------------------------------------------------------------------

def test_no_module_builds_a_reportlab_paragraph_itself():
    """Only kaowu.core.pdf imports ReportLab's Paragraph; every builder goes through its `paragraph`."""
    root = Path(__file__).resolve().parents[2] / "kaowu"
    offenders = []
    for path in root.rglob("*.py"):
        if path == root / "core" / "pdf.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab") and any(
                    alias.name in ("Paragraph", "XPreformatted") for alias in node.names):
                offenders.append(str(path.relative_to(root)))
            elif isinstance(node, ast.Attribute) and node.attr == "Paragraph":
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
