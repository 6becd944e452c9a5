import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import Region, StaffMember

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


def candidates_in_region(*, queryset: QuerySet[Candidate], region: Region | None) -> QuerySet[Candidate]:
    """Candidates whose 所属区县 is the region (a district) or lies inside it (a city)."""
    if region is None:
        return queryset
    if region.level == Region.Level.DISTRICT:
        return queryset.filter(district=region)
    return queryset.filter(district__code__startswith=region.scope_prefix)


def candidates_registered_since(*, queryset: QuerySet[Candidate], since: datetime.datetime) -> QuerySet[Candidate]:
    return queryset.filter(created_at__gte=since)


def candidates_awaiting_merge(*, queryset: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Candidates holding several active 准考证号 (一人一号: they are awaiting 合档)."""
    several = (
        ExamNumber.objects.filter(status=ExamNumber.Status.ACTIVE)
        .values("candidate")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("candidate")
    )
    return queryset.filter(pk__in=several)


def candidates_with_exam_numbers(*, queryset: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Attach the active 准考证号 (as `active_exam_numbers`) for list pages, in one query."""
    return queryset.prefetch_related(
        Prefetch(
            "exam_numbers",
            queryset=ExamNumber.objects.filter(status=ExamNumber.Status.ACTIVE).select_related("exam_area"),
            to_attr="active_exam_numbers",
        )
    )


def exam_number_merges_of(*, candidate: Candidate):
    from .models import ExamNumberMerge

    return ExamNumberMerge.objects.filter(kept__candidate=candidate).select_related("kept", "merged", "office")


def id_corrections_of(*, candidate: Candidate):
    return candidate.id_corrections.select_related("office")
