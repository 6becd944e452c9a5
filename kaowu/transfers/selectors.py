"""考籍转入 reads. Staff see transfers through their jurisdiction: the province authority all of them
(including those 待匹配, no account with the ID number yet); a city or district office those of the
candidates inside its region; other offices none."""

from django.db.models import Q, QuerySet
from django.http import Http404

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import Office, StaffMember

from .models import IncomingTransfer

_RELATED = ("from_province", "candidate__user", "candidate__district", "office")


def incoming_transfers_for_candidate(*, user) -> QuerySet[IncomingTransfer]:
    return (IncomingTransfer.objects.filter(candidate__user=user).select_related(*_RELATED)
            .prefetch_related("courses"))


def incoming_transfer_get_for_candidate(*, user, number: str) -> IncomingTransfer:
    transfer = incoming_transfers_for_candidate(user=user).filter(number=number).first()
    if transfer is None:
        raise Http404
    return transfer


def incoming_transfers_for_staff(*, staff: StaffMember) -> QuerySet[IncomingTransfer]:
    queryset = IncomingTransfer.objects.select_related(*_RELATED)
    jurisdiction = jurisdiction_of(staff)
    if jurisdiction.is_province_wide:
        return queryset
    if staff.office.kind in (Office.Kind.CITY_OFFICE, Office.Kind.DISTRICT_OFFICE):
        return queryset.filter(jurisdiction.candidate_q("candidate__"))
    return queryset.none()


def incoming_transfer_get_for_staff(*, staff: StaffMember, pk: int) -> IncomingTransfer:
    transfer = incoming_transfers_for_staff(staff=staff).filter(pk=pk).prefetch_related("courses").first()
    if transfer is None:
        raise Http404
    return transfer


def incoming_transfers_search(queryset: QuerySet[IncomingTransfer], *, q: str = "", status: str = "",
                              method: str = "") -> QuerySet[IncomingTransfer]:
    """搜索: 转入编号, 转出申请编号, name or the full ID number (never a partial one)."""
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(number__iexact=q) | Q(source_number__iexact=q) | Q(name__contains=q)
                                   | Q(id_number=q))
    if status == "unmatched":
        queryset = queryset.filter(candidate__isnull=True)
    elif status in IncomingTransfer.Status.values:
        queryset = queryset.filter(status=status)
    if method in IncomingTransfer.Method.values:
        queryset = queryset.filter(method=method)
    return queryset
