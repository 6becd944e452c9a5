"""成绩复核 (seed 002) on the application engine: inside the window after publication, one published
score and a reason → 待上传申请表 → the stamped form within 3 working days (else 已失效) → 审核中 at
the province authority → 复核完成 with the result, which corrects the score and the 考籍."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kaowu.catalog.models import BusinessWindow
from kaowu.core.workdays import working_day_add
from kaowu.notifications.models import InboxMessage
from kaowu.records import review, selectors, services
from kaowu.records.models import ExamScore, PassedCourse, ScoreReviewResult
from kaowu.workflow import selectors as workflow_selectors
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

SCORES = ("准考证号,姓名,课程代码,成绩,缺考/违纪\n"
          "620101000001,张伟,00015,75,\n620101000001,张伟,03708,52,\n620101000001,张伟,03709,,缺考\n"
          "620101000001,张伟,00024,81.5,\n620101000002,王芳,00015,66,\n")

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BEIJING)


# Friday 2027-04-16: the third working day after it is Wednesday 2027-04-21.
FRIDAY = at(2027, 4, 16, 10, 0)


@pytest.fixture
def reviewed_world(world, run_import, settings):
    """Scores imported for 2027年4月, published on 2027-04-12, 成绩复核 window 04-12 → 04-30; the clock
    stands on Friday 2027-04-16 10:00 (Beijing) unless a test moves it."""
    settings.KAOWU_HOLIDAYS = []
    with time_machine.travel(at(2027, 4, 10, 9, 0), tick=False):
        imported = run_import(SCORES)
    assert imported.status == "imported"
    world.sitting.score_publication_at = at(2027, 4, 12, 9, 0)
    world.sitting.save()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=world.sitting,
                                  starts_at=at(2027, 4, 12, 9, 0), ends_at=at(2027, 4, 30, 17, 0))
    with time_machine.travel(FRIDAY, tick=False):
        yield world


def score_of(world, key: str, code: str) -> ExamScore:
    return ExamScore.objects.get(exam_number=world.numbers[key], course__code=code)


def submit(world, code="03708", key="n1", reason="自评成绩与公布成绩相差较大", committed=None):
    candidate = world.numbers[key].candidate
    return services.score_review_submit(actor=candidate.user, candidate=candidate,
                                        exam_score_id=score_of(world, key, code).pk, reason=reason)


def stamped_form() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("申请表.jpg", buffer.getvalue(), content_type="image/jpeg")


def upload(application):
    return services.score_review_upload_form(application=application, actor=application.applicant,
                                             upload=stamped_form())


# --- choosing and submitting --------------------------------------------------------------------

def test_candidate_chooses_among_published_scores_but_not_an_absence(reviewed_world):
    candidate = reviewed_world.numbers["n1"].candidate
    codes = [s.course.code for s in selectors.score_review_choices(candidate=candidate)]
    assert sorted(codes) == ["00015", "00024", "03708"]          # 03709 缺考 has no score to re-check


def test_nothing_can_be_reviewed_before_the_scores_are_published(reviewed_world):
    reviewed_world.sitting.score_publication_at = at(2027, 4, 20, 9, 0)
    reviewed_world.sitting.save()
    candidate = reviewed_world.numbers["n1"].candidate
    assert selectors.score_review_choices(candidate=candidate) == []
    with pytest.raises(WorkflowError, match="成绩尚未公布"):
        submit(reviewed_world)


def test_submission_outside_the_window_is_refused(reviewed_world):
    with time_machine.travel(at(2027, 5, 3, 10, 0), tick=False), pytest.raises(WorkflowError, match="成绩复核时间为"):
        submit(reviewed_world)
    assert not Application.objects.filter(type_code=review.CODE).exists()


def test_an_absence_cannot_be_reviewed(reviewed_world):
    with pytest.raises(WorkflowError, match="缺考"):
        submit(reviewed_world, code="03709")


def test_submitting_waits_for_the_stamped_form_with_a_deadline(reviewed_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(reviewed_world)
    assert application.status == review.AWAITING_FORM
    assert application.status_label == "待上传申请表"
    assert application.sitting == reviewed_world.sitting
    assert application.data["score"] == "52" and application.data["course_code"] == "03708"
    assert review.deadline_of(application) == at(2027, 4, 21, 17, 0)
    assert [t.to_status for t in application.transitions.order_by("id")] == [Status.DRAFT, review.AWAITING_FORM]
    message = InboxMessage.objects.get(user=application.applicant)
    assert "2027年04月21日 17:00" in message.body
    # Not yet in the province authority's queue: nothing to re-check before the form is there.
    staff = reviewed_world.province_staff
    assert not workflow_selectors.applications_for_staff(staff=staff, tab="pending").exists()


def test_the_same_course_cannot_be_reviewed_twice_in_a_sitting(reviewed_world):
    first = submit(reviewed_world)
    with pytest.raises(WorkflowError, match="只能申请一次"):
        submit(reviewed_world)
    # Another course is fine; a withdrawn application frees its course.
    submit(reviewed_world, code="00015")
    workflow.application_withdraw(application=first, actor=first.applicant)
    assert submit(reviewed_world).status == review.AWAITING_FORM


def test_a_lapsed_application_still_counts_as_the_one_review(reviewed_world):
    application = submit(reviewed_world)
    with time_machine.travel(at(2027, 4, 22, 9, 0), tick=False):
        services.score_reviews_lapse_overdue()
        application.refresh_from_db()
        assert application.status == review.LAPSED
        with pytest.raises(WorkflowError, match="只能申请一次"):
            submit(reviewed_world)


# --- 3 working days -------------------------------------------------------------------------------

def test_three_working_days_skip_the_weekend():
    assert working_day_add(datetime.date(2027, 4, 16), 3) == datetime.date(2027, 4, 21)   # Fri → Wed
    assert working_day_add(datetime.date(2027, 4, 12), 3) == datetime.date(2027, 4, 15)   # Mon → Thu
    assert working_day_add(datetime.date(2027, 4, 17), 3) == datetime.date(2027, 4, 21)   # Sat → Wed


def test_configured_holidays_are_not_working_days(settings):
    settings.KAOWU_HOLIDAYS = ["2027-04-19", "2027-04-20"]
    assert review.upload_deadline(FRIDAY) == at(2027, 4, 23, 17, 0)


def test_the_countdown_shows_working_days_left(reviewed_world):
    application = submit(reviewed_world)
    assert review.working_days_left(application) == 3                     # Fri: Mon, Tue, Wed to go
    with time_machine.travel(at(2027, 4, 18, 12, 0), tick=False):           # Sunday
        assert review.working_days_left(application) == 3
    with time_machine.travel(at(2027, 4, 21, 16, 59), tick=False):          # the last day
        assert review.working_days_left(application) == 0
        assert "今天是最后一天" in application.type.next_step(application, None)
    with time_machine.travel(at(2027, 4, 21, 17, 0), tick=False):
        assert review.working_days_left(application) is None


def test_upload_on_the_last_afternoon_enters_the_province_queue(reviewed_world, django_capture_on_commit_callbacks):
    application = submit(reviewed_world)
    with time_machine.travel(at(2027, 4, 21, 16, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        application = upload(application)
    assert application.status == Status.REVIEWING
    assert application.reviewing_office == reviewed_world.province_staff.office
    assert application.current_version.attachments.get().kind == review.FORM_KIND
    pending = workflow_selectors.applications_for_staff(staff=reviewed_world.province_staff, tab="pending")
    assert list(pending) == [application]


def test_upload_after_the_deadline_is_refused_and_the_application_lapses(reviewed_world,
                                                                           django_capture_on_commit_callbacks):
    application = submit(reviewed_world)
    with time_machine.travel(at(2027, 4, 21, 17, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(WorkflowError, match="已超过上传期限"):
            upload(application)
    application.refresh_from_db()
    assert application.status == review.LAPSED and application.status_label == "已失效"
    assert not application.current_version.attachments.exists()
    last = application.transitions.order_by("-id").first()
    assert last.to_status == review.LAPSED and last.actor is None
    assert InboxMessage.objects.filter(user=application.applicant, title="您的成绩复核申请已失效").exists()


def test_the_lapse_job_lapses_only_overdue_applications(reviewed_world):
    early = submit(reviewed_world)                                              # Fri → Wed 17:00
    with time_machine.travel(at(2027, 4, 19, 10, 0), tick=False):
        later = submit(reviewed_world, code="00015")                           # Mon → Thu 17:00
    with time_machine.travel(at(2027, 4, 21, 18, 0), tick=False):
        call_command("records_lapse_score_reviews", stdout=open("/dev/null", "w"))
    early.refresh_from_db()
    later.refresh_from_db()
    assert early.status == review.LAPSED
    assert later.status == review.AWAITING_FORM


def test_the_candidate_page_lapses_an_overdue_application_when_opened(reviewed_world, client):
    application = submit(reviewed_world)
    client.force_login(application.applicant)
    page = client.get(reverse("records:review_detail", args=[application.number]))
    assert "还剩 3 个工作日" in page.content.decode()
    with time_machine.travel(at(2027, 4, 22, 9, 0), tick=False):
        client.logout()                                 # a fresh login: the old one idled out
        client.force_login(application.applicant)
        page = client.get(reverse("records:review_detail", args=[application.number]))
    assert "已失效" in page.content.decode()
    application.refresh_from_db()
    assert application.status == review.LAPSED


# --- the result -----------------------------------------------------------------------------------

@pytest.fixture
def in_queue(reviewed_world):
    def make(code="03708"):
        return upload(submit(reviewed_world, code=code))
    return make


def test_a_changed_score_passes_the_course_and_adds_it_to_the_record(reviewed_world, in_queue, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.KAOWU_PASS_SCORE = 60
    application = in_queue("03708")
    candidate = application.candidate
    assert not PassedCourse.objects.filter(candidate=candidate, course__code="03708").exists()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.score_review_record_result(
            application=application, staff=reviewed_world.province_staff, changed=True, new_score=Decimal("61"),
            note="第三大题漏评 9 分")
    assert application.status == Status.APPROVED and application.status_label == "复核完成"
    score = score_of(reviewed_world, "n1", "03708")
    assert score.score == Decimal("61") and score.passed
    record = PassedCourse.objects.get(candidate=candidate, course__code="03708")
    assert record.score == Decimal("61") and record.sitting == reviewed_world.sitting
    result = ScoreReviewResult.objects.get(application=application)
    assert (result.changed, result.old_score, result.new_score) == (True, Decimal("52"), Decimal("61"))
    assert "复核后 61 分" in InboxMessage.objects.filter(user=candidate.user).order_by("-id").first().body
    from kaowu.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="records.score_reviewed").exists()


def test_a_lowered_score_below_the_line_takes_the_course_off_the_record(reviewed_world, in_queue):
    application = in_queue("00015")
    candidate = application.candidate
    assert PassedCourse.objects.filter(candidate=candidate, course__code="00015").exists()
    services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                        changed=True, new_score="58.5", note="合分错误")
    score = score_of(reviewed_world, "n1", "00015")
    assert score.score == Decimal("58.5") and not score.passed
    assert not PassedCourse.objects.filter(candidate=candidate, course__code="00015").exists()


def test_a_changed_passing_score_updates_the_record_score(reviewed_world, in_queue):
    application = in_queue("00015")
    services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                        changed=True, new_score="79", note="漏评")
    assert PassedCourse.objects.get(candidate=application.candidate, course__code="00015").score == Decimal("79")


def test_an_unchanged_score_completes_the_review_and_changes_nothing(reviewed_world, in_queue):
    application = in_queue("03708")
    application = services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                                      changed=False)
    assert application.status == Status.APPROVED
    assert score_of(reviewed_world, "n1", "03708").score == Decimal("52")
    result = ScoreReviewResult.objects.get(application=application)
    assert (result.changed, result.old_score, result.new_score) == (False, Decimal("52"), Decimal("52"))
    assert not PassedCourse.objects.filter(candidate=application.candidate, course__code="03708").exists()


@pytest.mark.parametrize("value, message", [("100.5", "0 到 100"), ("-1", "0 到 100"), ("abc", "复核后成绩"),
                                            ("52", "与原成绩相同")])
def test_the_new_score_is_validated(reviewed_world, in_queue, value, message):
    application = in_queue("03708")
    with pytest.raises(WorkflowError, match=message):
        services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                            changed=True, new_score=value, note="说明")
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    assert score_of(reviewed_world, "n1", "03708").score == Decimal("52")


# --- illegal transitions --------------------------------------------------------------------------

def test_the_flow_allows_only_its_own_transitions():
    assert review.FLOW.allowed(review.AWAITING_FORM, Status.REVIEWING)
    assert not review.FLOW.allowed(Status.DRAFT, Status.REVIEWING)         # the form must come first
    assert not review.FLOW.allowed(review.LAPSED, Status.REVIEWING)
    assert not review.FLOW.targets(review.LAPSED) and not review.FLOW.targets(Status.APPROVED)
    assert not review.FLOW.allowed(Status.REVIEWING, Status.RETURNED)


def test_a_result_is_refused_before_the_form_is_uploaded(reviewed_world):
    application = submit(reviewed_world)
    with pytest.raises(WorkflowError, match="不在本机构的待审核队列"):
        services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                            changed=False)


def test_a_second_result_and_a_second_upload_are_refused(reviewed_world, in_queue):
    application = in_queue("03708")
    with pytest.raises(WorkflowError, match="不能上传申请表"):
        upload(application)
    services.score_review_record_result(application=application, staff=reviewed_world.province_staff, changed=False)
    with pytest.raises(WorkflowError):
        services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                            changed=True, new_score="70", note="x")
    assert ScoreReviewResult.objects.filter(application=application).count() == 1


def test_the_generic_approval_is_refused_for_a_score_review(reviewed_world, in_queue):
    application = in_queue("03708")
    with pytest.raises(WorkflowError, match="登记复核结果"):
        workflow.application_approve(application=application, staff=reviewed_world.province_staff)
    application.refresh_from_db()
    assert application.status == Status.REVIEWING


def test_a_lapsed_application_cannot_be_uploaded_or_lapsed_again(reviewed_world):
    application = submit(reviewed_world)
    with time_machine.travel(at(2027, 4, 22, 9, 0), tick=False):
        services.score_reviews_lapse_overdue()
        application.refresh_from_db()
        with pytest.raises(WorkflowError, match="不能上传申请表"):
            upload(application)
        assert services.score_reviews_lapse_overdue() == 0
    assert application.transitions.filter(to_status=review.LAPSED).count() == 1


def test_an_application_in_time_is_not_lapsed(reviewed_world):
    application = submit(reviewed_world)
    with pytest.raises(WorkflowError, match="上传期限未到"):
        services.score_review_lapse(application=application)


def test_an_exam_area_cannot_record_a_result(reviewed_world, in_queue):
    application = in_queue("03708")
    with pytest.raises(WorkflowError):
        services.score_review_record_result(application=application, staff=reviewed_world.area_staff, changed=False)


# --- pages --------------------------------------------------------------------------------------

def test_the_scores_page_links_to_a_review_and_marks_the_reviewed_score(reviewed_world, in_queue, client):
    candidate = reviewed_world.numbers["n1"].candidate
    client.force_login(candidate.user)
    page = client.get(reverse("records:scores")).content.decode()
    assert page.count("data-review-link") == 3
    application = in_queue("03708")
    services.score_review_record_result(application=application, staff=reviewed_world.province_staff,
                                        changed=True, new_score="64", note="漏评")
    page = client.get(reverse("records:scores")).content.decode()
    assert page.count("data-review-link") == 2
    assert "复核后" in page and ">64<" in page


def test_the_review_form_pdf_is_a_pdf_for_its_candidate_only(reviewed_world, client):
    application = submit(reviewed_world)
    client.force_login(application.applicant)
    response = client.get(reverse("records:review_form_pdf", args=[application.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import io

    import pypdf

    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "成绩复核申请表" in text and "中国近现代史纲要" in text and "考区意见（盖章）" in text
    assert "2027年04月21日 17:00" in text                                     # the upload deadline
    client.force_login(reviewed_world.numbers["n2"].candidate.user)
    assert client.get(reverse("records:review_form_pdf", args=[application.number])).status_code == 404


def test_the_candidate_applies_through_the_form_and_preview(reviewed_world, client):
    candidate = reviewed_world.numbers["n1"].candidate
    client.force_login(candidate.user)
    score = score_of(reviewed_world, "n1", "03708")
    data = {"score": score.pk, "reason": "自评 70 分以上", "agree": "on"}
    preview = client.post(reverse("records:review_apply"), {**data, "step": "preview"})
    assert "提交审核" in preview.content.decode()
    done = client.post(reverse("records:review_apply"), {**data, "step": "submit"})
    application = Application.objects.get(type_code=review.CODE)
    assert done.status_code == 302 and done.url == reverse("records:review_detail", args=[application.number])
    assert application.data["reason"] == "自评 70 分以上"


def test_an_overdue_application_cannot_be_withdrawn_to_start_again(reviewed_world):
    """Withdrawing after the deadline (before the job lapses it) would free the score for a new review
    with a new deadline: refused, and the application stays the one review of that score."""
    application = submit(reviewed_world)
    with time_machine.travel(at(2027, 4, 21, 17, 30), tick=False):
        with pytest.raises(WorkflowError, match="已超过上传期限"):
            workflow.application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == review.AWAITING_FORM
    # Before the deadline a withdrawal is still the candidate's right.
    later = submit(reviewed_world, code="00015")
    workflow.application_withdraw(application=later, actor=later.applicant)
    later.refresh_from_db()
    assert later.status == Status.WITHDRAWN
