"""What a person trying the demo notices of the exam operations and review: 考点 and 考场 ready for
考场编排, 张浩然's published 2026年10月 scores with 成绩复核 open, applications in lz-city's queue."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from kaowu.accounts.models import User
from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.windows import WindowState, business_window
from kaowu.exams.models import ArrangementRun, ExamRoom, ExamSite, SeatAssignment
from kaowu.payments.models import Order
from kaowu.records.models import ExamScore, PassedCourse
from kaowu.registration.models import RegisteredCourse
from kaowu.workflow.models import Application, ApplicationTransition
from kaowu.workflow.statuses import Status

from .test_seed_demo import PREFIXES, row_counts, seeded  # noqa: F401

ZHANG = "010219100023"


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def test_exam_areas_with_paid_registrations_have_two_sites_and_enough_seats(seeded):  # noqa: F811
    areas = set(RegisteredCourse.objects.filter(status=RegisteredCourse.Status.PAID)
                .values_list("registration__exam_area__code", flat=True))
    assert "EA6201" in areas
    for code in areas:
        sites = ExamSite.objects.filter(exam_area__code=code, is_active=True)
        assert sites.count() == 2, code
        rooms = ExamRoom.objects.filter(site__in=sites)
        assert rooms.count() >= 6 and set(rooms.values_list("capacity", flat=True)) == {30}
    lanzhou = ExamSite.objects.filter(exam_area__code="EA6201").order_by("code")
    assert [s.name for s in lanzhou] == ["兰州市第五十八中学考点", "兰州市七里河区实验中学考点"]
    # Staff arrange the seats themselves: the seed runs no 考场编排.
    assert not ArrangementRun.objects.exists() and not SeatAssignment.objects.exists()


def test_the_sites_page_of_lz_area_lists_its_sites_and_the_arrangement_seats_everyone(seeded, client):  # noqa: F811
    _login(client, "lz-area")
    page = client.get(reverse("backoffice:exams_staff:site_list")).content.decode()
    assert "兰州市第五十八中学考点" in page and "甘肃省兰州市城关区雁滩路2188号" in page
    assert "白银市第九中学考点" not in page

    from kaowu.exams.services import arrangement_run_execute, arrangement_run_request
    from kaowu.organization.models import Office, StaffMember

    staff = StaffMember.objects.get(user__username="lz-area")
    sitting = ExamSitting.objects.get(is_current=True)
    run = arrangement_run_request(sitting=sitting, exam_area=Office.objects.get(code="EA6201"), staff=staff)
    run = arrangement_run_execute(run_id=run.pk)
    assert run.status == ArrangementRun.Status.DONE and run.assigned > 0 and run.unseated == 0


def test_zhang_haoran_sees_his_published_2026_10_scores_and_record(seeded, client):  # noqa: F811
    past = ExamSitting.objects.get(code="2026-10")
    assert not past.is_current
    scores = {s.course.code: s for s in ExamScore.objects.filter(exam_number__number=ZHANG, sitting=past)
              .select_related("course")}
    assert {c for c, s in scores.items() if s.passed} == {"03708", "03709", "00024", "00535"}
    assert scores["00529"].mark == ExamScore.Mark.ABSENT
    record = PassedCourse.objects.filter(candidate__user__username="demo-b", sitting=past)
    assert set(record.values_list("course__code", flat=True)) == {"03708", "03709", "00024", "00535"}

    _login(client, "demo-b")
    page = client.get(reverse("records:scores")).content.decode()
    assert "2026年10月" in page and "现代汉语" in page and "缺考" in page
    assert client.get(reverse("graduation:planner")).status_code == 200


def test_score_review_is_open_for_the_past_sitting_and_offers_its_courses(seeded, client):  # noqa: F811
    past = ExamSitting.objects.get(code="2026-10")
    assert business_window(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=past).state == WindowState.OPEN

    _login(client, "demo-b")
    landing = client.get(reverse("records:review")).content.decode()
    assert "2026年10月" in landing and "进行中" in landing
    form = client.get(reverse("records:review_apply")).content.decode()
    assert "现代汉语" in form and "中国近现代史纲要" in form
    assert "古代汉语" not in form
    # the 个人中心 tile follows the sitting whose scores were published, not the next (current) one
    home = client.get(reverse("portal:candidate_home")).content.decode()
    assert f'href="{reverse("records:review")}"' in home


def test_lz_city_finds_the_transfer_within_province_in_its_queue(seeded, client):  # noqa: F811
    within = Application.objects.get(type_code="transfer_within_province")
    assert within.status == Status.REVIEWING and within.reviewing_office.code == "C6201"
    assert within.candidate.user.username.startswith("demo-g")
    assert ApplicationTransition.objects.filter(application=within, to_status=Status.REVIEWING).exists()

    _login(client, "lz-city")
    page = client.get(reverse("backoffice:workflow_staff:queue")).content.decode()
    assert within.number in page and "省内转考" in page


def test_a_transfer_out_waits_for_payment(seeded):  # noqa: F811
    out = Application.objects.get(type_code="transfer_out")
    assert out.status == "pending_payment" and out.candidate.user.username.startswith("demo-g")
    assert out.data["courses"]
    assert Order.objects.get(reference=out.number).status == Order.Status.PENDING
    # The featured candidates are left free to try these flows themselves.
    assert not Application.objects.filter(candidate__user__username__in=["demo-b", "demo-c", "demo-d"]).exists()


def test_seeding_twice_creates_no_operations_rows(seeded):  # noqa: F811
    from kaowu.demo.services import demo_seed

    models = (ExamSite, ExamRoom, ExamScore, PassedCourse, Application, ApplicationTransition, Order)
    before = row_counts() | {m.__name__: m.objects.count() for m in models}

    again = demo_seed(region_prefixes=PREFIXES)

    assert not again.changed
    assert row_counts() | {m.__name__: m.objects.count() for m in models} == before


def test_seed_demo_prints_where_to_look(db):
    out = StringIO()
    call_command("seed_demo", "--region-prefix", "62", stdout=out)
    text = out.getvalue()
    assert "考点" in text and "成绩复核" in text and "lz-city" in text
