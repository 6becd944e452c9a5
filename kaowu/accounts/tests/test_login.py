import pytest

from kaowu.testing.factories import TEST_PASSWORD, CandidateFactory, ExamNumberFactory, UserFactory

from .helpers import captcha_key


def _login(client, captcha_solver, identifier, password=TEST_PASSWORD, follow=True):
    key = captcha_key(client.get("/accounts/login/").content.decode())
    return client.post("/accounts/login/", {"mode": "password", "identifier": identifier, "password": password,
                                            "captcha_0": key, "captcha_1": captcha_solver(key)}, follow=follow)


@pytest.fixture
def enrolled(gansu):
    return ExamNumberFactory(number="010122100004").candidate


@pytest.mark.parametrize("which", ["id_number", "phone", "exam_number"])
def test_a_candidate_logs_in_with_any_identifier(client, captcha_solver, enrolled, which):
    identifier = {"id_number": enrolled.user.id_number.lower(), "phone": enrolled.user.phone,
                  "exam_number": "010122100004"}[which]
    page = _login(client, captcha_solver, identifier).content.decode()
    assert "个人中心" in page and "010122100004" in page


def test_an_upgrade_candidate_logs_in_with_the_candidate_number_and_must_change_password(client, captcha_solver, gansu):
    CandidateFactory(user=UserFactory(exam_type="upgrade", candidate_number="26620101130001", must_change_password=True))
    response = _login(client, captcha_solver, "26620101130001")
    page = response.content.decode()
    assert "首次登录必须修改密码" in page
    assert client.get("/me/").status_code == 302  # every page leads back to the password change


def test_first_password_change_applies_the_upgrade_policy(client, captcha_solver, gansu):
    CandidateFactory(user=UserFactory(exam_type="upgrade", candidate_number="26620101130002", must_change_password=True))
    _login(client, captcha_solver, "26620101130002")
    weak = client.post("/accounts/password/first-change/", {"old_password": TEST_PASSWORD,
                                                              "new_password": "lowercase-only1",
                                                              "new_password2": "lowercase-only1"})
    assert "须包含大写字母" in weak.content.decode()
    ok = client.post("/accounts/password/first-change/", {"old_password": TEST_PASSWORD,
                                                           "new_password": "Shanxi@2027zsb",
                                                           "new_password2": "Shanxi@2027zsb"}, follow=True)
    assert "密码已修改" in ok.content.decode()
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_gives_one_message_for_unknown_and_known_accounts(client, captcha_solver, enrolled):
    known = _login(client, captcha_solver, enrolled.user.phone, "wrong-password").content.decode()
    unknown = _login(client, captcha_solver, "13000000000", "wrong-password").content.decode()
    assert "账号或密码错误" in known and "账号或密码错误" in unknown


def test_a_wrong_captcha_is_refused_even_with_the_right_password(client, enrolled):
    key = captcha_key(client.get("/accounts/login/").content.decode())
    page = client.post("/accounts/login/", {"mode": "password", "identifier": enrolled.user.phone,
                                            "password": TEST_PASSWORD, "captcha_0": key,
                                            "captcha_1": "0000"}).content.decode()
    assert "图形验证码错误" in page and 'value="' + enrolled.user.phone + '"' in page


def test_five_failures_lock_the_login_and_say_when_it_unlocks(client, captcha_solver, enrolled):
    for _ in range(5):
        _login(client, captcha_solver, enrolled.user.phone, "wrong-password")
    response = _login(client, captcha_solver, enrolled.user.phone, TEST_PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂时锁定" in page and "后再试" in page


def test_sms_login(client, captcha_solver, sms_inbox, enrolled):
    key = captcha_key(client.get("/accounts/login/?mode=sms").content.decode())
    sent = client.post("/verify/sms/login/", {"phone": enrolled.user.phone, "captcha_0": key,
                                              "captcha_1": captcha_solver(key)}).content.decode()
    assert "验证码已发送" in sent and 'data-countdown="60"' in sent
    page = client.post("/accounts/login/", {"mode": "sms", "phone": enrolled.user.phone,
                                            "sms_code": sms_inbox(enrolled.user.phone)}, follow=True).content.decode()
    assert "个人中心" in page


def test_sms_login_to_an_unknown_phone_looks_the_same_but_sends_nothing(client, captcha_solver, sms_inbox, gansu):
    key = captcha_key(client.get("/accounts/login/?mode=sms").content.decode())
    sent = client.post("/verify/sms/login/", {"phone": "13011112222", "captcha_0": key,
                                              "captcha_1": captcha_solver(key)}).content.decode()
    assert "验证码已发送" in sent
    assert sms_inbox("13011112222") is None


def test_several_exam_numbers_ask_which_one_to_act_as(client, captcha_solver, gansu):
    first = ExamNumberFactory(number="010122100011")
    ExamNumberFactory(number="010122100012", candidate=first.candidate)
    response = _login(client, captcha_solver, first.candidate.user.phone)
    assert "选择准考证号" in response.content.decode()
    page = client.post("/accounts/exam-number/", {"number": "010122100012"}, follow=True).content.decode()
    assert "当前办理业务的准考证号" in page and "010122100012" in page
    refused = client.post("/accounts/exam-number/", {"number": "999999999999"}, follow=True).content.decode()
    assert "请选择本人名下的准考证号" in refused


def test_logout_ends_the_session(client, captcha_solver, enrolled):
    _login(client, captcha_solver, enrolled.user.phone)
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


def test_idle_sessions_are_signed_out(client, captcha_solver, enrolled, settings):
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now(), tick=False) as clock:
        _login(client, captcha_solver, enrolled.user.phone)
        assert client.get("/me/").status_code == 200
        clock.shift(settings.KAOWU_IDLE_TIMEOUT_MINUTES * 60 + 5)
        response = client.get("/me/", follow=True)
        assert "自动退出" in response.content.decode()
