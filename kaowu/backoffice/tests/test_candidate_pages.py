"""考生管理: scoped, searchable, masked; full ID number and phone only on request, and audited."""

import pytest

from kaowu.audit.models import AuditEvent
from kaowu.candidates.models import ExamNumber
from kaowu.core.masking import mask_id_number, mask_phone
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    UserFactory,
)


@pytest.fixture
def zhang(gansu):
    """A 城关区 candidate with two 准考证号 (awaiting 合档)."""
    candidate = CandidateFactory(user=UserFactory(real_name="张明远"))
    ExamNumberFactory(candidate=candidate, number="010122100011", major_name="汉语言文学")
    ExamNumberFactory(candidate=candidate, number="010122100012")
    return candidate


@pytest.fixture
def qilihe_candidate(gansu):
    return CandidateFactory(user=UserFactory(real_name="七里河考生"), district=Region.objects.get(code="620103"))


def test_the_list_shows_only_the_district_with_id_numbers_and_phones_masked(client, reviewer, zhang, qilihe_candidate):
    client.force_login(reviewer.user)
    page = client.get("/backoffice/candidates/").content.decode()
    assert "张明远" in page and "七里河考生" not in page
    assert zhang.user.id_number not in page and zhang.user.phone not in page
    assert mask_id_number(zhang.user.id_number) in page and mask_phone(zhang.user.phone) in page
    assert "010122100011" in page and "待合档" in page


@pytest.mark.parametrize("query", ["张明", "full_id", "phone", "010122100012"])
def test_the_list_searches_by_name_id_number_phone_and_exam_number(client, reviewer, zhang, query):
    CandidateFactory(user=UserFactory(real_name="王另一"))
    query = {"full_id": zhang.user.id_number, "phone": zhang.user.phone}.get(query, query)
    client.force_login(reviewer.user)
    response = client.post("/backoffice/candidates/", {"q": query}, follow=True)
    page = response.content.decode()
    assert "张明远" in page and "王另一" not in page
    # What was typed stays in the box but never in the URL (browser history, access logs).
    assert query not in response.request["QUERY_STRING"] and f'value="{query}"' in page


def test_the_list_search_is_audited_without_the_typed_text(client, reviewer, zhang):
    client.force_login(reviewer.user)
    client.post("/backoffice/candidates/", {"q": zhang.user.id_number}, follow=True)
    event = AuditEvent.objects.get(action="candidate.list")
    assert event.detail["has_query"] is True and event.detail["results"] == 1
    assert zhang.user.id_number not in str(event.detail) and event.actor == reviewer.user


def test_a_city_office_filters_by_district(client, gansu, zhang, qilihe_candidate):
    city = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.CITY_OFFICE, region=Region.objects.get(code="620100")))
    client.force_login(city.user)
    all_page = client.get("/backoffice/candidates/").content.decode()
    assert "张明远" in all_page and "七里河考生" in all_page and "七里河区" in all_page
    page = client.get("/backoffice/candidates/", {"region": "620103"}).content.decode()
    assert "七里河考生" in page and "张明远" not in page


def test_a_region_outside_the_jurisdiction_is_not_a_filter(client, reviewer, zhang):
    client.force_login(reviewer.user)
    response = client.get("/backoffice/candidates/", {"region": "620302"})
    assert response.status_code == 200 and "查询条件有误" in response.content.decode()


def test_the_awaiting_merge_filter(client, reviewer, zhang):
    CandidateFactory(user=UserFactory(real_name="单号考生"))
    client.force_login(reviewer.user)
    page = client.get("/backoffice/candidates/", {"show": "merge"}).content.decode()
    assert "张明远" in page and "单号考生" not in page


def test_the_list_is_paginated_by_twenty(client, reviewer, gansu):
    CandidateFactory.create_batch(21)
    client.force_login(reviewer.user)
    first = client.get("/backoffice/candidates/").content.decode()
    assert first.count('data-label="姓名"') == 20 and "第 1 / 2 页" in first
    assert client.get("/backoffice/candidates/", {"page": 2}).content.decode().count('data-label="姓名"') == 1
    assert client.get("/backoffice/candidates/", {"page": "junk"}).status_code == 200


def test_the_detail_page_is_masked_lists_exam_numbers_and_is_audited(client, reviewer, zhang):
    client.force_login(reviewer.user)
    page = client.get(f"/backoffice/candidates/{zhang.pk}/").content.decode()
    assert "张明远" in page and "甘肃省兰州市城关区" in page
    assert "010122100011" in page and "汉语言文学" in page and "一人一号" in page
    assert zhang.user.id_number not in page and zhang.user.phone not in page
    event = AuditEvent.objects.get(action="candidate.view")
    assert event.target_id == str(zhang.pk) and zhang.user.real_name not in event.target_label


def test_revealing_shows_the_full_id_number_and_phone_and_records_the_access(client, reviewer, zhang):
    client.force_login(reviewer.user)
    page = client.post(f"/backoffice/candidates/{zhang.pk}/", {"reveal": "1"}).content.decode()
    assert zhang.user.id_number in page and zhang.user.phone in page
    event = AuditEvent.objects.get(action="pii.view")
    assert event.actor == reviewer.user and event.target_id == str(zhang.pk)
    assert event.detail == {"fields": ["id_number", "phone"]} and event.ip_address == "127.0.0.1"
    # The next plain view is masked again.
    assert zhang.user.id_number not in client.get(f"/backoffice/candidates/{zhang.pk}/").content.decode()


def test_another_district_candidate_is_not_found_by_view_or_reveal(client, reviewer, qilihe_candidate):
    client.force_login(reviewer.user)
    assert client.get(f"/backoffice/candidates/{qilihe_candidate.pk}/").status_code == 404
    assert client.post(f"/backoffice/candidates/{qilihe_candidate.pk}/", {"reveal": "1"}).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["candidate.view", "pii.view"]).exists()


def test_merged_exam_numbers_show_on_the_detail_without_the_merge_warning(client, reviewer, gansu):
    candidate = CandidateFactory()
    kept = ExamNumberFactory(candidate=candidate, number="010122100021")
    ExamNumberFactory(candidate=candidate, number="010122100022", status=ExamNumber.Status.MERGED, merged_into=kept)
    client.force_login(reviewer.user)
    page = client.get(f"/backoffice/candidates/{candidate.pk}/").content.decode()
    assert "010122100022" in page and "已合档" in page and "一人一号" not in page


def test_pages_holding_personal_data_are_not_cached(client, reviewer, zhang):
    client.force_login(reviewer.user)
    for response in (client.get("/backoffice/candidates/"), client.get(f"/backoffice/candidates/{zhang.pk}/")):
        assert "no-store" in response["Cache-Control"]
