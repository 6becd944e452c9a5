"""一人一号: merging a person's several 准考证号 (合档) and correcting an ID number (old → new).

Both are done by exam-area staff (or the province) for candidates in their jurisdiction, are
audit-logged, and appear on the candidate's 个人中心."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.errors import UserFacingError
from kaowu.core.uploads import UploadRejected, document_check
from kaowu.core.validation import normalize_id_number
from kaowu.organization.models import Office, StaffMember

from .models import Candidate, ExamNumber, ExamNumberMerge, IdNumberCorrection
from .selectors import candidates_visible_to

MERGE_OFFICE_KINDS = (Office.Kind.EXAM_AREA, Office.Kind.PROVINCE_AUTHORITY)


class CandidateRecordError(UserFacingError):
    """合档 or ID-number correction refused, with the reason."""


def _require_records_office(staff: StaffMember) -> None:
    if staff.office.kind not in MERGE_OFFICE_KINDS:
        raise CandidateRecordError(gettext("合档和身份证号更正由考区或省级考试机构办理"))


def exam_numbers_merge(*, staff: StaffMember, kept_number: str, merged_numbers: list[str], reason: str = "",
                       request=None) -> list[ExamNumberMerge]:
    """Merge `merged_numbers` into `kept_number`. They may belong to the same account or to another
    account of the same person (an old ID number); every merged number keeps its scores and history."""
    _require_records_office(staff)
    merged_numbers = [n for n in dict.fromkeys(n.strip() for n in merged_numbers) if n and n != kept_number]
    if not merged_numbers:
        raise CandidateRecordError(gettext("请选择要合并的准考证号"), field="merged_numbers")
    visible = candidates_visible_to(staff=staff)
    with transaction.atomic():
        numbers = {
            n.number: n
            for n in ExamNumber.objects.select_for_update().filter(number__in=[kept_number, *merged_numbers])
        }
        kept = numbers.get(kept_number)
        if kept is None or not visible.filter(pk=kept.candidate_id).exists():
            raise CandidateRecordError(gettext("保留的准考证号不存在或不在本机构管辖范围内"), field="kept_number")
        if kept.status != ExamNumber.Status.ACTIVE:
            raise CandidateRecordError(gettext("保留的准考证号已被合档，不能作为保留号"), field="kept_number")
        records = []
        for number in merged_numbers:
            source = numbers.get(number)
            if source is None or not visible.filter(pk=source.candidate_id).exists():
                raise CandidateRecordError(gettext("准考证号 %(number)s 不存在或不在本机构管辖范围内") % {"number": number},
                                           field="merged_numbers")
            if source.status != ExamNumber.Status.ACTIVE:
                raise CandidateRecordError(gettext("准考证号 %(number)s 已合档") % {"number": number}, field="merged_numbers")
            source_owner = source.candidate
            if source_owner.pk != kept.candidate_id and source_owner.user.real_name != kept.candidate.user.real_name:
                raise CandidateRecordError(
                    gettext("准考证号 %(number)s 所属考生姓名与保留号不一致，请先办理姓名或身份证号更正") % {"number": number},
                    field="merged_numbers")
            source.status = ExamNumber.Status.MERGED
            source.merged_into = kept
            source.merged_at = timezone.now()
            source.candidate = kept.candidate
            source.save(update_fields=["status", "merged_into", "merged_at", "candidate"])
            records.append(ExamNumberMerge.objects.create(
                kept=kept, merged=source, merged_from_candidate=source_owner, office=staff.office,
                staff_user=staff.user, reason=reason[:200]))
            audit_record(actor=staff.user, action=AuditAction.CANDIDATE_EXAM_NUMBERS_MERGED, target=kept.candidate,
                         request=request, detail={"kept": kept.number, "merged": number,
                                                  "from_candidate": source_owner.pk})
    return records


def id_number_correct(*, staff: StaffMember, candidate: Candidate, new_id_number: str, proof, reason: str,
                      request=None) -> IdNumberCorrection:
    _require_records_office(staff)
    if not candidates_visible_to(staff=staff).filter(pk=candidate.pk).exists():
        raise CandidateRecordError(gettext("该考生不在本机构管辖范围内"))
    try:
        new_id_number = normalize_id_number(new_id_number)
    except ValidationError as exc:
        raise CandidateRecordError(exc.messages[0], field="new_id_number") from None
    reason = (reason or "").strip()
    if not reason:
        raise CandidateRecordError(gettext("请填写更正原因"), field="reason")
    try:
        checked = document_check(proof)
    except UploadRejected as exc:
        raise CandidateRecordError(exc.message, field="proof") from None
    user = candidate.user
    if new_id_number == user.id_number:
        raise CandidateRecordError(gettext("新身份证号与原身份证号相同"), field="new_id_number")
    from django.contrib.auth import get_user_model

    if get_user_model().objects.filter(id_number=new_id_number).exists():
        raise CandidateRecordError(gettext("新身份证号已被其他账号使用。如为同一人，请先办理合档"), field="new_id_number")
    try:
        with transaction.atomic():
            old = user.id_number
            user.id_number = new_id_number
            user.save(update_fields=["id_number", "id_number_digest"])
            correction = IdNumberCorrection.objects.create(
                candidate=candidate, old_id_number=old, new_id_number=new_id_number, proof=checked.as_file("proof"),
                reason=reason[:200], office=staff.office, staff_user=staff.user)
            audit_record(actor=staff.user, action=AuditAction.CANDIDATE_ID_NUMBER_CORRECTED, target=candidate, request=request,
                         detail={"correction": correction.pk})
    except IntegrityError:
        raise CandidateRecordError(gettext("新身份证号已被其他账号使用"), field="new_id_number") from None
    return correction
