"""The public query pages (seeds 001, 003), without login: they render, search and page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.catalog.models import Announcement, Major, PlanCourse, SittingSession

from .factories import (
    AnnouncementFactory,
    CourseFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingCourseFactory,
    SittingSessionFactory,
    TextbookFactory,
    UniversityFactory,
)


@pytest.fixture
def catalog(gansu):
    """汉语言文学 with two plan courses, one offered in the current sitting, and one major in transition."""
    university = UniversityFactory(name="西北师范大学")
    major = MajorFactory(code="050105", name="汉语言文学", university=university)
    MajorFactory(code="030302", name="社会工作", status=Major.Status.TRANSITION,
                 transition_ends_on=datetime.date(2028, 12, 31), university=university)
    english = CourseFactory(code="00015", name="英语（二）", credits=14,
                            textbook=TextbookFactory(title="英语（二）自学教程", author="张敬源", publisher="外语教学与研究出版社",
                                                     edition="2012年版"))
    logic = CourseFactory(code="00024", name="普通逻辑", credits=4, textbook=None)
    PlanCourseFactory(major=major, course=english)
    PlanCourseFactory(major=major, course=logic, requirement=PlanCourse.Requirement.ELECTIVE, group_label="选考课程")
    sitting = ExamSittingFactory(code="2027-04", name="2027年4月", is_current=True)
    morning = SittingSessionFactory(sitting=sitting, date=datetime.date(2027, 4, 10))
    afternoon = SittingSessionFactory(sitting=sitting, date=datetime.date(2027, 4, 10),
                                      half_day=SittingSession.HalfDay.AFTERNOON, start_time=datetime.time(14, 30),
                                      end_time=datetime.time(17, 0))
    SittingCourseFactory(session=morning, course=english, fee=Decimal("30.00"))
    SittingCourseFactory(session=afternoon, course=CourseFactory(code="03708", name="中国近现代史纲要", credits=2))
    return {"major": major, "sitting": sitting}


def test_the_major_plan_lists_courses_credits_textbooks_and_what_the_current_sitting_offers(client, catalog):
    page = client.get("/catalog/majors/050105/").content.decode()

    for text in ("汉语言文学", "西北师范大学", "00015", "英语（二）", "14", "英语（二）自学教程", "张敬源",
                 "必考课程", "选考课程", "普通逻辑", "2027年04月10日", "本次不开考"):
        assert text in page, text


def test_major_search_by_code_or_name(client, catalog):
    by_name = client.get("/catalog/majors/", {"q": "汉语言"}).content.decode()
    by_code = client.get("/catalog/majors/", {"q": "030302"}).content.decode()

    assert "汉语言文学" in by_name and "社会工作" not in by_name
    assert "社会工作" in by_code and "停考过渡期" in by_code
    assert "没有符合条件的专业" in client.get("/catalog/majors/", {"q": "天文学"}).content.decode()


def test_a_major_in_transition_says_it_takes_no_new_candidates(client, catalog):
    page = client.get("/catalog/majors/030302/").content.decode()

    assert "不接收新生报考" in page and "2028年12月31日" in page


def test_timetable_by_date_and_half_day_and_by_major(client, catalog):
    everything = client.get("/catalog/timetable/").content.decode()
    for_major = client.get("/catalog/timetable/", {"sitting": "2027-04", "major": "050105"}).content.decode()

    assert "2027年4月课程考试安排" in everything
    assert "上午" in everything and "下午" in everything and "中国近现代史纲要" in everything
    assert "英语（二）" in for_major and "中国近现代史纲要" not in for_major
    assert client.get("/catalog/timetable/", {"sitting": "1999-04"}).status_code == 404


def test_textbook_search_by_course_code_or_name(client, catalog):
    by_code = client.get("/catalog/textbooks/", {"q": "00015"}).content.decode()
    by_name = client.get("/catalog/textbooks/", {"q": "逻辑"}).content.decode()

    assert "英语（二）自学教程" in by_code and "外语教学与研究出版社" in by_code and "普通逻辑" not in by_code
    assert "普通逻辑" in by_name and "暂无指定教材" in by_name


def test_announcements_published_only_and_rendered_as_text(client, gansu):
    guide = AnnouncementFactory(title="甘肃省2027年上半年高等教育自学考试报考简章",
                                category=Announcement.Category.GUIDE,
                                body="## 一、报考时间\n\n<script>alert(1)</script>\n\n- 网上报考\n- 网上缴费")
    AnnouncementFactory(title="草稿公告", is_published=False)
    AnnouncementFactory(title="明天发布", published_at=timezone.now() + datetime.timedelta(days=1))

    notices = client.get("/catalog/notices/").content.decode()
    guides = client.get("/catalog/guides/").content.decode()
    detail = client.get(f"/catalog/notices/{guide.pk}/").content.decode()

    assert guide.title in notices and guide.title in guides
    assert "草稿公告" not in notices and "明天发布" not in notices
    assert "<h2>一、报考时间</h2>" in detail and "<li>网上报考</li>" in detail
    assert "<script>alert(1)</script>" not in detail and "&lt;script&gt;" in detail
    draft = Announcement.objects.get(title="草稿公告")
    assert client.get(f"/catalog/notices/{draft.pk}/").status_code == 404


def test_announcement_lists_page(client, gansu):
    for n in range(25):
        AnnouncementFactory(title=f"第{n}号通知")

    first = client.get("/catalog/notices/").content.decode()
    second = client.get("/catalog/notices/", {"page": 2}).content.decode()

    assert "第 1 / 2 页" in first and "共 25 条" in first
    assert "第 2 / 2 页" in second


def test_query_index_and_home_page_link_the_queries(client, catalog):
    index = client.get("/catalog/").content.decode()

    home = client.get("/").content.decode()

    for url in ("/catalog/guides/", "/catalog/majors/", "/catalog/timetable/", "/catalog/textbooks/"):
        assert url in index and url in home
    assert "/catalog/notices/" in home
