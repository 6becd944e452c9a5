"""Reads of identity verification: which verification an account needs, review queues, counts."""

from django.db.models import Q, QuerySet

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import Office, StaffMember

from .models import Verification

Status = Verification.Status


def verification_kind_for(user) -> str:
    """Which verification an account needs (seeds 001 and 004): 专升本 → 证件照 + 人像面 + 国徽面;
    an enrolled candidate (active 准考证号) → “两照”; a new candidate → “三照”."""
    from kaowu.accounts.models import User
    from kaowu.accounts.services.login import exam_numbers_of

    if user.exam_type == User.ExamType.UPGRADE:
        return Verification.Kind.UPGRADE
    if exam_numbers_of(user):
        return Verification.Kind.TWO_PHOTOS
    return Verification.Kind.THREE_PHOTOS


def verification_passed(*, user) -> Verification | None:
    return Verification.objects.filter(user=user, status=Status.PASSED).first()


def verifications_for_review(*, staff: StaffMember) -> QuerySet[Verification]:
    """The manual-review queue of a staff member: their own office's cases; province staff see all."""
    queryset = Verification.objects.select_related("user", "user__candidate__district", "review_office")
    if jurisdiction_of(staff).office.kind == Office.Kind.PROVINCE_AUTHORITY:
        return queryset.exclude(review_office=None)
    return queryset.filter(review_office=staff.office)


def pending_review_count(*, staff: StaffMember) -> int:
    return verifications_for_review(staff=staff).filter(status=Status.MANUAL_REVIEW).count()


def verifications_search(*, queryset: QuerySet[Verification], query: str) -> QuerySet[Verification]:
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(
        Q(user__real_name__contains=query)
        | Q(user__candidate__exam_numbers__number=query)
        | Q(user__id_number=query.upper())
        | Q(user__candidate_number=query)
    ).distinct()
