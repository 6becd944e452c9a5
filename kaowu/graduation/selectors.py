"""Reads of the graduation app: a candidate's own major, and the 毕业资格初审 runs and results."""

from django.db.models import QuerySet

from kaowu.catalog.models import Major
from kaowu.organization.models import Office, StaffMember


def own_major_of(*, candidate, exam_number=None) -> Major | None:
    """The candidate's own major: that of his latest 报考, else the 报考专业 of his 准考证号."""
    from kaowu.registration.models import Registration

    latest = (Registration.objects.filter(exam_number__candidate=candidate).select_related("major")
              .order_by("-sitting__code", "-submitted_at").first())
    if latest is not None:
        return latest.major
    if exam_number is None:
        exam_number = candidate.exam_numbers.order_by("issued_at", "number").first()
    if exam_number is not None and exam_number.major_name:
        return Major.objects.filter(name=exam_number.major_name).order_by("status", "code").first()
    return None


def own_majors_of(*, candidate_ids: list[int], majors_by_name: dict[str, int]) -> dict[int, int]:
    """`own_major_of` for many candidates at once (two queries): candidate id → major id."""
    from kaowu.candidates.models import ExamNumber
    from kaowu.registration.models import Registration

    own: dict[int, int] = {}
    rows = (Registration.objects.filter(exam_number__candidate_id__in=candidate_ids)
            .order_by("exam_number__candidate_id", "-sitting__code", "-submitted_at")
            .values_list("exam_number__candidate_id", "major_id"))
    for candidate_id, major_id in rows:
        own.setdefault(candidate_id, major_id)
    missing = [c for c in candidate_ids if c not in own]
    if missing:
        for candidate_id, name in (ExamNumber.objects.filter(candidate_id__in=missing).exclude(major_name="")
                                   .order_by("candidate_id", "issued_at", "number")
                                   .values_list("candidate_id", "major_name")):
            if candidate_id not in own and name in majors_by_name:
                own[candidate_id] = majors_by_name[name]
    return own


def eligibility_runnable_by(*, staff: StaffMember) -> bool:
    """毕业资格初审 is the province's: only the province authority starts it and reads its results."""
    return staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


def eligibility_runs() -> QuerySet:
    from .models import EligibilityRun

    return EligibilityRun.objects.select_related("requested_by")


def eligibility_results(*, run) -> QuerySet:
    from .models import EligibilityResult

    return EligibilityResult.objects.filter(run=run)


# --- 毕业申请 and graduates --------------------------------------------------------------------------

def graduates_of(*, candidate) -> QuerySet:
    """The majors the candidate graduated in (毕业证书编号, 毕业日期), newest first."""
    from .models import Graduate

    return Graduate.objects.filter(candidate=candidate).select_related("major").order_by("-graduated_on", "-id")


def graduate_of(*, candidate, major) -> object | None:
    """His Graduate row in `major`, or None."""
    if candidate is None or major is None:
        return None
    return graduates_of(candidate=candidate).filter(major=major).first()


def id_photo_of(user):
    """The 证件照 of the candidate's passed identity verification (the one the 准考证 prints), or None."""
    from kaowu.documents.selectors import id_photo

    return id_photo(user)


def id_photo_bytes(user) -> bytes | None:
    photo = id_photo_of(user)
    if photo is None:
        return None
    try:
        with photo.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError, OSError):
        return None
