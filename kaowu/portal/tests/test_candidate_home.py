import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.candidates.services import exam_numbers_merge, id_number_correct
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import ExamNumberFactory, OfficeFactory, StaffMemberFactory, make_id_number
from kaowu.testing.files import pdf_bytes


@pytest.fixture
def enrolled(gansu):
    first = ExamNumberFactory(number="010122100201")
    ExamNumberFactory(number="010122100202", candidate=first.candidate)
    return first.candidate


def test_the_candidate_sees_merges_and_id_corrections_done_by_the_exam_area(client, enrolled):
    area = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"),
                                                   name="兰州市考区"))
    exam_numbers_merge(staff=area, kept_number="010122100201", merged_numbers=["010122100202"])
    id_number_correct(staff=area, candidate=enrolled, new_id_number=make_id_number("620103", "19910101"),
                      proof=SimpleUploadedFile("p.pdf", pdf_bytes()), reason="户籍更正")
    client.force_login(enrolled.user)
    page = client.get("/me/").content.decode()
    assert "010122100202 合并至 010122100201" in page and "身份证号更正" in page and "兰州市考区" in page


def test_online_name_and_id_check_from_the_candidate_home(client, enrolled):
    client.force_login(enrolled.user)
    client.post("/accounts/exam-number/", {"number": "010122100201"})
    response = client.post("/identity/registry-check/", follow=True)
    page = response.content.decode()
    assert "姓名与身份证号一致" in page and "一致" in page
