"""实践性环节报名 through the Django test client: the 个人中心 tile, landing (须知) → form (his plans'
practical courses not on his 考籍) → preview → 保存 → detail (待缴费, 去缴费 / 删除); the 主考学校's
page under the back office (its own rows, masked ID numbers, search, 合格 / 不合格 per row, Excel);
the candidate reads each course's result."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaowu.core.spreadsheets import Column, Spreadsheet
from kaowu.payments.models import Order
from kaowu.practicals.types import COMPLETED, PENDING_PAYMENT
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory
from kaowu.workflow.models import Application

LANDING = "/practicals/registration/"
APPLY = "/practicals/registration/apply/"
STAFF = "/backoffice/practicals/"


def test_the_tile_on_the_personal_centre_leads_here(client, world):
    client.force_login(world["candidate"].user)
    page = client.get("/me/").content.decode()
    assert f'href="{LANDING}"' in page and "实践性环节报名" in page


def test_the_candidate_registers_through_the_preview_and_goes_to_pay(client, world):
    PassedCourse.objects.create(candidate=world["candidate"], course=world["courses"]["04737"],
                                source=PassedCourse.Source.PRACTICE, passed_on="2026-11-20")
    client.force_login(world["candidate"].user)
    landing = client.get(LANDING).content.decode()
    assert "实践性环节报名须知" in landing and f'href="{APPLY}"' in landing

    form = client.get(APPLY).content.decode()
    assert '<input type="checkbox" name="courses" value="04748"' in form and "兰州理工大学" in form
    assert 'value="04737"' not in form  # already passed: not offered
    assert 'value="02324"' not in form and 'value="00052"' not in form  # theory; another major's

    refused = client.post(APPLY, {"step": "preview", "courses": ["04748"]})
    assert refused.status_code == 400 and "请阅读报名须知并勾选确认" in refused.content.decode()
    forged = client.post(APPLY, {"step": "preview", "courses": ["02324"], "agree": "on"})
    assert forged.status_code == 400 and "02324" in forged.content.decode()  # not a choice
    assert not Application.objects.exists()

    preview = client.post(APPLY, {"step": "preview", "courses": ["04748"], "agree": "on"})
    page = preview.content.decode()
    assert preview.status_code == 200 and "确认实践性环节报名" in page and "04748" in page and "60.00" in page
    assert not Application.objects.exists()  # nothing saved before 保存

    saved = client.post(APPLY, {"step": "save", "courses": ["04748"], "agree": "True"})
    application = Application.objects.get()
    assert saved["Location"] == f"{LANDING}{application.number}/"
    detail = client.get(saved["Location"]).content.decode()
    assert "待缴费" in detail and "去缴费" in detail and "删除" in detail and "60.00" in detail
    assert application.status == PENDING_PAYMENT

    again = client.get(APPLY)  # one registration per sitting: back to it
    assert again["Location"] == f"{LANDING}{application.number}/"

    pay = client.post(reverse("practicals:registration_pay", args=[application.number]))
    order = Order.objects.get(reference=application.number)
    assert pay["Location"] == reverse("payments:order_detail", args=[order.number])
    assert "查看实践性环节报名" in client.get(pay["Location"]).content.decode()

    client.post(reverse("practicals:registration_delete", args=[application.number]))
    assert not Application.objects.exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


def test_outside_the_window_the_form_is_not_offered(client, world):
    world["window"].delete()
    client.force_login(world["candidate"].user)
    assert "尚未公布" in client.get(LANDING).content.decode()
    assert client.get(APPLY)["Location"] == LANDING
    client.post(APPLY, {"step": "save", "courses": ["04748"], "agree": "True"})
    assert not Application.objects.exists()


def test_another_candidate_cannot_open_pay_or_delete_it(client, world):
    from kaowu.practicals.services import practical_register

    application = practical_register(actor=world["candidate"].user, candidate=world["candidate"],
                                     exam_number=world["exam_number"], course_codes=["04748"])
    client.force_login(CandidateFactory().user)
    for name, method in (("practicals:registration_detail", "get"), ("practicals:registration_pay", "post"),
                         ("practicals:registration_delete", "post")):
        response = getattr(client, method)(reverse(name, args=[application.number]))
        assert response.status_code == 404, name
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_university_records_results_on_its_own_page(client, world, registered):
    application = registered()
    client.force_login(world["staff"]["lut"].user)
    page = client.get(STAFF).content.decode()
    id_number = world["candidate"].user.id_number
    assert "赵子轩" in page and "010221040031" in page and "04748" in page and "04737" in page
    assert id_number not in page and id_number[:4] in page  # masked
    assert "实践性环节报名" in page  # the side nav link

    item = application.items.get(key="04748")
    response = client.post(reverse("backoffice:practicals_staff:result", args=[item.pk]),
                           {"result": "passed", "note": "", "back": "result=pending&evil=1"})
    assert response["Location"] == f"{STAFF}?result=pending"
    assert PassedCourse.objects.filter(course__code="04748", source="practice").exists()
    other = application.items.get(key="04737")
    client.post(reverse("backoffice:practicals_staff:result", args=[other.pk]), {"result": "failed", "note": "缺考"})
    application.refresh_from_db()
    assert application.status == COMPLETED
    listed = client.get(STAFF, {"result": "failed"}).content.decode()
    assert "缺考" in listed and 'data-row="010221040031-04737"' in listed
    assert 'data-row="010221040031-04748"' not in listed

    client.force_login(world["candidate"].user)
    detail = client.get(reverse("practicals:registration_detail", args=[application.number])).content.decode()
    assert "成绩已登记" in detail and "合格" in detail and "不合格" in detail and "缺考" in detail
    passed = client.get("/scores/?tab=passed").content.decode()
    assert "Java语言程序设计（一）（实践）" in passed and "实践考核合格" in passed


def test_a_search_by_name_keeps_the_text_out_of_the_url(client, world, registered):
    registered()
    other = CandidateFactory(user__real_name="钱多多")
    number = ExamNumberFactory(candidate=other, exam_area=world["offices"]["area"], number="010221040077",
                               major_name="计算机科学与技术")
    registered(["04748"], candidate=other, exam_number=number)
    client.force_login(world["staff"]["lut"].user)
    response = client.post(STAFF, {"q": "钱多多"})
    assert "钱多多" not in response["Location"] and "s=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "010221040077" in page and "010221040031" not in page


def test_another_university_sees_nothing_and_cannot_record(client, world, registered):
    application = registered()
    client.force_login(world["staff"]["lzu"].user)
    assert "010221040031" not in client.get(STAFF).content.decode()
    item = application.items.get(key="04748")
    assert client.post(reverse("backoffice:practicals_staff:result", args=[item.pk]),
                       {"result": "passed"}).status_code == 404
    assert not PassedCourse.objects.exists()


def test_other_offices_are_sent_back_to_the_workbench(client, world, registered):
    registered()
    client.force_login(world["staff"]["province"].user)
    assert client.get(STAFF)["Location"] == reverse("backoffice:home")
    assert client.get(reverse("backoffice:practicals_staff:export"))["Location"] == reverse("backoffice:home")


def test_export_and_import_pages(client, world, registered):
    registered()
    client.force_login(world["staff"]["lut"].user)
    export = client.get(reverse("backoffice:practicals_staff:export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = Spreadsheet()
    book.add_sheet("结果", [Column(h, text=True) for h in ("准考证号", "课程代码", "考核结果")],
                   [("010221040031", "04748", "合格"), ("010221040031", "04737", "及格")])
    bad = client.post(reverse("backoffice:practicals_staff:import"),
                      {"file": SimpleUploadedFile("结果.xlsx", book.content())})
    page = bad.content.decode()
    assert bad.status_code == 400 and "未导入任何数据" in page and "及格" in page and "第 3 行" in page
    assert "导入实践考核结果" in page and reverse("backoffice:practicals_staff:export") + "?result=pending" in page
    assert "下载待登记名单（可作模板）" in page and "准考证号" in page  # the file's layout is described
    assert not PassedCourse.objects.exists()
    book = Spreadsheet()
    book.add_sheet("结果", [Column(h, text=True) for h in ("准考证号", "课程代码", "考核结果")],
                   [("010221040031", "04748", "合格"), ("010221040031", "04737", "合格")])
    good = client.post(reverse("backoffice:practicals_staff:import"),
                       {"file": SimpleUploadedFile("结果.xlsx", book.content())}, follow=True)
    assert "已导入考核结果：合格 2 门" in good.content.decode()
    assert PassedCourse.objects.filter(candidate=world["candidate"]).count() == 2


def test_the_engines_staff_page_names_the_results(client, world, registered):
    application = registered()
    client.force_login(world["staff"]["lut"].user)
    url = reverse("backoffice:workflow_staff:detail", args=[application.pk])
    page = client.get(url).content.decode()
    assert ">合格</button>" in page and ">不合格</button>" in page
    assert 'value="reject"' not in page and 'value="approve"' not in page  # no generic decisions for this type
    client.post(url, {"action": "item", "key": "04748", "decision": "approved", "comment": ""})
    assert PassedCourse.objects.filter(course__code="04748", source="practice").exists()
