"""毕业资格初审: the batch over every candidate, on the same rule as 毕业预测, with progress, counts by
major and an Excel export; province only."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaowu.audit.models import AuditEvent
from kaowu.catalog.models import PlanCourse
from kaowu.catalog.tests.factories import MajorFactory
from kaowu.graduation import services
from kaowu.graduation.eligibility import evaluate, plan_of
from kaowu.graduation.models import EligibilityResult, EligibilityRun
from kaowu.records.models import PassedCourse

pytestmark = pytest.mark.django_db

FULL = ["00015", "03708", "03709", "00312", "01848"]


def passed(world, key, codes, source="transfer_in"):
    for code in codes:
        PassedCourse.objects.create(candidate=world.numbers[key].candidate, course=world.courses[code],
                                    source=source, passed_on="2025-05-01")


def test_the_batch_finds_who_meets_which_plan_and_who_lacks_what(world, django_capture_on_commit_callbacks):
    passed(world, "n1", FULL)
    passed(world, "n2", ["00015", "03708", "03709"], source="exemption")
    short = MajorFactory(code="120409", name="文秘")
    for code in ("00015", "03708"):
        PlanCourse.objects.create(major=short, course=world.courses[code])

    with django_capture_on_commit_callbacks(execute=True):
        run = services.eligibility_run_request(staff=world.province_staff)
    run.refresh_from_db()
    assert run.status == EligibilityRun.Status.DONE and run.done == run.total == 4
    assert run.eligible == 2   # n1 (both plans) and n2 (文秘 only)
    rows = {(r.candidate_id, r.major.code): r for r in EligibilityResult.objects.filter(run=run).select_related("major")}
    n1, n2, n3 = (world.numbers[k].candidate.pk for k in ("n1", "n2", "n3"))
    assert rows[(n1, "120402")].eligible and rows[(n1, "120402")].own_major and rows[(n1, "120409")].eligible
    lacking = rows[(n2, "120402")]
    assert not lacking.eligible and lacking.own_major and lacking.courses_missing == 2
    assert lacking.missing == "00312、00024、01848"
    assert rows[(n2, "120409")].eligible and (n3, "120409") not in rows
    assert run.summary[str(world.major.pk)] == {"code": "120402", "name": "行政管理", "eligible": 1, "lacking": 3}
    assert run.summary[str(short.pk)]["eligible"] == 2
    # the batch and 毕业预测 agree: one rule
    for key in ("n1", "n2"):
        record = set(PassedCourse.objects.filter(candidate=world.numbers[key].candidate).values_list("course_id", flat=True))
        assert evaluate(plan_of(world.major), record).eligible == rows[(world.numbers[key].candidate.pk, "120402")].eligible
    assert AuditEvent.objects.filter(action="graduation.eligibility_requested").count() == 1


def test_small_chunks_give_the_same_results(world):
    passed(world, "n1", FULL)
    run = EligibilityRun.objects.create(requested_by=world.province_staff.user)
    services.eligibility_run_execute(run_id=run.pk, chunk=1)
    run.refresh_from_db()
    assert run.done == 4 and run.eligible == 1
    # a second call leaves the finished run alone
    services.eligibility_run_execute(run_id=run.pk, chunk=1)
    assert EligibilityResult.objects.filter(run=run).count() == 4


def test_a_second_run_is_refused_while_one_is_active(world):
    EligibilityRun.objects.create(requested_by=world.province_staff.user)
    with pytest.raises(services.GraduationError, match="正在进行中"):
        services.eligibility_run_request(staff=world.province_staff)


def test_the_page_is_the_province_authority_s_and_exports_the_results(world, client,
                                                                      django_capture_on_commit_callbacks):
    passed(world, "n1", FULL)
    client.force_login(world.area_staff.user)
    assert client.get(reverse("backoffice:graduation_staff:index")).status_code == 404
    assert client.post(reverse("backoffice:graduation_staff:index")).status_code == 404
    assert not EligibilityRun.objects.exists()

    client.force_login(world.province_staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:graduation_staff:index"))
    run = EligibilityRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:graduation_staff:detail",
                                                                           args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-run-status="done"' in page and 'data-major="120402"' in page
    assert "data-eligible>1<" in page and "data-lacking>3<" in page

    export = client.get(reverse("backoffice:graduation_staff:export", args=[run.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    results = [list(row) for row in book.worksheets[1].iter_rows(values_only=True)]
    assert results[0][:6] == ["准考证号", "姓名", "专业代码", "专业名称", "本人报考专业", "初审结论"]
    assert ["620101000001", "120402", "符合"] == [results[1][0], results[1][2], results[1][5]]
    assert len(results) == 5
    client.force_login(world.area_staff.user)
    assert client.get(reverse("backoffice:graduation_staff:export", args=[run.pk])).status_code == 404
