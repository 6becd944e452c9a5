import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.candidates.models import ExamNumber
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
    make_id_number,
)
from kaowu.testing.files import pdf_bytes


@pytest.fixture
def area_staff(gansu):
    office = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), name="兰州市考区")
    return StaffMemberFactory(office=office, user=StaffUserFactory(username="lz_area"))


@pytest.fixture
def two_numbers(gansu):
    first = ExamNumberFactory(number="010122100101")
    ExamNumberFactory(number="010122100102", candidate=first.candidate)
    return first.candidate


def test_exam_area_staff_merge_from_the_candidate_page(client, staff_login, area_staff, two_numbers):
    staff_login("lz_area")
    page = client.get(f"/backoffice/candidates/{two_numbers.pk}/").content.decode()
    assert "合档（一人一号）" in page and "办理合档" in page
    response = client.post(f"/backoffice/candidates/{two_numbers.pk}/merge/", {
        "kept_number": "010122100101", "merged_numbers": ["010122100102"], "reason": "现场办理"}, follow=True)
    page = response.content.decode()
    assert "合档完成" in page and "010122100102 → 010122100101" in page
    assert ExamNumber.objects.get(number="010122100102").status == ExamNumber.Status.MERGED


def test_merge_without_a_number_to_merge_keeps_the_page_and_says_why(client, staff_login, area_staff, two_numbers):
    staff_login("lz_area")
    response = client.post(f"/backoffice/candidates/{two_numbers.pk}/merge/", {
        "kept_number": "010122100101", "merged_numbers": ["010122100101"], "reason": "现场办理"})
    assert response.status_code == 400
    assert "请勾选或填写要合并的准考证号" in response.content.decode()


def test_district_staff_do_not_see_the_records_forms(client, staff_login, reviewer, two_numbers):
    staff_login("cg_reviewer")
    page = client.get(f"/backoffice/candidates/{two_numbers.pk}/").content.decode()
    assert f"/backoffice/candidates/{two_numbers.pk}/merge/" not in page
    response = client.post(f"/backoffice/candidates/{two_numbers.pk}/merge/", {
        "kept_number": "010122100101", "merged_numbers": ["010122100102"]}, follow=True)
    assert "考区或省级" in response.content.decode()
    assert ExamNumber.objects.get(number="010122100102").status == ExamNumber.Status.ACTIVE


def test_id_number_correction_with_proof_is_shown_masked(client, staff_login, area_staff, two_numbers):
    staff_login("lz_area")
    new = make_id_number("620103", "19880808")
    response = client.post(f"/backoffice/candidates/{two_numbers.pk}/id-correction/", {
        "new_id_number": new, "reason": "户籍证明更正",
        "proof": SimpleUploadedFile("证明.pdf", pdf_bytes(), content_type="application/pdf")}, follow=True)
    page = response.content.decode()
    assert "身份证号已更正" in page
    assert new not in page and new[:4] + "**********" + new[-4:] in page


def test_id_correction_with_a_fake_pdf_keeps_the_typed_values(client, staff_login, area_staff, two_numbers):
    staff_login("lz_area")
    new = make_id_number("620103", "19880809")
    response = client.post(f"/backoffice/candidates/{two_numbers.pk}/id-correction/", {
        "new_id_number": new, "reason": "户籍证明更正",
        "proof": SimpleUploadedFile("证明.pdf", b"not a pdf")})
    page = response.content.decode()
    assert response.status_code == 400 and "PDF、JPG或PNG" in page and "户籍证明更正" in page
