"""找回密码: by 身份证号, 手机号 or 邮箱, without ever telling whether an account exists."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kaowu.notifications.models import DevInboxMessage
from kaowu.testing.factories import TEST_PASSWORD, CandidateFactory, UserFactory, make_id_number

NEW_PASSWORD = "Longer-pass-2027"
START = reverse("accounts:password_reset")
VERIFY = reverse("accounts:password_reset_verify")
RESEND = reverse("accounts:password_reset_resend")
NEUTRAL_TEXT = "如果该账号存在，验证码已发送至账号绑定的手机/邮箱"
BACKEND = "kaowu.accounts.backends.IdentifierBackend"


def captcha_key(html: str) -> str:
    match = re.search(r'name="captcha_0" value="([^"]+)"', html)
    assert match, "no captcha on the page"
    return match.group(1)


def start_reset(client, captcha_solver, *, method: str, identifier: str):
    key = captcha_key(client.get(f"{START}?method={method}").content.decode())
    return client.post(START, {"method": method, "identifier": identifier, "captcha_0": key,
                               "captcha_1": captcha_solver(key)}, follow=True)


def finish_reset(client, code, password=NEW_PASSWORD):
    return client.post(VERIFY, {"code": code, "new_password": password, "new_password2": password}, follow=True)


def last_sms(phone):
    message = DevInboxMessage.objects.filter(recipient=phone).order_by("-id").first()
    return message.body if message else ""


@pytest.fixture
def candidate(gansu):
    return CandidateFactory().user


def test_candidate_resets_the_password_by_id_number_with_a_code_sent_to_the_bound_phone(
        client, candidate, captcha_solver, sms_inbox):
    page = start_reset(client, captcha_solver, method="id_number", identifier=candidate.id_number).content.decode()
    assert NEUTRAL_TEXT in page
    assert 'class="is-done"' in page and "设置新密码" in page  # the step rail moved on
    assert candidate.phone not in page  # the bound phone is not shown, not even masked

    response = finish_reset(client, sms_inbox(candidate.phone))

    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "密码已重置，请使用新密码登录" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.check_password(NEW_PASSWORD)
    assert "您的密码已重置" in last_sms(candidate.phone)


def test_id_number_is_accepted_with_a_lower_case_x(client, gansu, captcha_solver, sms_inbox):
    id_number = next(n for n in (make_id_number() for _ in range(200)) if n.endswith("X"))
    user = CandidateFactory(user=UserFactory(id_number=id_number)).user
    start_reset(client, captcha_solver, method="id_number", identifier=id_number.lower())
    assert sms_inbox(user.phone) is not None


def test_candidate_resets_the_password_by_phone(client, candidate, captcha_solver, sms_inbox):
    page = start_reset(client, captcha_solver, method="phone", identifier=candidate.phone).content.decode()
    assert NEUTRAL_TEXT in page

    finish_reset(client, sms_inbox(candidate.phone))

    candidate.refresh_from_db()
    assert candidate.check_password(NEW_PASSWORD)


def test_candidate_resets_the_password_by_a_verified_email(client, candidate, captcha_solver, mailoutbox):
    candidate.email, candidate.email_verified_at = "zhangwei@example.com", timezone.now()
    candidate.save()

    page = start_reset(client, captcha_solver, method="email", identifier="ZhangWei@Example.com").content.decode()
    assert NEUTRAL_TEXT in page
    assert mailoutbox[-1].to == ["zhangwei@example.com"]
    code = re.search(r"验证码(\d{6})", mailoutbox[-1].body).group(1)

    response = finish_reset(client, code)

    assert "密码已重置" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.check_password(NEW_PASSWORD)


def test_an_unverified_email_gets_nothing(client, candidate, captcha_solver, mailoutbox):
    candidate.email = "notyet@example.com"
    candidate.save()
    page = start_reset(client, captcha_solver, method="email", identifier="notyet@example.com").content.decode()
    assert NEUTRAL_TEXT in page
    assert mailoutbox == []


def _comparable(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value="|name="csrf-token" content=")[^"]+"', r'\1"', html)
    return re.sub(r'<dd class="mono">[^<]*</dd>', "<dd/>", html)  # the identifier the visitor typed


def test_an_unknown_id_number_gets_the_same_page_and_nothing_is_sent(client, candidate, captcha_solver, mailoutbox):
    with time_machine.travel(datetime(2027, 4, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        known = start_reset(client, captcha_solver, method="id_number", identifier=candidate.id_number)
        sent_for_known = DevInboxMessage.objects.count()
        client.cookies.clear()
        unknown = start_reset(client, captcha_solver, method="id_number", identifier=make_id_number("620103"))

    assert known.redirect_chain == unknown.redirect_chain == [(VERIFY, 302)]
    assert _comparable(known.content.decode()) == _comparable(unknown.content.decode())
    assert DevInboxMessage.objects.count() == sent_for_known == 1 and mailoutbox == []
    # Whatever code is typed, the answer is the one a wrong code gets.
    page = finish_reset(client, "123456").content.decode()
    assert "验证码错误或已过期，请重新获取" in page


def test_a_wrong_code_is_refused_and_the_code_typed_stays_in_the_form(client, candidate, captcha_solver, sms_inbox):
    start_reset(client, captcha_solver, method="phone", identifier=candidate.phone)
    right = sms_inbox(candidate.phone)
    wrong = "000000" if right != "000000" else "111111"

    page = finish_reset(client, wrong).content.decode()

    assert "验证码错误或已过期，请重新获取" in page
    assert f'value="{wrong}"' in page
    assert NEW_PASSWORD not in page  # passwords are not sent back
    candidate.refresh_from_db()
    assert candidate.check_password(TEST_PASSWORD)


def test_a_code_older_than_five_minutes_is_refused(client, candidate, captcha_solver, sms_inbox):
    with time_machine.travel(datetime(2027, 4, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        start_reset(client, captcha_solver, method="id_number", identifier=candidate.id_number)
        code = sms_inbox(candidate.phone)
        clock.shift(timedelta(minutes=6))
        page = finish_reset(client, code).content.decode()

    assert "验证码错误或已过期，请重新获取" in page
    candidate.refresh_from_db()
    assert candidate.check_password(TEST_PASSWORD)


def test_after_ten_minutes_the_attempt_starts_over(client, candidate, captcha_solver):
    with time_machine.travel(datetime(2027, 4, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        start_reset(client, captcha_solver, method="phone", identifier=candidate.phone)
        clock.shift(timedelta(minutes=11))
        response = client.get(VERIFY, follow=True)

    assert response.redirect_chain[-1][0].startswith(START)
    assert "操作已超时" in response.content.decode()


def test_resending_waits_sixty_seconds_then_sends_a_new_code(client, candidate, captcha_solver, sms_inbox):
    with time_machine.travel(datetime(2027, 4, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as clock:
        page = start_reset(client, captcha_solver, method="phone", identifier=candidate.phone).content.decode()
        assert 'data-countdown="60"' in page
        first = sms_inbox(candidate.phone)

        clock.shift(timedelta(seconds=20))
        too_soon = client.post(RESEND, HTTP_HX_REQUEST="true").content.decode()
        assert "发送过于频繁，请40秒后再试" in too_soon and 'data-countdown="40"' in too_soon

        clock.shift(timedelta(seconds=41))
        resent = client.post(RESEND, HTTP_HX_REQUEST="true").content.decode()
        assert "验证码已重新发送" in resent
        second = sms_inbox(candidate.phone)
        assert DevInboxMessage.objects.filter(recipient=candidate.phone).count() == 2

        # Only the newest code works.
        if first != second:
            assert "验证码错误" in finish_reset(client, first).content.decode()
        finish_reset(client, second)
    candidate.refresh_from_db()
    assert candidate.check_password(NEW_PASSWORD)


def test_reset_signs_the_account_out_on_every_other_device(client, candidate, captcha_solver, sms_inbox):
    from django.test import Client

    other_device = Client()
    other_device.force_login(candidate, backend=BACKEND)
    assert other_device.get(reverse("accounts:security")).status_code == 200

    start_reset(client, captcha_solver, method="id_number", identifier=candidate.id_number)
    finish_reset(client, sms_inbox(candidate.phone))

    response = other_device.get(reverse("accounts:security"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_an_upgrade_candidate_must_choose_a_password_of_twelve_to_sixteen_characters(
        client, gansu, captcha_solver, sms_inbox):
    user = CandidateFactory(user=UserFactory(exam_type="upgrade", candidate_number="26620101130009")).user
    start_reset(client, captcha_solver, method="phone", identifier=user.phone)
    code = sms_inbox(user.phone)

    weak = finish_reset(client, code, "Short-pass1").content.decode()
    assert "长度须为12-16位" in weak
    assert f'value="{code}"' in weak  # the code is kept: it is still good

    finish_reset(client, code, "Gansu@2027zsb!")
    user.refresh_from_db()
    assert user.check_password("Gansu@2027zsb!")


def test_mismatched_new_passwords_are_pointed_out(client, candidate, captcha_solver, sms_inbox):
    start_reset(client, captcha_solver, method="phone", identifier=candidate.phone)
    page = client.post(VERIFY, {"code": sms_inbox(candidate.phone), "new_password": NEW_PASSWORD,
                                "new_password2": NEW_PASSWORD + "x"}).content.decode()
    assert "两次输入的新密码不一致" in page


def test_a_wrong_captcha_keeps_what_was_typed(client, gansu):
    key = captcha_key(client.get(f"{START}?method=phone").content.decode())
    page = client.post(START, {"method": "phone", "identifier": "13900001111", "captcha_0": key,
                               "captcha_1": "0000"}).content.decode()
    assert "图形验证码错误" in page
    assert 'value="13900001111"' in page
    assert DevInboxMessage.objects.count() == 0


@pytest.mark.parametrize("data", [
    {},
    {"method": "phone", "identifier": "12345"},
    {"method": "id_number", "identifier": "62010219950307001"},
    {"method": "email", "identifier": "not-an-email"},
    {"method": "nonsense", "identifier": "x" * 300},
])
def test_bad_input_on_step_one_is_answered_with_a_message(client, gansu, data):
    response = client.post(START, data)
    assert response.status_code == 200
    assert "请按提示修改" in response.content.decode()


def test_step_two_without_step_one_goes_back_to_step_one(client, gansu):
    response = client.post(VERIFY, {"code": "123456", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == START
