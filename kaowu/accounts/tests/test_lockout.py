"""The lockout keys and the unlock time (kaowu/accounts/lockout.py); the behaviour across
identifiers, addresses and login kinds is in tests/security/test_login_lockout.py."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from kaowu.accounts.lockout import lockout_unlock_time, lockout_username
from kaowu.accounts.models import User
from kaowu.testing.factories import ExamNumberFactory, StaffUserFactory

from .helpers import captcha_key


def key(identifier, kind=User.Kind.CANDIDATE):
    return lockout_username(RequestFactory().post("/accounts/login/"), {"identifier": identifier, "kind": kind})


def test_every_identifier_of_an_account_has_the_accounts_key(gansu):
    user = ExamNumberFactory(number="010122100004").candidate.user
    user.candidate_number = "26620101130001"
    user.save()
    keys = {key(user.id_number), key(user.id_number.lower()), key(f" {user.phone} "), key("010122100004"),
            key("26620101130001")}
    assert keys == {f"user:{user.pk}"}


def test_an_unknown_identifier_is_its_own_key_and_no_identifier_is_kept_in_clear(gansu):
    assert key("13000000000") == key(" 13000000000 ") != key("13000000001")
    assert key("13000000000").startswith("ident:") and "13000000000" not in key("13000000000")


def test_staff_and_candidate_identifiers_are_resolved_in_their_own_kind(gansu):
    staff = StaffUserFactory(username="cg_reviewer")
    candidate = ExamNumberFactory().candidate.user
    assert key("CG_Reviewer", User.Kind.STAFF) == f"user:{staff.pk}"
    assert key("cg_reviewer") != f"user:{staff.pk}"
    assert key(candidate.phone, User.Kind.STAFF) != f"user:{candidate.pk}"


@pytest.mark.parametrize("minutes_apart", [0, 5])
def test_an_address_unlocks_when_its_oldest_failures_expire(client, captcha_solver, gansu, settings, time_machine,
                                                            minutes_apart):
    settings.KAOWU_LOGIN_IP_FAILURE_LIMIT = 3
    start = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(start, tick=False)
    for n in range(3):
        key_ = captcha_key(client.get("/accounts/login/").content.decode())
        client.post("/accounts/login/", {"mode": "password", "identifier": f"1300000000{n}", "password": "wrong",
                                         "captcha_0": key_, "captcha_1": captcha_solver(key_)})
        time_machine.shift(timedelta(minutes=minutes_apart))
    request = RequestFactory().post("/accounts/login/")
    unlock = lockout_unlock_time(request, {"identifier": "13000000009", "kind": User.Kind.CANDIDATE})
    # The first failure expires one cool-off after it; then two remain, under the limit of three.
    assert unlock == start + timedelta(hours=settings.AXES_COOLOFF_TIME)
