"""毕业论文答辩申请 in a fresh demo: 张浩然 lacks one theory course (文学概论（一）, still exemptible), so he can
apply at once; 毕业预测 shows that course and the thesis missing; the 主考学校 of 汉语言文学 (nwnu, 西北师范大学)
decides."""

from django.urls import reverse

from kaowu.accounts.models import User
from kaowu.candidates.models import Candidate
from kaowu.records.models import ExamScore, PassedCourse
from kaowu.theses.selectors import thesis_standing
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

from .test_seed_demo import PREFIXES, seeded  # noqa: F401

FORM = {"phone": "15193100102", "address": "甘肃省兰州市城关区雁滩路100号", "postcode": "730000", "email": "",
        "title": "论鲁迅小说中的乡土叙事", "supervisor": "", "agree": "on"}


def test_zhang_haoran_is_one_theory_course_short_and_applies_to_nwnu(seeded, client):  # noqa: F811
    zhang = Candidate.objects.get(user__username="demo-b")
    standing = thesis_standing(candidate=zhang)
    assert [c.code for c in standing.missing_theory] == ["00529"] and standing.refusal() is None
    # his earlier passes are published scores of earlier sittings, on the 考籍 as 考试合格
    earlier = PassedCourse.objects.filter(candidate=zhang, sitting__code__in=["2025-04", "2025-10"])
    assert set(earlier.values_list("course__code", flat=True)) == {"00015", "00037", "00536", "00537", "00541"}
    assert ExamScore.objects.filter(exam_number__number="010219100023", sitting__code="2025-10").count() == 3

    client.force_login(zhang.user)
    planner = client.get(reverse("graduation:planner")).content.decode()
    assert "文学概论（一）" in planner and "汉语言文学专业毕业论文" in planner
    home = client.get(reverse("portal:candidate_home")).content.decode()
    assert f'href="{reverse("theses:thesis")}"' in home
    saved = client.post(reverse("theses:thesis_apply"), FORM)
    assert saved.status_code == 302, saved.content.decode()
    client.post(saved["Location"])
    application = Application.objects.get(candidate=zhang, type_code="thesis")
    assert application.status == Status.REVIEWING
    nwnu = User.objects.get(username="nwnu")
    assert application.reviewing_office == nwnu.staff_member.office
    assert application.reviewing_office.code == "U10736"
    client.force_login(nwnu)
    page = client.get(reverse("backoffice:workflow_staff:detail", args=[application.pk])).content.decode()
    assert "审核通过（待答辩）" in page
