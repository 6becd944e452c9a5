"""考籍转入 and 电子转考 use cases (the flow is in incoming.py, the package format in package.py).

    incoming_transfer_enter          录入纸质转入档案 (province authority): a 纸质档案 transfer, 待确认
    incoming_transfer_import         导入电子转考数据包 (province authority): verified → 电子转入, 待确认
    incoming_transfers_match         a candidate's unmatched transfers (by ID number) become theirs (at login)
    incoming_transfer_confirm        确认转入 after 扫码签字 (the candidate): 待确认 → 已确认 (电子转入: → 已接收)
    incoming_transfer_receive        接收档案 (province authority): 已确认 → 已接收, the scores join
    transfer_out_package_export      电子寄档 of a 考籍转出 to a province on kaowu: 审核通过 → 已完成

A refused action raises TransferInError (a Chinese message) and writes nothing.
"""

import base64
import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.errors import UserFacingError
from kaowu.core.state import IllegalTransition
from kaowu.core.text import clean_strings, validate_person_name
from kaowu.organization.models import Office, Province, StaffMember
from kaowu.organization.selectors import home_province

from . import package as packages
from .incoming import FLOW, signature_content, signature_subject
from .models import DossierDispatch, IncomingCourse, IncomingTransfer, IncomingTransition

Status = IncomingTransfer.Status
Outcome = IncomingCourse.Outcome
NOTE_MAX = 200


class TransferInError(UserFacingError):
    """A 考籍转入 action refused, with the reason."""


def _require_authority(staff: StaffMember, what: str) -> None:
    if staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise TransferInError(gettext("只有省级考试机构可以%(what)s。") % {"what": what})


def _new_number() -> str:
    today = timezone.localdate()
    while True:
        number = f"ZR{today:%Y%m%d}{secrets.randbelow(10**8):08d}"
        if not IncomingTransfer.objects.filter(number=number).exists():
            return number


def _candidate_with_id_number(id_number: str):
    from kaowu.candidates.models import Candidate

    return Candidate.objects.select_related("user", "district").filter(user__id_number=id_number).first()


def _jurisdiction_code(transfer: IncomingTransfer) -> str | None:
    return transfer.candidate.district.code if transfer.candidate_id else None


def _record(transfer: IncomingTransfer, *, from_status: str, to_status: str, actor=None, office=None,
            comment: str = "") -> None:
    IncomingTransition.objects.create(transfer=transfer, from_status=from_status, to_status=to_status, actor=actor,
                                      actor_office=office, comment=comment[:200])


def _move(transfer: IncomingTransfer, to: str, *, actor=None, office=None, comment: str = "", action: str) -> None:
    try:
        FLOW.require(transfer.status, to)
    except IllegalTransition:
        raise TransferInError(gettext("考籍转入当前状态为“%(status)s”，不能%(action)s。") % {
            "status": transfer.get_status_display(), "action": action}) from None
    from_status = transfer.status
    transfer.status = to
    _record(transfer, from_status=from_status, to_status=to, actor=actor, office=office, comment=comment)


def _notify(transfer: IncomingTransfer, title: str, body: str) -> None:
    """消息 + SMS to the candidate, once committed (nobody to tell while 待匹配)."""
    if not transfer.candidate_id:
        return
    from kaowu.notifications.services import inbox_notify

    user = transfer.candidate.user
    link = reverse("transfers:in_detail", args=[transfer.number])
    transaction.on_commit(lambda: inbox_notify(user=user, title=title, body=body, link=link))


def _notify_created(transfer: IncomingTransfer) -> None:
    _notify(transfer, gettext("您有一份待确认的考籍转入"),
            gettext("%(province)s转入的考籍（转入编号 %(number)s）待您确认。请登录考生服务平台，在“考籍转入”中核对成绩后确认转入。")
            % {"province": transfer.from_province.name, "number": transfer.number})


# --- creating ------------------------------------------------------------------------------------

def _clean_courses(courses: list[dict]) -> list[dict]:
    cleaned, seen = [], set()
    for row in courses:
        if not isinstance(row, dict):
            raise TransferInError(gettext("转入课程数据格式错误。"), field="courses")
        code = str(row.get("code") or "").strip()
        name = str(row.get("name") or "").strip()
        if not code and not name:
            continue
        if not code or not name:
            raise TransferInError(gettext("每门转入课程须填写课程代码和课程名称。"), field="courses")
        if code in seen:
            raise TransferInError(gettext("课程代码 %(code)s 重复。") % {"code": code}, field="courses")
        seen.add(code)
        score = row.get("score")
        if score in ("", None):
            score = None
        else:
            try:
                score = Decimal(str(score)).quantize(Decimal("0.1"))
            except (InvalidOperation, ValueError):
                raise TransferInError(gettext("课程 %(code)s 的成绩不正确。") % {"code": code}, field="courses") from None
            if not Decimal(0) <= score <= Decimal(100):
                raise TransferInError(gettext("课程 %(code)s 的成绩应在0到100之间。") % {"code": code},
                                      field="courses")
        credits = row.get("credits")
        try:
            credits = int(credits) if credits not in ("", None) else None
        except (TypeError, ValueError):
            raise TransferInError(gettext("课程 %(code)s 的学分不正确。") % {"code": code}, field="courses") from None
        cleaned.append({"code": code[:10], "name": name[:60], "credits": credits, "score": score,
                        "sitting": str(row.get("sitting") or "").strip()[:30],
                        "source": str(row.get("source") or "").strip()[:20]})
    if not cleaned:
        raise TransferInError(gettext("请至少填写一门转入课程。"), field="courses")
    return cleaned


def _create(*, staff: StaffMember, method: str, from_province: Province, source_number: str, name: str,
            id_number: str, profile: dict, courses: list[dict], package_text: str = "", request=None,
            action: str, detail: dict | None = None) -> IncomingTransfer:
    from django.core.exceptions import ValidationError

    # Typed by staff or read from another province's package: the same text rules as on every form.
    try:
        name = validate_person_name(name)
    except ValidationError as exc:
        if method == IncomingTransfer.Method.PAPER:
            raise TransferInError(exc.messages[0], field="name") from None
        raise TransferInError(gettext("数据包中的考生信息不符合要求：%(problem)s") % {"problem": exc.messages[0]}) from None
    try:
        profile, courses = clean_strings(profile, multiline=False), clean_strings(courses, multiline=False)
    except ValidationError as exc:
        raise TransferInError(gettext("数据包中的考生信息不符合要求：%(problem)s") % {"problem": exc.messages[0]}) from None
    candidate = _candidate_with_id_number(id_number)
    with transaction.atomic():
        if IncomingTransfer.objects.filter(from_province=from_province, source_number=source_number).exclude(
                status=Status.VOIDED).exists():
            raise TransferInError(gettext("%(province)s的转出申请 %(number)s 已经录入或导入过，不能重复转入。")
                                  % {"province": from_province.name, "number": source_number})
        try:
            with transaction.atomic():
                transfer = IncomingTransfer.objects.create(
                    number=_new_number(), from_province=from_province, source_number=source_number, method=method,
                    name=name, id_number=id_number, candidate=candidate, profile=profile,
                    package=package_text, package_digest=packages.digest(package_text) if package_text else "",
                    office=staff.office, created_by=staff.user)
        except IntegrityError:
            raise TransferInError(gettext("%(province)s的转出申请 %(number)s 已经录入或导入过，不能重复转入。")
                                  % {"province": from_province.name, "number": source_number}) from None
        IncomingCourse.objects.bulk_create([IncomingCourse(transfer=transfer, **c) for c in courses])
        _record(transfer, from_status="", to_status=Status.PENDING, actor=staff.user, office=staff.office,
                comment=gettext_noop("录入纸质转入档案") if method == IncomingTransfer.Method.PAPER
                else gettext_noop("导入电子转考数据包，签名验证通过"))
        audit_record(actor=staff.user, action=action, target=transfer, request=request,
                     jurisdiction_code=_jurisdiction_code(transfer),
                     detail={"number": transfer.number, "from_province": from_province.region.code,
                             "source_number": source_number, "courses": len(courses),
                             "matched": candidate is not None, **(detail or {})})
        _notify_created(transfer)
    return transfer


def incoming_transfer_enter(*, staff: StaffMember, from_province: Province, source_number: str, name: str,
                            id_number: str, courses: list[dict], profile: dict | None = None,
                            request=None) -> IncomingTransfer:
    """录入纸质转入档案: from the paper 转出登记表 the province authority received."""
    _require_authority(staff, gettext("录入纸质转入档案"))
    source_number = (source_number or "").strip()
    if not source_number:
        raise TransferInError(gettext("请填写转出申请编号（转出登记表上的编号）。"), field="source_number")
    if from_province.is_home:
        raise TransferInError(gettext("转出省份不能是本省。"), field="from_province")
    return _create(staff=staff, method=IncomingTransfer.Method.PAPER, from_province=from_province,
                   source_number=source_number[:40], name=(name or "").strip()[:50], id_number=id_number,
                   profile=profile or {}, courses=_clean_courses(courses), request=request,
                   action=AuditAction.TRANSFER_IN_ENTERED)


def incoming_transfer_import(*, staff: StaffMember, raw: bytes, request=None) -> IncomingTransfer:
    """导入电子转考数据包: every check passes before anything is written — the file is a signed
    package, from a configured province with a public key that verifies the signature, addressed to
    this province, not imported before, its candidate signature matching its signed text."""
    from django.core.exceptions import ValidationError

    from kaowu.core.validation import normalize_id_number

    _require_authority(staff, gettext("导入电子转考数据包"))
    try:
        document = packages.package_read(raw)
    except packages.PackageError as exc:
        raise TransferInError(exc.message) from None
    payload = document["payload"]
    source = payload.get("source_province") or {}
    province = Province.objects.select_related("region").filter(
        region__code=str(source.get("code") or "")).first() if isinstance(source, dict) else None
    if province is None:
        raise TransferInError(gettext("数据包来自未配置的省份（%(name)s），不能导入。") % {
            "name": source.get("name") if isinstance(source, dict) else "?"})
    home = home_province()
    if province.is_home or home is None:
        raise TransferInError(gettext("该数据包由本省签发，不能导入本省。"))
    if not province.transfer_public_key.strip():
        raise TransferInError(gettext("尚未配置%(province)s的转考公钥，无法验证数据包签名。请先由管理员在省份配置中填写该省提供的公钥。")
                              % {"province": province.name})
    try:
        packages.package_verify(document, province.transfer_public_key)
    except packages.PackageError as exc:
        raise TransferInError(exc.message) from None
    destination = payload.get("destination_province") or {}
    if not isinstance(destination, dict) or destination.get("code") != home.region.code:
        raise TransferInError(gettext("该数据包的转入省份是%(to)s，不是本省（%(home)s），不能导入。") % {
            "to": destination.get("name", "?") if isinstance(destination, dict) else "?", "home": home.name})
    profile = payload.get("profile")
    signed = payload.get("candidate_signature")
    courses = payload.get("courses")
    if not isinstance(profile, dict) or not isinstance(signed, dict) or not isinstance(courses, list):
        raise TransferInError(gettext("文件不是有效的电子转考数据包（格式错误）。"))
    try:
        id_number = normalize_id_number(str(profile.get("id_number") or ""))
    except ValidationError:
        raise TransferInError(gettext("数据包中的身份证号无效，不能导入。")) from None
    if not isinstance(signed.get("content"), str) or not signed["content"] or packages.digest(signed["content"]) != signed.get("content_sha256"):
        raise TransferInError(gettext("数据包中的考生签字与签字内容不符，不能导入。"))
    courses = _clean_courses(courses)
    number = str(payload.get("application_number") or "").strip()
    if not number:
        raise TransferInError(gettext("数据包缺少转出申请编号，不能导入。"))
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    return _create(staff=staff, method=IncomingTransfer.Method.ELECTRONIC, from_province=province,
                   source_number=number[:40], name=str(profile.get("name") or "")[:50], id_number=id_number,
                   profile={k: profile.get(k, "") for k in ("exam_number", "exam_area", "major")},
                   courses=courses, package_text=text, request=request, action=AuditAction.TRANSFER_IN_IMPORTED,
                   detail={"digest": packages.digest(text)})


def incoming_transfers_match(*, candidate) -> int:
    """The transfers 待匹配 whose ID number is the candidate's become theirs (the person registered
    after the transfer arrived). Returns how many."""
    id_number = candidate.user.id_number
    if not id_number:
        return 0
    with transaction.atomic():
        rows = list(IncomingTransfer.objects.select_for_update().filter(candidate__isnull=True, id_number=id_number))
        for transfer in rows:
            transfer.candidate = candidate
            transfer.save(update_fields=["candidate"])
            if transfer.status == Status.PENDING:
                _notify_created(transfer)
    return len(rows)


# --- confirming and receiving --------------------------------------------------------------------

def transfer_in_window(*, candidate=None, now=None):
    """The window (`catalog.windows.ApplicableWindow`) of 确认转入 (seed 003: “在规定时间”确认外省转至省内
    信息无误): 省际转入, or the general 转考申请 (`business_window` decides), of the current sitting; the
    exam area's own window where the candidate has a 准考证号 here."""
    from kaowu.catalog.models import BusinessWindow
    from kaowu.catalog.selectors import current_sitting
    from kaowu.catalog.windows import business_window

    exam_number = candidate.exam_numbers.select_related("exam_area").order_by("-id").first() if candidate else None
    return business_window(kind=BusinessWindow.Kind.TRANSFER_IN, sitting=current_sitting(),
                           exam_area=exam_number.exam_area if exam_number is not None else None, now=now)


def _lock(transfer: IncomingTransfer) -> IncomingTransfer:
    return IncomingTransfer.objects.select_for_update(of=("self",)).select_related(
        "from_province", "candidate__user", "candidate__district").get(pk=transfer.pk)


def incoming_transfer_confirm(*, transfer: IncomingTransfer, actor, request=None) -> IncomingTransfer:
    """确认转入: the candidate's signature of exactly the transfer's text is required. 电子转入 moves
    on to 已接收 and the scores join at once (the verified package is the archive)."""
    from kaowu.signatures.services import signature_valid_for

    with transaction.atomic():
        transfer = _lock(transfer)
        if transfer.candidate_id is None or transfer.candidate.user_id != actor.pk:
            raise TransferInError(gettext("考籍转入记录不存在。"))
        action = gettext("确认转入")
        try:
            FLOW.require(transfer.status, Status.CONFIRMED)
        except IllegalTransition:
            raise TransferInError(gettext("考籍转入当前状态为“%(status)s”，不能%(action)s。") % {
                "status": transfer.get_status_display(), "action": action}) from None
        transfer_in_window(candidate=transfer.candidate).require_open(TransferInError)
        from kaowu.identity.selectors import verification_passed

        if verification_passed(user=actor) is None:
            raise TransferInError(gettext("请先完成身份认证，认证通过后才能确认转入。"))
        signature = signature_valid_for(subject=signature_subject(transfer), version=1,
                                        content=signature_content(transfer))
        if signature is None:
            raise TransferInError(gettext("请先扫码签字确认转入信息，签字后才能确认转入。"), field="signature")
        _move(transfer, Status.CONFIRMED, actor=actor, comment=gettext_noop("考生扫码签字确认转入"), action=action)
        transfer.signature, transfer.confirmed_at = signature, timezone.now()
        title = gettext("您的考籍转入已确认")
        body = gettext("转入编号 %(number)s 已确认。省级考试机构接收档案后，转入成绩记入您的考籍。") % {
            "number": transfer.number}
        if transfer.method == IncomingTransfer.Method.ELECTRONIC:
            _move(transfer, Status.RECEIVED, comment=gettext_noop("电子转考数据包即考籍档案，确认后自动接收"),
                  action=gettext("接收档案"))
            transfer.received_on, transfer.received_at = timezone.localdate(), timezone.now()
            _join_scores(transfer)
            body = gettext("转入编号 %(number)s 已确认，转入成绩已记入您的考籍。") % {"number": transfer.number}
        transfer.save()
        audit_record(actor=actor, action=AuditAction.TRANSFER_IN_CONFIRMED, target=transfer, request=request,
                     detail={"number": transfer.number, "status": transfer.status})
        _notify(transfer, title, body)
    return transfer


def incoming_transfer_receive(*, transfer: IncomingTransfer, staff: StaffMember, received_on: datetime.date,
                              note: str = "", request=None) -> IncomingTransfer:
    """接收档案 (province authority, after the candidate confirmed): the scores join the record."""
    _require_authority(staff, gettext("登记接收档案"))
    if received_on is None or received_on > timezone.localdate():
        raise TransferInError(gettext("接收日期不能晚于今天"), field="received_on")
    with transaction.atomic():
        transfer = _lock(transfer)
        _move(transfer, Status.RECEIVED, actor=staff.user, office=staff.office,
              comment=(note or "").strip()[:NOTE_MAX] or gettext_noop("已接收纸质考籍档案"), action=gettext("接收档案"))
        transfer.received_on, transfer.received_at = received_on, timezone.now()
        transfer.receipt_note = (note or "").strip()[:NOTE_MAX]
        outcome = _join_scores(transfer)
        transfer.save()
        audit_record(actor=staff.user, action=AuditAction.TRANSFER_IN_RECEIVED, target=transfer, request=request,
                     jurisdiction_code=_jurisdiction_code(transfer),
                     detail={"number": transfer.number, "received_on": received_on.isoformat(), **outcome})
        _notify(transfer, gettext("您的转入成绩已记入考籍"),
                gettext("转入编号 %(number)s 的考籍档案已接收，转入成绩已记入您的考籍。") % {"number": transfer.number})
    return transfer


def incoming_transfer_void(*, transfer: IncomingTransfer, staff: StaffMember, reason: str,
                           request=None) -> IncomingTransfer:
    """作废 (province authority): a transfer still 待确认 is withdrawn with the reason — entered wrongly
    from the paper form or imported by mistake. The candidate (if matched) is told why."""
    _require_authority(staff, gettext("作废考籍转入"))
    reason = (reason or "").strip()
    if not reason:
        raise TransferInError(gettext("请填写作废原因"), field="reason")
    with transaction.atomic():
        transfer = _lock(transfer)
        _move(transfer, Status.VOIDED, actor=staff.user, office=staff.office, comment=reason[:NOTE_MAX],
              action=gettext("作废"))
        transfer.save()
        audit_record(actor=staff.user, action=AuditAction.TRANSFER_IN_VOIDED, target=transfer, request=request,
                     jurisdiction_code=_jurisdiction_code(transfer),
                     detail={"number": transfer.number, "reason": reason[:NOTE_MAX]})
        _notify(transfer, gettext("您的考籍转入已作废"),
                gettext("转入编号 %(number)s 已由省级考试机构作废，原因：%(reason)s。如有疑问请联系省级考试机构。")
                % {"number": transfer.number, "reason": reason[:NOTE_MAX]})
    return transfer


def _join_scores(transfer: IncomingTransfer) -> dict:
    """Each transferred course found in this province's catalog (by course code) becomes a 转入成绩
    on the record; a course already passed keeps the better score; a course not in the catalog is
    marked 未匹配课程 (listed to staff and the candidate), never dropped silently."""
    from kaowu.catalog.models import Course
    from kaowu.records.models import PassedCourse

    candidate = transfer.candidate
    courses = list(transfer.courses.all())
    catalog = {c.code: c for c in Course.objects.filter(code__in=[c.code for c in courses])}
    note = gettext("自%(province)s转入（转入编号 %(number)s）") % {"province": transfer.from_province.name,
                                                          "number": transfer.number}
    counts = {"joined": 0, "kept": 0, "unmatched": 0}
    on_record = {p.course_id: p for p in PassedCourse.objects.select_for_update().filter(
        candidate=candidate, course__in=list(catalog.values()))}
    for row in courses:
        course = catalog.get(row.code)
        if course is None:
            row.outcome = Outcome.UNMATCHED
        else:
            passed = on_record.get(course.pk)
            note_text = (f"{note} {row.sitting}" if row.sitting else note)[:200]
            if passed is None:
                PassedCourse.objects.create(candidate=candidate, course=course, score=row.score,
                                            source=PassedCourse.Source.TRANSFER_IN, sitting=None,
                                            passed_on=transfer.received_on or timezone.localdate(), note=note_text)
                row.outcome = Outcome.JOINED
            elif passed.score is not None and (row.score is None or row.score <= passed.score):
                row.outcome = Outcome.BETTER_KEPT
            else:
                passed.score, passed.source, passed.sitting, passed.note = (
                    row.score, PassedCourse.Source.TRANSFER_IN, None, note_text)
                passed.save(update_fields=["score", "source", "sitting", "note"])
                row.outcome = Outcome.JOINED
        counts[row.outcome] += 1
    IncomingCourse.objects.bulk_update(courses, ["outcome"])
    return counts


# --- 电子寄档: the signed package of a 考籍转出 --------------------------------------------------

def _signature_block(application) -> dict:
    from .out import signature_content
    from .services import transfer_out_signature

    signature = transfer_out_signature(application)
    if signature is None or not signature.image:
        raise TransferInError(gettext("该申请没有有效的考生签字，不能导出电子转考数据包。"))
    with signature.image.open("rb") as handle:
        image = base64.b64encode(handle.read()).decode("ascii")
    content = signature_content(application, application.current_version.data)
    return {"image_png_base64": image, "content": content, "content_sha256": packages.digest(content),
            "signed_at": signature.signed_at.isoformat()}


def _approvals(application) -> list[dict]:
    rows = []
    for t in application.transitions.select_related("actor", "actor_office").order_by("created_at", "id"):
        if t.actor_office_id is None:
            continue
        rows.append({"step": str(t.step_label or ""), "office": t.actor_office.name,
                     "reviewer": t.actor.real_name if t.actor_id else "", "result": str(t.to_label),
                     "comment": gettext(t.comment) if t.comment else "", "at": t.created_at.isoformat()})
    return rows


def transfer_out_package_payload(application) -> dict:
    """What the destination needs: the profile with the full ID number (to match the person), the
    courses, the candidate's signature and the review history."""
    home = home_province()
    data = application.current_version.data
    user = application.candidate.user
    profile = dict(data.get("profile", {}))
    profile.pop("id_number_masked", None)
    profile.update({"name": user.real_name, "id_number": user.id_number})
    return {
        "source_province": {"code": home.region.code, "name": home.name, "authority": home.authority_name},
        "destination_province": {"code": data.get("to_province"), "name": data.get("to_province_name"),
                                 "authority": data.get("receiving_authority")},
        "application_number": application.number,
        "created_at": timezone.now().isoformat(),
        "profile": profile,
        "courses": [{k: c.get(k) for k in ("code", "name", "credits", "score", "sitting", "source")}
                    for c in data.get("courses", [])],
        "candidate_signature": _signature_block(application),
        "approvals": _approvals(application),
    }


def transfer_out_package_export(*, application, staff: StaffMember, request=None):
    """电子寄档: the province authority exports the signed package of an approved 考籍转出 to a
    province that runs kaowu; it is kept (downloadable again) and the transfer is 已完成."""
    from kaowu.workflow import services as workflow
    from kaowu.workflow.services import WorkflowError

    from .out import CODE, COMPLETED

    _require_authority(staff, gettext("导出电子转考数据包"))
    if application.type_code != CODE:
        raise TransferInError(gettext("该申请不是考籍转出申请"))
    destination = Province.objects.filter(region__code=application.data.get("to_province")).first()
    if destination is None or not destination.runs_kaowu:
        raise TransferInError(gettext("转入省份未使用本平台，请按纸质登记表寄送档案。"))
    from kaowu.workflow.statuses import Status as AppStatus

    if application.status != AppStatus.APPROVED:
        raise TransferInError(gettext("申请当前状态为“%(status)s”，不能导出电子转考数据包。") % {
            "status": application.status_label})
    text = packages.package_sign(transfer_out_package_payload(application))
    short = packages.digest(text)[:16].upper()
    try:
        with transaction.atomic():
            application = workflow.application_advance(
                application=application, to=COMPLETED, actor=staff.user, actor_office=staff.office,
                comment=gettext("电子寄档：已导出电子转考数据包（摘要 %(digest)s）") % {"digest": short},
                action=gettext("电子寄档"), request=request,
                texts=lambda: (gettext("您的考籍转出已完成"),
                               gettext("申请编号 %(number)s 的考籍档案已通过电子转考发送至%(province)s，转出完成。"
                                       "请留意转入省份的考籍转入确认通知。")
                               % {"number": application.number, "province": destination.name}))
            DossierDispatch.objects.create(application=application, carrier=gettext("电子传送"),
                                           tracking_number=short, mailed_on=timezone.localdate(),
                                           office=staff.office, recorded_by=staff.user, method="electronic",
                                           package=text)
            audit_record(actor=staff.user, action=AuditAction.TRANSFER_OUT_PACKAGE_EXPORTED, target=application,
                         request=request, jurisdiction_code=application.candidate.district.code,
                         detail={"number": application.number, "to_province": destination.region.code,
                                 "digest": packages.digest(text)})
    except WorkflowError as exc:
        raise TransferInError(exc.message) from None
    return application

