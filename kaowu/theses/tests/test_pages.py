"""毕业论文答辩申请 through the Django test client: the 个人中心 tile, 【申请毕业论文答辩】 → 联系方式 and
毕业信息 (phone prefilled) → preview → 提交; the university's card on the staff page (打回 with the
engine's 退回修改, 审核通过（待答辩）, 登记答辩结果); the candidate's page in the seed's words (打回,
【修改申请信息】) with the result; the thesis on 历次合格成绩."""

from django.urls import reverse
from django.utils import timezone

from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

FORM = {"phone": "15193100102", "address": "甘肃省兰州市城关区雁滩路100号", "postcode": "730000", "email": "",
        "title": "论鲁迅小说中的乡土叙事", "supervisor": "", "agree": "on"}


def test_from_the_tile_to_the_record(eligible, staff, window, client):
    eligible.user.phone = "13893100199"
    eligible.user.save()
    client.force_login(eligible.user)
    home = client.get(reverse("portal:candidate_home")).content.decode()
    assert f'href="{reverse("theses:thesis")}"' in home

    form = client.get(reverse("theses:thesis_apply")).content.decode()
    assert 'value="13893100199"' in form  # the account's phone, prefilled
    assert "050105 汉语言文学（本科）" in form and "07042 汉语言文学专业毕业论文（8学分）" in form
    assert "西北师范大学" in form
    refused = client.post(reverse("theses:thesis_apply"), {**FORM, "agree": "", "title": "", "postcode": "7300"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "请填写论文题目" in page and "邮政编码为6位数字" in page and "请核对联系方式及毕业信息后勾选确认" in page
    assert not Application.objects.exists()

    saved = client.post(reverse("theses:thesis_apply"), FORM)
    application = Application.objects.get()
    assert saved["Location"] == reverse("theses:thesis_preview", args=[application.number])
    preview = client.get(saved["Location"]).content.decode()
    assert "确认毕业论文答辩申请" in preview and "论鲁迅小说中的乡土叙事" in preview
    client.post(saved["Location"])
    application.refresh_from_db()
    assert application.status == Status.REVIEWING

    # the university: the card with 审核通过（待答辩）, the engine's 退回修改 and 审核未通过, no generic approval
    staff_url = reverse("backoffice:workflow_staff:detail", args=[application.pk])
    client.force_login(staff["nwnu"].user)
    page = client.get(staff_url).content.decode()
    assert "data-thesis-panel" in page and "审核通过（待答辩）" in page and "还差 1 门" in page
    assert 'value="approve"' not in page and 'value="return"' in page
    client.post(staff_url, {"action": "return", "return-reason": "论文题目过于宽泛，请具体到作品"})

    # 打回: the candidate reads why and uses 【修改申请信息】
    client.force_login(eligible.user)
    detail = client.get(reverse("theses:thesis_detail", args=[application.number])).content.decode()
    assert "已打回" in detail and "打回原因：" in detail and "论文题目过于宽泛，请具体到作品" in detail
    assert "修改申请信息" in detail
    edit = client.get(reverse("theses:thesis_edit", args=[application.number])).content.decode()
    assert "打回原因：" in edit and "论鲁迅小说中的乡土叙事" in edit
    client.post(reverse("theses:thesis_edit", args=[application.number]), {**FORM, "title": "论《故乡》的乡土叙事"})
    client.post(reverse("theses:thesis_preview", args=[application.number]))
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.data["title"] == "论《故乡》的乡土叙事"

    # another university reaches nothing; the major's accepts and records the result
    client.force_login(staff["lzu"].user)
    assert client.post(reverse("backoffice:theses_staff:accept", args=[application.pk])).status_code == 404
    assert client.get(staff_url).status_code == 404
    client.force_login(staff["nwnu"].user)
    client.post(reverse("backoffice:theses_staff:accept", args=[application.pk]),
                {"accept-arrangement": "2030年05月20日 09:00 文学院302室"})
    page = client.get(staff_url).content.decode()
    assert "登记答辩结果" in page and "待答辩" in page
    refused = client.post(reverse("backoffice:theses_staff:result", args=[application.pk]),
                          {"result-outcome": "passed", "result-grade": "fail",
                           "result-defended_on": timezone.localdate().isoformat()}, follow=True)
    assert "答辩通过的，请选择成绩等级" in refused.content.decode()
    client.post(reverse("backoffice:theses_staff:result", args=[application.pk]),
                {"result-outcome": "passed", "result-grade": "excellent",
                 "result-defended_on": timezone.localdate().isoformat()})
    application.refresh_from_db()
    assert application.status == Status.APPROVED

    client.force_login(eligible.user)
    detail = client.get(reverse("theses:thesis_detail", args=[application.number])).content.decode()
    assert "答辩通过" in detail and "data-defence-result" in detail and "优秀" in detail
    printed = client.get(reverse("theses:thesis_print", args=[application.number])).content.decode()
    assert "论《故乡》的乡土叙事" in printed and "西北师范大学" in printed
    record = client.get(reverse("records:scores") + "?tab=passed").content.decode()
    assert "汉语言文学专业毕业论文" in record and "毕业论文答辩合格" in record and "答辩成绩：优秀" in record
    landing = client.get(reverse("theses:thesis")).content.decode()
    assert "已记入考籍，不能再申请毕业论文答辩" in landing
    assert "data-refusal" in landing and "查看毕业预测" in landing  # the refusal, no 申请 link
    assert 'data-label="论文题目">论《故乡》的乡土叙事' in landing  # 我的申请, each cell named on a phone
