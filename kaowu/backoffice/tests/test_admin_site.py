"""基础数据维护 (Django admin at /backoffice/admin/): province administrators only; audit read-only."""

import pytest

from kaowu.accounts.models import User
from kaowu.audit.events import AuditAction
from kaowu.audit.models import AuditEvent
from kaowu.audit.services import audit_record
from kaowu.organization.models import Office, Province, Region, StaffMember


def test_a_province_administrator_gets_in_and_sees_the_reference_data(client, province_admin):
    client.force_login(province_admin.user)
    page = client.get("/backoffice/admin/").content.decode()
    for model in ("行政区划", "省份配置", "机构", "工作人员", "审计日志"):
        assert model in page, model
    assert client.get("/backoffice/admin/organization/region/", {"q": "城关"}).status_code == 200
    assert client.get("/backoffice/admin/organization/office/", {"kind__exact": "district"}).status_code == 200
    assert client.get("/backoffice/admin/organization/staffmember/").status_code == 200
    assert client.get("/backoffice/admin/audit/auditevent/").status_code == 200


def test_a_district_reviewer_is_redirected_to_the_admin_login_and_then_back(client, reviewer):
    client.force_login(reviewer.user)
    response = client.get("/backoffice/admin/")
    assert response.status_code == 302 and response.url.startswith("/backoffice/admin/login/")
    followed = client.get(response.url, follow=True)
    assert followed.redirect_chain[-1][0] == "/backoffice/"
    assert "仅限省级考试机构的管理员" in followed.content.decode()


def test_a_district_administrator_is_refused_too(client, district_admin):
    district_admin.user.is_staff = True  # even with the flag, the role decides
    district_admin.user.save()
    client.force_login(district_admin.user)
    assert client.get("/backoffice/admin/organization/office/").status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, gansu):
    response = client.get("/backoffice/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/backoffice/login/?next=")
    assert "管理端登录" in response.content.decode()


def test_the_staff_login_leads_a_province_administrator_to_the_admin(staff_login, province_admin):
    response = staff_login("sheng_admin", next_url="/backoffice/admin/")
    assert response.redirect_chain[-1][0] == "/backoffice/admin/"


def test_regions_are_read_only(client, province_admin):
    client.force_login(province_admin.user)
    region = Region.objects.get(code="620102")
    assert client.get("/backoffice/admin/organization/region/add/").status_code == 403
    response = client.post(f"/backoffice/admin/organization/region/{region.pk}/change/",
                           {"code": "620102", "name": "改名", "level": "district"})
    assert response.status_code == 403 and Region.objects.get(pk=region.pk).name == "城关区"


def test_audit_events_cannot_be_added_changed_or_deleted(client, province_admin):
    event = audit_record(actor=province_admin.user, action=AuditAction.STAFF_LOGIN)
    client.force_login(province_admin.user)
    assert client.get("/backoffice/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/backoffice/admin/audit/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert client.post(f"/backoffice/admin/audit/auditevent/{event.pk}/change/", {"action": "x"}).status_code == 403
    assert client.post(f"/backoffice/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "staff.login"


def test_an_office_change_is_audited(client, province_admin, chengguan_office):
    client.force_login(province_admin.user)
    data = {"code": chengguan_office.code, "name": "城关区教育考试中心", "kind": "district",
            "region": chengguan_office.region.pk, "parent": "", "address": chengguan_office.address,
            "phone": "0931-1234567", "is_active": "on"}
    response = client.post(f"/backoffice/admin/organization/office/{chengguan_office.pk}/change/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.target_id == str(chengguan_office.pk) and "联系电话" in event.detail["change"]
    assert "0931-1234567" not in str(event.detail)


def test_only_one_home_province(client, province_admin):
    qinghai = Province.objects.create(region=Region.objects.get(code="630000"), name="青海省",
                                      authority_name="青海省教育招生考试院", platform_name="青海省自学考试考生服务平台",
                                      logo_text="青", hotline="0971-0000000")
    client.force_login(province_admin.user)
    data = {"region": qinghai.region.pk, "name": "青海省", "authority_name": qinghai.authority_name,
            "platform_name": qinghai.platform_name, "logo_text": "青", "hotline": qinghai.hotline,
            "address": "", "postcode": "", "is_home": "on"}
    page = client.post(f"/backoffice/admin/organization/province/{qinghai.pk}/change/", data).content.decode()
    assert "本平台服务的省份已设为甘肃省" in page
    assert not Province.objects.get(pk=qinghai.pk).is_home


@pytest.mark.parametrize("role,office_kind,admin_access", [
    (StaffMember.Role.ADMINISTRATOR, Office.Kind.PROVINCE_AUTHORITY, True),
    (StaffMember.Role.REVIEWER, Office.Kind.DISTRICT_OFFICE, False),
])
def test_a_province_administrator_creates_a_staff_account(client, province_admin, role, office_kind, admin_access):
    office = Office.objects.create(code=f"X-{office_kind}", name="新机构", kind=office_kind,
                                   region=Region.objects.get(code="620102"), address="地址", phone="0931-1")
    client.force_login(province_admin.user)
    response = client.post("/backoffice/admin/organization/staffmember/add/", {
        "username": "new_staff", "real_name": "新同事", "initial_password": "Gansu-initial-2027",
        "office": office.pk, "role": role, "title": "科员"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_staff")
    assert user.kind == User.Kind.STAFF and user.must_change_password and user.check_password("Gansu-initial-2027")
    assert user.is_staff is admin_access
    assert user.staff_member.office == office
    assert AuditEvent.objects.filter(action="admin.add", target_id=str(user.staff_member.pk)).count() == 1


def test_a_weak_initial_password_or_taken_username_is_refused(client, province_admin, reviewer):
    client.force_login(province_admin.user)
    page = client.post("/backoffice/admin/organization/staffmember/add/", {
        "username": "CG_REVIEWER", "real_name": "重名", "initial_password": "12345678",
        "office": reviewer.office.pk, "role": "reviewer"}).content.decode()
    assert "该用户名已被使用" in page and not User.objects.filter(real_name="重名").exists()


def test_deactivating_a_staff_account_signs_it_out(client, province_admin, reviewer):
    other = client.__class__()
    other.force_login(reviewer.user)
    assert other.get("/backoffice/").status_code == 200
    client.force_login(province_admin.user)
    client.post("/backoffice/admin/organization/staffmember/", {
        "action": "deactivate_accounts", "_selected_action": [reviewer.pk, province_admin.pk]})
    reviewer.user.refresh_from_db()
    province_admin.user.refresh_from_db()
    assert not reviewer.user.is_active and province_admin.user.is_active  # never yourself
    assert other.get("/backoffice/").status_code == 302


def test_promoting_a_staff_member_to_province_administrator_opens_the_admin_to_them(client, province_admin, reviewer):
    client.force_login(province_admin.user)
    url = f"/backoffice/admin/organization/staffmember/{reviewer.pk}/change/"
    assert "所属机构" in client.get(url).content.decode()
    response = client.post(url, {"office": province_admin.office.pk, "role": "administrator", "title": ""})
    assert response.status_code == 302
    reviewer.user.refresh_from_db()
    assert reviewer.user.is_staff
    assert AuditEvent.objects.filter(action="admin.change", target_id=str(reviewer.pk)).exists()
