"""毕业预测 as the planner: the chosen major in full, then every other major the candidate could graduate in,
with a link to 报考 where its window is open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, Major, PlanCourse
from kaowu.catalog.tests.factories import MajorFactory
from kaowu.records.models import PassedCourse

pytestmark = pytest.mark.django_db


def test_the_planner_lists_other_majors_with_completion_and_the_missing_courses(world, client):
    candidate = world.numbers["n1"].candidate
    for code in ("00015", "03708", "03709"):
        PassedCourse.objects.create(candidate=candidate, course=world.courses[code], source="transfer_in",
                                    passed_on="2025-05-01")
    near = MajorFactory(code="120403", name="公共事业管理")
    for position, code in enumerate(["00015", "03708", "00312"]):
        PlanCourse.objects.create(major=near, course=world.courses[code], position=position)
    done = MajorFactory(code="120404", name="秘书学")
    for position, code in enumerate(["00015", "03708"]):
        PlanCourse.objects.create(major=done, course=world.courses[code], position=position)
    closed = MajorFactory(code="120405", name="已停考专业", status=Major.Status.CLOSED)
    PlanCourse.objects.create(major=closed, course=world.courses["00015"])

    client.force_login(candidate.user)
    page = client.get(reverse("graduation:planner")).content.decode()
    # his own major first, in full, as before
    assert 'selected>120402' in page and "data-credits-done>20<" in page
    # then the others: the completed one first, the closed one not at all
    assert page.index('data-other-major="120404"') < page.index('data-other-major="120403"')
    assert "已满足毕业课程要求" in page and 'data-other-major="120405"' not in page
    other = page[page.index('data-other-major="120403"'):]
    assert "16 / 22 学分" in other and "还差 1 门课程" in other and "00312" in other and "2027年10月" in other
    assert "data-register-link" not in page   # no 报考 window open


def test_a_sitting_whose_registration_window_is_open_links_to_registration(world, client):
    now = timezone.now()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=world.next_sitting,
                                  starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=5))
    client.force_login(world.numbers["n1"].candidate.user)
    page = client.get(reverse("graduation:planner")).content.decode()
    line = page[page.index('data-course-code="00312"'):]
    line = line[:line.index("</li>")]
    assert "2027年10月" in line and "data-register-link" in line and reverse("registration:overview") in line


def test_the_planner_keeps_its_address(world):
    assert reverse("graduation:planner") == "/scores/prediction/"


def _line(page, code):
    line = page[page.index(f'data-course-code="{code}"'):]
    return line[:line.index("</li>")]


def test_a_missing_practical_or_thesis_links_to_its_application_while_its_window_is_open(world, client):
    from kaowu.catalog.models import Course

    practical = Course.objects.create(code="00313", name="行政管理实践", credits=2, kind=Course.Kind.PRACTICE)
    thesis = Course.objects.create(code="07050", name="行政管理毕业论文", credits=6, kind=Course.Kind.THESIS)
    major = Major.objects.get(code="120402")
    PlanCourse.objects.create(major=major, course=practical, position=20)
    PlanCourse.objects.create(major=major, course=thesis, position=21)
    client.force_login(world.numbers["n1"].candidate.user)
    page = client.get(reverse("graduation:planner")).content.decode()
    assert "data-apply-link" not in page  # neither window is open

    now = timezone.now()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.THESIS, sitting=world.sitting,
                                  starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=5))
    page = client.get(reverse("graduation:planner")).content.decode()
    assert reverse("theses:thesis") in _line(page, "07050") and "申请答辩" in _line(page, "07050")
    assert "data-apply-link" not in _line(page, "00313")  # 实践性环节报名 is still closed
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.PRACTICE_REGISTRATION, sitting=world.sitting,
                                  starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=5))
    page = client.get(reverse("graduation:planner")).content.decode()
    assert reverse("practicals:registration") in _line(page, "00313") and "去报名" in _line(page, "00313")
