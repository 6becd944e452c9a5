"""Who may apply for 毕业论文答辩: the theory courses of his major's plan passed, or all but
KAOWU_THESIS_THEORY_MISSING_ALLOWED of them (counted by the graduation rule: every source of the 考籍,
elective groups by their number, practice courses left out); the thesis not on the 考籍 yet."""

import pytest
from django.urls import reverse

from kaowu.records.models import PassedCourse
from kaowu.theses.selectors import thesis_standing
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError, application_submit

from .conftest import pass_courses
from .helpers import draft, submitted


def test_all_theory_courses_passed_may_apply_even_with_no_allowance(candidate, plan, settings):
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 0
    pass_courses(candidate, plan, "03708", "00529", "00535", "00536")
    standing = thesis_standing(candidate=candidate)
    assert standing.missing_count == 0 and standing.refusal() is None
    assert standing.thesis.code == "07042" and standing.major.code == "050105"


def test_a_practice_course_is_not_a_theory_course(candidate, plan, settings):
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 0
    pass_courses(candidate, plan, "03708", "00529", "00535", "00037")  # 写作实践 (practice) not passed
    assert thesis_standing(candidate=candidate).refusal() is None


def test_one_course_short_is_refused_without_allowance_and_accepted_with_one(eligible, settings):
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 0
    refusal = thesis_standing(candidate=eligible).refusal()
    assert refusal == ("申请毕业论文答辩须专业计划中的理论课程全部合格。您还差 1 门理论课程：00535 现代汉语。")
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 1
    assert thesis_standing(candidate=eligible).refusal() is None


def test_two_short_with_an_allowance_of_one_names_both_including_an_elective_group(candidate, plan, settings):
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 1
    pass_courses(candidate, plan, "03708", "00529")
    refusal = thesis_standing(candidate=candidate).refusal()
    assert "最多差 1 门" in refusal
    assert "您还差 2 门理论课程：00535 现代汉语、选考课程（任选一门）中1门。" in refusal


def test_an_exempted_course_counts_as_passed(candidate, plan, settings):
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 0
    pass_courses(candidate, plan, "03708", "00529", "00037")
    pass_courses(candidate, plan, "00535", source=PassedCourse.Source.EXEMPTION)
    assert thesis_standing(candidate=candidate).refusal() is None


def test_the_thesis_already_on_the_record_is_refused(eligible, plan, window):
    pass_courses(eligible, plan, "07042", source=PassedCourse.Source.THESIS)
    assert "已记入考籍，不能再申请毕业论文答辩" in thesis_standing(candidate=eligible).refusal()
    with pytest.raises(WorkflowError, match="已记入考籍"):
        draft(eligible)
    assert not Application.objects.exists()


def test_the_rule_is_checked_again_at_submission(eligible, plan, window, settings):
    application = draft(eligible)
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 0  # the province lowered the allowance meanwhile
    with pytest.raises(WorkflowError, match="00535 现代汉语"):
        application_submit(application=application, actor=eligible.user)
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_landing_page_names_what_is_missing_and_locks_the_button(candidate, plan, window, client, settings):
    settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED = 1
    pass_courses(candidate, plan, "03708")
    client.force_login(candidate.user)
    page = client.get(reverse("theses:thesis")).content.decode()
    assert "毕业论文答辩须知" in page
    assert "您还差 3 门理论课程：00529 文学概论（一）、00535 现代汉语、选考课程（任选一门）中1门。" in page
    assert 'disabled aria-disabled="true">申请毕业论文答辩' in page
    # the server refuses the form too, whatever the page showed
    response = client.get(reverse("theses:thesis_apply"), follow=True)
    assert "您还差 3 门理论课程" in response.content.decode()
    assert client.post(reverse("theses:thesis_apply"), {"title": "x"}).status_code == 302
    assert not Application.objects.exists()


def test_an_eligible_candidate_sees_the_button(eligible, window, client):
    client.force_login(eligible.user)
    page = client.get(reverse("theses:thesis")).content.decode()
    assert f'href="{reverse("theses:thesis_apply")}">申请毕业论文答辩' in page
    assert "还差 1 门" in page and "00535 现代汉语" in page


def test_a_second_submitted_application_while_one_is_open_is_refused(eligible, window):
    first = submitted(eligible)
    with pytest.raises(WorkflowError, match=f"正在办理的毕业论文答辩申请（{first.number}）"):
        draft(eligible)
