"""The candidate's 免考申请 through the Django test client: landing (须知) → form (his own plan's courses,
not passed) → preview → 提交; the offices decide course by course on the staff detail page; 不通过 shows
its reason on the candidate's detail page and in 当次免考审核结果查询; the 个人中心 tile links here."""

import datetime
from decimal import Decimal

from django.urls import reverse

from kaowu.records.models import PassedCourse
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

from .conftest import scan

FORM = {"agree": "on", "kind": "academic", "school": "兰州大学", "studied_major": "汉语言文学",
        "level": "junior_college", "academic_number": "107301201805001234", "graduated_on": "2018-07-01"}


def test_the_candidate_applies_and_reads_each_course_s_result(client, candidate, rules, staff, window, plan):
    PassedCourse.objects.create(candidate=candidate, course=plan["courses"]["00018"], source="exam",
                                score=Decimal("80"), passed_on=datetime.date(2024, 5, 1))
    client.force_login(candidate.user)
    landing = client.get("/exemptions/exemption/").content.decode()
    assert "免考须知" in landing and "申请免考" in landing

    form = client.get("/exemptions/exemption/apply/").content.decode()
    assert "我已阅读并知晓免考相关要求及流程" in form and "专科及以上学历" in form
    assert "03708 中国近现代史纲要" in form and "00015 英语（二）" in form
    assert '<input type="checkbox" name="courses" value="03708"' in form
    assert 'value="00018"' not in form  # already passed: not offered

    refused = client.post("/exemptions/exemption/apply/", {**FORM, "rule": rules["academic"].pk, "agree": "",
                                                           "school": "", "courses": ["03708"]})
    page = refused.content.decode()
    assert refused.status_code == 400 and "请阅读免考须知" in page and "请填写毕业学校" in page
    wrong = client.post("/exemptions/exemption/apply/", {**FORM, "rule": rules["academic"].pk, "courses": ["00015"]})
    assert "不在所选免考依据可免考的范围内" in wrong.content.decode()
    assert not Application.objects.exists()

    saved = client.post("/exemptions/exemption/apply/", {**FORM, "rule": rules["academic"].pk, "courses": ["03708"],
                                                         "certificate_scan": scan()})
    application = Application.objects.get()
    assert saved["Location"] == f"/exemptions/exemption/{application.number}/preview/"
    preview = client.get(saved["Location"]).content.decode()
    assert "确认免考申请" in preview and "107301201805001234" in preview and "03708 中国近现代史纲要" in preview
    client.post(saved["Location"])
    application.refresh_from_db()
    assert application.status == Status.REVIEWING

    # the exam area rejects the course on the staff page, with the reason
    client.force_login(staff["area"].user)
    staff_url = reverse("backoffice:workflow_staff:detail", args=[application.pk])
    assert "逐项审核" in client.get(staff_url).content.decode()
    client.post(staff_url, {"action": "item", "key": "03708", "decision": "rejected", "comment": "证书层次不符"})
    client.post(staff_url, {"action": "approve", "approve-comment": ""})
    application.refresh_from_db()
    assert application.reviewing_office == staff["province"].office

    client.force_login(candidate.user)
    detail = client.get(f"/exemptions/exemption/{application.number}/").content.decode()
    assert "免考课程审核结果" in detail and "不通过" in detail and "证书层次不符" in detail
    results = client.get(reverse("exemptions:results")).content.decode()
    assert application.number in results and "证书层次不符" in results


def test_the_form_refuses_without_a_rule_of_the_candidate_s_major(client, candidate, plan, window):
    client.force_login(candidate.user)
    response = client.get("/exemptions/exemption/apply/", follow=True)
    assert "您报考的专业暂无免考规则" in response.content.decode()


def test_the_personal_centre_links_the_exemption_tile_and_the_results_query(client, candidate, rules, window):
    client.force_login(candidate.user)
    home = client.get(reverse("portal:candidate_home")).content.decode()
    assert 'href="/exemptions/exemption/"' in home
    assert "当次免考审核结果查询" in home and reverse("exemptions:results") in home


def test_the_rules_page_is_in_the_back_office_navigation(client, staff, rules):
    client.force_login(staff["province"].user)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:exemptions_staff:list") in page
