from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kaowu.accounts.models import User
from kaowu.accounts.passwords import password_validate
from kaowu.backoffice.admin_site import province_admin_site
from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.candidates.selectors import candidates_visible_to
from kaowu.catalog.models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingExamArea,
    SittingSession,
    Textbook,
)
from kaowu.core.validation import normalize_id_number, normalize_phone
from kaowu.demo import data
from kaowu.demo.services import demo_seed, generated_candidates
from kaowu.organization.models import Office, Province, Region, StaffMember
from kaowu.organization.selectors import home_province

# The provinces the demo configures; importing all of China is the command's job, not the tests'.
PREFIXES = list(data.REQUIRED_PROVINCE_PREFIXES)


@pytest.fixture
def seeded(db):
    return demo_seed(region_prefixes=PREFIXES)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Region, Province, Office, User, StaffMember, Candidate, ExamNumber, Major, Course, Textbook,
                          PlanCourse, ExamSitting, SittingSession, SittingCourse, SittingExamArea, BusinessWindow,
                          Announcement)}


def login_request(rf):
    return rf.post("/accounts/login/")


def test_seeding_twice_changes_nothing(seeded):
    before = row_counts()

    again = demo_seed(region_prefixes=PREFIXES)

    assert not again.changed
    assert row_counts() == before
    assert again.staff_logins == seeded.staff_logins
    assert again.candidate_logins == seeded.candidate_logins


def test_first_seed_reports_what_it_created(seeded):
    assert seeded.changed
    assert seeded.created["工作人员"] == len(data.STAFF)
    assert seeded.created["考生"] == len(data.FEATURED_CANDIDATES) + data.GENERATED_COUNT


def test_every_seeded_id_number_and_phone_is_valid_and_unique(seeded):
    people = list(User.objects.filter(kind=User.Kind.CANDIDATE).values_list("id_number", "phone"))

    assert len(people) == len(data.FEATURED_CANDIDATES) + data.GENERATED_COUNT
    imported = sum(1 for row in data.FEATURED_CANDIDATES if row.imported)
    for id_number, phone in people:
        assert normalize_id_number(id_number) == id_number
        assert phone is None or normalize_phone(phone) == phone
    phones = [p for _, p in people if p]
    assert len(set(phones)) == len(phones) == len(people) - imported


def test_every_printed_staff_login_signs_in(seeded, rf):
    assert len(seeded.staff_logins) == len(data.STAFF)
    for login in seeded.staff_logins:
        user = authenticate(login_request(rf), identifier=login.login, password=login.password, kind="staff")
        assert user is not None, login
        assert user.is_staff_member and user.exam_type == ""
        assert user.staff_member.office.name == login.office


def test_every_printed_candidate_login_signs_in(seeded, rf):
    assert len(seeded.candidate_logins) == len(data.FEATURED_CANDIDATES)
    assert any(login.password != "（未设置）" for login in seeded.candidate_logins)  # some sign in below
    for login in seeded.candidate_logins:
        if login.password == "（未设置）":
            imported = User.objects.get(id_number=login.login)
            assert not imported.has_usable_password() and imported.phone is None
            continue
        user = authenticate(login_request(rf), identifier=login.login, password=login.password, kind="candidate")
        assert user is not None, login
        assert user.is_candidate


def test_generated_candidates_sign_in_with_the_demo_password_too(seeded, rf):
    row = generated_candidates()[0]
    user = authenticate(login_request(rf), identifier=row.phone, password=data.CANDIDATE_PASSWORD,
                        kind="candidate")
    assert user is not None and user.username == row.username


def test_upgrade_candidate_must_change_password_at_first_login(seeded):
    user = User.objects.get(candidate_number="26620101130001")

    assert user.exam_type == User.ExamType.UPGRADE
    assert user.must_change_password
    point = user.candidate.registration_point
    assert point.kind == Office.Kind.REGISTRATION_POINT and point.region.code.startswith("6201")
    # The issued password does not meet the 12–16 character rule the new one must meet.
    with pytest.raises(ValidationError):
        password_validate(password=data.CANDIDATE_PASSWORD, user=user)


def test_featured_candidates_are_in_the_states_the_manuals_describe(seeded):
    def candidate(username):
        return Candidate.objects.get(user__username=username)

    newly_registered = candidate("demo-a")
    assert newly_registered.district.code == "620102"
    assert not newly_registered.exam_numbers.exists()

    enrolled = candidate("demo-b")
    assert [(n.number, n.major_name) for n in enrolled.exam_numbers.all()] == [("010219100023", "汉语言文学")]
    assert enrolled.exam_numbers.get().exam_area.code == "EA6201"

    awaiting_merge = candidate("demo-c")
    assert awaiting_merge.district.code == "620103"
    assert awaiting_merge.exam_numbers.filter(status=ExamNumber.Status.ACTIVE).count() == 2

    with_email = candidate("demo-d")
    assert with_email.district.code.startswith("6205")  # 天水市 (秦州区 once the region table has it)
    assert with_email.user.email and with_email.user.email_verified_at
    assert with_email.exam_numbers.get().number.startswith("05")


def test_gansu_has_its_14_cities_each_with_a_city_office_and_an_exam_area(seeded):
    gansu = Region.objects.get(code="620000")
    cities = list(Region.objects.filter(parent=gansu, level=Region.Level.CITY))

    assert len(cities) == 14
    for city in cities:
        assert Office.objects.filter(kind=Office.Kind.CITY_OFFICE, region=city).exists(), city
        assert Office.objects.get(kind=Office.Kind.EXAM_AREA, region=city).name == f"{city.name}考区"
    districts = Region.objects.filter(parent__in=cities, level=Region.Level.DISTRICT)
    assert Office.objects.filter(kind=Office.Kind.DISTRICT_OFFICE, region__in=districts).count() == districts.count()
    assert Office.objects.get(code="D620102").phone == "0931-8888823"  # seed 000
    assert set(Office.objects.filter(kind=Office.Kind.UNIVERSITY).values_list("name", flat=True)) == {
        "兰州大学", "西北师范大学", "兰州理工大学", "兰州财经大学", "西北民族大学"}
    assert not Office.objects.filter(address="").exists() and not Office.objects.filter(phone="").exists()


def test_gansu_is_the_home_province_and_three_others_are_destinations(seeded):
    home = home_province()
    assert (home.region.code, home.authority_name, home.platform_name, home.logo_text) == (
        "620000", "甘肃省教育考试院", "甘肃省国家教育考试综合管理平台", "甘")
    others = {p.region.code: p.runs_kaowu for p in Province.objects.filter(is_home=False)}
    assert others == {"630000": True, "140000": False, "450000": False}


def test_staff_at_each_level_see_their_own_candidates(seeded):
    def visible(username):
        staff = StaffMember.objects.get(user__username=username)
        return set(candidates_visible_to(staff=staff).values_list("user__username", flat=True))

    province, city = visible("gs-reviewer"), visible("lz-city")
    chengguan, qilihe = visible("cg-district"), visible("qlh-district")

    assert len(province) == len(data.FEATURED_CANDIDATES) + data.GENERATED_COUNT
    assert len(province) > 40  # the staff candidate list (20 a page) has pages
    assert {"demo-a", "demo-b", "demo-e"} <= chengguan and "demo-c" in qilihe
    assert chengguan.isdisjoint(qilihe)
    assert chengguan | qilihe <= city < province
    assert "demo-d" in visible("ts-city") and "demo-d" not in city
    assert "demo-e" in visible("lzzy-point")


def test_only_the_province_administrator_may_enter_the_admin(seeded, rf):
    def may_enter(username):
        request = rf.get("/backoffice/admin/")
        request.user = User.objects.get(username=username)
        return province_admin_site.has_permission(request)

    assert may_enter("gs-admin")
    assert not may_enter("gs-reviewer")


def test_reseeding_keeps_what_a_person_did_on_the_site_and_reset_restores_it(seeded, rf):
    user = User.objects.get(username="demo-e")
    user.set_password("Gansu#2027new!")
    user.must_change_password = False
    user.save()

    again = demo_seed(region_prefixes=PREFIXES)

    user.refresh_from_db()
    assert not again.changed
    assert user.check_password("Gansu#2027new!") and not user.must_change_password
    assert [login.password_changed for login in again.candidate_logins if "专升本" in login.role] == [True]

    restored = demo_seed(region_prefixes=PREFIXES, reset=True)

    user.refresh_from_db()
    assert restored.updated["账号"] == 1
    assert user.must_change_password
    assert authenticate(login_request(rf), identifier="26620101130001", password=data.CANDIDATE_PASSWORD,
                        kind="candidate") == user


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """The production hasher with fewer rounds (the suite otherwise runs on MD5)."""

    iterations = 1000


def test_demo_passwords_work_with_the_production_hasher(db, settings, rf):
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickPBKDF2PasswordHasher"]

    summary = demo_seed(region_prefixes=PREFIXES)

    staff, candidate = summary.staff_logins[0], summary.candidate_logins[0]
    assert authenticate(login_request(rf), identifier=staff.login, password=staff.password, kind="staff")
    assert authenticate(login_request(rf), identifier=candidate.login, password=candidate.password,
                        kind="candidate")
    assert User.objects.get(username=staff.login).password.startswith("pbkdf2_sha256$")


def test_generated_candidates_are_the_same_on_every_run_and_spread_over_cities():
    first, second = generated_candidates(), generated_candidates()

    assert first == second
    assert len(first) == data.GENERATED_COUNT
    assert len({row.district_code[:4] for row in first}) >= 6
    assert any(row.exam_type == User.ExamType.UPGRADE for row in first)
    numbers = [n.number for row in first for n in row.exam_numbers]
    assert len(numbers) == len(set(numbers)) and all(len(n) == 12 for n in numbers)


def test_seed_demo_command_prints_logins_and_addresses(db):
    out = StringIO()
    call_command("seed_demo", "--region-prefix", "62", stdout=out, stderr=StringIO())

    text = out.getvalue()
    for expected in ("gs-admin", data.STAFF_PASSWORD, data.CANDIDATE_PASSWORD, "26620101130001",
                     "城关区招生办", "http://127.0.0.1:8000/", "/backoffice/login/", "/dev/inbox/", "演示数据"):
        assert expected in text

    again = StringIO()
    call_command("seed_demo", "--region-prefix", "62", "--quiet", stdout=again, stderr=StringIO())
    assert "无变化" in again.getvalue() and "gs-admin" not in again.getvalue()
