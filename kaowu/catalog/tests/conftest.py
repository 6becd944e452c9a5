import pytest

from kaowu.organization.models import Office, Region, StaffMember
from kaowu.testing.factories import OfficeFactory, StaffMemberFactory, StaffUserFactory


@pytest.fixture
def province_staff(gansu):
    """A reviewer of the province authority: may change the catalog."""
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                           name="甘肃省教育考试院")
    return StaffMemberFactory(office=office, role=StaffMember.Role.REVIEWER,
                              user=StaffUserFactory(username="sheng_reviewer", real_name="李省审"))


@pytest.fixture
def district_staff(gansu):
    """An administrator of 城关区招生办: reads the catalog, changes nothing."""
    office = OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, region=Region.objects.get(code="620102"),
                           name="城关区招生办")
    return StaffMemberFactory(office=office, role=StaffMember.Role.ADMINISTRATOR,
                              user=StaffUserFactory(username="cg_admin", real_name="赵管理"))


@pytest.fixture
def signed_in(client):
    def sign_in(staff):
        client.force_login(staff.user)
        return client
    return sign_in
