"""专升本报名 steps as a candidate meets them: the notices in order with their 10 s countdown enforced
on the server, 填写基本信息 (resume, phone once, music), the 上报 lock, 信息确认, 放弃报名, payment."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.payments.models import Order
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory
from kaowu.upgrade import services
from kaowu.upgrade.models import DataReport, UpgradeRegistration
from kaowu.upgrade.selectors import steps

BASIC = dict(gender="女", nation="汉族", political_status="共青团员", phone="13912340001", school="山西职业技术学院",
             junior_major="会计(530302)", candidate_type="graduate", rural=False, category="01", music_test="",
             award_claim=False, poverty_claim=False, household="甘肃省/兰州市/城关区", recipient="李娜",
             recipient_phone="13912340002", postcode="730030", mail_address="甘肃省兰州市城关区庆阳路1号")
RESUME = [{"start": "2022-09", "end": "2025-06", "organization": "兰州职业技术学院", "role": "学生"}]


@pytest.fixture
def point(gansu):
    return OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=Region.objects.get(code="620102"),
                         name="兰州职业技术学院报名点")


@pytest.fixture
def registration(point):
    candidate = CandidateFactory(registration_point=point, user__exam_type="upgrade")
    return services.registration_of(user=candidate.user)


def read_all(registration):
    start = timezone.now()
    for i, name in enumerate(("instructions", "rules", "pledge")):
        with time_machine.travel(start + datetime.timedelta(seconds=20 * i), tick=False):
            services.notice_show(registration=registration, name=name)
        with time_machine.travel(start + datetime.timedelta(seconds=20 * i + 11), tick=False):
            services.notice_acknowledge(registration=registration, name=name)
    registration.refresh_from_db()
    return registration


def test_a_notice_cannot_be_acknowledged_before_ten_seconds(registration, settings):
    # The users' countdown (seed 004: 10 s), the one place the real length is checked; the browser
    # walks shorten it through the same setting.
    assert settings.KAOWU_NOTICE_COUNTDOWN_SECONDS == 10
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert services.notice_show(registration=registration, name="instructions") == 10
    with time_machine.travel(now + datetime.timedelta(seconds=9), tick=False):
        assert services.notice_show(registration=registration, name="instructions") == 1  # a reload keeps counting
        with pytest.raises(services.UpgradeError, match="10秒倒计时结束后再确认"):
            services.notice_acknowledge(registration=registration, name="instructions")
    with time_machine.travel(now + datetime.timedelta(seconds=10), tick=False):
        services.notice_acknowledge(registration=registration, name="instructions")


def test_the_countdown_follows_its_setting(registration, settings):
    settings.KAOWU_NOTICE_COUNTDOWN_SECONDS = 3
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert services.notice_show(registration=registration, name="instructions") == 3
    with time_machine.travel(now + datetime.timedelta(seconds=2), tick=False):
        with pytest.raises(services.UpgradeError, match="3秒倒计时结束后再确认"):
            services.notice_acknowledge(registration=registration, name="instructions")
    with time_machine.travel(now + datetime.timedelta(seconds=3), tick=False):
        services.notice_acknowledge(registration=registration, name="instructions")
    registration.refresh_from_db()
    assert registration.notice_read("instructions")


def test_notices_in_order(registration):
    with pytest.raises(services.UpgradeError, match="请按顺序阅读"):
        services.notice_show(registration=registration, name="pledge")
    with pytest.raises(services.UpgradeError, match="请按顺序阅读"):
        services.notice_acknowledge(registration=registration, name="rules")
    registration = read_all(registration)
    assert [s.state for s in steps(registration)][:2] == ["done", "current"]


def test_basic_information_needs_the_notices_and_a_resume(registration):
    with pytest.raises(services.UpgradeError, match="请先阅读报考须知"):
        services.basic_save(registration=registration, data=BASIC, resume=RESUME)
    registration = read_all(registration)
    with pytest.raises(services.UpgradeError, match="个人简历至少填写一条"):
        services.basic_save(registration=registration, data=BASIC, resume=[{"start": "", "organization": ""}])
    with pytest.raises(services.UpgradeError, match="第1条：请填写起始年月"):
        services.basic_save(registration=registration, data=BASIC, resume=[{"start": "2022/9", "organization": "x"}])
    with pytest.raises(services.UpgradeError, match="报考音乐类专业须选择测试主项"):
        services.basic_save(registration=registration, data={**BASIC, "category": "09"}, resume=RESUME)
    registration = services.basic_save(registration=registration, data=BASIC, resume=RESUME)
    assert registration.resume.count() == 1 and registration.basic_saved_at is not None


def test_one_phone_registers_once(registration, point):
    read_all(registration)
    services.basic_save(registration=registration, data=BASIC, resume=RESUME)
    other = services.registration_of(user=CandidateFactory(registration_point=point).user)
    read_all(other)
    with pytest.raises(services.UpgradeError, match="一个手机号只能填报一次"):
        services.basic_save(registration=other, data=BASIC, resume=RESUME)


def test_a_report_locks_the_form_until_the_province_unlocks(registration, point):
    read_all(registration)
    staff = StaffMemberFactory(office=point)
    report = DataReport.objects.create(office=point, reported_by=staff.user)
    with pytest.raises(services.UpgradeError, match="报名点（兰州职业技术学院报名点）已上报数据"):
        services.basic_save(registration=registration, data=BASIC, resume=RESUME)
    report.unlocked_at, report.unlocked_by = timezone.now(), staff.user
    report.save()
    services.basic_save(registration=registration, data=BASIC, resume=RESUME)


def test_a_city_report_locks_too(registration, gansu):
    read_all(registration)
    city = OfficeFactory(kind=Office.Kind.CITY_OFFICE, region=Region.objects.get(code="620100"), name="兰州市招考办")
    DataReport.objects.create(office=city, reported_by=StaffMemberFactory(office=city).user)
    assert "所在地市（兰州市招考办）已上报数据" in services.basic_editable_error(registration)


def test_confirm_then_identity_then_payment(registration, django_capture_on_commit_callbacks):
    from kaowu.payments.devgateway import gateway
    from kaowu.payments.services import order_pay_start

    read_all(registration)
    services.basic_save(registration=registration, data={**BASIC, "candidate_type": "veteran"}, resume=RESUME)
    registration = services.basic_confirm(registration=registration)
    assert registration.qualification == UpgradeRegistration.Qualification.AWAITING_DOCUMENTS
    with pytest.raises(services.UpgradeError, match="基本信息已确认，不能再修改"):
        services.basic_save(registration=registration, data=BASIC, resume=RESUME)
    with pytest.raises(services.UpgradeError, match="请先通过身份认证"):
        services.payment_start(registration=registration)
    verification = Verification.objects.create(user=registration.user, kind="upgrade", status="manual_review")
    assert {s.key: s.state for s in steps(registration)}["identity"] == "failed"  # red: manual review next
    Verification.objects.filter(pk=verification.pk).update(status="passed")
    order = services.payment_start(registration=registration)
    assert order.amount == Decimal("100.00") and order.purpose == Order.Purpose.UPGRADE_REGISTRATION
    order_pay_start(order=order, channel="alipay")
    trade_no = gateway.trade_query(channel="alipay", out_trade_no=order.number).trade_no
    with django_capture_on_commit_callbacks(execute=True):
        gateway.trade_pay(trade_no=trade_no, notify_mode="normal", delay_seconds=0)
    registration.refresh_from_db()
    assert registration.paid_at is not None
    states = {s.key: s.state for s in steps(registration)}
    assert states["payment"] == "done" and states["qualification"] == "current"


def test_abandon_needs_the_sms_code(registration, sms_inbox):
    from kaowu.verification.models import VerificationCode
    from kaowu.verification.services import code_send

    phone = registration.user.phone
    with pytest.raises(services.UpgradeError, match="验证码错误或已过期"):
        services.abandon(registration=registration, sms_code="000000")
    code_send(target=phone, purpose=VerificationCode.Purpose.ABANDON_REGISTRATION, ip="127.0.0.1")
    registration = services.abandon(registration=registration, sms_code=sms_inbox(phone))
    assert registration.status == UpgradeRegistration.Status.ABANDONED
    with pytest.raises(services.UpgradeError, match="您已放弃报名"):
        services.notice_show(registration=registration, name="instructions")
