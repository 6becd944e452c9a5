"""The 报考 pages as a candidate uses them: 我要报考 → 简章 → 填写 → 预览 → 提交 → 缴费, changes,
取消报考, 报考退款申请, and the server refusing what the page would not offer."""

import datetime
import re

import pytest
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow
from kaowu.payments.models import Order
from kaowu.registration.models import RegisteredCourse, Registration

from .conftest import pending_order


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def candidate_client(client, exam_number):
    client.force_login(exam_number.candidate.user)
    return client


def register(client, world, *codes, area=None, major=None):
    client.post("/registration/guide/", {"agree": "on"})
    response = client.post("/registration/form/", {"exam_area": (area or world.lanzhou).pk,
                                                   "major": (major or world.accounting).pk,
                                                   "courses": world.ids(*codes)})
    assert response.status_code == 302, text(response)[:600]
    assert response["Location"] == "/registration/preview/"
    return client.post("/registration/preview/")


def test_first_registration_walk(candidate_client, world, exam_number):
    page = text(candidate_client.get("/registration/"))
    assert "您在本考期尚未报考" in page and "我要报考" in page
    assert candidate_client.get("/registration/form/")["Location"] == "/registration/guide/"
    response = candidate_client.post("/registration/guide/", {})
    assert "请阅读并勾选" in text(response)
    candidate_client.post("/registration/guide/", {"agree": "on"})
    form_page = text(candidate_client.get("/registration/form/"))
    assert "显示全部开考课程" in form_page and "00015 英语（二）" in form_page and "报考考区即实际考试地点" in form_page
    response = candidate_client.post("/registration/form/", {"exam_area": world.lanzhou.pk, "major": world.accounting.pk,
                                                              "courses": world.ids("00043", "00015")})
    preview = text(candidate_client.get(response["Location"]))
    assert "00015 英语（二） 跨专业" in preview and "需缴费 2 门，合计 ¥65.00" in preview
    assert not Registration.objects.exists()  # nothing is saved before 提交报考
    response = candidate_client.post("/registration/preview/")
    order = Order.objects.get()
    assert response["Location"] == f"/payments/orders/{order.number}/"
    page = text(candidate_client.get("/registration/"))
    assert "待缴费" in page and "去缴费" in page and "下一步：缴费" in page and order.number in page


def test_refusals_keep_what_was_chosen(candidate_client, world):
    candidate_client.post("/registration/guide/", {"agree": "on"})
    response = candidate_client.post("/registration/form/", {"exam_area": world.lanzhou.pk, "major": world.accounting.pk,
                                                              "courses": world.ids("00041", "00015")})
    assert response.status_code == 400
    page = text(response)
    assert "考试时间相同" in page
    html = response.content.decode()
    for pk in world.ids("00041", "00015"):
        assert re.search(rf'value="{pk}"\s+checked', html)
    assert f'<option value="{world.lanzhou.pk}" selected>' in html


def test_a_major_in_transition_is_not_offered_and_refused_when_posted(candidate_client, world):
    candidate_client.post("/registration/guide/", {"agree": "on"})
    page = candidate_client.get("/registration/form/").content.decode()
    assert "法学" not in page and "汉语言文学" not in page
    response = candidate_client.post("/registration/form/", {"exam_area": world.lanzhou.pk, "major": world.law.pk,
                                                              "courses": world.ids("00227")})
    assert response.status_code == 400 and "该专业不接收报考" in text(response)


def test_a_closed_window_refuses_a_posted_form(candidate_client, world, exam_number):
    register(candidate_client, world, "00041")
    world.window.starts_at = timezone.now() - datetime.timedelta(days=20)
    world.window.ends_at = timezone.now() - datetime.timedelta(seconds=1)
    world.window.save()
    # The page no longer offers a change …
    page = text(candidate_client.get("/registration/"))
    assert "修改课程或考区" not in page and "已结束" in page
    # … and a form posted anyway (an old tab) changes nothing.
    response = candidate_client.post("/registration/form/", {"exam_area": world.lanzhou.pk, "major": world.accounting.pk,
                                                              "courses": world.ids("00043")})
    assert response.status_code == 302
    assert "当前不在办理时间内" in text(candidate_client.get(response["Location"]))
    candidate_client.session.save()
    response = candidate_client.post("/registration/preview/")
    registration = Registration.objects.get()
    assert list(registration.courses.values_list("course__code", flat=True)) == ["00041"]
    assert Order.objects.count() == 1


def test_change_then_cancel(candidate_client, world, exam_number):
    register(candidate_client, world, "00041")
    first = Order.objects.get()
    register(candidate_client, world, "00043", "03708", area=world.tianshui)
    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    registration = Registration.objects.get()
    assert registration.exam_area == world.tianshui and pending_order(registration).amount == 60
    page = text(candidate_client.get("/registration/"))
    assert "修改报考" in page and "天水市考区" in page
    response = candidate_client.post("/registration/cancel/")
    assert "已取消报考" in text(candidate_client.get(response["Location"]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_refund_request_page(candidate_client, world, exam_number, pay):
    register(candidate_client, world, "00041", "00043")
    pay(Order.objects.get())
    assert "报考退款申请" not in text(candidate_client.get("/registration/"))
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.REFUND, sitting=world.sitting,
                                  starts_at=timezone.now() - datetime.timedelta(hours=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=2))
    assert "报考退款申请" in text(candidate_client.get("/registration/"))
    course = RegisteredCourse.objects.get(course__code="00043")
    response = candidate_client.post("/registration/refund/", {"courses": [course.pk], "reason": ""})
    assert response.status_code == 400 and "请填写退款原因" in text(response)
    assert re.search(rf'value="{course.pk}"\s+checked', response.content.decode())
    response = candidate_client.post("/registration/refund/", {"courses": [course.pk], "reason": "工作调动"})
    page = text(candidate_client.get(response["Location"]))
    assert "退款申请已提交" in page and "退款中" in page


def test_without_exam_number_the_page_says_what_to_do(client, world):
    from kaowu.identity.models import Verification
    from kaowu.testing.factories import CandidateFactory

    candidate = CandidateFactory()
    Verification.objects.create(user=candidate.user, kind="three_photos", status="passed")
    client.force_login(candidate.user)
    page = text(client.get("/registration/"))
    assert "请先完成基本信息填报" in page and "去填报基本信息" in page
    assert client.get("/registration/guide/").status_code == 302
