"""考试计划与专业 in the back office: who may change it, what the forms do, and the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from kaowu.audit.models import AuditEvent
from kaowu.catalog.models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingExamArea,
)

from .factories import (
    AnnouncementFactory,
    CourseFactory,
    ExamAreaFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingSessionFactory,
    UniversityFactory,
)

BASE = "/backoffice/catalog/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def university(gansu):
    return UniversityFactory(name="西北师范大学")


def major_data(university, **overrides):
    return {"code": "050105", "name": "汉语言文学", "level": Major.Level.BACHELOR, "university": university.pk,
            "status": Major.Status.OPEN, "transition_ends_on": "", "description": "", **overrides}


def test_anyone_on_staff_reads_the_catalog(signed_in, district_staff, university):
    major = MajorFactory(university=university)
    client = signed_in(district_staff)

    for path in ("", "majors/", f"majors/{major.pk}/", "courses/", "sittings/", "windows/", "announcements/"):
        response = client.get(BASE + path)
        assert response.status_code == 200, path
    page = client.get(BASE + "majors/").content.decode()
    assert "您可以查看和导出，不能修改" in page and "新增专业" not in page


def test_district_staff_cannot_change_the_catalog(signed_in, district_staff, university):
    major = MajorFactory(university=university, name="原名称")
    client = signed_in(district_staff)

    form = client.get(BASE + "majors/new/")
    post = client.post(BASE + f"majors/{major.pk}/edit/", major_data(university, code=major.code, name="改名"))

    for response in (form, post):
        assert response.status_code == 302 and response.url == BASE
    assert "考试计划与专业由省级考试机构维护，您可以查看，但不能修改。" in messages_of(post)
    major.refresh_from_db()
    assert major.name == "原名称"
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()
    assert client.post(BASE + "majors/import/").status_code == 302


def test_signed_out_visitors_are_sent_to_the_staff_login(client, gansu):
    response = client.get(BASE + "majors/")

    assert response.status_code == 302 and response.url.startswith("/backoffice/login/")


def test_province_staff_create_a_major_and_it_is_audited(signed_in, province_staff, university):
    client = signed_in(province_staff)

    response = client.post(BASE + "majors/new/", major_data(university))

    major = Major.objects.get(code="050105")
    assert response.status_code == 302 and response.url == f"{BASE}majors/{major.pk}/"
    event = AuditEvent.objects.get(action="catalog.major.created")
    assert event.actor == province_staff.user and event.target_id == str(major.pk)
    assert event.detail["changes"]["name"] == "汉语言文学"


def test_changing_a_major_records_old_and_new_values(signed_in, province_staff, university):
    major = MajorFactory(code="050105", name="汉语言文学", university=university)
    client = signed_in(province_staff)

    client.post(BASE + f"majors/{major.pk}/edit/", major_data(
        university, status=Major.Status.TRANSITION, transition_ends_on="2028-12-31"))

    major.refresh_from_db()
    assert major.status == Major.Status.TRANSITION
    event = AuditEvent.objects.get(action="catalog.major.updated")
    assert event.detail["changes"] == {"status": ["open", "transition"], "transition_ends_on": [None, "2028-12-31"]}


def test_a_major_in_transition_needs_its_end_date(signed_in, province_staff, university):
    client = signed_in(province_staff)

    response = client.post(BASE + "majors/new/", major_data(university, status=Major.Status.TRANSITION))

    assert response.status_code == 400
    assert "停考过渡期的专业须填写过渡期截止日期。" in response.content.decode()
    assert not Major.objects.exists()


def test_plan_courses_are_added_by_code_once_and_removed(signed_in, province_staff, university):
    major = MajorFactory(university=university)
    course = CourseFactory(code="00015", name="英语（二）")
    client = signed_in(province_staff)
    add = BASE + f"majors/{major.pk}/plan/add/"

    client.post(add, {"course_code": "00015", "requirement": "required", "group_label": ""})
    again = client.post(add, {"course_code": "00015", "requirement": "elective", "group_label": ""})
    unknown = client.post(add, {"course_code": "99999", "requirement": "required", "group_label": ""})

    entry = PlanCourse.objects.get(major=major, course=course)
    assert entry.requirement == "required"
    assert again.status_code == 400 and "已在本专业计划中" in again.content.decode()
    assert unknown.status_code == 400 and "课程代码 99999 不存在" in unknown.content.decode()

    client.post(BASE + f"plan/{entry.pk}/remove/")

    assert not PlanCourse.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="catalog.plan_course").order_by("pk")
                .values_list("action", flat=True)) == ["catalog.plan_course.created", "catalog.plan_course.deleted"]


def test_a_course_and_its_textbook_are_saved_together(signed_in, province_staff):
    client = signed_in(province_staff)
    data = {"code": "00024", "name": "普通逻辑", "credits": 4, "kind": "theory", "textbook_title": "普通逻辑",
            "textbook_author": "杜国平", "textbook_publisher": "高等教育出版社", "textbook_edition": "2018年版"}

    client.post(BASE + "courses/new/", data)
    client.post(BASE + "courses/new/", {**data, "code": "00025", "name": "普通逻辑（实践）"})

    first, second = Course.objects.get(code="00024"), Course.objects.get(code="00025")
    assert first.textbook == second.textbook and first.textbook.author == "杜国平"
    bad = client.post(BASE + "courses/new/", {**data, "code": "0024"})
    assert bad.status_code == 400 and "5位数字" in bad.content.decode()


def test_a_sitting_made_current_takes_the_flag_from_the_old_one(signed_in, province_staff):
    old = ExamSittingFactory(code="2026-10", name="2026年10月", is_current=True)
    client = signed_in(province_staff)

    client.post(BASE + "sittings/new/", {"code": "2027-04", "name": "2027年4月", "is_current": "on",
                                         "is_published": "on", "score_publication_at": ""})

    old.refresh_from_db()
    assert not old.is_current and ExamSitting.objects.get(code="2027-04").is_current


def test_timetable_fees_and_exam_areas_of_a_sitting(signed_in, province_staff):
    sitting = ExamSittingFactory(code="2027-04", name="2027年4月")
    course = CourseFactory(code="00015")
    lanzhou, tianshui = ExamAreaFactory(name="兰州市考区"), ExamAreaFactory(name="天水市考区")
    client = signed_in(province_staff)

    client.post(BASE + f"sittings/{sitting.pk}/sessions/new/", {"date": "2027-04-10", "half_day": "am",
                                                                "start_time": "09:00", "end_time": "11:30"})
    session = sitting.sessions.get()
    duplicate = client.post(BASE + f"sittings/{sitting.pk}/sessions/new/", {
        "date": "2027-04-10", "half_day": "am", "start_time": "09:00", "end_time": "11:00"})
    negative = client.post(BASE + f"sittings/{sitting.pk}/courses/new/", {
        "course_code": "00015", "session": session.pk, "fee": "-1"})
    client.post(BASE + f"sittings/{sitting.pk}/courses/new/", {"course_code": "00015", "session": session.pk,
                                                               "fee": "30.00"})
    client.post(BASE + f"sittings/{sitting.pk}/areas/", {"exam_areas": [lanzhou.pk, tianshui.pk]})
    client.post(BASE + f"sittings/{sitting.pk}/areas/", {"exam_areas": [lanzhou.pk]})

    assert duplicate.status_code == 400 and "已有场次" in duplicate.content.decode()
    assert negative.status_code == 400 and "报考费不能为负数" in negative.content.decode()
    assert SittingCourse.objects.get(sitting=sitting, course=course).fee == Decimal("30.00")
    assert list(SittingExamArea.objects.filter(sitting=sitting).values_list("exam_area", flat=True)) == [lanzhou.pk]
    page = client.get(BASE + f"sittings/{sitting.pk}/").content.decode()
    assert "2027年04月10日" in page and "30.00" in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"catalog.session.created", "catalog.sitting_course.created", "catalog.sitting.exam_areas_set"} <= actions


def test_business_windows_province_wide_and_per_area(signed_in, province_staff):
    sitting = ExamSittingFactory(code="2027-04", name="2027年4月")
    area = ExamAreaFactory(name="甘南藏族自治州考区")
    client = signed_in(province_staff)
    data = {"kind": "course_registration", "sitting": sitting.pk, "exam_area": "",
            "starts_at": "2027-03-01T09:00", "ends_at": "2027-03-10T17:00", "note": ""}

    client.post(BASE + "windows/new/", data)
    client.post(BASE + "windows/new/", {**data, "exam_area": area.pk, "ends_at": "2027-03-15T17:00"})
    twice = client.post(BASE + "windows/new/", data)
    backwards = client.post(BASE + "windows/new/", {**data, "kind": "refund", "ends_at": "2027-02-01T09:00"})

    windows = BusinessWindow.objects.filter(sitting=sitting).order_by("exam_area")
    assert [(w.exam_area, f"{w.ends_at:%m-%d %H:%M}") for w in windows] in (
        [(None, "03-10 09:00"), (area, "03-15 09:00")], [(area, "03-15 09:00"), (None, "03-10 09:00")])
    assert twice.status_code == 400 and "已设置了时间" in twice.content.decode()
    assert backwards.status_code == 400 and "结束时间须晚于开始时间" in backwards.content.decode()
    listing = client.get(BASE + "windows/").content.decode()
    assert "2027年03月10日 17:00" in listing and "甘南藏族自治州考区" in listing and "全省统一" in listing


def test_announcements_are_written_published_and_deleted(signed_in, province_staff, client):
    staff_client = signed_in(province_staff)

    staff_client.post(BASE + "announcements/new/", {
        "title": "关于2027年上半年自学考试报考的通知", "category": "notice", "sitting": "", "is_published": "on",
        "published_at": (datetime.datetime.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "body": "第一段。\n\n第二段。"})

    item = Announcement.objects.get()
    assert "关于2027年上半年自学考试报考的通知" in client.get("/catalog/notices/").content.decode()
    staff_client.post(BASE + f"announcements/{item.pk}/delete/")
    assert not Announcement.objects.exists()
    assert AuditEvent.objects.filter(action="catalog.announcement.deleted").exists()


def test_staff_lists_search_and_page(signed_in, district_staff, university):
    for n in range(25):
        MajorFactory(code=f"{120000 + n:06d}", name=f"管理{n}", university=university)
    MajorFactory(code="050105", name="汉语言文学", university=university)
    AnnouncementFactory(title="报考简章", category="guide")
    client = signed_in(district_staff)

    first = client.get(BASE + "majors/").content.decode()
    found = client.get(BASE + "majors/", {"q": "汉语言"}).content.decode()

    assert "第 1 / 2 页" in first
    assert "汉语言文学" in found and "管理1" not in found
    assert "报考简章" in client.get(BASE + "announcements/", {"category": "guide"}).content.decode()


def test_the_side_nav_links_the_catalog(signed_in, district_staff):
    page = signed_in(district_staff).get("/backoffice/").content.decode()

    assert 'href="/backoffice/catalog/"' in page and "考试计划与专业" in page


def test_plan_course_factory_is_visible_on_the_staff_major_page(signed_in, province_staff):
    entry = PlanCourseFactory()
    SittingSessionFactory()

    page = signed_in(province_staff).get(BASE + f"majors/{entry.major.pk}/").content.decode()

    assert entry.course.name in page and "加入专业计划" in page


def test_catalog_actions_have_names_on_the_audit_log_page():
    from kaowu.audit.selectors import audit_action_label

    assert audit_action_label("catalog.major.created") == "考试计划：新增专业"
    assert audit_action_label("catalog.import.timetable") == "考试计划：导入课程考试安排"
