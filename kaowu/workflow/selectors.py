"""Reads of applications: the candidate's own, an application's timeline, and the staff queues.

A staff member's applications are those in their office's queue now (`reviewing_office`) and those
their office acted on before (its transitions); nothing else, whatever the id in the URL."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from kaowu.organization.models import StaffMember

from .models import Application, ApplicationTransition, ApplicationVersion
from .statuses import Status

TAB_PENDING, TAB_DONE, TAB_ALL = "pending", "done", "all"


def _with_relations(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("candidate__user", "candidate__district__parent", "exam_number",
                                   "reviewing_office", "current_version", "sitting")


def applications_for_candidate(*, user, type_code: str | None = None) -> QuerySet[Application]:
    queryset = _with_relations(Application.objects.filter(applicant=user))
    if type_code:
        queryset = queryset.filter(type_code=type_code)
    return queryset.order_by("-created_at", "-id")


def application_get_for_candidate(*, user, number: str) -> Application:
    """The candidate's own application, or 404 (another's number is not confirmed to exist)."""
    return get_object_or_404(applications_for_candidate(user=user), number=number)


def application_open_of(*, candidate, type_code: str, exam_number=None, exclude: Application | None = None
                        ) -> Application | None:
    """The candidate's application of a type still in progress (草稿 / 审核中 / 退回修改, or the type's
    own open statuses), if any."""
    from .types import application_type

    queryset = Application.objects.filter(candidate=candidate, type_code=type_code,
                                          status__in=sorted(application_type(type_code).open_statuses))
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    if exam_number is not None:
        queryset = queryset.filter(exam_number=exam_number)
    return queryset.order_by("-created_at").first()


def application_timeline(*, application: Application) -> QuerySet[ApplicationTransition]:
    return application.transitions.select_related("actor", "actor_office").order_by("created_at", "id")


def application_versions(*, application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.prefetch_related("attachments").order_by("number")


def _acted_on(staff: StaffMember) -> Exists:
    return Exists(ApplicationTransition.objects.filter(application=OuterRef("pk"), actor_office=staff.office))


def applications_for_staff(*, staff: StaffMember, tab: str = TAB_ALL) -> QuerySet[Application]:
    """待审核: in the office's queue now; 已处理: acted on by the office and not in its queue now;
    全部: either."""
    pending = Q(reviewing_office=staff.office, status=Status.REVIEWING)
    queryset = Application.objects.annotate(acted=_acted_on(staff))
    if tab == TAB_PENDING:
        queryset = queryset.filter(pending)
    elif tab == TAB_DONE:
        queryset = queryset.filter(acted=True).exclude(pending)
    else:
        queryset = queryset.filter(pending | Q(acted=True))
    return _with_relations(queryset)


def application_get_for_staff(*, staff: StaffMember, pk: int) -> Application:
    return get_object_or_404(applications_for_staff(staff=staff), pk=pk)


def applications_filter(queryset: QuerySet[Application], *, type_code: str = "", status: str = "",
                        submitted_from: datetime.date | None = None, submitted_to: datetime.date | None = None,
                        query: str = "") -> QuerySet[Application]:
    """Filters of the staff queue; `query` is an application number, a candidate's name or a 准考证号."""
    if type_code:
        queryset = queryset.filter(type_code=type_code)
    if status:
        queryset = queryset.filter(status=status)
    if submitted_from:
        queryset = queryset.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        queryset = queryset.filter(submitted_at__date__lte=submitted_to)
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(Q(number=query.upper()) | Q(candidate__user__real_name__contains=query)
                                   | Q(exam_number__number=query))
    return queryset


def staff_tab_counts(*, staff: StaffMember) -> dict[str, int]:
    return {tab: applications_for_staff(staff=staff, tab=tab).count() for tab in (TAB_PENDING, TAB_DONE, TAB_ALL)}


def pending_count(*, staff: StaffMember) -> int:
    return Application.objects.filter(reviewing_office=staff.office, status=Status.REVIEWING).count()
