"""专升本 scores and admission through the pages: import (all or nothing) → 分数段统计 → 投档 of a batch
→ 退档 with a reason → the candidate sees the result and the cut-off after publication."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory
from kaowu.upgrade import services
from kaowu.upgrade.models import AdmissionResult, UpgradeRegistration, UpgradeScore

from .test_registration_steps import BASIC, RESUME, read_all
from .test_volunteers import batch, plans  # noqa: F401


@pytest.fixture
def province(gansu):
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"))
    return StaffMemberFactory(office=office)


@pytest.fixture
def three(gansu, plans):  # noqa: F811
    point = OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=Region.objects.get(code="620102"))
    made = []
    for i, name in enumerate(["甲", "乙", "丙"]):
        candidate = CandidateFactory(registration_point=point, user__exam_type="upgrade",
                                     user__candidate_number=f"2662010113000{i}", user__real_name=f"考生{name}")
        registration = read_all(services.registration_of(user=candidate.user))
        services.basic_save(registration=registration, data={**BASIC, "phone": f"1391234010{i}"}, resume=RESUME)
        services.basic_confirm(registration=registration)
        UpgradeRegistration.objects.filter(pk=registration.pk).update(paid_at=timezone.now())
        registration.refresh_from_db()
        made.append(registration)
    return made


def csv_file(text: str, encoding="utf-8-sig"):
    return SimpleUploadedFile("scores.csv", text.encode(encoding), content_type="text/csv")


def test_import_run_reject_and_publish(client, province, three, batch, plans):  # noqa: F811
    client.force_login(province.user)
    bad = "考生号,总分,专业综合课,外语\n26620101130000,250,120,80\n99999999999999,200,100,60\n26620101130001,abc,1,1\n"
    response = client.post("/backoffice/upgrade/admission/", {"action": "import", "file": csv_file(bad)})
    page = response.content.decode()
    assert response.status_code == 400 and "第3行：考生号 99999999999999 不是已缴费的报名考生" in page and "第4行：成绩须为数字" in page
    assert not UpgradeScore.objects.exists()  # nothing imported from a file with errors
    good = "考生号,总分,专业综合课,外语\n26620101130000,250,120,80\n26620101130001,240,110,70\n26620101130002,240,115,60\n"
    client.post("/backoffice/upgrade/admission/", {"action": "import", "file": csv_file(good, "gbk")})
    assert UpgradeScore.objects.count() == 3
    segments = client.get("/upgrade/segments/?category=01").content.decode()
    assert "240–249" in segments and "250–259" in segments

    # one seat in 会计学 (plans[0]) … all three want it first, then 财务管理 (plans[1])
    plans[0].seats, plans[1].seats = 1, 1
    plans[0].save(), plans[1].save()
    for registration in three:
        UpgradeRegistration.objects.filter(pk=registration.pk).update(qualification="not_required")
        registration.refresh_from_db()
        services.volunteers_submit(registration=registration, batch=batch, plan_ids=[plans[0].pk, plans[1].pk])
    publish = timezone.now() + datetime.timedelta(hours=1)
    client.post("/backoffice/upgrade/admission/", {"action": "run", "batch": batch.pk, "ratio": "1.00",
                                                   "publish_at": timezone.localtime(publish).strftime("%Y-%m-%dT%H:%M")})
    results = {r.registration.user.real_name: r for r in AdmissionResult.objects.select_related("registration__user")}
    assert results["考生甲"].plan == plans[0]
    assert results["考生丙"].plan == plans[1]  # 240 with the higher 专业综合课 (115) before 乙 (110)
    assert results["考生乙"].status == AdmissionResult.Status.NOT_FILED
    run = results["考生甲"].run
    response = client.post(f"/backoffice/upgrade/admission/{run.pk}/", {"result": results["考生丙"].pk, "reason": ""})
    assert "请填写退档原因" in response.content.decode()
    client.post(f"/backoffice/upgrade/admission/{run.pk}/", {"result": results["考生丙"].pk, "reason": "体检不合格"})

    client.force_login(three[0].user)
    assert "尚未公布" in client.get("/upgrade/results/").content.decode()
    import time_machine

    with time_machine.travel(publish + datetime.timedelta(minutes=1)):
        client.logout()  # an hour later the idle timeout would sign the old session out
        client.force_login(three[0].user)
        response = client.get("/upgrade/results/")
        assert response.status_code == 200, response
        page = response.content.decode()
        assert "已录取" in page and "会计学" in page and "该专业投档线：总分 250" in page
        client.logout()
        client.force_login(three[2].user)
        page = client.get("/upgrade/results/").content.decode()
        assert "已退档" in page and "退档原因：体检不合格" in page
