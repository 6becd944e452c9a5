"""免考规则 in the back office: the province keeps them (list, add, edit, delete, audited); other offices
read only; Excel export and import round trip; a file with one bad row imports nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaowu.audit.models import AuditEvent
from kaowu.exemptions import excel, services
from kaowu.exemptions.models import ExemptionRule

LIST = "backoffice:exemptions_staff:list"


def url(name, *args):
    return reverse(f"backoffice:exemptions_staff:{name}", args=args)


def test_province_staff_add_a_rule_and_it_is_audited(client, staff, plan):
    client.force_login(staff["province"].user)
    response = client.post(url("create"), {"kind": "non_academic", "certificate": "全国计算机等级考试二级",
                                           "major": "120203k", "courses": "00018", "is_active": "on"})
    assert response.status_code == 302
    rule = ExemptionRule.objects.get()
    assert (rule.certificate, rule.major.code, [c.code for c in rule.courses.all()]) == \
        ("全国计算机等级考试二级", "120203K", ["00018"])
    event = AuditEvent.objects.get(action="exemption.rule.created")
    assert event.detail["courses"] == ["00018"]

    page = client.get(reverse(LIST)).content.decode()
    assert "全国计算机等级考试二级" in page and "00018 计算机应用基础" in page


def test_province_staff_edit_and_delete_a_rule(client, staff, rules):
    client.force_login(staff["province"].user)
    rule = rules["academic"]
    form = client.get(url("edit", rule.pk)).content.decode()
    assert "专科及以上学历" in form and "00018、03708" in form
    client.post(url("edit", rule.pk), {"kind": "academic", "certificate": "专科及以上学历", "major": "120203K",
                                       "courses": "03708", "note": "仅限非英语专业"})
    rule.refresh_from_db()
    assert [c.code for c in rule.courses.all()] == ["03708"] and not rule.is_active and rule.note == "仅限非英语专业"
    changes = AuditEvent.objects.get(action="exemption.rule.updated").detail["changes"]
    assert changes["courses"] == [["00018", "03708"], ["03708"]] and changes["is_active"] == [True, False]

    client.post(url("delete", rule.pk))
    assert not ExemptionRule.objects.filter(pk=rule.pk).exists()
    assert AuditEvent.objects.filter(action="exemption.rule.deleted").exists()


def test_a_course_outside_the_major_s_plan_is_refused(client, staff, plan):
    client.force_login(staff["province"].user)
    response = client.post(url("create"), {"kind": "academic", "certificate": "本科", "major": "120203K",
                                           "courses": "00041"})
    assert response.status_code == 400 and "不在专业 120203K 的专业计划中" in response.content.decode()
    response = client.post(url("create"), {"kind": "academic", "certificate": "本科", "major": "120203K",
                                           "courses": "99999"})
    assert "课程代码 99999 不存在" in response.content.decode()
    assert not ExemptionRule.objects.exists()


def test_the_same_certificate_twice_for_a_major_is_refused(client, staff, rules):
    client.force_login(staff["province"].user)
    response = client.post(url("create"), {"kind": "academic", "certificate": "专科及以上学历", "major": "120203K",
                                           "courses": "03708"})
    assert response.status_code == 400 and "该专业已有同一证书的免考规则" in response.content.decode()
    assert ExemptionRule.objects.count() == 2


def test_other_offices_read_but_cannot_change(client, staff, rules):
    client.force_login(staff["area"].user)
    page = client.get(reverse(LIST)).content.decode()
    assert "专科及以上学历" in page and "新增免考规则" not in page
    response = client.post(url("create"), {"kind": "academic", "certificate": "x", "major": "120203K",
                                           "courses": "03708"}, follow=True)
    assert "免考规则由省级考试机构维护" in response.content.decode()
    client.post(url("delete", rules["academic"].pk))
    assert ExemptionRule.objects.count() == 2
    with pytest.raises(services.ExemptionRuleError):
        services.rule_delete(staff=staff["area"], rule=rules["academic"])
    with pytest.raises(services.ExemptionRuleError):
        excel.rules_import(staff=staff["area"], file=io.BytesIO(b""), name="x.csv")
    assert ExemptionRule.objects.count() == 2


def test_excel_export_and_import_round_trip(client, staff, rules):
    client.force_login(staff["province"].user)
    exported = client.get(url("export"))
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="exemption.rules.exported").exists()
    before = {(r.kind, r.certificate, r.major.code, r.is_active, tuple(sorted(c.code for c in r.courses.all())))
              for r in ExemptionRule.objects.all()}
    ExemptionRule.objects.all().delete()

    response = client.post(url("import"), {"file": SimpleUploadedFile("免考规则.xlsx", exported.content)})
    assert response.status_code == 302
    after = {(r.kind, r.certificate, r.major.code, r.is_active, tuple(sorted(c.code for c in r.courses.all())))
             for r in ExemptionRule.objects.all()}
    assert after == before and len(after) == 2
    assert AuditEvent.objects.get(action="exemption.rules.imported").detail["created"] == 2

    # the same file again updates, never duplicates
    result = excel.rules_import(staff=staff["province"], file=io.BytesIO(exported.content), name="again.xlsx")
    assert (result.created, result.updated) == (0, 2) and ExemptionRule.objects.count() == 2


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row(client, staff, plan):
    client.force_login(staff["province"].user)
    csv = ("免考类型,证书或资格,专业代码,专业名称,可免考课程代码,说明,启用\n"
           "学历证书免考,专科及以上学历,120203K,会计学,03708、00018,,是\n"
           "职业资格免考,会计从业资格,120203K,会计学,00067,,是\n"
           "非学历证书免考,CET-4,120203K,会计学,00041,,是\n").encode()
    response = client.post(url("import"), {"file": SimpleUploadedFile("rules.csv", csv)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "免考类型“职业资格免考”不正确" in page and "课程 00041 不在专业 120203K 的专业计划中" in page
    assert "第 3 行" in page and "第 4 行" in page
    assert not ExemptionRule.objects.exists()
    assert "导入免考规则" in page and url("export") in page and "第 1 行为表头" in page  # the page and its layout
