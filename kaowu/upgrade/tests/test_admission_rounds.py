"""The province's tie-break chain (同分排序), 征集志愿 for the places left, and 退档 by a college from its
own back-office account."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import OfficeFactory, StaffMemberFactory
from kaowu.upgrade import admission_services, services
from kaowu.upgrade.models import (
    AdmissionResult,
    AdmissionRun,
    SupplementaryRound,
    SupplementarySubmission,
    UpgradeRegistration,
    UpgradeScore,
)

from .test_admission_flow import province, three  # noqa: F401
from .test_volunteers import batch, plans  # noqa: F401


def score(registration, total, major, language, code):
    UpgradeScore.objects.update_or_create(registration=registration, defaults=dict(
        total=Decimal(total), major_subject=Decimal(major), foreign_language=Decimal(language), random_code=code))
    UpgradeRegistration.objects.filter(pk=registration.pk).update(qualification="not_required")
    registration.refresh_from_db()


@pytest.fixture
def contest(three, batch, plans):  # noqa: F811
    """All three want 会计学 (1 seat) first; 甲 has the best total, 乙 and 丙 tie on 240: 乙 has the better
    外语, 丙 the better 专业综合课, and 乙 the lower random code."""
    plans[0].seats = 1
    plans[0].save()
    score(three[0], 250, 100, 70, 30)
    score(three[1], 240, 100, 90, 10)
    score(three[2], 240, 120, 60, 20)
    for registration in three:
        services.volunteers_submit(registration=registration, batch=batch,
                                   plan_ids=[plans[0].pk, plans[1].pk])
    plans[1].seats = 1
    plans[1].save()
    return three


def run_page(client, batch, chain, **extra):  # noqa: F811
    data = {"action": "run", "batch": batch.pk, "ratio": "1.00", **extra}
    data.update({f"chain_{i}": key for i, key in enumerate(chain, start=1)})
    return client.post("/backoffice/upgrade/admission/", data)


def who_got(plan):
    return AdmissionResult.objects.get(plan=plan, status="filed").registration.user.real_name


def test_the_chain_decides_the_last_seat_and_is_shown(client, province, contest, batch, plans):  # noqa: F811
    client.force_login(province.user)
    page = client.get("/backoffice/upgrade/admission/").content.decode()
    assert 'name="chain_1"' in page and "同分排序" in page

    run_page(client, batch, ["major_subject", "foreign_language", "random_code"])
    assert who_got(plans[0]) == "考生甲" and who_got(plans[1]) == "考生丙"  # 专业综合课 120 beats 100
    run_page(client, batch, ["foreign_language", "major_subject", "random_code"])
    assert who_got(plans[1]) == "考生乙"  # 外语 90 beats 60
    run_page(client, batch, ["random_code", "major_subject", "foreign_language"])
    assert who_got(plans[1]) == "考生乙"  # random code 10 before 20
    run = AdmissionRun.objects.get()
    assert run.chain == ["random_code", "major_subject", "foreign_language"]
    assert run.cutoffs[str(plans[1].pk)]["tie_breaks"][0] == ["random_code", 10]
    shown = client.get(f"/backoffice/upgrade/admission/{run.pk}/").content.decode()
    assert "总分 → 随机码 → 专业综合课 → 外语" in shown

    # the chain must include the random code, each key once
    response = run_page(client, batch, ["major_subject", "foreign_language", ""])
    assert response.status_code == 400 and "须包含随机码" in response.content.decode()
    response = run_page(client, batch, ["major_subject", "major_subject", "random_code"])
    assert "不能重复" in response.content.decode()
    assert AdmissionRun.objects.get().chain == ["random_code", "major_subject", "foreign_language"]


def test_the_candidate_sees_the_cutoff_with_the_chain(client, province, contest, batch, plans):  # noqa: F811
    client.force_login(province.user)
    publish = timezone.now() - datetime.timedelta(minutes=1)
    run_page(client, batch, ["foreign_language", "random_code"],
             publish_at=timezone.localtime(publish).strftime("%Y-%m-%dT%H:%M"))
    client.force_login(contest[1].user)
    page = client.get("/upgrade/results/").content.decode()
    assert "已录取" in page and "财务管理" in page and "该专业投档线：总分 240，外语 90，随机码 10" in page


@pytest.fixture
def after_run(client, province, contest, batch, plans):  # noqa: F811
    """甲 → 会计学, 丙 → 财务管理, 乙 not filed; 金融学 (20 seats) wanted by nobody."""
    run = admission_services.admission_run(batch=batch, staff=province)
    return run


def test_supplementary_round_end_to_end(client, province, contest, batch, plans, after_run):  # noqa: F811
    run = after_run
    yi = contest[1]
    client.force_login(province.user)
    now = timezone.now()
    local = lambda moment: timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    response = client.post("/backoffice/upgrade/admission/", {
        "action": "supplementary_open", "run": run.pk, "opens_at": local(now - datetime.timedelta(minutes=5)),
        "closes_at": local(now + datetime.timedelta(hours=2))})
    assert response.status_code == 302
    round_ = SupplementaryRound.objects.get(run=run)
    assert AuditEvent.objects.filter(action="upgrade.supplementary_opened").exists()
    assert "剩余计划 " in client.get("/backoffice/upgrade/admission/").content.decode()
    # running before the window closes is refused
    response = client.post("/backoffice/upgrade/admission/", {"action": "supplementary_run", "round": round_.pk})
    assert response.status_code == 400 and "填报结束后才能投档" in response.content.decode()
    # the main filing cannot be redone once 征集 is open
    assert run_page(client, batch, ["major_subject", "foreign_language", "random_code"]).status_code == 400

    # the candidate not admitted sees the round; full plans are not offered
    client.force_login(yi.user)
    assert "填报征集志愿" in client.get("/upgrade/volunteers/").content.decode()
    page = client.get(f"/upgrade/supplementary/{batch.code}/").content.decode()
    assert "金融学" in page and "剩余20人" in page
    assert "会计学" not in page and "财务管理" not in page and "软件工程" not in page
    response = client.post(f"/upgrade/supplementary/{batch.code}/", {"plan_A": plans[0].pk})
    assert response.status_code == 400 and "没有剩余计划" in response.content.decode()
    response = client.post(f"/upgrade/supplementary/{batch.code}/", {"plan_A": plans[2].pk})
    assert response.status_code == 302
    assert SupplementarySubmission.objects.get().plan_ids[0] == plans[2].pk
    # an admitted candidate may not take part
    client.force_login(contest[0].user)
    assert "填报征集志愿" not in client.get("/upgrade/volunteers/").content.decode()
    response = client.get(f"/upgrade/supplementary/{batch.code}/")
    assert response.status_code == 302
    assert admission_services.supplementary_editable_error(registration=contest[0], round_=round_) \
        == "您已被投档，不能填报征集志愿。"

    # after the window: the province runs and publishes; 乙 sees the 征集 result
    with time_machine.travel(round_.closes_at + datetime.timedelta(minutes=1)):
        client.force_login(province.user)
        response = client.post("/backoffice/upgrade/admission/", {
            "action": "supplementary_run", "round": round_.pk, "ratio": "1.00",
            "publish_at": local(round_.closes_at)})
        assert response.status_code == 302
        round_.refresh_from_db()
        assert round_.filed == 1 and round_.ran_at is not None
        result = AdmissionResult.objects.get(registration=yi, round=1)
        assert result.plan == plans[2] and result.status == "filed"
        AdmissionRun.objects.filter(pk=run.pk).update(publish_at=round_.closes_at)
        client.force_login(yi.user)
        page = client.get("/upgrade/results/").content.decode()
        assert "征集志愿" in page and "金融学" in page and "已录取" in page and "未投档" in page


def test_supplementary_never_files_to_the_plan_that_returned(province, contest, batch, plans, after_run):  # noqa: F811
    run = after_run
    bing = contest[2]
    filed = AdmissionResult.objects.get(run=run, registration=bing)
    admission_services.admission_reject(result=filed, staff=province, reason="专业要求不符")
    now = timezone.now()
    round_ = admission_services.supplementary_open(run=run, staff=province, opens_at=now - datetime.timedelta(hours=1),
                                                   closes_at=now + datetime.timedelta(hours=1))
    offered = {p.pk for p in admission_services.supplementary_plans(registration=bing, round_=round_)}
    assert plans[1].pk not in offered and plans[2].pk in offered  # the freed 财务管理 seat is not for 丙
    assert plans[1].pk in {p.pk for p in admission_services.supplementary_plans(registration=contest[1],
                                                                                round_=round_)}
    admission_services.supplementary_submit(registration=contest[1], round_=round_, plan_ids=[plans[1].pk])
    admission_services.supplementary_submit(registration=bing, round_=round_, plan_ids=[plans[2].pk])
    with pytest.raises(admission_services.UpgradeError, match="没有剩余计划"):
        admission_services.supplementary_submit(registration=bing, round_=round_, plan_ids=[plans[1].pk])
    admission_services.supplementary_run(round_=round_, staff=province, now=round_.closes_at)
    got = {r.registration_id: r.plan_id for r in AdmissionResult.objects.filter(run=run, round=1, status="filed")}
    assert got == {contest[1].pk: plans[1].pk, bing.pk: plans[2].pk}


@pytest.fixture
def college_staff(gansu, plans):  # noqa: F811
    university = OfficeFactory(kind=Office.Kind.UNIVERSITY, region=Region.objects.get(code="620102"),
                               name="山西大学招生办")
    plans[0].college.office = university
    plans[0].college.save()
    other = OfficeFactory(kind=Office.Kind.UNIVERSITY, region=Region.objects.get(code="620102"), name="太原理工大学招生办")
    plans[2].college.office = other
    plans[2].college.save()
    return StaffMemberFactory(office=university), StaffMemberFactory(office=other)


def test_a_college_returns_its_own_candidate(client, province, contest, batch, plans, after_run,  # noqa: F811
                                             college_staff):
    own, other = college_staff
    client.force_login(own.user)
    page = client.get("/backoffice/upgrade/college/").content.decode()
    assert "专升本投档考生" in page and "26620101130000" in page and "26620101130002" in page
    assert "考生甲" not in page  # names masked in the list
    jia = AdmissionResult.objects.get(registration=contest[0])
    response = client.post("/backoffice/upgrade/college/", {"result": jia.pk, "reason": ""})
    assert response.status_code == 400 and "请填写退档原因" in response.content.decode()
    response = client.post("/backoffice/upgrade/college/", {"result": jia.pk, "reason": "身体条件不符合专业要求"})
    assert response.status_code == 302
    jia.refresh_from_db()
    assert jia.status == "rejected" and jia.reason == "身体条件不符合专业要求" and jia.rejected_by == own.office
    entry = AuditEvent.objects.get(action="upgrade.admission_rejected")
    assert entry.actor == own.user
    assert admission_services.remaining_places(after_run)[plans[0].pk] == 1  # the seat is free again

    # another college sees none of them and cannot return them
    client.force_login(other.user)
    page = client.get("/backoffice/upgrade/college/").content.decode()
    assert "26620101130002" not in page and "没有投档考生" in page
    bing = AdmissionResult.objects.get(registration=contest[2])
    assert client.post("/backoffice/upgrade/college/", {"result": bing.pk, "reason": "x"}).status_code == 404
    assert client.post("/backoffice/upgrade/college/", {"result": "x'1", "reason": "x"}).status_code == 404
    bing.refresh_from_db()
    assert bing.status == "filed"
    # a staff member of another kind of office has no such page
    client.force_login(province.user)
    assert client.get("/backoffice/upgrade/college/").status_code == 404

    # the candidate sees 退档 with the reason once published
    AdmissionRun.objects.filter(pk=after_run.pk).update(publish_at=timezone.now())
    client.force_login(contest[0].user)
    page = client.get("/upgrade/results/").content.decode()
    assert "已退档" in page and "退档原因：身体条件不符合专业要求" in page
