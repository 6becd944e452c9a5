"""Who sees which candidates: the one rule every staff page goes through."""

import pytest

from kaowu.audit.models import AuditEvent
from kaowu.candidates.models import Candidate
from kaowu.candidates.selectors import candidates_visible_to
from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def staff_at(kind: str, region_code: str, **office):
    return StaffMemberFactory(office=OfficeFactory(kind=kind, region=region(region_code), **office))


@pytest.fixture
def people(gansu):
    """Candidates in two Lanzhou districts, one in 嘉峪关市 (a city without districts), one in
    another Gansu city and one in Qinghai."""
    point = OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, region=region("620102"), name="城关区报名点")
    return {
        "chengguan": CandidateFactory(district=region("620102")),
        "chengguan_at_point": CandidateFactory(district=region("620102"), registration_point=point),
        "qilihe": CandidateFactory(district=region("620103")),
        "jiayuguan": CandidateFactory(district=region("620200")),
        "jinchuan": CandidateFactory(district=region("620302"), registration_point=point),
        "qinghai": CandidateFactory(district=region("630102")),
        "point": point,
    }


def visible(staff) -> set[Candidate]:
    return set(candidates_visible_to(staff=staff))


def test_district_staff_see_only_their_own_district(people):
    staff = staff_at(Office.Kind.DISTRICT_OFFICE, "620102")
    assert visible(staff) == {people["chengguan"], people["chengguan_at_point"]}


def test_city_staff_see_every_district_of_their_city(people):
    staff = staff_at(Office.Kind.CITY_OFFICE, "620100")
    assert visible(staff) == {people["chengguan"], people["chengguan_at_point"], people["qilihe"]}


def test_a_city_without_districts_sees_its_own_candidates(people):
    staff = staff_at(Office.Kind.CITY_OFFICE, "620200")
    assert visible(staff) == {people["jiayuguan"]}


def test_the_province_authority_sees_every_candidate_of_the_province_and_no_other(people):
    staff = staff_at(Office.Kind.PROVINCE_AUTHORITY, "620000")
    everyone_in_gansu = {c for key, c in people.items() if key not in ("qinghai", "point")}
    assert visible(staff) == everyone_in_gansu


def test_an_exam_area_sees_the_candidates_of_its_region(people):
    staff = staff_at(Office.Kind.EXAM_AREA, "620100")
    assert visible(staff) == {people["chengguan"], people["chengguan_at_point"], people["qilihe"]}


def test_a_registration_point_sees_only_candidates_registered_there(people):
    staff = StaffMemberFactory(office=people["point"])
    # Registered there, wherever they live (金川区 is in another city); not others of its own district.
    assert visible(staff) == {people["chengguan_at_point"], people["jinchuan"]}


def test_a_university_sees_the_candidates_registered_for_its_majors(people):
    from kaowu.catalog.tests.factories import ExamSittingFactory, MajorFactory
    from kaowu.registration.models import Registration
    from kaowu.testing.factories import ExamNumberFactory

    staff = staff_at(Office.Kind.UNIVERSITY, "620102")
    assert visible(staff) == set()
    sitting = ExamSittingFactory()
    ours, theirs = MajorFactory(university=staff.office), MajorFactory()
    for candidate, major, status in [(people["qilihe"], ours, "succeeded"), (people["jiayuguan"], theirs, "succeeded"),
                                     (people["chengguan"], ours, "cancelled")]:
        number = ExamNumberFactory(candidate=candidate)
        Registration.objects.create(exam_number=number, sitting=sitting, exam_area=number.exam_area, major=major,
                                    status=status, guide_agreed_at="2027-03-01T09:00+08:00",
                                    submitted_at="2027-03-01T09:00+08:00")
    assert visible(staff) == {people["qilihe"]}


def test_the_label_names_the_office_and_the_full_region(gansu):
    staff = staff_at(Office.Kind.DISTRICT_OFFICE, "620102", name="城关区招生办")
    assert jurisdiction_of(staff).label == "城关区招生办（甘肃省兰州市城关区）"


def test_contains_region_follows_the_region_prefix(gansu):
    city = jurisdiction_of(staff_at(Office.Kind.CITY_OFFICE, "620100"))
    assert city.contains_region(region("620103"))
    assert not city.contains_region(region("620302"))
    assert not city.contains_region(None)


def test_filter_regions_are_the_regions_inside_the_jurisdiction(gansu):
    city = jurisdiction_of(staff_at(Office.Kind.CITY_OFFICE, "620100"))
    codes = set(city.filter_regions().values_list("code", flat=True))
    assert "620100" in codes and "620102" in codes and "620302" not in codes
    district = jurisdiction_of(staff_at(Office.Kind.DISTRICT_OFFICE, "620102"))
    assert list(district.filter_regions().values_list("code", flat=True)) == ["620102"]
    province = jurisdiction_of(staff_at(Office.Kind.PROVINCE_AUTHORITY, "620000"))
    assert not province.filter_regions().filter(code__startswith="63").exists()
    university = jurisdiction_of(staff_at(Office.Kind.UNIVERSITY, "620102"))
    assert not university.filter_regions().exists()


def test_audit_scope_follows_the_jurisdiction(gansu):
    district_staff = staff_at(Office.Kind.DISTRICT_OFFICE, "620102")
    point_staff = staff_at(Office.Kind.REGISTRATION_POINT, "620102")
    in_district = AuditEvent.objects.create(action="x", jurisdiction_code="620102")
    in_other_district = AuditEvent.objects.create(action="x", jurisdiction_code="620103")
    by_point = AuditEvent.objects.create(action="x", jurisdiction_code="620102", actor_office=point_staff.office)

    def scoped(staff):
        return set(AuditEvent.objects.filter(jurisdiction_of(staff).audit_q()))

    assert scoped(district_staff) == {in_district, by_point}
    assert scoped(point_staff) == {by_point}
    province_staff = staff_at(Office.Kind.PROVINCE_AUTHORITY, "620000")
    assert scoped(province_staff) == {in_district, in_other_district, by_point}
