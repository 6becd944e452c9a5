"""The 主考学校 records 合格 / 不合格 course by course — by form or by Excel import: 合格 joins the 考籍
(实践考核合格), 不合格 does not; a result is recorded once; only the major's university records it;
the last result completes the registration; the candidate is told each time; every action audited; an
import with a bad row writes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.audit.models import AuditEvent
from kaowu.core.spreadsheets import Column, ImportRejected, Spreadsheet, table_rows
from kaowu.notifications.models import InboxMessage
from kaowu.practicals import excel, services
from kaowu.practicals.selectors import practical_items_for_staff
from kaowu.practicals.types import COMPLETED, REGISTERED
from kaowu.records.models import PassedCourse
from kaowu.records.selectors import passed_courses_visible_to_candidate
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory
from kaowu.workflow import services as workflow
from kaowu.workflow.models import ApplicationItem
from kaowu.workflow.services import WorkflowError


def item_of(application, code) -> ApplicationItem:
    return application.items.get(key=code)


def record(world, application, code, passed, note="", staff="lut"):
    return services.practical_result_record(staff=world["staff"][staff], item=item_of(application, code),
                                            passed=passed, note=note)


def titles(user) -> list[str]:
    return list(InboxMessage.objects.filter(user=user).order_by("id").values_list("title", flat=True))


# --- by form --------------------------------------------------------------------------------------

def test_a_pass_joins_the_record_as_practice(world, registered, committed):
    application = registered()
    with committed():
        record(world, application, "04748", True)
    passed = PassedCourse.objects.get(candidate=world["candidate"])
    assert (passed.course.code, passed.source, passed.score, passed.sitting) == (
        "04748", PassedCourse.Source.PRACTICE, None, world["sitting"])
    assert [p.get_source_display() for p in passed_courses_visible_to_candidate(candidate=world["candidate"])] == [
        "实践考核合格"]
    application.refresh_from_db()
    assert application.status == REGISTERED  # 04737 still waits for its result
    assert titles(world["candidate"].user)[-1] == "您的实践考核成绩已登记"
    body = InboxMessage.objects.filter(user=world["candidate"].user).latest("id").body
    assert "04748 Java语言程序设计（一）（实践） 合格" in body


def test_a_fail_does_not_join_the_record(world, registered):
    application = registered(["04748"])
    record(world, application, "04748", False, "未按时提交实验报告")
    assert not PassedCourse.objects.exists()
    item = item_of(application, "04748")
    assert item.decision == ApplicationItem.Decision.REJECTED and item.comment == "未按时提交实验报告"
    assert item.decision_label == "不合格"


def test_a_fail_without_a_note_says_so(world, registered):
    application = registered(["04748"])
    record(world, application, "04748", False)
    assert item_of(application, "04748").comment == "实践考核不合格"


def test_the_last_result_completes_the_registration_and_tells_the_candidate(world, registered, committed):
    application = registered()
    with committed():
        record(world, application, "04748", True)
        record(world, application, "04737", False, "缺考")
    application.refresh_from_db()
    assert application.status == COMPLETED and application.reviewing_office is None
    assert application.decided_at is not None
    message = InboxMessage.objects.filter(user=world["candidate"].user).latest("id")
    assert message.title == "您的实践性环节报名成绩已登记"
    assert "04748 Java语言程序设计（一）（实践） 合格" in message.body
    assert "04737 C++程序设计（实践） 不合格（缺考）" in message.body
    assert application.status_label == "成绩已登记"


def test_a_recorded_result_cannot_be_changed(world, registered):
    application = registered()
    record(world, application, "04748", True)
    with pytest.raises(WorkflowError, match="已登记为“合格”，不能更改"):
        record(world, application, "04748", False, "改判")
    assert item_of(application, "04748").decision == ApplicationItem.Decision.APPROVED
    assert PassedCourse.objects.count() == 1


def test_a_result_after_completion_is_refused(world, registered):
    application = registered(["04748"])
    record(world, application, "04748", False)
    with pytest.raises(WorkflowError):
        record(world, application, "04748", True)
    assert not PassedCourse.objects.exists()


def test_a_university_that_is_not_the_majors_cannot_record(world, registered):
    application = registered()
    with pytest.raises(WorkflowError, match="不在本机构"):
        record(world, application, "04748", True, staff="lzu")
    assert item_of(application, "04748").decision == ApplicationItem.Decision.PENDING
    assert not PassedCourse.objects.exists()
    assert not practical_items_for_staff(staff=world["staff"]["lzu"]).exists()


@pytest.mark.parametrize("office", ["province", "area"])
def test_an_office_that_is_not_a_university_cannot_record(world, registered, office):
    application = registered()
    with pytest.raises(WorkflowError, match="主考学校"):
        record(world, application, "04748", True, staff=office)
    assert not PassedCourse.objects.exists()


def test_an_unpaid_registration_has_no_results_yet(world):
    application = services.practical_register(actor=world["candidate"].user, candidate=world["candidate"],
                                              exam_number=world["exam_number"], course_codes=["04748"])
    assert not practical_items_for_staff(staff=world["staff"]["lut"]).exists()
    with pytest.raises(WorkflowError):
        record(world, application, "04748", True)
    assert not PassedCourse.objects.exists()


def test_the_engines_generic_item_decision_has_the_same_effect(world, registered):
    """The engine's 申请审核 page decides items with `application_item_decide`: the type's hook runs."""
    application = registered(["04748"])
    workflow.application_item_decide(application=application, staff=world["staff"]["lut"], key="04748",
                                     approved=True)
    assert PassedCourse.objects.filter(source=PassedCourse.Source.PRACTICE, course__code="04748").exists()
    application.refresh_from_db()
    assert application.status == COMPLETED


def test_every_result_is_audited(world, registered):
    application = registered()
    record(world, application, "04748", True)
    event = AuditEvent.objects.filter(action="practical.result_recorded").get()
    assert event.actor == world["staff"]["lut"].user
    assert event.detail["course"] == "04748" and event.detail["result"] == "passed"
    assert event.jurisdiction_code == world["candidate"].district.code


def test_a_passed_course_cannot_be_registered_again(world, registered):
    application = registered(["04748"])
    record(world, application, "04748", True)
    with pytest.raises(WorkflowError, match="04748 已合格"):
        services.practical_register(actor=world["candidate"].user, candidate=world["candidate"],
                                    exam_number=world["exam_number"], course_codes=["04748"])


def test_a_pass_counts_for_graduation(world, registered):
    from kaowu.graduation.eligibility import evaluate, plan_of
    from kaowu.records.selectors import passed_course_ids

    application = registered(["04748"])
    plan = plan_of(world["major"])
    assert world["courses"]["04748"].pk in evaluate(plan, passed_course_ids(candidate=world["candidate"])).missing_required
    record(world, application, "04748", True)
    verdict = evaluate(plan, passed_course_ids(candidate=world["candidate"]))
    assert world["courses"]["04748"].pk not in verdict.missing_required


# --- by Excel ---------------------------------------------------------------------------------------

def xlsx(rows, headers=("准考证号", "姓名", "课程代码", "考核结果", "说明")) -> SimpleUploadedFile:
    book = Spreadsheet()
    book.add_sheet("考核结果", [Column(h, text=True) for h in headers], rows)
    return SimpleUploadedFile("结果.xlsx", book.content())


def import_file(world, upload, staff="lut"):
    return excel.practical_results_import(staff=world["staff"][staff], file=upload, name=upload.name)


def test_an_import_records_every_result(world, registered, committed):
    application = registered()
    with committed():
        result = import_file(world, xlsx([("010221040031", "赵子轩", "04748", "合格", ""),
                                          ("010221040031", "赵子轩", "4737", "不合格", "缺考")]))
    assert (result.passed, result.failed) == (1, 1)
    application.refresh_from_db()
    assert application.status == COMPLETED
    assert list(PassedCourse.objects.values_list("course__code", "source")) == [("04748", "practice")]
    assert AuditEvent.objects.filter(action="practical.results_imported").count() == 1
    assert AuditEvent.objects.filter(action="practical.result_recorded").count() == 2
    assert titles(world["candidate"].user)[-1] == "您的实践性环节报名成绩已登记"


def test_an_import_with_a_bad_row_writes_nothing(world, registered):
    application = registered()
    other = CandidateFactory()
    ExamNumberFactory(candidate=other, number="010221049999", exam_area=world["offices"]["area"],
                      major_name="计算机科学与技术")
    with pytest.raises(ImportRejected) as rejected:
        import_file(world, xlsx([("010221040031", "赵子轩", "04748", "合格", ""),
                                 ("010221040031", "赵子轩", "04737", "优秀", ""),
                                 ("010221049999", "某某", "04748", "合格", "")]))
    problems = [(p.row, p.column) for p in rejected.value.problems]
    assert problems == [(3, "考核结果"), (4, "准考证号")]
    assert "优秀" in rejected.value.problems[0].message
    assert all(i.decision == ApplicationItem.Decision.PENDING for i in application.items.all())
    assert not PassedCourse.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="practical.result").exists()


def test_an_import_cannot_change_a_recorded_result_but_may_repeat_it(world, registered):
    application = registered()
    record(world, application, "04748", True)
    with pytest.raises(ImportRejected) as rejected:
        import_file(world, xlsx([("010221040031", "赵子轩", "04748", "不合格", ""),
                                 ("010221040031", "赵子轩", "04737", "合格", "")]))
    assert [p.message for p in rejected.value.problems] == ["该课程已登记为“合格”，不能更改"]
    assert item_of(application, "04737").decision == ApplicationItem.Decision.PENDING
    result = import_file(world, xlsx([("010221040031", "赵子轩", "04748", "合格", ""),
                                      ("010221040031", "赵子轩", "04737", "合格", "")]))
    assert (result.passed, result.failed) == (1, 0) and "相同 1 行" in result.summary


def test_an_import_by_another_university_finds_none_of_the_rows(world, registered):
    registered()
    with pytest.raises(ImportRejected) as rejected:
        import_file(world, xlsx([("010221040031", "赵子轩", "04748", "合格", "")]), staff="lzu")
    assert "本校名单中没有" in rejected.value.problems[0].message
    assert not PassedCourse.objects.exists()


def test_an_import_without_the_result_column_is_refused(world, registered):
    registered()
    with pytest.raises(ImportRejected) as rejected:
        import_file(world, xlsx([("010221040031", "04748")], headers=("准考证号", "课程代码")))
    assert "考核结果" in rejected.value.problems[0].message


def test_duplicate_rows_are_reported(world, registered):
    registered()
    with pytest.raises(ImportRejected) as rejected:
        import_file(world, xlsx([("010221040031", "赵子轩", "04748", "合格", ""),
                                 ("010221040031", "赵子轩", "04748", "合格", "")]))
    assert [p.message for p in rejected.value.problems] == ["与第 2 行重复"]


def test_the_export_is_the_offices_list_with_masked_id_numbers_and_can_be_filled_and_imported(world, registered):
    application = registered()
    staff = world["staff"]["lut"]
    content = excel.practical_list_export(staff=staff, items=practical_items_for_staff(staff=staff))
    rows = list(table_rows(io.BytesIO(content), name="名单.xlsx"))
    header_at = next(i for i, (_n, values) in enumerate(rows) if "准考证号" in values)
    header, data = rows[header_at][1], [values for _n, values in rows[header_at + 1:]]
    assert header[:4] == ["申请编号", "准考证号", "姓名", "身份证号"]
    id_number = world["candidate"].user.id_number
    assert [row[6] for row in data] == ["04737", "04748"]
    assert all(row[3] != id_number and row[3].startswith(id_number[:3]) and "*" in row[3] for row in data)
    assert all(row[0] == application.number for row in data)
    assert AuditEvent.objects.filter(action="practical.list_exported").count() == 1
    # filled in and imported back
    filled = [[*row[:10], "合格", ""] for row in data]
    book = Spreadsheet()
    book.add_sheet("名单", [Column(h, text=True) for h in header], filled)
    result = import_file(world, SimpleUploadedFile("名单.xlsx", book.content()))
    assert result.passed == 2
    assert PassedCourse.objects.filter(candidate=world["candidate"]).count() == 2
    assert excel.practical_list_export(staff=world["staff"]["lzu"], items=practical_items_for_staff(
        staff=world["staff"]["lzu"]))  # another university's export is empty (a header only)
