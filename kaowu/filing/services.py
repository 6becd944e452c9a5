"""建档 use cases: save (submit) the file, the exam area's review, and issuing the 准考证号.

准考证号 rule (documented, replaceable in `exam_number_prefix`): 12 digits =
  2 digits of the exam area's city (region code digits 3–4, e.g. 兰州 6201 → "01")
+ 2 digits of the candidate's district within that city (region code digits 5–6; "00" otherwise)
+ year and month of issue (yymm, Beijing time)
+ a 4-digit sequence per prefix, which only ever increases (ExamNumberSequence), so a number is
  unique and never reused; numbers already held (e.g. imported from the old system) are skipped.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.core.errors import UserFacingError
from kaowu.core.state import IllegalTransition
from kaowu.organization.models import Office, Region, StaffMember

from .models import FILING_FLOW, ExamNumberSequence, Filing, FilingStatusChange

Status = Filing.Status
FIELDS = ["exam_area", "gender", "nation", "political_status", "education", "occupation", "household_type",
          "address", "postcode", "work_unit"]


class FilingError(UserFacingError):
    """建档 refused, with the reason."""


def _transition(*, filing: Filing, to: str, actor, comment: str = "") -> None:
    try:
        FILING_FLOW.require(filing.status, to)
    except IllegalTransition as exc:
        raise FilingError(str(exc)) from None
    FilingStatusChange.objects.create(filing=filing, from_status=filing.status, to_status=to, actor=actor,
                                      comment=comment[:200])
    filing.status = to


def filing_prerequisite_error(*, candidate: Candidate) -> str | None:
    """Why the candidate cannot file yet, or None."""
    from kaowu.identity.selectors import verification_passed

    if candidate.exam_numbers.filter(status=ExamNumber.Status.ACTIVE).exists() and not hasattr(candidate, "filing"):
        return gettext("您已取得准考证号，无需重新建档。如需修改基本信息，请办理变更申请。")
    if verification_passed(user=candidate.user) is None:
        return gettext("请先完成身份认证（上传照片并通过人像比对），认证通过后才能填报基本信息。")
    return None


def filing_save(*, candidate: Candidate, data: dict, actor, request=None) -> Filing:
    """保存信息: create or update the file and put it in the exam area's queue (考区未审核)."""
    problem = filing_prerequisite_error(candidate=candidate)
    if problem and not hasattr(candidate, "filing"):
        raise FilingError(problem)
    exam_area = data["exam_area"]
    from kaowu.catalog.models import BusinessWindow
    from kaowu.catalog.windows import business_window

    # on the server, whatever the page showed: a closed window refuses a posted form too
    business_window(kind=BusinessWindow.Kind.FILING, exam_area=exam_area).require_open(FilingError)
    if exam_area.kind != Office.Kind.EXAM_AREA or not exam_area.is_active:
        raise FilingError(gettext("请选择报名考区"), field="exam_area")
    now = timezone.now()
    with transaction.atomic():
        filing = Filing.objects.select_for_update().filter(candidate=candidate).first()
        if filing is None:
            filing = Filing(candidate=candidate, notice_agreed_at=data["notice_agreed_at"], submitted_at=now,
                            **{f: data[f] for f in FIELDS})
            filing.save()
            FilingStatusChange.objects.create(filing=filing, from_status="", to_status=Status.SUBMITTED, actor=actor,
                                              comment=gettext_noop("提交基本信息"))
        else:
            if not filing.editable:
                raise FilingError(gettext("基本信息已审核通过，只能查看，不能修改。如需变更请办理变更申请。"))
            for f in FIELDS:
                setattr(filing, f, data[f])
            _transition(filing=filing, to=Status.SUBMITTED, actor=actor,
                        comment=gettext_noop("修改后重新提交") if filing.status == Status.REJECTED
                        else gettext_noop("修改基本信息"))
            filing.submitted_at = now
            filing.rejection_reason = ""
            filing.save()
        audit_record(actor=actor, action=AuditAction.FILING_SUBMITTED, target=filing, request=request)
    return filing


def exam_number_prefix(*, filing: Filing, when=None) -> str:
    when = timezone.localtime(when or timezone.now())
    area_region = filing.exam_area.region
    city_code = area_region.code[:4]
    district: Region = filing.candidate.district
    district_digits = district.code[4:6] if district.level == Region.Level.DISTRICT and district.code.startswith(
        city_code) else "00"
    return f"{city_code[2:4]}{district_digits}{when:%y%m}"


def exam_number_issue(*, filing: Filing) -> ExamNumber:
    """Issue the next 准考证号 for an approved file (call inside the approving transaction)."""
    prefix = exam_number_prefix(filing=filing)
    try:
        with transaction.atomic():
            ExamNumberSequence.objects.get_or_create(prefix=prefix)
    except IntegrityError:
        pass  # created by a concurrent approval
    sequence = ExamNumberSequence.objects.select_for_update().get(prefix=prefix)
    while True:
        sequence.last += 1
        if sequence.last > 9999:
            raise FilingError(gettext("准考证号序号已用完（%(prefix)s），请联系省级考试机构") % {"prefix": prefix})
        number = f"{prefix}{sequence.last:04d}"
        if not ExamNumber.objects.filter(number=number).exists():
            break
    sequence.save(update_fields=["last"])
    return ExamNumber.objects.create(number=number, candidate=filing.candidate, exam_area=filing.exam_area,
                                     issued_at=timezone.now())


def filings_for_review(*, staff: StaffMember):
    """The exam area's queue: files submitted to it; the province sees all."""
    queryset = Filing.objects.select_related("candidate__user", "candidate__district__parent", "exam_area",
                                             "exam_number")
    if staff.office.kind == Office.Kind.PROVINCE_AUTHORITY:
        return queryset
    return queryset.filter(exam_area=staff.office)


def filing_review(*, filing: Filing, staff: StaffMember, approve: bool, reason: str = "", request=None) -> Filing:
    reason = (reason or "").strip()
    if not approve and not reason:
        raise FilingError(gettext("请填写未通过原因"), field="reason")
    with transaction.atomic():
        filing = filings_for_review(staff=staff).select_for_update(of=("self",)).get(pk=filing.pk)
        if filing.status != Status.SUBMITTED:
            raise FilingError(gettext("该考生的基本信息状态为“%(status)s”，不能审核") % {"status": filing.get_status_display()})
        _transition(filing=filing, to=Status.APPROVED if approve else Status.REJECTED, actor=staff.user,
                    comment=gettext_noop("审核通过") if approve else f"审核未通过：{reason}")
        filing.reviewed_by, filing.reviewed_at = staff.user, timezone.now()
        filing.rejection_reason = "" if approve else reason[:200]
        if approve:
            filing.exam_number = exam_number_issue(filing=filing)
        filing.save()
        audit_record(actor=staff.user, action=AuditAction.FILING_REVIEWED, target=filing, request=request,
                     detail={"decision": "approve" if approve else "reject", "reason": reason[:200],
                             "exam_number": filing.exam_number.number if filing.exam_number else ""})
    return filing
