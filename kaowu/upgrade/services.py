"""专升本报名 use cases (seed 004 §2.8): the notices read in order with a 10 s countdown checked on the
server, 填写基本信息 (locked once the registration point or its city reported its data), 信息确认,
放弃报名 (captcha + SMS code), 网上支付 after identity verification, and what payments tell us."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.core.errors import UserFacingError
from kaowu.core.text import clean_free_text
from kaowu.organization.models import Office
from kaowu.payments import services as payments
from kaowu.payments.models import Order

from .models import (
    DOCUMENTED_TYPES,
    NOTICES,
    Category,
    DataReport,
    ResumeEntry,
    UpgradeRegistration,
)

Status = UpgradeRegistration.Status
Qualification = UpgradeRegistration.Qualification
MONTH = re.compile(r"^(19|20)\d{2}-(0[1-9]|1[0-2])$")


class UpgradeError(UserFacingError):
    """专升本报名 refused, with the reason."""


def registration_of(*, user) -> UpgradeRegistration:
    """The candidate's 报名 (made on first visit, with the account's 报名点)."""
    candidate = getattr(user, "candidate", None)
    registration, _ = UpgradeRegistration.objects.get_or_create(
        user=user, defaults={"registration_point": getattr(candidate, "registration_point", None),
                             "phone": user.phone or ""})
    return registration


def _require_active(registration: UpgradeRegistration) -> None:
    if registration.status == Status.ABANDONED:
        raise UpgradeError(gettext("您已放弃报名，不能继续办理。"))


# --- 报考须知, 教育考试违规处理办法, 考生承诺书 -------------------------------------------------------


def countdown_seconds() -> int:
    """How long a notice or the 诚信考试承诺书 stays open before it can be acknowledged
    (`KAOWU_NOTICE_COUNTDOWN_SECONDS`, 10 by the seed); the page's button counts the same time down."""
    return settings.KAOWU_NOTICE_COUNTDOWN_SECONDS


def _seconds_left(shown_at: str, now) -> int:
    return max(0, countdown_seconds() - int((now - datetime.datetime.fromisoformat(shown_at)).total_seconds()))


def _countdown_over(shown_at: str | None, now) -> bool:
    return bool(shown_at) and (now - datetime.datetime.fromisoformat(shown_at)).total_seconds() >= countdown_seconds()


def notice_next(registration: UpgradeRegistration) -> str | None:
    """The first notice not yet acknowledged, or None when all three are."""
    return next((name for name in NOTICES if not registration.notice_read(name)), None)


def notice_show(*, registration: UpgradeRegistration, name: str, now=None) -> int:
    """The page of notice `name` is shown: remember when it was first shown; return the seconds left
    on its countdown."""
    now = now or timezone.now()
    _require_active(registration)
    if name not in NOTICES:
        raise UpgradeError(gettext("没有这份须知。"))
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        if NOTICES.index(name) > NOTICES.index(notice_next(registration) or NOTICES[-1]):
            raise UpgradeError(gettext("请按顺序阅读报考须知、教育考试违规处理办法和考生承诺书。"))
        entry = registration.notices.get(name) or {}
        if not entry.get("shown_at"):
            entry["shown_at"] = now.isoformat()
            registration.notices = {**registration.notices, name: entry}
            registration.save(update_fields=["notices", "updated_at"])
    return _seconds_left(entry["shown_at"], now)


def notice_acknowledge(*, registration: UpgradeRegistration, name: str, now=None) -> UpgradeRegistration:
    """我已知晓 / 我同意: accepted only in order and after the page has been open for the countdown
    (`countdown_seconds()`, 10 s)."""
    now = now or timezone.now()
    _require_active(registration)
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.notice_read(name):
            return registration
        if name not in NOTICES or notice_next(registration) != name:
            raise UpgradeError(gettext("请按顺序阅读报考须知、教育考试违规处理办法和考生承诺书。"))
        entry = registration.notices.get(name) or {}
        if not _countdown_over(entry.get("shown_at"), now):
            raise UpgradeError(gettext("请认真阅读，%(seconds)s秒倒计时结束后再确认。") % {"seconds": countdown_seconds()})
        entry["read_at"] = now.isoformat()
        registration.notices = {**registration.notices, name: entry}
        registration.save(update_fields=["notices", "updated_at"])
    return registration


# --- 诚信考试承诺书 before 《考生准考证》 (seed 004 §2.8.7) ------------------------------------------------

EXAM_PLEDGE = "exam_pledge"


def exam_pledge_show(*, registration: UpgradeRegistration, now=None) -> int:
    """The 诚信考试承诺书 page is shown: remember when first; return the seconds left on its countdown."""
    from .selectors import forms_ready

    now = now or timezone.now()
    _require_active(registration)
    if not forms_ready(registration):
        raise UpgradeError(gettext("报考资格审核通过后才能下载表格。"))
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        entry = registration.notices.get(EXAM_PLEDGE) or {}
        if not entry.get("shown_at"):
            entry["shown_at"] = now.isoformat()
            registration.notices = {**registration.notices, EXAM_PLEDGE: entry}
            registration.save(update_fields=["notices", "updated_at"])
    return _seconds_left(entry["shown_at"], now)


def exam_pledge_acknowledge(*, registration: UpgradeRegistration, now=None) -> UpgradeRegistration:
    """我已阅读并同意: accepted only after the 承诺书 has been open for the countdown (10 s; checked
    here, not only by the page's countdown)."""
    from .selectors import forms_ready

    now = now or timezone.now()
    _require_active(registration)
    if not forms_ready(registration):
        raise UpgradeError(gettext("报考资格审核通过后才能下载表格。"))
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.notice_read(EXAM_PLEDGE):
            return registration
        entry = registration.notices.get(EXAM_PLEDGE) or {}
        if not _countdown_over(entry.get("shown_at"), now):
            raise UpgradeError(gettext("请认真阅读诚信考试承诺书，%(seconds)s秒倒计时结束后再确认。")
                               % {"seconds": countdown_seconds()})
        entry["read_at"] = now.isoformat()
        registration.notices = {**registration.notices, EXAM_PLEDGE: entry}
        registration.save(update_fields=["notices", "updated_at"])
    return registration


# --- 上报 locks ------------------------------------------------------------------------------------


def _city_office_of(point: Office | None) -> Office | None:
    if point is None:
        return None
    return Office.objects.filter(kind=Office.Kind.CITY_OFFICE, region__code=point.region.code[:4] + "00").first()


def report_lock_reason(registration: UpgradeRegistration) -> str | None:
    """Why the form cannot be saved: the registration point, or its city, has reported its data."""
    point = registration.registration_point
    open_reports = DataReport.objects.filter(unlocked_at__isnull=True)
    if point is not None and open_reports.filter(office=point).exists():
        return gettext("您所在的报名点（%(office)s）已上报数据，报名信息不能再修改。如需修改，请联系报名点。") % {
            "office": point.name}
    city = _city_office_of(point)
    if city is not None and open_reports.filter(office=city).exists():
        return gettext("您所在地市（%(office)s）已上报数据，报名信息不能再修改。如需修改，请联系报名点。") % {
            "office": city.name}
    return None


# --- 填写基本信息 and 信息确认 ---------------------------------------------------------------------------

BASIC_FIELDS = ["gender", "nation", "political_status", "phone", "school", "junior_major", "candidate_type", "rural",
                "category", "music_test", "award_claim", "poverty_claim", "household", "recipient",
                "recipient_phone", "postcode", "mail_address"]


def basic_editable_error(registration: UpgradeRegistration) -> str | None:
    if registration.status == Status.ABANDONED:
        return gettext("您已放弃报名，不能继续办理。")
    if notice_next(registration) is not None:
        return gettext("请先阅读报考须知、教育考试违规处理办法和考生承诺书。")
    if registration.confirmed_at is not None:
        return gettext("基本信息已确认，不能再修改。")
    return report_lock_reason(registration)


def basic_save(*, registration: UpgradeRegistration, data: dict, resume: list[dict]) -> UpgradeRegistration:
    """提交并继续: the basic information and the 个人简历 (at least one line), replacing what was saved."""
    problem = basic_editable_error(registration)
    if problem:
        raise UpgradeError(problem)
    rows = [r for r in resume if any((r.get(k) or "").strip() for k in ("start", "end", "organization", "role"))]
    if not rows:
        raise UpgradeError(gettext("个人简历至少填写一条。"), field="resume")
    cleaned = []
    for number, row in enumerate(rows, start=1):  # posted as lists, not through a form: the free-text rule here
        try:
            cleaned.append({k: clean_free_text(row.get(k)) for k in ("start", "end", "organization", "role")})
        except ValidationError as exc:
            raise UpgradeError(gettext("个人简历第%(n)s条：%(problem)s") % {"n": number, "problem": exc.messages[0]},
                               field="resume") from None
    rows = cleaned
    for number, row in enumerate(rows, start=1):
        if not MONTH.match((row.get("start") or "").strip()) or not (row.get("organization") or "").strip():
            raise UpgradeError(gettext("个人简历第%(n)s条：请填写起始年月（如 2019-09）和学习或工作单位。") % {"n": number},
                               field="resume")
        end = (row.get("end") or "").strip()
        if end and (not MONTH.match(end) or end < row["start"].strip()):
            raise UpgradeError(gettext("个人简历第%(n)s条：终止年月应为 2022-06 这样的格式，且不早于起始年月。")
                               % {"n": number}, field="resume")
    if data.get("category") == Category.MUSIC and not data.get("music_test"):
        raise UpgradeError(gettext("报考音乐类专业须选择测试主项。"), field="music_test")
    if data.get("category") != Category.MUSIC:
        data = {**data, "music_test": ""}
    try:
        with transaction.atomic():
            registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
            for field in BASIC_FIELDS:
                setattr(registration, field, data.get(field, getattr(registration, field)))
            registration.basic_saved_at = timezone.now()
            registration.save()
            registration.resume.all().delete()
            ResumeEntry.objects.bulk_create([
                ResumeEntry(registration=registration, start=r["start"].strip(), end=(r.get("end") or "").strip(),
                            organization=r["organization"].strip()[:80], role=(r.get("role") or "").strip()[:40],
                            position=i) for i, r in enumerate(rows)])
    except IntegrityError:
        raise UpgradeError(gettext("该手机号已被其他考生用于报名，一个手机号只能填报一次。"), field="phone") from None
    return registration


def basic_confirm(*, registration: UpgradeRegistration) -> UpgradeRegistration:
    """信息确认 › 确定."""
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        _require_active(registration)
        if registration.basic_saved_at is None:
            raise UpgradeError(gettext("请先填写基本信息。"))
        if registration.confirmed_at is None:
            registration.confirmed_at = timezone.now()
            if registration.candidate_type in DOCUMENTED_TYPES or registration.award_claim or registration.poverty_claim:
                registration.qualification = Qualification.AWAITING_DOCUMENTS
            else:
                registration.qualification = Qualification.NOT_REQUIRED
            registration.save(update_fields=["confirmed_at", "qualification", "updated_at"])
    return registration


def abandon(*, registration: UpgradeRegistration, sms_code: str) -> UpgradeRegistration:
    """放弃报名 (captcha checked by the form, the SMS code here): the 报名 stops; the phone number is
    free again."""
    from kaowu.verification.models import VerificationCode
    from kaowu.verification.services import VerificationError, code_verify

    _require_active(registration)
    if registration.paid_at is not None:
        raise UpgradeError(gettext("已缴费的报名不能在网上放弃，请联系报名点。"))
    try:
        code_verify(target=registration.user.phone, purpose=VerificationCode.Purpose.ABANDON_REGISTRATION,
                    code=sms_code)
    except VerificationError as exc:
        raise UpgradeError(str(exc), field="sms_code") from None
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        registration.status, registration.abandoned_at = Status.ABANDONED, timezone.now()
        registration.save(update_fields=["status", "abandoned_at", "updated_at"])
        pending = Order.objects.filter(user=registration.user, purpose=Order.Purpose.UPGRADE_REGISTRATION,
                                       reference=registration.order_reference, status=Order.Status.PENDING).first()
    if pending is not None:
        try:
            payments.order_cancel(order=pending, actor=registration.user)
        except payments.PaymentError:
            pass
    return registration


# --- 身份认证 and 网上支付 ---------------------------------------------------------------------------


def identity_state(registration: UpgradeRegistration) -> str:
    """"passed", "failed" (the comparison failed: manual review at the back office) or "todo"."""
    from kaowu.identity.models import Verification

    latest = Verification.objects.filter(user=registration.user).order_by("-pk").first()
    if latest is None:
        return "todo"
    if latest.status == Verification.Status.PASSED:
        return "passed"
    if latest.status in (Verification.Status.FAILED, Verification.Status.MANUAL_REVIEW):
        return "failed"
    return "todo"


def payment_start(*, registration: UpgradeRegistration) -> Order:
    """立即支付: the 报名考试费 order (the same one again until it is paid or expires)."""
    registration = UpgradeRegistration.objects.get(pk=registration.pk)
    _require_active(registration)
    if registration.confirmed_at is None:
        raise UpgradeError(gettext("请先完成信息确认。"))
    if identity_state(registration) != "passed":
        raise UpgradeError(gettext("请先通过身份认证。"))
    if registration.paid_at is not None:
        raise UpgradeError(gettext("报名费已缴纳，无需重复缴费。"))
    fee = Decimal(settings.KAOWU_UPGRADE_FEE)
    return payments.order_create(
        user=registration.user, purpose=Order.Purpose.UPGRADE_REGISTRATION, reference=registration.order_reference,
        items=[payments.ItemSpec(description=gettext("专升本报名考试费"), amount=fee)], actor=registration.user,
        title=gettext("专升本报名考试费"))


def order_paid_apply(order: Order) -> None:
    """on_order_paid: the 网上支付 step is done."""
    if not order.reference.startswith("U") or not order.reference[1:].isdigit():
        return
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().filter(pk=int(order.reference[1:])).first()
        if registration is not None and registration.paid_at is None:
            registration.paid_at = order.paid_at or timezone.now()
            registration.save(update_fields=["paid_at", "updated_at"])


# --- 报考资格审核 ---------------------------------------------------------------------------------


def documents_required(registration: UpgradeRegistration) -> list[str]:
    from .models import QualificationDocument

    kinds = []
    if registration.candidate_type in DOCUMENTED_TYPES:
        kinds.append(QualificationDocument.Kind.VETERAN)
    if registration.award_claim:
        kinds.append(QualificationDocument.Kind.AWARD)
    if registration.poverty_claim:
        kinds.append(QualificationDocument.Kind.POVERTY)
    return kinds


def document_upload(*, registration: UpgradeRegistration, kind: str, upload) -> None:
    """资料上传: one file per kind (a new upload replaces the old), while the materials can change."""
    from django.core.files.base import ContentFile

    from kaowu.core.uploads import UploadRejected, document_check

    from .models import QualificationDocument

    registration = UpgradeRegistration.objects.get(pk=registration.pk)
    _require_active(registration)
    if registration.paid_at is None:
        raise UpgradeError(gettext("请先完成网上支付。"))
    if registration.qualification not in (Qualification.AWAITING_DOCUMENTS, Qualification.REJECTED):
        raise UpgradeError(gettext("报考资格审核材料已提交，不能再修改。"))
    if kind not in documents_required(registration):
        raise UpgradeError(gettext("无需上传该材料。"), field=kind)
    try:
        checked = document_check(upload)
    except UploadRejected as exc:
        raise UpgradeError(str(exc), field=kind) from None
    with transaction.atomic():
        old = QualificationDocument.objects.filter(registration=registration, kind=kind).first()
        if old is not None:
            storage, name = old.file.storage, old.file.name
            old.delete()
            transaction.on_commit(lambda: storage.delete(name))
        document = QualificationDocument(registration=registration, kind=kind, content_type=checked.content_type,
                                         original_name=(upload.name or "")[:120])
        # The checked copy (an image re-encoded without anything appended), not the upload as sent.
        document.file.save(f"{kind}.{checked.extension}", ContentFile(checked.content), save=False)
        document.save()


def documents_submit(*, registration: UpgradeRegistration) -> UpgradeRegistration:
    """资料上传 › 确定: every required material is there → 审核中."""
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        _require_active(registration)
        if registration.qualification not in (Qualification.AWAITING_DOCUMENTS, Qualification.REJECTED):
            raise UpgradeError(gettext("报考资格审核材料已提交。"))
        present = set(registration.documents.values_list("kind", flat=True))
        missing = [k for k in documents_required(registration) if k not in present]
        if missing:
            from .models import QualificationDocument

            raise UpgradeError(gettext("请上传：%(items)s") % {
                "items": "、".join(str(QualificationDocument.Kind(k).label) for k in missing)})
        registration.qualification, registration.qualification_reason = Qualification.REVIEWING, ""
        registration.save(update_fields=["qualification", "qualification_reason", "updated_at"])
    return registration


def qualification_decide(*, registration: UpgradeRegistration, staff, approve: bool, reason: str = "",
                         request=None) -> UpgradeRegistration:
    """The 报名点 (or the province) decides: 审核通过, or 审核不通过 with the reason (the candidate may
    upload again and resubmit)."""
    from kaowu.audit.services import audit_record
    from kaowu.notifications.services import inbox_notify

    reason = (reason or "").strip()
    if not approve and not reason:
        raise UpgradeError(gettext("请填写审核不通过的原因。"), field="reason")
    with transaction.atomic():
        registration = UpgradeRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.qualification != Qualification.REVIEWING:
            raise UpgradeError(gettext("该考生的报考资格不在审核中。"))
        registration.qualification = Qualification.APPROVED if approve else Qualification.REJECTED
        registration.qualification_reason = "" if approve else reason[:200]
        registration.save(update_fields=["qualification", "qualification_reason", "updated_at"])
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_QUALIFICATION_DECIDED, target=registration, request=request,
                     detail={"approved": approve, "reason": registration.qualification_reason})
        user = registration.user
        title = gettext("专升本报考资格审核通过") if approve else gettext("专升本报考资格审核不通过")
        body = gettext("您的报考资格审核已通过，可以下载报名表格。") if approve else \
            gettext("您的报考资格审核不通过：%(reason)s。请按要求重新上传材料。") % {"reason": registration.qualification_reason}
        transaction.on_commit(lambda: inbox_notify(user=user, title=title, body=body, link="/upgrade/"))
    return registration


# --- 志愿 (seed 004 §2.9) -----------------------------------------------------------------------------


def batches_open_to(registration: UpgradeRegistration):
    """The batches this candidate fills volunteers for: every batch, the 建档立卡专项批 only with the
    建档立卡 claim approved in the qualification review."""
    from .models import AdmissionBatch

    batches = AdmissionBatch.objects.all()
    if not (registration.poverty_claim and registration.qualification == Qualification.APPROVED):
        batches = batches.filter(poverty_only=False)
    return batches


def volunteers_editable_error(*, registration: UpgradeRegistration, batch, now=None) -> str | None:
    from kaowu.core.dates import cn_datetime

    now = now or timezone.now()
    if registration.status != Status.IN_PROGRESS:
        return gettext("您已放弃报名，不能填报志愿。")
    if registration.paid_at is None or registration.qualification not in (Qualification.NOT_REQUIRED,
                                                                          Qualification.APPROVED):
        return gettext("完成网上支付并通过报考资格审核后才能填报志愿。")
    if not batches_open_to(registration).filter(pk=batch.pk).exists():
        return gettext("您不能填报该批次的志愿。")
    if not batch.opens_at <= now < batch.closes_at:
        return gettext("%(batch)s志愿填报时间为%(start)s至%(end)s，当前不在填报时间内。") % {
            "batch": batch.name, "start": cn_datetime(batch.opens_at), "end": cn_datetime(batch.closes_at)}
    return None


def volunteers_submit(*, registration: UpgradeRegistration, batch, plan_ids: list, now=None):
    """确认提交: eight choices A–H filled from A without gaps, each a plan of this batch open to the
    candidate's 报考专业类别, no plan twice. Nothing is saved before this."""
    from .models import Plan, VolunteerSubmission

    problem = volunteers_editable_error(registration=registration, batch=batch, now=now)
    if problem:
        raise UpgradeError(problem)
    plans = {p.pk: p for p in Plan.objects.filter(batch=batch)}
    ids = volunteer_ids_check(registration=registration, plan_ids=plan_ids, plans=plans,
                              not_open=gettext("平行志愿%(letter)s不是本批次的招生计划。"))
    return VolunteerSubmission.objects.create(registration=registration, batch=batch, plan_ids=ids)


def volunteer_ids_check(*, registration: UpgradeRegistration, plan_ids: list, plans: dict, not_open: str) -> list:
    """Eight choices A–H filled from A without gaps, each one of ``plans`` (id → Plan) open to the
    candidate's 报考专业类别, no plan twice. Returns the ids (None for an empty row)."""
    from .models import VOLUNTEER_LETTERS

    ids = []
    for value in list(plan_ids)[:len(VOLUNTEER_LETTERS)]:
        text = str(value or "").strip()
        if text and not text.isdigit():
            raise UpgradeError(gettext("志愿无效，请重新选择。"))
        ids.append(int(text) if text else None)
    ids += [None] * (len(VOLUNTEER_LETTERS) - len(ids))
    chosen = [i for i in ids if i is not None]
    if not chosen:
        raise UpgradeError(gettext("请至少填报平行志愿A。"))
    first_gap = ids.index(None) if None in ids else len(ids)
    if any(i is not None for i in ids[first_gap:]):
        raise UpgradeError(gettext("请从平行志愿A开始依次填报，中间不能留空（平行志愿%(letter)s未填）。")
                           % {"letter": VOLUNTEER_LETTERS[first_gap]})
    if len(set(chosen)) != len(chosen):
        raise UpgradeError(gettext("同一院校专业不能重复填报。"))
    for letter, plan_id in zip(VOLUNTEER_LETTERS, ids, strict=False):
        if plan_id is None:
            continue
        plan = plans.get(plan_id)
        if plan is None:
            raise UpgradeError(not_open % {"letter": letter})
        if plan.category != registration.category:
            raise UpgradeError(gettext("平行志愿%(letter)s的专业不招收您报考的专业类别。") % {"letter": letter})
    return ids


def volunteers_current(*, registration: UpgradeRegistration, batch):
    return registration.volunteers.filter(batch=batch).first()


# --- 上报 and 解锁 --------------------------------------------------------------------------------------

REPORTING_OFFICES = (Office.Kind.REGISTRATION_POINT, Office.Kind.CITY_OFFICE)


def data_report(*, staff, request=None) -> DataReport | None:
    """上报: the staff member's 报名点 / city office reports its data, and the candidates' forms below it
    lock (`open_reports` above). None when the office has reported already (nothing changes)."""
    from kaowu.audit.services import audit_record

    if staff.office.kind not in REPORTING_OFFICES:
        raise UpgradeError(gettext("只有报名点和市考办可以上报数据。"))
    try:
        with transaction.atomic():
            report = DataReport.objects.create(office=staff.office, reported_by=staff.user)
    except IntegrityError:
        return None
    audit_record(actor=staff.user, action=AuditAction.UPGRADE_DATA_REPORTED, target=report, request=request)
    return report


def data_report_unlock(*, staff, report: DataReport, request=None) -> DataReport:
    """解锁 (the province authority): the office's candidates may change their forms again."""
    from kaowu.audit.services import audit_record

    if staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise UpgradeError(gettext("只有省级考试机构可以解锁上报数据。"))
    with transaction.atomic():
        report = DataReport.objects.select_for_update().select_related("office").get(pk=report.pk)
        if report.unlocked_at is not None:
            raise UpgradeError(gettext("该上报数据已解锁。"))
        report.unlocked_at, report.unlocked_by = timezone.now(), staff.user
        report.save(update_fields=["unlocked_at", "unlocked_by"])
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_DATA_UNLOCKED, target=report, request=request,
                     detail={"office": report.office.code})
    return report
