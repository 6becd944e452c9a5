"""Seeding the demo province (甘肃省): reference data, offices, staff and candidates.

`demo_seed()` runs on every start of the embedded site, so it is idempotent and cheap:
rows are keyed on stable codes and usernames, loaded in a few queries and compared in Python.

By default it only *creates what is missing*: a row that already exists is left alone, so what a
person did on the demo site (changed a password, bound a phone, merged 准考证号, edited an office
in the admin) survives a restart. `reset=True` puts every demo row back to the tables in
`kaowu/demo/data.py` (update_or_create semantics), including the demo passwords.
National regions always follow python-stdnum's table (organization.services.regions_import).
"""

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from kaowu.accounts.models import User
from kaowu.candidates.models import Candidate, ExamNumber
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
from kaowu.core.dates import cn_datetime
from kaowu.core.validation import normalize_phone
from kaowu.organization.models import Office, Province, Region, StaffMember
from kaowu.organization.services import province_configure, regions_import
from kaowu.transfers.demo import seed_demo_transfer_in

from . import data
from .gradcert import seed_demo_graduates
from .graduation import seed_demo_graduation
from .operations import seed_demo_operations
from .practicals import seed_demo_practicals
from .theses import seed_demo_theses
from .upgrade import seed_demo_upgrade

_TZ = ZoneInfo("Asia/Shanghai")
_EMAIL_VERIFIED_AT = datetime(2025, 3, 1, 10, 0, tzinfo=_TZ)


@dataclass(frozen=True)
class DemoLogin:
    """One line of the login table the command prints."""

    role: str
    office: str
    login: str
    password: str
    detail: str = ""
    password_changed: bool = False  # changed on the site since seeding; `seed_demo --reset` restores it


@dataclass
class DemoSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)
    staff_logins: list[DemoLogin] = field(default_factory=list)
    candidate_logins: list[DemoLogin] = field(default_factory=list)
    generated_candidates: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)


# --- Pure helpers: building the demo people from the tables -------------------------------------


def demo_id_number(*, region_code: str, birth: str, sequence: int, gender: str) -> str:
    """A valid 18-digit 居民身份证号码: region + birth date + sequence code (odd last digit for men)
    + the ISO 7064 check digit computed by stdnum."""
    parity = 1 if gender == "M" else 0
    body = f"{region_code}{birth}{sequence % 100:02d}{(sequence % 5) * 2 + parity}"
    number = body + ric.calc_check_digit(body + "0")  # stdnum expects the check digit's place
    return ric.validate(number)


def generated_candidates() -> list[data.CandidateRow]:
    """Deterministic candidates spread over several cities (same output on every run)."""
    rng = random.Random(data.GENERATED_SEED)
    used_ids = {_id_number_of(row) for row in data.FEATURED_CANDIDATES}
    used_phones = {row.phone for row in data.FEATURED_CANDIDATES}
    area_of_city = {city.region_code: city.exam_area_number for city in data.CITIES}
    rows = []
    for index in range(data.GENERATED_COUNT):
        district = data.GENERATED_DISTRICTS[index % len(data.GENERATED_DISTRICTS)]
        city = district[:4] + "00"
        gender = rng.choice("MF")
        name = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES_M if gender == "M" else data.GIVEN_NAMES_F)
        upgrade = city in data.REGISTRATION_POINT_BY_CITY and index % 4 == 1
        year = rng.randint(2002, 2005) if upgrade else rng.randint(1985, 2004)
        birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        sequence = rng.randrange(100)
        id_region = district if _region_code_in_force(district, int(birth[:4])) else rng.choice(
            data.OLDER_ID_REGION_CODES)
        while True:
            id_number = demo_id_number(region_code=id_region, birth=birth, sequence=sequence, gender=gender)
            if id_number not in used_ids:
                break
            sequence += 1
        used_ids.add(id_number)
        phone = _unique_phone(rng, used_phones)
        serial = 1000 + index * 2
        common = dict(username=f"demo-g{index + 1:03d}", label="生成考生", real_name=name, gender=gender,
                      birth=birth, id_region_code=id_region, id_sequence=sequence, phone=phone,
                      district_code=district)
        if upgrade:
            point = rng.choice(data.REGISTRATION_POINT_BY_CITY[city])
            rows.append(data.CandidateRow(
                **common, exam_type=User.ExamType.UPGRADE, registration_point_code=point,
                candidate_number=f"{data.UPGRADE_YEAR}{point[2:6]}{point[-2:]}13{serial:04d}",
                must_change_password=True, login_by="candidate_number",
            ))
            continue
        draw = rng.random()
        how_many = 0 if draw < 0.2 else (1 if draw < 0.9 else 2)
        numbers = []
        for k in range(how_many):
            yy, month = rng.randint(15, 24), rng.choice(["04", "10"])
            numbers.append(data.ExamNumberRow(
                number=f"{area_of_city[city]}{district[4:6]}{yy:02d}{month}{serial + k:04d}",
                exam_area_code=f"EA{city[:4]}", major_name=rng.choice(data.SELF_STUDY_MAJORS),
                issued=f"20{yy:02d}-{month}-10",
            ))
        rows.append(data.CandidateRow(**common, exam_numbers=tuple(numbers)))
    return rows


def _region_code_in_force(code: str, year: int) -> bool:
    try:
        demo_id_number(region_code=code, birth=f"{year}0101", sequence=0, gender="M")
    except InvalidComponent:
        return False
    return True


def _id_number_of(row: data.CandidateRow) -> str:
    return demo_id_number(region_code=row.id_region_code, birth=row.birth, sequence=row.id_sequence,
                          gender=row.gender)


def _unique_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone in used:
            continue
        try:
            normalize_phone(phone)
        except ValidationError:
            continue
        used.add(phone)
        return phone


# Django treats a hash that starts with "!" as unusable; a fixed one keeps `--reset` idempotent.
_IMPORTED_UNUSABLE_PASSWORD = "!kaowu-demo-imported-no-password"


def _demo_salt(password: str) -> str:
    # A fixed salt per demo password: one hash serves every demo account (reseeding stays fast),
    # and "still the demo password?" is a comparison of salts. These passwords are public anyway.
    return "kaowudemo" + hashlib.sha256(password.encode()).hexdigest()[:12]


def _has_demo_password(user: User, password: str) -> bool:
    """Whether the account still has the hash seeding gave it. No hashing here (that would cost a
    PBKDF2 run per account on every start); a password rehashed after a hasher upgrade counts as
    changed, which only adds a hint to the login table."""
    try:
        salt = identify_hasher(user.password).decode(user.password).get("salt")
    except ValueError:
        return False
    return salt == _demo_salt(password)


def _differs(obj: models.Model, name: str, value) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _at(text: str, today: date) -> datetime:
    """A demo time in Beijing time: "2027-04-03 09:00", or "today+14 17:00" counted from the seeding day."""
    day, _, clock = text.partition(" ")
    if day.startswith("today"):
        on = today + timedelta(days=int(day[5:] or 0))
    else:
        on = date.fromisoformat(day)
    return datetime.combine(on, time.fromisoformat(clock), tzinfo=_TZ)


# --- The seeding --------------------------------------------------------------------------------


class _Seeder:
    def __init__(self, *, reset: bool):
        self.reset = reset
        self.summary = DemoSummary()
        self._hashes: dict[str, str] = {}
        self.regions: dict[str, Region] = {}
        self.offices: dict[str, Office] = {}
        self._missing_regions: set[str] = set()

    def sync(self, model, existing: dict, key, lookup: dict, values: dict, *,
             on_create: Callable[[], dict] | None = None):
        """Create the row if missing; on reset, bring it back to `values` (and `on_create()`: fields
        such as the password that are otherwise set only when the row is created)."""
        label = model._meta.verbose_name
        obj = existing.get(key)
        if obj is None:
            obj = model.objects.create(**lookup, **values, **(on_create() if on_create else {}))
            existing[key] = obj
            self.summary.created[label] += 1
        elif self.reset:
            values = {**values, **(on_create() if on_create else {})}
            changed = [name for name, value in values.items() if _differs(obj, name, value)]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save(update_fields=changed)
                self.summary.updated[label] += 1
        return obj

    def password_hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = make_password(password, salt=_demo_salt(password))
        return self._hashes[password]

    # Regions and provinces --------------------------------------------------------------------

    def seed_regions(self, region_prefixes: Sequence[str] | None) -> None:
        prefixes = None
        if region_prefixes is not None:
            prefixes = sorted(set(region_prefixes) | set(data.REQUIRED_PROVINCE_PREFIXES))
        before = Region.objects.count()
        after = regions_import(province_prefixes=prefixes)
        if after > before:
            self.summary.created[Region._meta.verbose_name] += after - before
        home_prefix = data.HOME_PROVINCE_CODE[:2]
        self.regions = {
            r.code: r
            for r in Region.objects.filter(Q(code__startswith=home_prefix) | Q(level=Region.Level.PROVINCE))
        }

    def seed_provinces(self) -> None:
        existing = {p.region.code: p for p in Province.objects.select_related("region")}
        for row in data.PROVINCES:
            values = dict(authority_name=row.authority_name, platform_name=row.platform_name,
                          logo_text=row.logo_text, hotline=row.hotline, address=row.address,
                          postcode=row.postcode, is_home=row.is_home, runs_kaowu=row.runs_kaowu)
            province = existing.get(row.region_code)
            if province is None or (self.reset and any(_differs(province, k, v) for k, v in values.items())):
                province_configure(region_code=row.region_code, **values)
                counter = self.summary.created if province is None else self.summary.updated
                counter[Province._meta.verbose_name] += 1

    # Offices ----------------------------------------------------------------------------------

    def region(self, code: str, *, district: bool = False) -> Region:
        """The region with this code; if the region table lacks it, its city (or, for a candidate's
        district, the city's first district) with a warning."""
        region = self.regions.get(code)
        if region is not None:
            return region
        city = self.regions[code[:4] + "00"]
        first_district = min((r for r in self.regions.values()
                              if r.level == Region.Level.DISTRICT and r.parent_id == city.pk), key=lambda r: r.code)
        if code not in self._missing_regions:
            self._missing_regions.add(code)
            self.summary.warnings.append(
                f"行政区划表中没有 {code}：位于该区县的演示机构暂归{city.name}，演示考生暂归"
                f"{city.name}{first_district.name}；该区划导入后运行 seed_demo --reset 即可改回。")
        return first_district if district else city

    def seed_offices(self) -> None:
        self.offices = {o.code: o for o in Office.objects.all()}
        authority = data.PROVINCE_AUTHORITY
        province_office = self.office(authority.code, authority.name, Office.Kind.PROVINCE_AUTHORITY,
                                      self.regions[authority.region_code], authority.address, authority.phone,
                                      None)
        province_name = self.regions[data.HOME_PROVINCE_CODE].name
        districts_by_city: dict[str, list[Region]] = {}
        for region in self.regions.values():
            if region.level == Region.Level.DISTRICT:
                districts_by_city.setdefault(region.code[:4], []).append(region)
        for city_row in data.CITIES:
            city = self.regions[city_row.region_code]
            prefix, ac = city.code[:4], city_row.area_code
            address = f"{province_name}{city.name}"
            city_office = self.office(f"C{prefix}", city_row.office_name, Office.Kind.CITY_OFFICE, city,
                                      address, f"{ac}-86{prefix[2:4]}001", province_office)
            self.office(f"EA{prefix}", f"{city.name}考区", Office.Kind.EXAM_AREA, city, address,
                        f"{ac}-86{prefix[2:4]}002", city_office)
            for district in sorted(districts_by_city.get(prefix, []), key=lambda r: r.code):
                code = f"D{district.code}"
                self.office(code, f"{district.name}招生办", Office.Kind.DISTRICT_OFFICE, district,
                            address + district.name,
                            data.OFFICE_PHONES.get(code, f"{ac}-88{district.code[2:6]}1"), city_office)
        for kind, rows in ((Office.Kind.REGISTRATION_POINT, data.REGISTRATION_POINTS),
                           (Office.Kind.UNIVERSITY, data.UNIVERSITIES)):
            for row in rows:
                self.office(row.code, row.name, kind, self.region(row.region_code), row.address, row.phone,
                            self.offices[row.parent_code])

    def office(self, code, name, kind, region, address, phone, parent) -> Office:
        return self.sync(Office, self.offices, code, dict(code=code),
                         dict(name=name, kind=kind, region=region, address=address, phone=phone,
                              parent=parent, is_active=True))

    # Staff ------------------------------------------------------------------------------------

    def seed_staff(self) -> None:
        usernames = [row.username for row in data.STAFF]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        members = {m.user_id: m for m in StaffMember.objects.filter(user__username__in=usernames)}
        for row in data.STAFF:
            user = self.sync(
                User, users, row.username, dict(username=row.username),
                dict(kind=User.Kind.STAFF, exam_type="", real_name=row.real_name, is_active=True,
                     is_staff=row.role == StaffMember.Role.ADMINISTRATOR),
                on_create=lambda: dict(password=self.password_hash(data.STAFF_PASSWORD), must_change_password=False),
            )
            office = self.offices[row.office_code]
            self.sync(StaffMember, members, user.pk, dict(user=user),
                      dict(office=office, role=row.role, title=row.title))
            self.summary.staff_logins.append(DemoLogin(
                role=row.label, office=office.name, login=row.username, password=data.STAFF_PASSWORD,
                detail=f"{row.real_name}（{StaffMember.Role(row.role).label}）",
                password_changed=not _has_demo_password(user, data.STAFF_PASSWORD),
            ))

    # Candidates -------------------------------------------------------------------------------

    def seed_candidates(self) -> None:
        rows = list(data.FEATURED_CANDIDATES)
        generated = generated_candidates()
        rows += generated
        self.summary.generated_candidates = len(generated)
        featured = {row.username for row in data.FEATURED_CANDIDATES}
        id_numbers = {row.username: _id_number_of(row) for row in rows}

        users = {u.username: u for u in User.objects.filter(username__in=list(id_numbers))}
        candidates = {c.user_id: c for c in Candidate.objects.filter(user__in=users.values())
                      .select_related("district__parent")}
        exam_numbers = {e.number: e for e in ExamNumber.objects.filter(
            number__in=[n.number for row in rows for n in row.exam_numbers])}
        taken = self._identifiers_taken_by_others(rows, id_numbers, users)

        for row in rows:
            user = users.get(row.username)
            candidate = candidates.get(user.pk) if user else None
            complete = candidate is not None and all(n.number in exam_numbers for n in row.exam_numbers)
            if self.reset or not complete:
                if user is None and {id_numbers[row.username], row.phone, row.candidate_number} & taken:
                    self.summary.warnings.append(f"未创建演示考生 {row.username}（{row.real_name}）："
                                                 "其身份证号、手机号或考生号已被其他账号使用。")
                    continue
                counters = Counter(self.summary.created), Counter(self.summary.updated)
                try:
                    # A savepoint per person: data entered on the site may already hold one of this
                    # person's unique values (an e-mail, a 准考证号); then only this person is skipped.
                    with transaction.atomic():
                        user, candidate = self._seed_candidate(row, id_numbers[row.username], user, candidate,
                                                               exam_numbers)
                except IntegrityError:
                    self.summary.created, self.summary.updated = counters
                    self.summary.warnings.append(
                        f"演示考生 {row.username}（{row.real_name}）未能{'恢复' if self.reset else '创建'}："
                        "其身份证号、手机号、邮箱、考生号或准考证号已被其他账号使用。")
                    continue
            if row.username in featured:
                self.summary.candidate_logins.append(self._candidate_login(row, user, candidate))

    def _seed_candidate(self, row, id_number, user, candidate, exam_numbers) -> tuple[User, Candidate]:
        user = self.sync(
            User, {row.username: user} if user else {}, row.username, dict(username=row.username),
            dict(kind=User.Kind.CANDIDATE, exam_type=row.exam_type, real_name=row.real_name,
                 id_number=id_number, phone=row.phone or None, email=row.email,
                 email_verified_at=_EMAIL_VERIFIED_AT if row.email else None,
                 candidate_number=row.candidate_number, is_active=True, is_staff=False),
            on_create=lambda: dict(password=_IMPORTED_UNUSABLE_PASSWORD if row.imported
                                   else self.password_hash(data.CANDIDATE_PASSWORD),
                                   must_change_password=row.must_change_password),
        )
        point = self.offices[row.registration_point_code] if row.registration_point_code else None
        candidate = self.sync(Candidate, {user.pk: candidate} if candidate else {}, user.pk, dict(user=user),
                              dict(district=self.region(row.district_code, district=True),
                                   registration_point=point))
        if row.identity_passed:
            from kaowu.identity.models import Verification

            Verification.objects.get_or_create(user=user, kind=Verification.Kind.THREE_PHOTOS,
                                               defaults={"status": Verification.Status.PASSED})
        for number in row.exam_numbers:
            issued = datetime.combine(date.fromisoformat(number.issued), time(9, 0), tzinfo=_TZ)
            existing = {number.number: exam_numbers[number.number]} if number.number in exam_numbers else {}
            self.sync(ExamNumber, existing, number.number, dict(number=number.number),
                      dict(candidate=candidate, exam_area=self.offices[number.exam_area_code],
                           major_name=number.major_name, status=ExamNumber.Status.ACTIVE, issued_at=issued))
        return user, candidate

    def _identifiers_taken_by_others(self, rows, id_numbers, users) -> set[str]:
        missing = [row for row in rows if row.username not in users]
        if not missing:
            return set()
        wanted = {id_numbers[row.username] for row in missing} | {row.phone for row in missing if row.phone}
        numbers = {row.candidate_number for row in missing if row.candidate_number}
        others = User.objects.filter(
            Q(id_number__in=wanted) | Q(phone__in=wanted) | Q(candidate_number__in=numbers)
        ).values_list("id_number", "phone", "candidate_number")
        return {value for triple in others for value in triple if value}

    def _candidate_login(self, row, user: User, candidate: Candidate) -> DemoLogin:
        details = []
        if row.exam_numbers:
            details.append("准考证号 " + "、".join(n.number for n in row.exam_numbers))
        if row.candidate_number:
            details.append(f"考生号 {row.candidate_number}")
        if row.email:
            details.append(f"邮箱 {row.email}")
        if row.phone:
            details.append(f"手机 {row.phone}")
        if row.imported:
            details.append("未设置密码：在注册页选择“我是在籍考生”，用姓名、身份证号和准考证号激活")
        district = candidate.district
        office = f"{district.parent.name}{district.name}" if district.parent_id else district.name
        if row.registration_point_code:
            office += f" · {self.offices[row.registration_point_code].name}"
        login = user.candidate_number if row.login_by == "candidate_number" else user.id_number
        return DemoLogin(role=f"{row.real_name} · {row.label}", office=office, login=login,
                         password="（未设置）" if row.imported else data.CANDIDATE_PASSWORD,
                         detail="；".join(details),
                         password_changed=not row.imported and not _has_demo_password(user, data.CANDIDATE_PASSWORD))

    # Catalog (考试计划与专业) --------------------------------------------------------------------

    def seed_catalog(self) -> None:
        """Courses with textbooks, majors with plans, the current sitting (timetable, fees, all exam
        areas), the past sitting 2026年10月 (scores published; its scores: demo/operations.py),
        business windows relative to today, announcements."""
        today = timezone.localdate()
        textbooks = {(t.title, t.author, t.publisher, t.edition): t for t in Textbook.objects.all()}
        courses = {c.code: c for c in Course.objects.all()}
        for row in data.COURSES:
            book = None
            if row.author or row.publisher:
                key = (row.textbook_title or row.name, row.author, row.publisher, row.edition)
                book = self.sync(Textbook, textbooks, key, dict(zip(("title", "author", "publisher", "edition"),
                                                                    key, strict=True)), {})
            self.sync(Course, courses, row.code, dict(code=row.code),
                      dict(name=row.name, credits=row.credits, kind=row.kind, textbook=book))

        majors = {m.code: m for m in Major.objects.all()}
        plan = {(e.major.code, e.course.code): e for e in PlanCourse.objects.select_related("major", "course")}
        for row in data.MAJORS:
            ends = date.fromisoformat(row.transition_ends_on) if row.transition_ends_on else None
            major = self.sync(Major, majors, row.code, dict(code=row.code),
                              dict(name=row.name, level=row.level, university=self.offices[row.university_code],
                                   status=row.status, transition_ends_on=ends, description=row.description))
            entries = [(code, PlanCourse.Requirement.REQUIRED, "") for code in row.plan]
            entries += [(code, PlanCourse.Requirement.ELECTIVE, row.elective_group) for code in row.electives]
            for position, (code, requirement, group) in enumerate(entries):
                self.sync(PlanCourse, plan, (row.code, code), dict(major=major, course=courses[code]),
                          dict(requirement=requirement, group_label=group, position=position))

        sittings = {s.code: s for s in ExamSitting.objects.all()}
        # The demo sitting is the current one unless someone made another sitting current on the site.
        another_current = any(s.is_current for code, s in sittings.items() if code != data.SITTING_CODE)
        sitting = self.sync(ExamSitting, sittings, data.SITTING_CODE, dict(code=data.SITTING_CODE),
                            dict(name=data.SITTING_NAME, is_current=not another_current, is_published=True,
                                 score_publication_at=_at(data.SCORE_PUBLICATION_AT.replace("T", " "), today)))
        sessions = {(s.date, s.half_day): s for s in sitting.sessions.all()}
        offered = {o.course.code: o for o in sitting.offered_courses.select_related("course")}
        for day, half_day, codes in data.TIMETABLE:
            start, end = data.SESSION_TIMES[half_day]
            key = (date.fromisoformat(day), half_day)
            session = self.sync(SittingSession, sessions, key, dict(sitting=sitting, date=key[0], half_day=half_day),
                                dict(start_time=time.fromisoformat(start), end_time=time.fromisoformat(end)))
            for code in codes:
                self.sync(SittingCourse, offered, code, dict(sitting=sitting, course=courses[code]),
                          dict(session=session, fee=Decimal(data.FEE_PER_COURSE)))
        areas = {link.exam_area.code: link for link in sitting.area_links.select_related("exam_area")}
        for city in data.CITIES:
            code = f"EA{city.region_code[:4]}"
            self.sync(SittingExamArea, areas, code, dict(sitting=sitting, exam_area=self.offices[code]), {})

        # The past sitting (scores published, 成绩复核 open): its scores come from demo/operations.py.
        past = self.sync(ExamSitting, sittings, data.PAST_SITTING_CODE, dict(code=data.PAST_SITTING_CODE),
                         dict(name=data.PAST_SITTING_NAME, is_current=False, is_published=True,
                              score_publication_at=_at(data.PAST_SCORE_PUBLICATION_AT, today)))
        windows = {(w.kind, w.sitting.code if w.sitting_id else None, w.exam_area.code if w.exam_area_id else None): w
                   for w in BusinessWindow.objects.select_related("sitting", "exam_area")}
        for row in data.WINDOWS:
            in_sitting = (past if row.sitting_code == past.code else sitting) if row.in_sitting else None
            key = (row.kind, in_sitting.code if in_sitting else None, row.exam_area_code)
            self.sync(BusinessWindow, windows, key,
                      dict(kind=row.kind, sitting=in_sitting,
                           exam_area=self.offices[row.exam_area_code] if row.exam_area_code else None),
                      dict(starts_at=_at(row.starts, today), ends_at=_at(row.ends, today), note=row.note))

        registration = windows[(BusinessWindow.Kind.COURSE_REGISTRATION, sitting.code, None)]
        ticket = windows[(BusinessWindow.Kind.TICKET_PRINT, sitting.code, None)]
        home = next(p for p in data.PROVINCES if p.is_home)
        words = {"registration_period": f"{cn_datetime(registration.starts_at)}至{cn_datetime(registration.ends_at)}",
                 "ticket_period": f"{cn_datetime(ticket.starts_at)}至{cn_datetime(ticket.ends_at)}",
                 "hotline": home.hotline}
        announcements = {a.title: a for a in Announcement.objects.filter(title__in=[r.title for r in data.ANNOUNCEMENTS])}
        for row in data.ANNOUNCEMENTS:
            self.sync(Announcement, announcements, row.title, dict(title=row.title),
                      dict(category=row.category, sitting=sitting if row.in_sitting else None,
                           body=row.body.format(**words), is_published=True,
                           published_at=_at(row.published, today)))

    def seed_exemption_rules(self) -> None:
        """免考规则 for the demo majors (data.EXEMPTION_RULES); the 免考 window is in data.WINDOWS."""
        from kaowu.exemptions.models import ExemptionRule

        majors = {m.code: m for m in Major.objects.filter(code__in={r.major_code for r in data.EXEMPTION_RULES})}
        courses = {c.code: c for c in Course.objects.filter(
            code__in={code for r in data.EXEMPTION_RULES for code in r.courses})}
        rules = {(r.kind, r.certificate, r.major_id): r
                 for r in ExemptionRule.objects.filter(major__in=majors.values()).prefetch_related("courses")}
        for row in data.EXEMPTION_RULES:
            major = majors[row.major_code]
            key = (row.kind, row.certificate, major.pk)
            fresh = key not in rules
            rule = self.sync(ExemptionRule, rules, key, dict(kind=row.kind, certificate=row.certificate, major=major),
                             dict(note=row.note, is_active=True))
            wanted = {courses[code].pk for code in row.courses}
            if fresh or (self.reset and {c.pk for c in rule.courses.all()} != wanted):
                rule.courses.set(wanted)
                if not fresh:
                    self.summary.updated[ExemptionRule._meta.verbose_name] += 1

    def seed_upgrade_plans(self) -> None:
        """专升本: two batches open for volunteers from today, three colleges and their 招生计划."""
        from kaowu.upgrade.models import AdmissionBatch, College, Plan

        today = timezone.localdate()
        batches = {}
        for code, name, position, poverty in (("JD", "建档立卡专项批本科", 1, True), ("PT", "普通批本科", 2, False)):
            batch, created = AdmissionBatch.objects.get_or_create(code=code, defaults=dict(
                name=name, position=position, poverty_only=poverty, opens_at=_at("today-1 09:00", today),
                closes_at=_at("today+20 17:00", today)))
            batches[code] = batch
            if created:
                self.summary.created["录取批次"] += 1
        colleges = {}
        for code, name in (("10108", "山西大学"), ("10112", "太原理工大学"), ("10736", "西北师范大学")):
            colleges[code], _ = College.objects.get_or_create(code=code, defaults={"name": name})
        rows = [("10108", "01", "会计学", "01", 60), ("10108", "02", "财务管理", "01", 40),
                ("10112", "05", "金融学", "01", 30), ("10112", "21", "软件工程", "03", 80),
                ("10112", "22", "计算机科学与技术", "03", 60), ("10736", "11", "汉语言文学", "06", 50),
                ("10736", "12", "小学教育", "04", 45), ("10736", "31", "音乐学", "09", 20)]
        for batch_code, batch in batches.items():
            for college, code, name, category, seats in rows:
                _, created = Plan.objects.get_or_create(batch=batch, college=colleges[college], code=code, defaults=dict(
                    name=name, category=category, seats=seats if batch_code == "PT" else max(seats // 10, 2)))
                if created:
                    self.summary.created["招生计划"] += 1

    def seed_registrations(self) -> None:
        """报考 of the generated candidates in the demo sitting (see demo/registrations.py)."""
        from .registrations import seed_demo_registrations

        sitting = ExamSitting.objects.filter(code=data.SITTING_CODE).first()
        if sitting is None:
            return
        numbers = list(ExamNumber.objects.filter(candidate__user__username__startswith="demo-g",
                                                 status=ExamNumber.Status.ACTIVE)
                       .select_related("candidate__user", "exam_area"))
        made = seed_demo_registrations(sitting=sitting, exam_numbers=numbers)
        if made:
            self.summary.created["报考"] += made

    def count_totals(self) -> None:
        home = data.HOME_PROVINCE_CODE[:2]
        self.summary.totals = {
            "行政区划": Region.objects.count(),
            "省份配置": Province.objects.count(),
            "机构": Office.objects.count(),
            f"{self.regions[data.HOME_PROVINCE_CODE].name}的市州": Region.objects.filter(
                level=Region.Level.CITY, code__startswith=home).count(),
            "工作人员": StaffMember.objects.count(),
            "考生": Candidate.objects.count(),
            "准考证号": ExamNumber.objects.count(),
            "专业": Major.objects.count(),
            "课程": Course.objects.count(),
        }


def demo_seed(*, region_prefixes: Sequence[str] | None = None, reset: bool = False) -> DemoSummary:
    """Seed (or top up) the demo province. Idempotent: a second run creates and changes nothing.

    `region_prefixes` limits the national region import to some provinces (tests); the provinces
    the demo itself needs are always imported. `reset` restores every demo row and password.
    """
    seeder = _Seeder(reset=reset)
    with transaction.atomic():
        seeder.seed_regions(region_prefixes)
        seeder.seed_provinces()
        seeder.seed_offices()
        seeder.seed_staff()
        seeder.seed_candidates()
        seeder.seed_catalog()
        seeder.seed_exemption_rules()
        seeder.seed_registrations()
        seeder.seed_upgrade_plans()
        seed_demo_upgrade(created=seeder.summary.created)
        seed_demo_transfer_in(created=seeder.summary.created)
        seed_demo_operations(created=seeder.summary.created)
        seed_demo_practicals(created=seeder.summary.created)
        seed_demo_graduates(created=seeder.summary.created)
        seed_demo_graduation(created=seeder.summary.created)
        seed_demo_theses(created=seeder.summary.created)
    seeder.count_totals()
    return seeder.summary
