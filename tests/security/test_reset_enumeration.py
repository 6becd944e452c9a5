"""找回密码 tells nothing about who owns what (issue 12, item 6).

A code countdown keyed by the phone the code goes to told an attacker whether an ID number belongs
to a phone just used (the countdown shown was 50 s instead of 60 s). What the page shows is keyed by
the method and the identifier typed: a reset by the ID of account A after one by A's phone, after
one by B's phone, and by an unknown ID all answer the same, and so the other way round."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaowu.accounts.tests.helpers import captcha_key
from kaowu.notifications.models import DevInboxMessage
from kaowu.testing.factories import CandidateFactory, make_id_number, make_phone

START = reverse("accounts:password_reset")
VERIFY = reverse("accounts:password_reset_verify")
RESEND = reverse("accounts:password_reset_resend")


def reset_start(client, captcha_solver, method, identifier, ip):
    key = captcha_key(client.get(f"{START}?method={method}", REMOTE_ADDR=ip).content.decode())
    return client.post(START, {"method": method, "identifier": identifier, "captcha_0": key,
                               "captcha_1": captcha_solver(key)}, REMOTE_ADDR=ip)


def probe(time_machine, captcha_solver, *, first, then, ip):
    """A reset by `first` (method, identifier), then 10 s later one by `then` in another browser:
    what the second browser sees — the step-1 answer, the step-2 page, and 重新获取 at once."""
    reset_start(Client(), captcha_solver, *first, ip)
    time_machine.shift(timedelta(seconds=10))
    client = Client()
    started = reset_start(client, captcha_solver, *then, ip)
    page = client.get(VERIFY, REMOTE_ADDR=ip)
    resend = client.post(RESEND, REMOTE_ADDR=ip, HTTP_HX_REQUEST="true")
    return started, page, resend


def structure(response) -> str:
    """The answer without what differs per request or per typed value: the CSRF token (form
    field and meta tag), CSP nonces, and the masked identifier echoed back."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'(content|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", text)
    return re.sub(r'<dd class="mono">[^<]*</dd>', "<dd></dd>", text)


def countdown(response) -> str:
    match = re.search(r'data-countdown="(\d+)"', response.content.decode())
    return match.group(1) if match else ""


def assert_indistinguishable(answers: dict):
    (first_name, first), *others = answers.items()
    assert others, "nothing to compare the first answer with"
    for name, other in others:
        for step in range(3):
            assert first[step].status_code == other[step].status_code, (first_name, name, step)
            assert countdown(first[step]) == countdown(other[step]), (first_name, name, step)
            assert structure(first[step]) == structure(other[step]), (first_name, name, step)


@pytest.fixture
def accounts(gansu):
    return [CandidateFactory().user for _ in range(6)]


def test_a_reset_by_id_number_does_not_tell_whether_the_phone_just_used_is_that_accounts(
        accounts, captcha_solver, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    a1, a2, b2, a3 = accounts[:4]
    answers = {
        "ID of A after A's phone": probe(time_machine, captcha_solver, first=("phone", a1.phone),
                                         then=("id_number", a1.id_number), ip="10.0.0.1"),
        "ID of A after B's phone": probe(time_machine, captcha_solver, first=("phone", b2.phone),
                                         then=("id_number", a2.id_number), ip="10.0.0.2"),
        "unknown ID after A's phone": probe(time_machine, captcha_solver, first=("phone", a3.phone),
                                            then=("id_number", make_id_number()), ip="10.0.0.3"),
    }
    started, page, resend = answers["ID of A after A's phone"]
    assert started.status_code == 302 and page.status_code == 200
    assert countdown(page) == "60" and countdown(resend) == "60"
    assert_indistinguishable(answers)


def test_a_reset_by_phone_does_not_tell_whether_the_id_number_just_used_belongs_to_it(
        accounts, captcha_solver, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    a1, a2, b2, a3 = accounts[:4]
    answers = {
        "A's phone after ID of A": probe(time_machine, captcha_solver, first=("id_number", a1.id_number),
                                         then=("phone", a1.phone), ip="10.0.0.1"),
        "B's phone after ID of A": probe(time_machine, captcha_solver, first=("id_number", a2.id_number),
                                         then=("phone", b2.phone), ip="10.0.0.2"),
        "unknown phone after ID of A": probe(time_machine, captcha_solver, first=("id_number", a3.id_number),
                                             then=("phone", make_phone()), ip="10.0.0.3"),
    }
    assert countdown(answers["A's phone after ID of A"][1]) == "60"
    assert_indistinguishable(answers)


def test_the_phone_still_gets_one_sms_a_minute_and_the_first_code_still_works(
        accounts, captcha_solver, sms_inbox, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    a = accounts[0]
    reset_start(Client(), captcha_solver, "phone", a.phone, "10.0.0.1")
    code = sms_inbox(a.phone)
    time_machine.shift(timedelta(seconds=10))
    client = Client()
    reset_start(client, captcha_solver, "id_number", a.id_number, "10.0.0.1")
    assert DevInboxMessage.objects.filter(recipient=a.phone).count() == 1  # no SMS bombing via two identifiers
    done = client.post(VERIFY, {"code": code, "new_password": "Brand-new-2027!", "new_password2": "Brand-new-2027!"},
                       REMOTE_ADDR="10.0.0.1", follow=True)
    assert "密码已重置" in done.content.decode()


# --- 找回准考证号: the same rule ---------------------------------------------------------------------

def test_exam_number_recovery_codes_cannot_be_sent_to_a_typed_phone(client, gansu):
    """The code of 找回准考证号 goes only to the phone of the account found by 身份证号 + 姓名."""
    response = client.post(reverse("verification:sms_send", kwargs={"purpose": "find_exam_number"}),
                           {"phone": make_phone()})
    assert response.status_code == 404


def test_exam_number_recovery_countdown_does_not_follow_the_phone(time_machine, captcha_solver, gansu):
    """A code just sent to A's phone for another business changes nothing a recovery by A's 身份证号
    shows: the answer is the one an unknown 身份证号 gets."""
    from kaowu.accounts.services.codes import phone_code_request

    start_url = reverse("exam_number_recovery:start")
    owner = CandidateFactory().user
    stranger_id = make_id_number(birth="19880101")

    def recover(id_number, real_name):
        client = Client()
        key = captcha_key(client.get(start_url).content.decode())
        return client.post(start_url, {"id_number": id_number, "real_name": real_name, "captcha_0": key,
                                       "captcha_1": captcha_solver(key)}, follow=True)

    time_machine.move_to(timezone.now(), tick=False)
    phone_code_request(purpose="login", phone=owner.phone, ip="198.51.100.7")
    time_machine.shift(timedelta(seconds=10))
    known = recover(owner.id_number, owner.real_name)
    unknown = recover(stranger_id, owner.real_name)
    assert known.redirect_chain == unknown.redirect_chain != []
    assert structure(known) == structure(unknown)
