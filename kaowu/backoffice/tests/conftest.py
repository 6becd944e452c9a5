import re

import pytest

from kaowu.organization.models import Office, Region, StaffMember
from kaowu.testing.factories import TEST_PASSWORD, OfficeFactory, StaffMemberFactory, StaffUserFactory


def captcha_key(html: str) -> str:
    match = re.search(r'name="captcha_0" value="([^"]+)"', html)
    assert match, "no captcha on the page"
    return match.group(1)


@pytest.fixture
def staff_login(client, captcha_solver):
    """Signs in on /backoffice/login/ as a person would: reads the captcha, types the answer."""

    def login(username: str, password: str = TEST_PASSWORD, *, follow: bool = True, next_url: str = ""):
        key = captcha_key(client.get("/backoffice/login/").content.decode())
        return client.post("/backoffice/login/", {"identifier": username, "password": password, "next": next_url,
                                                  "captcha_0": key, "captcha_1": captcha_solver(key)}, follow=follow)

    return login


def _office(kind, code, **fields):
    return OfficeFactory(kind=kind, region=Region.objects.get(code=code), **fields)


@pytest.fixture
def chengguan_office(gansu):
    return _office(Office.Kind.DISTRICT_OFFICE, "620102", name="城关区招生办", address="兰州市城关区中山路1号",
                   phone="0931-8888823")


@pytest.fixture
def reviewer(chengguan_office):
    """A district reviewer of 城关区招生办."""
    return StaffMemberFactory(office=chengguan_office, user=StaffUserFactory(username="cg_reviewer",
                                                                             real_name="李审核"))


@pytest.fixture
def district_admin(chengguan_office):
    return StaffMemberFactory(office=chengguan_office, role=StaffMember.Role.ADMINISTRATOR,
                              user=StaffUserFactory(username="cg_admin", real_name="赵管理"))


@pytest.fixture
def province_admin(gansu):
    office = _office(Office.Kind.PROVINCE_AUTHORITY, "620000", name="甘肃省教育考试院")
    return StaffMemberFactory(office=office, role=StaffMember.Role.ADMINISTRATOR,
                              user=StaffUserFactory(username="sheng_admin", real_name="王省管", is_staff=True))
