"""Every back-office page needs a signed-in staff member; anyone else is sent to the staff login."""

import pytest

from kaowu.testing.factories import CandidateFactory, StaffUserFactory

PAGES = ["/backoffice/", "/backoffice/candidates/", "/backoffice/audit/"]


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, gansu, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/backoffice/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_candidate_is_sent_to_the_staff_login_with_a_message(client, gansu, url):
    client.force_login(CandidateFactory().user)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/backoffice/login/")
    assert "该页面仅限工作人员使用" in response.content.decode()


def test_a_staff_account_without_a_role_is_signed_out(client, gansu):
    client.force_login(StaffUserFactory())
    response = client.get("/backoffice/", follow=True)
    assert "尚未分配所属机构和岗位" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_side_nav_shows_only_what_the_staff_member_may_open(client, reviewer, district_admin, province_admin):
    client.force_login(reviewer.user)
    page = client.get("/backoffice/").content.decode()
    assert "考生管理" in page and "审计日志" not in page and "基础数据维护" not in page
    client.force_login(district_admin.user)
    page = client.get("/backoffice/").content.decode()
    assert "审计日志" in page and "基础数据维护" not in page
    client.force_login(province_admin.user)
    page = client.get("/backoffice/").content.decode()
    assert "审计日志" in page and "基础数据维护" in page and "/backoffice/admin/" in page


def test_a_reviewer_opening_the_audit_log_is_sent_back_with_a_message(client, reviewer):
    client.force_login(reviewer.user)
    response = client.get("/backoffice/audit/", follow=True)
    assert response.redirect_chain[-1][0] == "/backoffice/"
    assert "审计日志仅限本机构管理员查看" in response.content.decode()
