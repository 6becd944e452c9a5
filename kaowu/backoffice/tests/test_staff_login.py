"""管理端登录: username, password and captcha; only staff with a role get in."""

from kaowu.audit.models import AuditEvent
from kaowu.testing.factories import CandidateFactory, StaffMemberFactory, StaffUserFactory


def test_the_login_page_is_clearly_the_back_office(client, gansu):
    page = client.get("/backoffice/login/").content.decode()
    assert "管理端登录" in page and 'name="identifier"' in page and 'name="captcha_1"' in page


def test_a_staff_member_logs_in_and_lands_on_the_workbench(staff_login, reviewer):
    response = staff_login("cg_reviewer")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/backoffice/"
    assert "工作台" in page and "李审核" in page and "城关区招生办（甘肃省兰州市城关区）" in page


def test_the_username_is_not_case_sensitive(staff_login, reviewer):
    assert staff_login("CG_Reviewer").redirect_chain[-1][0] == "/backoffice/"


def test_login_is_audited_with_the_ip(staff_login, reviewer):
    staff_login("cg_reviewer")
    event = AuditEvent.objects.get(action="staff.login")
    assert event.actor == reviewer.user and event.actor_office == reviewer.office
    assert event.jurisdiction_code == "620102" and event.ip_address == "127.0.0.1"


def test_a_wrong_password_gives_the_same_generic_error_as_an_unknown_user(staff_login, reviewer):
    wrong = staff_login("cg_reviewer", "not-the-password").content.decode()
    unknown = staff_login("nobody", "not-the-password").content.decode()
    assert "用户名或密码错误" in wrong and "用户名或密码错误" in unknown
    assert not AuditEvent.objects.filter(action="staff.login").exists()


def test_a_candidate_account_cannot_log_into_the_back_office(staff_login, client, gansu):
    candidate = CandidateFactory()
    for identifier in (candidate.user.id_number, candidate.user.phone, candidate.user.username):
        page = staff_login(identifier).content.decode()
        assert "用户名或密码错误" in page
    assert "_auth_user_id" not in client.session


def test_a_staff_account_without_a_role_is_refused(staff_login, client, gansu):
    StaffUserFactory(username="norole")
    page = staff_login("norole").content.decode()
    assert "尚未分配所属机构和岗位" in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="staff.login.refused").exists()


def test_staff_of_a_disabled_office_are_refused(staff_login, client, chengguan_office):
    chengguan_office.is_active = False
    chengguan_office.save()
    StaffMemberFactory(office=chengguan_office, user=StaffUserFactory(username="cg_old"))
    assert "已停用" in staff_login("cg_old").content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_captcha_is_refused_even_with_the_right_password(client, reviewer):
    from .conftest import captcha_key

    key = captcha_key(client.get("/backoffice/login/").content.decode())
    page = client.post("/backoffice/login/", {"identifier": "cg_reviewer", "password": "Kaowu-test-2027!",
                                              "captcha_0": key, "captcha_1": "0000"}).content.decode()
    assert "图形验证码错误" in page and "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_username(staff_login, reviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        staff_login("cg_reviewer", "not-the-password")
    locked = staff_login("cg_reviewer", follow=False)  # even the right password
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_a_first_login_must_change_the_password_then_reaches_the_workbench(staff_login, client, chengguan_office):
    StaffMemberFactory(office=chengguan_office, user=StaffUserFactory(username="cg_new", must_change_password=True))
    page = staff_login("cg_new").content.decode()
    assert "首次登录必须修改密码" in page
    done = client.post("/accounts/password/first-change/", {"old_password": "Kaowu-test-2027!",
                                                             "new_password": "Lanzhou-kaowu-2027",
                                                             "new_password2": "Lanzhou-kaowu-2027"}, follow=True)
    assert done.redirect_chain[-1][0] == "/backoffice/"


def test_next_inside_the_back_office_is_followed_and_others_are_not(staff_login, reviewer, client):
    assert staff_login("cg_reviewer", next_url="/backoffice/candidates/").redirect_chain[-1][0] == "/backoffice/candidates/"
    client.logout()
    assert staff_login("cg_reviewer", next_url="https://evil.example/").redirect_chain[-1][0] == "/backoffice/"


def test_logout_returns_to_the_staff_login(client, reviewer):
    client.force_login(reviewer.user)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/backoffice/login/"
    assert "管理端登录" in response.content.decode()


def test_a_superuser_without_a_role_signs_in_to_the_admin_site_only(staff_login, client, gansu):
    from kaowu.accounts.models import User

    User.objects.create_superuser("root", "Kaowu-root-2027!")
    response = staff_login("root", "Kaowu-root-2027!")
    assert response.redirect_chain[-1][0] == "/backoffice/admin/"
    assert client.get("/backoffice/candidates/").url == "/backoffice/admin/"
