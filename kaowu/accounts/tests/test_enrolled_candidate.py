import pytest

from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, UserFactory

from .helpers import captcha_key


@pytest.fixture
def imported(gansu):
    """An enrolled candidate imported from the old system: a 准考证号, no password, no phone."""
    user = UserFactory(real_name="周晓东", phone=None, password=None)
    user.set_unusable_password()
    user.save()
    return ExamNumberFactory(number="010120100777", candidate=CandidateFactory(user=user)).candidate.user


def _claim(client, captcha_solver, **overrides):
    key = captcha_key(client.get("/accounts/enrolled/").content.decode())
    data = {"real_name": "周晓东", "id_number": overrides.pop("id_number", None), "exam_number": "010120100777",
            "captcha_0": key, "captcha_1": captcha_solver(key)}
    data.update(overrides)
    return client.post("/accounts/enrolled/", data, follow=True)


def _send_code(client, captcha_solver, phone):
    key = captcha_key(client.get("/accounts/enrolled/activate/").content.decode())
    return client.post("/verify/sms/register/", {"phone": phone, "captcha_0": key, "captcha_1": captcha_solver(key)})


def test_an_enrolled_candidate_claims_sets_a_password_and_goes_to_the_two_photo_check(
        client, captcha_solver, sms_inbox, imported):
    page = _claim(client, captcha_solver, id_number=imported.id_number).content.decode()
    assert "设置登录密码" in page and "已核对考籍信息" in page
    assert "验证码已发送" in _send_code(client, captcha_solver, "13977770001").content.decode()
    response = client.post("/accounts/enrolled/activate/", {
        "phone": "13977770001", "sms_code": sms_inbox("13977770001"),
        "password": "Gansu-zikao-2027", "password2": "Gansu-zikao-2027"}, follow=True)
    imported.refresh_from_db()
    assert imported.has_usable_password() and imported.phone == "13977770001"
    assert "两照" in response.content.decode()


def test_a_wrong_exam_number_gets_one_message_that_reveals_nothing(client, captcha_solver, imported):
    page = _claim(client, captcha_solver, id_number=imported.id_number, exam_number="010120100778").content.decode()
    assert "未找到与身份证号、姓名、准考证号一致的在籍考生记录" in page
    assert 'value="周晓东"' in page


def test_an_activated_account_cannot_be_claimed_again(client, captcha_solver, gansu):
    active = ExamNumberFactory(number="010120100888").candidate.user
    page = _claim(client, captcha_solver, id_number=active.id_number, real_name=active.real_name,
                  exam_number="010120100888").content.decode()
    assert "或该账号已激活" in page


def test_activation_page_needs_a_claim_first(client, gansu):
    response = client.get("/accounts/enrolled/activate/", follow=True)
    assert "请先核对在籍考生信息" in response.content.decode()


def test_new_candidate_registration_sends_an_enrolled_candidate_to_the_right_path(
        client, captcha_solver, sms_inbox, imported):
    from kaowu.organization.models import Region

    key = captcha_key(client.get("/accounts/register/").content.decode())
    client.post("/verify/sms/register/", {"phone": "13977770002", "captcha_0": key, "captcha_1": captcha_solver(key)})
    page = client.post("/accounts/register/", {
        "real_name": "周晓东", "id_number": imported.id_number, "district": Region.objects.get(code="620102").pk,
        "phone": "13977770002", "sms_code": sms_inbox("13977770002"), "password": "Gansu-zikao-2027",
        "password2": "Gansu-zikao-2027", "agree": "on"}).content.decode()
    assert "您已是在籍考生" in page
