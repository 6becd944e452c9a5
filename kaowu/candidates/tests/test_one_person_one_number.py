import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.audit.models import AuditEvent
from kaowu.candidates.models import ExamNumber
from kaowu.candidates.services import CandidateRecordError, exam_numbers_merge, id_number_correct
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    UserFactory,
    make_id_number,
)
from kaowu.testing.files import pdf_bytes

PDF = pdf_bytes()


@pytest.fixture
def lanzhou_area_staff(gansu):
    office = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区")
    return StaffMemberFactory(office=office)


def test_exam_area_merges_two_numbers_of_one_account(lanzhou_area_staff):
    kept = ExamNumberFactory(number="010122100001")
    other = ExamNumberFactory(number="010122100002", candidate=kept.candidate)
    [record] = exam_numbers_merge(staff=lanzhou_area_staff, kept_number=kept.number, merged_numbers=[other.number],
                                  reason="一人一号")
    other.refresh_from_db()
    assert other.status == ExamNumber.Status.MERGED and other.merged_into == kept
    assert record.merged_from_candidate == kept.candidate
    assert list(kept.candidate.exam_numbers.filter(status="active")) == [kept]
    assert AuditEvent.objects.filter(action="candidate.exam_numbers_merged").count() == 1


def test_merge_brings_a_number_of_an_old_account_of_the_same_person(lanzhou_area_staff):
    new = ExamNumberFactory(number="010122100011", candidate__user__real_name="马小红")
    old_account = CandidateFactory(user=UserFactory(real_name="马小红"))
    old = ExamNumberFactory(number="010199000011", candidate=old_account)
    exam_numbers_merge(staff=lanzhou_area_staff, kept_number=new.number, merged_numbers=[old.number])
    old.refresh_from_db()
    assert old.candidate == new.candidate and old.merged_into == new


def test_merge_refuses_numbers_of_a_different_name(lanzhou_area_staff):
    kept = ExamNumberFactory(number="010122100021", candidate__user__real_name="马小红")
    stranger = ExamNumberFactory(number="010122100022", candidate__user__real_name="李大伟")
    with pytest.raises(CandidateRecordError, match="姓名与保留号不一致"):
        exam_numbers_merge(staff=lanzhou_area_staff, kept_number=kept.number, merged_numbers=[stranger.number])
    stranger.refresh_from_db()
    assert stranger.status == ExamNumber.Status.ACTIVE


def test_a_merged_number_cannot_be_merged_again(lanzhou_area_staff):
    kept = ExamNumberFactory(number="010122100031")
    other = ExamNumberFactory(number="010122100032", candidate=kept.candidate)
    exam_numbers_merge(staff=lanzhou_area_staff, kept_number=kept.number, merged_numbers=[other.number])
    with pytest.raises(CandidateRecordError, match="已合档"):
        exam_numbers_merge(staff=lanzhou_area_staff, kept_number=kept.number, merged_numbers=[other.number])


def test_staff_outside_the_jurisdiction_cannot_merge(gansu):
    tianshui = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.EXAM_AREA,
                                                       region=Region.objects.get(code="620500")))
    kept = ExamNumberFactory(number="010122100041")
    other = ExamNumberFactory(number="010122100042", candidate=kept.candidate)
    with pytest.raises(CandidateRecordError, match="管辖范围"):
        exam_numbers_merge(staff=tianshui, kept_number=kept.number, merged_numbers=[other.number])


def test_district_offices_do_not_merge(gansu):
    district = StaffMemberFactory()
    kept = ExamNumberFactory(number="010122100051")
    with pytest.raises(CandidateRecordError, match="考区或省级"):
        exam_numbers_merge(staff=district, kept_number=kept.number, merged_numbers=["010122100052"])


def test_exam_area_corrects_an_id_number_with_a_proof(lanzhou_area_staff):
    candidate = CandidateFactory()
    old = candidate.user.id_number
    new = make_id_number("620103", "19900101")
    correction = id_number_correct(staff=lanzhou_area_staff, candidate=candidate, new_id_number=new.lower(),
                                   proof=SimpleUploadedFile("证明.pdf", PDF), reason="公安机关更正出生日期")
    candidate.user.refresh_from_db()
    assert candidate.user.id_number == new
    assert correction.old_id_number == old and correction.new_id_number == new
    event = AuditEvent.objects.get(action="candidate.id_number_corrected")
    assert old not in str(event.detail) and new not in str(event.detail)


@pytest.mark.parametrize("proof, message", [
    (SimpleUploadedFile("证明.pdf", b"hello"), "PDF、JPG或PNG"),
    (None, "请上传证明材料"),
])
def test_id_correction_needs_a_real_proof_document(lanzhou_area_staff, proof, message):
    candidate = CandidateFactory()
    with pytest.raises(CandidateRecordError, match=message):
        id_number_correct(staff=lanzhou_area_staff, candidate=candidate, new_id_number=make_id_number(),
                          proof=proof, reason="更正")


def test_id_correction_refuses_an_invalid_or_taken_number(lanzhou_area_staff):
    candidate = CandidateFactory()
    other = CandidateFactory()
    with pytest.raises(CandidateRecordError, match="校验位|18位"):
        id_number_correct(staff=lanzhou_area_staff, candidate=candidate, new_id_number="620102199001011234",
                          proof=SimpleUploadedFile("p.pdf", PDF), reason="更正")
    with pytest.raises(CandidateRecordError, match="已被其他账号使用"):
        id_number_correct(staff=lanzhou_area_staff, candidate=candidate, new_id_number=other.user.id_number,
                          proof=SimpleUploadedFile("p.pdf", PDF), reason="更正")
