"""Candidate selectors used by staff pages: scoped lookup, search and the 工作台 queues."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from kaowu.candidates.models import ExamNumber
from kaowu.candidates.selectors import (
    candidate_get_for_staff,
    candidates_awaiting_merge,
    candidates_in_region,
    candidates_registered_since,
    candidates_search,
    candidates_visible_to,
    candidates_with_exam_numbers,
)
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import (
    CandidateFactory,
    ExamNumberFactory,
    OfficeFactory,
    StaffMemberFactory,
    UserFactory,
)


@pytest.fixture
def chengguan_staff(gansu):
    return StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE,
                                                   region=Region.objects.get(code="620102")))


def test_a_candidate_of_another_district_is_not_found_for_a_district_staff(chengguan_staff):
    other = CandidateFactory(district=Region.objects.get(code="620103"))
    with pytest.raises(Http404):
        candidate_get_for_staff(staff=chengguan_staff, pk=other.pk)


def test_a_candidate_of_the_district_is_found(chengguan_staff):
    own = CandidateFactory()
    assert candidate_get_for_staff(staff=chengguan_staff, pk=own.pk) == own


def test_search_finds_by_name_part_full_id_number_phone_exam_number_and_candidate_number(chengguan_staff):
    wanted = CandidateFactory(user=UserFactory(real_name="欧阳明月", candidate_number="26620101130009"))
    ExamNumberFactory(candidate=wanted, number="010122100077")
    CandidateFactory(user=UserFactory(real_name="张三"))
    visible = candidates_visible_to(staff=chengguan_staff)
    for query in ["欧阳", wanted.user.id_number.lower(), wanted.user.phone, "010122100077", "26620101130009"]:
        assert list(candidates_search(queryset=visible, query=query)) == [wanted], query


def test_search_does_not_match_part_of_an_id_number(chengguan_staff):
    candidate = CandidateFactory()
    visible = candidates_visible_to(staff=chengguan_staff)
    assert not candidates_search(queryset=visible, query=candidate.user.id_number[:10]).exists()


def test_search_stays_inside_the_jurisdiction(chengguan_staff):
    outsider = CandidateFactory(district=Region.objects.get(code="620103"))
    visible = candidates_visible_to(staff=chengguan_staff)
    assert not candidates_search(queryset=visible, query=outsider.user.id_number).exists()


def test_candidates_in_a_city_include_all_its_districts(gansu):
    a = CandidateFactory(district=Region.objects.get(code="620102"))
    b = CandidateFactory(district=Region.objects.get(code="620103"))
    CandidateFactory(district=Region.objects.get(code="620302"))
    from kaowu.candidates.models import Candidate

    everyone = Candidate.objects.all()
    assert set(candidates_in_region(queryset=everyone, region=Region.objects.get(code="620100"))) == {a, b}
    assert set(candidates_in_region(queryset=everyone, region=Region.objects.get(code="620103"))) == {b}


def test_candidates_with_several_active_exam_numbers_await_merge(chengguan_staff):
    several = CandidateFactory()
    ExamNumberFactory.create_batch(2, candidate=several)
    merged_already = CandidateFactory()
    kept = ExamNumberFactory(candidate=merged_already)
    ExamNumberFactory(candidate=merged_already, status=ExamNumber.Status.MERGED, merged_into=kept)
    ExamNumberFactory(candidate=CandidateFactory())
    visible = candidates_visible_to(staff=chengguan_staff)
    assert list(candidates_awaiting_merge(queryset=visible)) == [several]


def test_new_registrations_are_counted_from_a_moment(chengguan_staff):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        CandidateFactory()
    recent = CandidateFactory()
    since = timezone.now() - datetime.timedelta(days=7)
    visible = candidates_visible_to(staff=chengguan_staff)
    assert list(candidates_registered_since(queryset=visible, since=since)) == [recent]


def test_list_pages_get_only_active_exam_numbers(chengguan_staff, django_assert_max_num_queries):
    candidate = CandidateFactory()
    active = ExamNumberFactory(candidate=candidate)
    ExamNumberFactory(candidate=candidate, status=ExamNumber.Status.MERGED, merged_into=active)
    for _ in range(3):
        ExamNumberFactory(candidate=CandidateFactory())
    with django_assert_max_num_queries(2):
        rows = list(candidates_with_exam_numbers(queryset=candidates_visible_to(staff=chengguan_staff)))
    by_pk = {c.pk: c for c in rows}
    assert by_pk[candidate.pk].active_exam_numbers == [active]
