"""平行志愿 A–H: filled from A without gaps, majors of the candidate's category only, no plan twice,
inside the batch window; each 确认提交 kept; the page's 15-minute idle timeout."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from kaowu.upgrade import services
from kaowu.upgrade.models import AdmissionBatch, College, Plan, UpgradeRegistration

from .test_qualification_and_reports import paid_veteran, point  # noqa: F401


@pytest.fixture
def batch(db):
    return AdmissionBatch.objects.create(code="PT", name="普通批本科", position=2,
                                         opens_at=timezone.now() - datetime.timedelta(hours=1),
                                         closes_at=timezone.now() + datetime.timedelta(days=2))


@pytest.fixture
def plans(batch):
    a, b = College.objects.create(code="10108", name="山西大学"), College.objects.create(code="10112", name="太原理工大学")
    return [Plan.objects.create(batch=batch, college=a, code="01", name="会计学", category="01", seats=40),
            Plan.objects.create(batch=batch, college=a, code="02", name="财务管理", category="01", seats=30),
            Plan.objects.create(batch=batch, college=b, code="05", name="金融学", category="01", seats=20),
            Plan.objects.create(batch=batch, college=b, code="09", name="软件工程", category="03", seats=50)]


@pytest.fixture
def qualified(paid_veteran):  # noqa: F811
    UpgradeRegistration.objects.filter(pk=paid_veteran.pk).update(qualification="approved")
    paid_veteran.refresh_from_db()
    return paid_veteran


def submit(registration, batch, *plans):
    return services.volunteers_submit(registration=registration, batch=batch, plan_ids=[p.pk if p else "" for p in plans])


def test_rules(qualified, batch, plans):
    with pytest.raises(services.UpgradeError, match="请至少填报平行志愿A"):
        submit(qualified, batch)
    with pytest.raises(services.UpgradeError, match="平行志愿B未填"):
        submit(qualified, batch, plans[0], None, plans[1])
    with pytest.raises(services.UpgradeError, match="不能重复填报"):
        submit(qualified, batch, plans[0], plans[0])
    with pytest.raises(services.UpgradeError, match="平行志愿B的专业不招收您报考的专业类别"):
        submit(qualified, batch, plans[0], plans[3])
    first = submit(qualified, batch, plans[2], plans[0])
    second = submit(qualified, batch, plans[0], plans[1], plans[2])
    assert services.volunteers_current(registration=qualified, batch=batch) == second
    assert qualified.volunteers.count() == 2 and first.plan_ids[:2] == [plans[2].pk, plans[0].pk]


def test_only_inside_the_window_and_after_qualification(qualified, batch, plans, paid_veteran):  # noqa: F811
    with time_machine.travel(batch.closes_at + datetime.timedelta(minutes=1)):
        with pytest.raises(services.UpgradeError, match="当前不在填报时间内"):
            submit(qualified, batch, plans[0])
    UpgradeRegistration.objects.filter(pk=qualified.pk).update(qualification="reviewing")
    qualified.refresh_from_db()
    with pytest.raises(services.UpgradeError, match="通过报考资格审核后才能填报志愿"):
        submit(qualified, batch, plans[0])


def test_pages_and_the_idle_timeout(client, qualified, batch, plans):
    client.force_login(qualified.user)
    page = client.get("/upgrade/volunteers/").content.decode()
    assert "普通批本科" in page and "未填报" in page and "填报志愿" in page
    form = client.get("/upgrade/volunteers/PT/").content.decode()
    assert "平行志愿H" in form and "软件工程" not in form  # other categories are not offered
    response = client.post("/upgrade/volunteers/PT/", {"plan_A": plans[0].pk, "plan_C": plans[1].pk})
    assert response.status_code == 400 and "平行志愿B未填" in response.content.decode()
    assert f'value="{plans[1].pk}" data-college="{plans[1].college_id}" selected' in response.content.decode()
    client.post("/upgrade/volunteers/PT/", {"plan_A": plans[0].pk, "plan_B": plans[1].pk})
    assert "已提交" in client.get("/upgrade/volunteers/").content.decode()
    client.get("/upgrade/volunteers/PT/")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = client.post("/upgrade/volunteers/PT/", {"plan_A": plans[2].pk})
        assert response["Location"] == "/accounts/login/"
    assert services.volunteers_current(registration=qualified, batch=batch).plan_ids[0] == plans[0].pk


def test_public_information_pages(client, plans):
    assert "专升本网上报名操作流程" in client.get("/upgrade/info/process/").content.decode()
    assert "考生使用说明" in client.get("/upgrade/info/guide/").content.decode()
    assert client.get("/upgrade/info/contact/").status_code == 200
    page = client.get("/upgrade/plans/?category=03").content.decode()
    assert "软件工程" in page and "会计学" not in page
