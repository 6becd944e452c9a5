"""找回准考证号: 身份证号 + 姓名 + 图形验证码 → SMS code to the bound phone → the active 准考证号 with 考区,
without ever telling whether an account exists."""

import pytest
from django.urls import reverse

from kaowu.accounts.tests.helpers import captcha_key
from kaowu.notifications.models import DevInboxMessage
from kaowu.organization.models import Office
from kaowu.testing.factories import ExamNumberFactory, OfficeFactory, make_id_number

START = reverse("exam_number_recovery:start")
VERIFY = reverse("exam_number_recovery:verify")
NEUTRAL_TEXT = "如果身份证号与姓名正确且账号已绑定手机，验证码已发送至该手机"
CODE_ERROR = "验证码错误或已过期，请重新获取"


@pytest.fixture
def number(gansu):
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, name="兰州市考区")
    return ExamNumberFactory(number="010122100201", exam_area=area)


def start(client, captcha_solver, *, id_number: str, real_name: str, follow=True):
    key = captcha_key(client.get(START).content.decode())
    return client.post(START, {"id_number": id_number, "real_name": real_name, "captcha_0": key,
                               "captcha_1": captcha_solver(key)}, follow=follow)


def test_the_candidate_recovers_the_exam_number_with_the_code_sent_to_the_bound_phone(
        client, number, captcha_solver, sms_inbox):
    user = number.candidate.user
    page = start(client, captcha_solver, id_number=user.id_number, real_name=user.real_name).content.decode()
    assert NEUTRAL_TEXT in page and 'class="is-done"' in page
    assert user.phone not in page and "010122100201" not in page

    page = client.post(VERIFY, {"code": sms_inbox(user.phone)}).content.decode()

    assert "010122100201" in page and "兰州市考区" in page
    # The attempt is over: the numbers are not shown again.
    assert client.get(VERIFY).status_code == 302


def test_an_unknown_pair_gets_the_same_answer_and_nothing_is_sent(client, number, captcha_solver):
    user = number.candidate.user
    known = start(client, captcha_solver, id_number=user.id_number, real_name=user.real_name)
    sent = DevInboxMessage.objects.count()
    client.session.flush()

    wrong_name = start(client, captcha_solver, id_number=user.id_number, real_name="欧阳某某")
    unknown_id = start(client, captcha_solver, id_number=make_id_number(), real_name=user.real_name)

    assert DevInboxMessage.objects.count() == sent == 1
    for response in (wrong_name, unknown_id):
        assert response.redirect_chain == known.redirect_chain == [(VERIFY, 302)]
        assert NEUTRAL_TEXT in response.content.decode()
    page = client.post(VERIFY, {"code": "123456"}).content.decode()
    assert CODE_ERROR in page and "010122100201" not in page


def test_a_wrong_code_is_refused_and_nothing_is_shown(client, number, captcha_solver, sms_inbox):
    user = number.candidate.user
    start(client, captcha_solver, id_number=user.id_number, real_name=user.real_name)
    right = sms_inbox(user.phone)
    wrong = "000000" if right != "000000" else "111111"

    page = client.post(VERIFY, {"code": wrong}).content.decode()

    assert CODE_ERROR in page and "010122100201" not in page
    assert f'value="{wrong}"' in page  # what was typed is kept


def test_step_one_keeps_what_was_typed_on_a_wrong_captcha(client, number):
    user = number.candidate.user
    key = captcha_key(client.get(START).content.decode())
    page = client.post(START, {"id_number": user.id_number, "real_name": user.real_name, "captcha_0": key,
                               "captcha_1": "XXXX"}).content.decode()

    assert "图形验证码错误或已过期" in page
    assert f'value="{user.id_number}"' in page and f'value="{user.real_name}"' in page
    assert not DevInboxMessage.objects.exists()


def test_the_public_home_and_the_login_page_link_to_it(client, gansu):
    assert f'href="{START}"' in client.get("/").content.decode()
    assert f'href="{START}"' in client.get(reverse("accounts:login")).content.decode()
