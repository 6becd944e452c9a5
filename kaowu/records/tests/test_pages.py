"""成绩查询 and 毕业预测 as candidates see them (nothing before 成绩公布时间), and 成绩导入 for staff
(province authority only)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kaowu.records.models import ExamScore, PassedCourse, ScoreImport

from .test_score_import import HEADER, VALID

pytestmark = pytest.mark.django_db


def candidate_client(client, world, key="n1"):
    client.force_login(world.numbers[key].candidate.user)
    return client


def test_scores_are_invisible_before_publication_and_visible_after(world, run_import, client):
    run_import(VALID)
    page = candidate_client(client, world).get(reverse("records:scores")).content.decode()
    assert "data-scores-unpublished" in page and "本考期成绩将于" in page
    assert "data-score>" not in page and ">75<" not in page
    passed_tab = client.get(reverse("records:scores") + "?tab=passed").content.decode()
    assert 'data-course-code="00015"' not in passed_tab
    prediction = client.get(reverse("graduation:planner")).content.decode()
    assert 'data-credits-done>0<' in prediction

    with time_machine.travel(world.sitting.score_publication_at + datetime.timedelta(minutes=1)):
        client.logout()  # the earlier session has long expired (or, kept in Redis, would be idle-timed out)
        candidate_client(client, world)
        page = client.get(reverse("records:scores")).content.decode()
        assert "data-scores-unpublished" not in page
        assert 'data-course-code="00015"' in page and "75" in page and "合格" in page
        assert "缺考" in page and "违纪" in page and "59.5" in page
        passed_tab = client.get(reverse("records:scores") + "?tab=passed").content.decode()
        assert 'data-course-code="00015"' in passed_tab


def test_the_record_marks_transferred_and_exempted_courses(world, client):
    candidate = world.numbers["n1"].candidate
    PassedCourse.objects.create(candidate=candidate, course=world.courses["03708"], score=Decimal("78"),
                                source="transfer_in", passed_on="2025-05-01", note="青海省转入")
    PassedCourse.objects.create(candidate=candidate, course=world.courses["03709"], source="exemption",
                                passed_on="2025-05-01")
    page = candidate_client(client, world).get(reverse("records:scores") + "?tab=passed").content.decode()
    assert 'data-source="transfer_in"' in page and "转入" in page and "青海省转入" in page
    assert 'data-source="exemption"' in page and "免考" in page
    assert "6</strong> 学分" in page  # 2 + 4


def test_graduation_prediction_counts_credits_and_lists_missing_courses_with_next_sittings(world, client):
    from kaowu.graduation.planner import graduation_prediction

    candidate = world.numbers["n1"].candidate
    published = timezone.now() - datetime.timedelta(days=1)
    world.sitting.score_publication_at = published
    world.sitting.save()
    PassedCourse.objects.create(candidate=candidate, course=world.courses["00015"], score=Decimal("70"),
                                sitting=world.sitting, passed_on="2027-05-10")
    PassedCourse.objects.create(candidate=candidate, course=world.courses["03708"], source="transfer_in",
                                passed_on="2025-05-01")
    PassedCourse.objects.create(candidate=candidate, course=world.courses["00034"], score=Decimal("66"),
                                passed_on="2025-05-01")   # not in the plan
    prediction = graduation_prediction(major=world.major, passed=list(PassedCourse.objects.filter(candidate=candidate)))
    # required 14 + 2 + 4 + 6 = 26, elective group (one of 4 or 5 credits): the lower, 4 → 30
    assert (prediction.credits_done, prediction.credits_required) == (16, 30)
    assert [line.course.code for line in prediction.missing_required] == ["03709", "00312"]
    assert prediction.courses_missing == 3
    next_of = {line.course.code: [o.sitting.code for o in line.next_offerings] for line in prediction.missing_required}
    assert next_of == {"03709": [], "00312": ["2027-10"]}  # 2027-04's scores are out: it is past
    assert [r.course.code for r in prediction.outside_plan] == ["00034"]

    page = candidate_client(client, world).get(reverse("graduation:planner")).content.decode()
    assert "data-credits-done>16<" in page and "data-credits-required>30<" in page
    assert "2027年10月" in page and "计划外合格课程" in page and "data-courses-missing>3<" in page


def test_group_needs_reads_the_number_in_the_label():
    from kaowu.graduation.eligibility import group_needs

    assert group_needs("选考课程（任选两门）") == 2
    assert group_needs("选考课程（任选一门）") == 1
    assert group_needs("选修课（选3门）") == 3
    assert group_needs("加考课程") == 1


def test_a_candidate_without_a_record_sees_an_explanation(world, client, django_user_model):
    from kaowu.testing.factories import UserFactory

    client.force_login(UserFactory())
    assert "您还没有考籍信息" in client.get(reverse("records:scores")).content.decode()
    assert client.get(reverse("graduation:planner") + "?major=120402").status_code == 200


def test_only_the_province_authority_imports_scores(world, client):
    client.force_login(world.area_staff.user)
    assert client.get(reverse("backoffice:records_staff:index")).status_code == 404
    assert client.get(reverse("backoffice:records_staff:template")).status_code == 404
    client.force_login(world.province_staff.user)
    page = client.get(reverse("backoffice:records_staff:index"))
    assert page.status_code == 200 and "成绩导入" in page.content.decode()
    template = client.get(reverse("backoffice:records_staff:template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_upload_shows_problems_and_the_error_report(world, client, django_capture_on_commit_callbacks,
                                                           settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.province_staff.user)
    bad = SimpleUploadedFile("bad.csv", (HEADER + "620101000001,00015,120,\n").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:records_staff:index"), {"sitting": world.sitting.pk, "file": bad})
    imp = ScoreImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{imp.pk}/")
    detail = client.get(response["Location"]).content.decode()
    assert "校验未通过" in detail and "第 2 行" in detail and "成绩须在 0 至 100 之间" in detail
    report = client.get(reverse("backoffice:records_staff:error_report", args=[imp.pk]))
    assert report.status_code == 200
    client.force_login(world.area_staff.user)
    assert client.get(reverse("backoffice:records_staff:error_report", args=[imp.pk])).status_code == 404
    assert client.get(reverse("backoffice:records_staff:detail", args=[imp.pk])).status_code == 404


def test_staff_set_the_publication_time(world, client):
    client.force_login(world.province_staff.user)
    prefix = f"s{world.sitting.pk}"
    client.post(reverse("backoffice:records_staff:publication", args=[world.sitting.pk]),
                {f"{prefix}-score_publication_at": "2027-05-10T10:00"})
    world.sitting.refresh_from_db()
    assert timezone.localtime(world.sitting.score_publication_at).strftime("%Y-%m-%d %H:%M") == "2027-05-10 10:00"


def test_a_wrong_file_type_is_refused_at_upload(world, client):
    client.force_login(world.province_staff.user)
    response = client.post(reverse("backoffice:records_staff:index"),
                           {"sitting": world.sitting.pk, "file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert "请上传 .csv 或 .xlsx" in response.content.decode()
    assert not ScoreImport.objects.exists() and not ExamScore.objects.exists()
