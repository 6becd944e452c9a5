"""管理端 › 考场编排: sites and rooms, starting an arrangement and following it, the room list."""

import pytest
from django.urls import reverse

from kaowu.audit.models import AuditEvent
from kaowu.exams.models import ArrangementRun, ExamRoom, ExamSite, SeatAssignment
from kaowu.exams.services import arrangement_run_execute, arrangement_run_request
from kaowu.testing.factories import StaffMemberFactory

ARRANGEMENT = reverse("backoffice:exams_staff:arrangement")


@pytest.fixture
def signed_in(client):
    def sign_in(staff):
        client.force_login(staff.user)
        return client
    return sign_in


@pytest.fixture
def arrange_now(exam_world, area_staff):
    def run():
        created = arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=area_staff)
        return arrangement_run_execute(run_id=created.pk)
    return run


def test_the_area_office_adds_a_site_and_rooms(exam_world, area_staff, signed_in):
    client = signed_in(area_staff)

    response = client.post(reverse("backoffice:exams_staff:site_add") + f"?area={exam_world.lanzhou.pk}",
                           {"code": "02", "name": "兰州第二中学", "address": "兰州市七里河区", "is_active": "on"})
    site = ExamSite.objects.get(code="02")
    assert response.status_code == 302 and site.exam_area == exam_world.lanzhou

    client.post(reverse("backoffice:exams_staff:room_add", args=[site.pk]), {"number": "001", "capacity": "30",
                                                                             "is_active": "on"})
    refused = client.post(reverse("backoffice:exams_staff:room_add", args=[site.pk]),
                          {"number": "001", "capacity": "201", "is_active": "on"})

    assert ExamRoom.objects.filter(site=site).count() == 1
    assert "本考点已有该考场号" in refused.content.decode()
    page = client.get(reverse("backoffice:exams_staff:site_list")).content.decode()
    assert "兰州第二中学" in page and "考场编排" in page


def test_other_offices_get_404_and_cannot_see_the_menu(exam_world, signed_in):
    tianshui_staff = StaffMemberFactory(office=exam_world.tianshui)
    client = signed_in(tianshui_staff)
    assert client.get(ARRANGEMENT + f"?area={exam_world.lanzhou.pk}").status_code == 404
    assert client.get(reverse("backoffice:exams_staff:site_detail", args=[exam_world.site.pk])).status_code == 404

    client = signed_in(StaffMemberFactory())   # a 区县招办
    assert client.get(ARRANGEMENT).status_code == 404
    assert "考场编排" not in client.get(reverse("backoffice:home")).content.decode()


def test_starting_an_arrangement_shows_the_result_and_the_room_list(exam_world, area_staff, signed_in,
                                                                      django_capture_on_commit_callbacks):
    room = exam_world.room("001", 30)
    exam_world.register("620100000002", "00041")
    mine, = exam_world.register("620100000001", "00041")
    client = signed_in(area_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:exams_staff:arrangement_start"), {"area": exam_world.lanzhou.pk})
    assert response.status_code == 302
    run = ArrangementRun.objects.get()
    assert run.status == ArrangementRun.Status.DONE

    page = client.get(response.url).content.decode()
    assert "已完成" in page and "基础会计学" in page and "考场名单" in page

    status = client.get(reverse("backoffice:exams_staff:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert status.status_code == 204 and status["HX-Refresh"] == "true"

    listing = client.get(reverse("backoffice:exams_staff:room_list", args=[room.pk, exam_world.morning.pk]))
    text = listing.content.decode()
    user = mine.registration.exam_number.candidate.user
    assert "620100000001" in text and user.real_name in text
    assert user.id_number not in text and user.id_number[-4:] in text
    assert text.index("620100000001") < text.index("620100000002")
    assert SeatAssignment.objects.count() == 2


def test_a_running_arrangement_is_polled(exam_world, area_staff, signed_in):
    exam_world.room("001", 30)
    run = ArrangementRun.objects.create(sitting=exam_world.sitting, exam_area=exam_world.lanzhou,
                                        status=ArrangementRun.Status.RUNNING, total=100, done=40)
    client = signed_in(area_staff)

    page = client.get(ARRANGEMENT).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40 / 100" in page and "开始编排" not in page
    partial = client.get(reverse("backoffice:exams_staff:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "40%" in partial.content.decode()


def test_the_province_chooses_the_exam_area(exam_world, province_staff, signed_in):
    ExamSite.objects.create(exam_area=exam_world.tianshui, code="01", name="天水一中", address="天水")
    client = signed_in(province_staff)

    page = client.get(reverse("backoffice:exams_staff:site_list") + f"?area={exam_world.tianshui.pk}")
    assert "天水一中" in page.content.decode() and "兰州第一中学" not in page.content.decode()
    assert client.get(ARRANGEMENT + "?area=999999").status_code == 404


def test_room_lists_and_door_lists_print_as_pdf(exam_world, area_staff, signed_in, arrange_now):
    room = exam_world.room("001", 30)
    exam_world.register("620100000001", "00041")
    arrange_now()
    client = signed_in(area_staff)

    for kind in ("list", "door"):
        one = client.get(reverse("backoffice:exams_staff:room_pdf", args=[room.pk, exam_world.morning.pk, kind]))
        assert one.status_code == 200 and one["Content-Type"] == "application/pdf"
        assert one.content.startswith(b"%PDF") and b"WenQuanYi" in one.content
        every = client.get(reverse("backoffice:exams_staff:session_pdf", args=[exam_world.morning.pk, kind])
                           + f"?area={exam_world.lanzhou.pk}")
        assert every.status_code == 200 and every.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="exams.room_list_printed").count() == 4

    other = signed_in(StaffMemberFactory(office=exam_world.tianshui))
    assert other.get(reverse("backoffice:exams_staff:room_pdf",
                             args=[room.pk, exam_world.morning.pk, "list"])).status_code == 404
