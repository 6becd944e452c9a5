from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import StaffMember

from .models import Candidate, ExamNumber


def candidates_visible_to(*, staff: StaffMember) -> QuerySet[Candidate]:
    """The one place where staff scoping of candidates is decided."""
    return (
        Candidate.objects.filter(jurisdiction_of(staff).candidate_q())
        .select_related("user", "district", "district__parent", "registration_point")
    )


def candidate_get_for_staff(*, staff: StaffMember, pk: int) -> Candidate:
    """A candidate the staff member may see, or 404 (never 403: that would confirm the id exists)."""
    return get_object_or_404(candidates_visible_to(staff=staff), pk=pk)


def candidates_search(*, queryset: QuerySet[Candidate], query: str) -> QuerySet[Candidate]:
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(
        Q(user__real_name__contains=query)
        | Q(user__id_number=query.upper())
        | Q(user__phone=query)
        | Q(user__candidate_number=query)
        | Q(exam_numbers__number=query)
    ).distinct()


def active_exam_numbers(*, candidate: Candidate) -> QuerySet[ExamNumber]:
    return candidate.exam_numbers.filter(status=ExamNumber.Status.ACTIVE).select_related("exam_area")
