"""Login lockout across identifiers and addresses (issue 12, item 5).

Failures count per account whatever identifier was typed (身份证号, 准考证号, phone, 考生号, a staff
username), from every address, and per address across accounts (a larger limit, for credential
stuffing). Password and SMS-code logins, candidate and staff, go through the same rule. An unknown
identifier locks after as many failures as a known one, with the same page."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from kaowu.accounts.tests.helpers import captcha_key
from kaowu.testing.factories import TEST_PASSWORD, ExamNumberFactory, StaffMemberFactory, StaffUserFactory

LOGIN = "/accounts/login/"
STAFF_LOGIN = "/backoffice/login/"
HOME = "10.0.0.1"
ELSEWHERE = "10.9.9.9"


@pytest.fixture
def candidate(gansu):
    return ExamNumberFactory(number="010122100004").candidate.user


def password_login(client, captcha_solver, identifier, password="not-the-password", *, ip=HOME, url=LOGIN):
    key = captcha_key(client.get(url, REMOTE_ADDR=ip).content.decode())
    data = {"identifier": identifier, "password": password, "captcha_0": key, "captcha_1": captcha_solver(key)}
    if url == LOGIN:
        data["mode"] = "password"
    return client.post(url, data, REMOTE_ADDR=ip)


def sms_login(client, captcha_solver, phone, code, *, ip=HOME):
    return client.post(LOGIN, {"mode": "sms", "phone": phone, "sms_code": code}, REMOTE_ADDR=ip)


def sms_code_for(client, captcha_solver, sms_inbox, phone, *, ip=HOME):
    key = captcha_key(client.get(LOGIN + "?mode=sms", REMOTE_ADDR=ip).content.decode())
    client.post("/verify/sms/login/", {"phone": phone, "captcha_0": key, "captcha_1": captcha_solver(key)},
                REMOTE_ADDR=ip)
    return sms_inbox(phone)


def fail(client, captcha_solver, identifier, times=None, **kwargs):
    for _ in range(times or settings.AXES_FAILURE_LIMIT):
        password_login(client, captcha_solver, identifier, **kwargs)


def signed_in(response) -> bool:
    return "_auth_user_id" in response.wsgi_request.session


def unlock_time(response) -> datetime:
    shown = re.search(r"请于 <strong>(\d{4})年(\d{2})月(\d{2})日 (\d{2}):(\d{2})</strong>", response.content.decode())
    assert shown, response.content.decode()
    return datetime(*map(int, shown.groups()), tzinfo=timezone.get_current_timezone())


def structure(response) -> str:
    """The page without what differs per request: captcha key and image, CSRF token, typed value,
    and the minute of the unlock time."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'(content|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", page)  # CSRF meta tag, CSP nonces
    page = re.sub(r'name="captcha_0" value="[^"]*"', "", page)
    page = re.sub(r'/verify/captcha/[^"]*"', '"', page)
    page = re.sub(r'name="identifier"[^>]*value="[^"]*"', 'name="identifier"', page)
    return re.sub(r"<strong>\d{4}年[^<]*</strong>", "<strong></strong>", page)


# --- One account, whatever identifier, from every address ----------------------------------------

def test_failures_by_id_number_lock_the_phone_and_every_address(client, captcha_solver, candidate):
    fail(client, captcha_solver, candidate.id_number)

    by_phone = password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD)
    assert by_phone.status_code == 429 and not signed_in(by_phone)
    assert "登录已暂时锁定" in by_phone.content.decode()

    from_elsewhere = password_login(client, captcha_solver, candidate.id_number, TEST_PASSWORD, ip=ELSEWHERE)
    assert from_elsewhere.status_code == 429 and not signed_in(from_elsewhere)
    by_exam_number = password_login(client, captcha_solver, "010122100004", TEST_PASSWORD, ip=ELSEWHERE)
    assert by_exam_number.status_code == 429 and not signed_in(by_exam_number)


def test_failures_spread_over_identifiers_and_addresses_add_up(client, captcha_solver, candidate):
    password_login(client, captcha_solver, candidate.id_number, ip="10.0.0.1")
    password_login(client, captcha_solver, candidate.phone, ip="10.0.0.2")
    password_login(client, captcha_solver, "010122100004", ip="10.0.0.3")
    password_login(client, captcha_solver, candidate.id_number.lower(), ip="10.0.0.4")
    fifth = password_login(client, captcha_solver, candidate.phone, ip="10.0.0.5")
    assert fifth.status_code == 429
    assert password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD, ip="10.0.0.6").status_code == 429


def test_the_lockout_page_says_when_the_login_unlocks(client, captcha_solver, candidate):
    before = timezone.localtime()
    fail(client, captcha_solver, candidate.id_number)
    locked = password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD, ip=ELSEWHERE)
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert before + cool_off - timedelta(minutes=1) <= unlock_time(locked) <= before + cool_off + timedelta(minutes=1)


def test_the_account_unlocks_after_the_cool_off(client, captcha_solver, candidate, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    fail(client, captcha_solver, candidate.id_number)
    time_machine.shift(timedelta(hours=settings.AXES_COOLOFF_TIME, seconds=1))
    assert signed_in(password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD, ip=ELSEWHERE))


def test_a_successful_login_clears_the_accounts_failures(client, captcha_solver, candidate):
    fail(client, captcha_solver, candidate.id_number, times=settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD))
    client.post("/accounts/logout/", REMOTE_ADDR=HOME)
    fail(client, captcha_solver, candidate.id_number, times=settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(password_login(client, captcha_solver, candidate.id_number, TEST_PASSWORD))


def test_a_password_reset_clears_the_accounts_failures(client, captcha_solver, sms_inbox, candidate):
    fail(client, captcha_solver, candidate.id_number)
    key = captcha_key(client.get("/accounts/password/reset/").content.decode())
    client.post("/accounts/password/reset/", {"method": "phone", "identifier": candidate.phone, "captcha_0": key,
                                              "captcha_1": captcha_solver(key)})
    done = client.post("/accounts/password/reset/verify/", {"code": sms_inbox(candidate.phone),
                                                             "new_password": "Brand-new-2027!",
                                                             "new_password2": "Brand-new-2027!"}, follow=True)
    assert "密码已重置" in done.content.decode()
    assert signed_in(password_login(client, captcha_solver, candidate.phone, "Brand-new-2027!", ip=ELSEWHERE))


# --- Unknown identifiers look the same -------------------------------------------------------------

def test_an_unknown_identifier_fails_and_locks_exactly_like_a_known_one(client, captcha_solver, candidate):
    unknown = "620102199001010000"
    known_first = password_login(client, captcha_solver, candidate.id_number)
    unknown_first = password_login(client, captcha_solver, unknown)
    assert known_first.status_code == unknown_first.status_code == 200
    assert "账号或密码错误" in known_first.content.decode()
    assert structure(known_first) == structure(unknown_first)

    fail(client, captcha_solver, candidate.id_number, times=settings.AXES_FAILURE_LIMIT - 1)
    fail(client, captcha_solver, unknown, times=settings.AXES_FAILURE_LIMIT - 1)
    known_locked = password_login(client, captcha_solver, candidate.id_number)
    unknown_locked = password_login(client, captcha_solver, unknown)
    assert known_locked.status_code == unknown_locked.status_code == 429
    assert structure(known_locked) == structure(unknown_locked)


def test_an_unknown_identifiers_failures_count_for_that_identifier_only(client, captcha_solver, candidate):
    fail(client, captcha_solver, "13000000000")
    assert password_login(client, captcha_solver, "13000000000").status_code == 429
    assert signed_in(password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD))


def test_no_identifier_is_stored_in_the_lockout_table(client, captcha_solver, sms_inbox, candidate):
    from axes.models import AccessAttempt

    fail(client, captcha_solver, candidate.id_number, times=2)
    fail(client, captcha_solver, "620102199001010000", times=2)
    code = sms_code_for(client, captcha_solver, sms_inbox, candidate.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    sms_login(client, captcha_solver, candidate.phone, wrong)
    stored = " ".join(f"{a.username} {a.get_data} {a.post_data}" for a in AccessAttempt.objects.all())
    assert AccessAttempt.objects.count() == 2  # one row per key (the account, the unknown identifier)
    assert candidate.id_number not in stored and "620102199001010000" not in stored
    assert candidate.phone not in stored and wrong not in stored


# --- One address across many accounts ----------------------------------------------------------------

def test_many_failures_from_one_address_across_accounts_lock_that_address(client, captcha_solver, candidate):
    limit = settings.KAOWU_LOGIN_IP_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        response = password_login(client, captcha_solver, f"1300000{n:04d}")
        assert response.status_code == 200, n  # one failure per account: none of them locks
    # The attacker's own account signs in, and that does not clear the address's count.
    assert signed_in(password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD))
    client.post("/accounts/logout/", REMOTE_ADDR=HOME)
    assert password_login(client, captcha_solver, "13000009999").status_code == 429  # the limit-th failure

    locked = password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD)
    assert locked.status_code == 429 and not signed_in(locked)
    assert signed_in(password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD, ip=ELSEWHERE))


# --- Staff login and SMS-code login: the same rule ---------------------------------------------------

def test_staff_failures_lock_the_staff_account_from_every_address(client, captcha_solver, gansu):
    StaffMemberFactory(user=StaffUserFactory(username="cg_reviewer"))
    fail(client, captcha_solver, "cg_reviewer", url=STAFF_LOGIN)
    locked = password_login(client, captcha_solver, "CG_Reviewer", TEST_PASSWORD, ip=ELSEWHERE, url=STAFF_LOGIN)
    assert locked.status_code == 429 and not signed_in(locked)
    assert "工作人员如忘记密码" in locked.content.decode()


def test_a_locked_account_cannot_sign_in_by_sms_code(client, captcha_solver, sms_inbox, candidate):
    fail(client, captcha_solver, candidate.id_number)
    code = sms_code_for(client, captcha_solver, sms_inbox, candidate.phone, ip=ELSEWHERE)
    assert code
    locked = sms_login(client, captcha_solver, candidate.phone, code, ip=ELSEWHERE)
    assert locked.status_code == 429 and not signed_in(locked)


def test_wrong_sms_codes_count_towards_the_accounts_lockout(client, captcha_solver, sms_inbox, candidate):
    code = sms_code_for(client, captcha_solver, sms_inbox, candidate.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = sms_login(client, captcha_solver, candidate.phone, wrong)
        assert refused.status_code == 200 and "验证码错误或已过期" in refused.content.decode()
    assert sms_login(client, captcha_solver, candidate.phone, wrong).status_code == 429
    locked = password_login(client, captcha_solver, candidate.id_number, TEST_PASSWORD, ip=ELSEWHERE)
    assert locked.status_code == 429 and not signed_in(locked)


def test_sms_login_still_works_and_clears_the_failures(client, captcha_solver, sms_inbox, candidate):
    fail(client, captcha_solver, candidate.id_number, times=settings.AXES_FAILURE_LIMIT - 1)
    code = sms_code_for(client, captcha_solver, sms_inbox, candidate.phone)
    assert signed_in(sms_login(client, captcha_solver, candidate.phone, code))
    client.post("/accounts/logout/", REMOTE_ADDR=HOME)
    fail(client, captcha_solver, candidate.id_number, times=settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(password_login(client, captcha_solver, candidate.phone, TEST_PASSWORD))
