"""Use cases of the application engine. Every change locks the application (select_for_update),
checks the type's flow (`StateMachine.require`), writes an ApplicationTransition, an audit row, and
sends the candidate a 消息 + SMS once the transaction commits.

    application_save_draft   草稿: create, or change a 草稿 / 退回修改 (a new version once one was submitted)
    application_submit       草稿 / 退回修改 → 审核中 (step 0), inside the type's business window
    application_approve      审核中 step n → step n+1 (the next office's queue) or → 审核通过 at the last step
    application_reject       审核中 → 审核未通过 (reason required)
    application_return       审核中 → 退回修改 (reason required)
    application_withdraw     草稿 / 审核中 / 退回修改 → 已撤回 (the candidate)
    applications_bulk_approve  many approvals, each in its own transaction, with a result per application
    application_transition   a type's own gated step: attachments, target step and office, a check
    application_advance      a type's own transition (考籍转出: 待缴费 → 待提交, 审核通过 → 已完成)
    application_delete       删除 by the candidate where the type allows it (考籍转出: 待缴费)

After 退回修改 the candidate's modification is a new version and goes back to the first step of the
chain (every office sees the data it decides on) unless the type sets `resubmit_to_returning_step`.
Staff act only on applications in their own office's queue (`reviewing_office`).
"""

import json
import os
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.core.errors import UserFacingError
from kaowu.core.text import clean_free_text, clean_strings
from kaowu.core.uploads import UploadRejected, document_check
from kaowu.organization.models import StaffMember

from .models import Application, ApplicationAttachment, ApplicationTransition, ApplicationVersion
from .statuses import Status
from .types import APPROVE, REJECT, RETURN, ApplicationType, application_type

REASON_MAX = 500


class WorkflowError(UserFacingError):
    """An application action refused, with the reason (Chinese)."""


# --- helpers --------------------------------------------------------------------------------------

def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def _clean_data(data: dict) -> dict:
    """Every string of an application's data under the free-text rule (NFC; no control, format or
    bidirectional characters), whatever form or page produced it: staff read all of it."""
    cleaned = {}
    for key, value in data.items():
        try:
            cleaned[clean_free_text(key, strip=False)] = clean_strings(value)
        except ValidationError as exc:
            raise WorkflowError(exc.messages[0], field=key) from None
    return cleaned


def _text(value: str, *, field: str = "reason") -> str:
    """A comment or reason typed by a person: the free-text rule, at most REASON_MAX characters."""
    try:
        return clean_free_text(value, multiline=True)[:REASON_MAX]
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0], field=field) from None


def _new_number() -> str:
    """SQ + date (Beijing) + 8 random digits: SQ2027031204718265. Random, so numbers do not reveal volume."""
    today = timezone.localdate()
    while True:
        number = f"SQ{today:%Y%m%d}{secrets.randbelow(10**8):08d}"
        if not Application.objects.filter(number=number).exists():
            return number


def _lock(application: Application) -> Application:
    found = Application.objects.select_for_update().filter(pk=application.pk).first()
    if found is None:
        raise WorkflowError(gettext("申请不存在"))
    return found


def _lock_as_applicant(application: Application, actor) -> Application:
    found = _lock(application)
    if found.applicant_id != actor.pk:
        raise WorkflowError(gettext("申请不存在"))
    return found


def _lock_for_staff(application: Application, staff: StaffMember) -> Application:
    found = _lock(application)
    if found.reviewing_office_id != staff.office_id:
        raise WorkflowError(gettext("该申请不在本机构的待审核队列中，不能审核。"))
    return found


def _action_refused(application: Application, kind: ApplicationType, action: str) -> WorkflowError:
    return WorkflowError(gettext("申请当前状态为“%(status)s”，不能%(action)s。")
                         % {"status": kind.status_label(application.status), "action": action})


def _require(application: Application, kind: ApplicationType, target: str, action: str) -> None:
    if not kind.flow.allowed(application.status, target):
        raise _action_refused(application, kind, action)


def _require_decision(kind: ApplicationType, decision: str) -> None:
    if not kind.allows(decision):
        raise WorkflowError(kind.decision_refused(decision))


def _move(application: Application, *, to: str, actor, actor_office=None, comment: str = "",
          to_step: int | None = None, reviewing_office=None, action: str) -> ApplicationTransition:
    """The one place a status changes: flow check, history row, new status/step/office (not saved)."""
    kind = application.type
    _require(application, kind, to, action)
    transition = ApplicationTransition.objects.create(
        application=application, from_status=application.status, to_status=to,
        from_step=application.current_step if application.status == Status.REVIEWING else None, to_step=to_step,
        actor=actor, actor_office=actor_office, comment=_text(comment),
        version_number=application.current_version.number if application.current_version_id else None,
    )
    application.status, application.current_step, application.reviewing_office = to, to_step, reviewing_office
    return transition


def _resolve_office(kind: ApplicationType, step: int, application: Application, data: dict):
    review_step = kind.review_chain[step]
    office = review_step.resolve(application, data)
    if office is None or office.kind != review_step.office_kind:
        raise WorkflowError(gettext("未找到“%(step)s”的审核机构，暂不能提交。请联系省级考试机构。")
                            % {"step": review_step.label})
    return office


def _exam_area(application: Application):
    return application.exam_number.exam_area if application.exam_number_id else None


def application_window(application: Application, now=None):
    """The window (`catalog.windows.ApplicableWindow`) of the application's business, or None for a type
    without a window: the type's kind, of the application's sitting where the type's window is per sitting."""
    from kaowu.catalog.windows import business_window

    kind = application.type
    if kind.window_kind is None:
        return None
    return business_window(kind=kind.window_kind, sitting=application.sitting if kind.window_per_sitting else None,
                           exam_area=_exam_area(application), now=now)


def _require_window(application: Application, now=None) -> None:
    applicable = application_window(application, now=now)
    if applicable is not None:  # on the server, whatever the page showed: a closed window refuses a posted form
        applicable.require_open(WorkflowError)


def _audit(application: Application, *, actor, action: str, request=None, **detail) -> None:
    audit_record(actor=actor, action=AuditAction(f"application.{action}"), target=application, request=request,
                 jurisdiction_code=application.candidate.district.code,
                 detail={"type": application.type_code, "number": application.number, "status": application.status,
                         "step": application.current_step, **detail})


def application_link(application: Application) -> str:
    """The candidate's page of an application: the type's own detail page, else the timeline."""
    name = application.type.detail_url_name
    if name:
        try:
            return reverse(name, args=[application.number])
        except NoReverseMatch:
            pass
    return reverse("workflow:detail", args=[application.number])


def _notify(application: Application, texts) -> None:
    """消息 + SMS to the applicant, once the transaction has committed (never for a rolled-back change).
    `texts()` gives (title, body); it is called in the site's language, not the acting reviewer's."""
    from django.conf import settings
    from django.utils import translation

    from kaowu.notifications.services import inbox_notify

    with translation.override(settings.LANGUAGE_CODE):
        title, body = texts()
        sms_text = gettext("%(title)s（申请编号%(number)s），请登录考生服务平台查看。") % {
            "title": title, "number": application.number}
    user, link = application.applicant, application_link(application)
    transaction.on_commit(lambda: inbox_notify(user=user, title=title, body=body, link=link, sms_text=sms_text))


def application_notify(*, application: Application, texts) -> None:
    """Tell the applicant something about his application that is not a change of its status (a
    result recorded item by item): `texts()` → (title, body), called in the site's language; 消息 +
    SMS once the transaction commits, as for a transition."""
    _notify(application, texts)


# --- drafts and attachments -----------------------------------------------------------------------

def _checked_uploads(kind: ApplicationType, attachments: dict | None) -> dict:
    """Every upload checked and decoded (kaowu.core.uploads.document_check). Slow: call it before the
    transaction opens."""
    checked = {}
    for name, upload in (attachments or {}).items():
        if not upload:
            continue
        if name not in kind.attachment_kinds:
            raise WorkflowError(gettext("不支持的材料类型"))
        try:
            checked[name] = (upload, document_check(upload))
        except UploadRejected as exc:
            raise WorkflowError(exc.message, field=name) from None
    return checked


def _store_attachments(version: ApplicationVersion, checked: dict, remove=()) -> None:
    now = timezone.now()
    for name in remove:
        version.attachments.filter(kind=name).delete()
    for name, (upload, document) in checked.items():
        version.attachments.filter(kind=name).delete()
        original = os.path.basename(getattr(upload, "name", "") or "")[:200] or f"{name}.{document.extension}"
        # The checked copy is stored (an image re-encoded without anything appended), not the upload.
        ApplicationAttachment.objects.create(version=version, kind=name, file=document.as_file(name),
                                             original_name=original, size=document.size,
                                             content_type=document.content_type, uploaded_at=now)


def _new_version(application: Application, *, data: dict, actor) -> ApplicationVersion:
    previous = application.current_version
    version = ApplicationVersion.objects.create(application=application, number=previous.number + 1, data=data,
                                                created_by=actor)
    for attachment in previous.attachments.all():  # the files stay: a version's attachments never change
        ApplicationAttachment.objects.create(
            version=version, kind=attachment.kind, file=attachment.file.name, original_name=attachment.original_name,
            size=attachment.size, content_type=attachment.content_type, uploaded_at=attachment.uploaded_at)
    return version


def application_save_draft(*, actor, data: dict, application: Application | None = None, type_code: str = "",
                           candidate: Candidate | None = None, exam_number: ExamNumber | None = None,
                           attachments: dict | None = None, remove_attachments=(), request=None) -> Application:
    """Save what the candidate filled in without submitting it: a new application (草稿, or the type's
    `initial_status`), or a change to one in an editable status (草稿 / 退回修改, or the type's own). The first change after a submission makes a new version; the submitted
    version stays as it was."""
    data = _clean_data(_json_safe(data))
    # Decoding the files is slow: done before the transaction opens (the type never changes).
    checked = _checked_uploads(application_type(type_code) if application is None else application.type,
                               attachments)
    with transaction.atomic():
        if application is None:
            kind = application_type(type_code)
            if candidate is None or candidate.user_id != actor.pk:
                raise WorkflowError(gettext("只能由考生本人申请"))
            kind.before_save(application=None, candidate=candidate, exam_number=exam_number)
            if exam_number is not None and exam_number.candidate_id != candidate.pk:
                raise WorkflowError(gettext("请选择本人名下的准考证号"))
            sitting = None
            if kind.window_per_sitting:
                from kaowu.catalog.selectors import current_sitting

                sitting = current_sitting()
            application = Application.objects.create(
                type_code=kind.code, number=_new_number(), applicant=actor, candidate=candidate,
                exam_number=exam_number, sitting=sitting, status=kind.initial_status)
            _require_window(application)  # a draft is saved inside the window only (rolled back otherwise)
            version = ApplicationVersion.objects.create(application=application, number=1, data=data, created_by=actor)
            application.current_version = version
            application.save(update_fields=["current_version"])
            ApplicationTransition.objects.create(
                application=application, from_status="", to_status=kind.initial_status, actor=actor,
                comment=gettext_noop("保存草稿") if kind.initial_status == Status.DRAFT else gettext_noop("保存申请"),
                version_number=1)
            _store_attachments(version, checked)
            _audit(application, actor=actor, action="draft_saved", request=request, version=1)
            for gate in kind.gates:
                gate.on_created(kind, application, actor=actor)
            return application
        application = _lock_as_applicant(application, actor)
        kind = application.type
        if not kind.is_editable(application.status):
            raise _action_refused(application, kind, gettext("修改"))
        _require_window(application)
        kind.before_save(application=application, candidate=application.candidate,
                         exam_number=application.exam_number)
        version = application.current_version
        if version.is_frozen:
            version = _new_version(application, data=data, actor=actor)
            application.current_version = version
            application.save(update_fields=["current_version", "updated_at"])
        else:
            version.data = data
            version.save(update_fields=["data"])
            application.save(update_fields=["updated_at"])
        _store_attachments(version, checked, remove=remove_attachments)
        _audit(application, actor=actor, action="draft_saved", request=request, version=version.number)
    return application


# --- the candidate's actions ----------------------------------------------------------------------

def application_submit(*, application: Application, actor, request=None, now=None) -> Application:
    """提交: inside the window, valid by the type's rules, with the required attachments; the version is
    frozen and the application enters the queue of the first step's office."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock_as_applicant(application, actor)
        kind = application.type
        _require(application, kind, Status.REVIEWING, gettext("提交"))
        if not kind.is_editable(application.status):
            # 审核中 → 审核中 is how an approval moves on; it is never a second 提交 of a frozen version.
            raise _action_refused(application, kind, gettext("提交"))
        _require_window(application, now=now)
        version = application.current_version
        data = version.data
        kind.validate(application, data)
        for gate in kind.gates:
            gate.validate(kind, application, data)
        present = set(version.attachments.values_list("kind", flat=True))
        if kind.attachments_required:
            for name, label in kind.attachment_kinds.items():
                if name not in present:
                    raise WorkflowError(gettext("请上传%(label)s") % {"label": label}, field=name)
        step = 0
        # 退回修改, or a type's own editable status after a submission (a ConfirmGate's 有误 → 修改)
        resubmitting = application.status == Status.RETURNED or application.submitted_at is not None
        if application.status == Status.RETURNED and kind.resubmit_to_returning_step:
            returned = application.transitions.filter(to_status=Status.RETURNED).order_by("-id").first()
            step = returned.from_step if returned and returned.from_step is not None else 0
        office = _resolve_office(kind, step, application, data)
        version.submitted_at = now
        version.save(update_fields=["submitted_at"])
        _move(application, to=Status.REVIEWING, to_step=step, reviewing_office=office, actor=actor,
              comment=gettext_noop("修改后重新提交") if resubmitting else gettext_noop("提交申请"),
              action=gettext("提交"))
        application.submitted_at = now
        application.save()
        _audit(application, actor=actor, action="submitted", request=request, version=version.number,
               office=office.code)
        _notify(application, lambda: (
            gettext("您的%(type)s申请已提交") % {"type": kind.label},
            gettext("申请编号 %(number)s（第%(version)s版）已提交，等待%(office)s审核（%(step)s）。")
            % {"number": application.number, "version": version.number, "office": office.name,
               "step": kind.step_label(step)}))
    return application


def application_withdraw(*, application: Application, actor, reason: str = "", request=None) -> Application:
    """撤回 by the candidate, while 草稿 / 审核中 / 退回修改; the application leaves every queue."""
    with transaction.atomic():
        application = _lock_as_applicant(application, actor)
        kind = application.type
        for gate in kind.gates:
            gate.before_withdraw(kind, application)
        _move(application, to=Status.WITHDRAWN, actor=actor, comment=_text(reason) or gettext_noop("考生撤回申请"),
              action=gettext("撤回"))
        application.decided_at = timezone.now()
        application.save()
        kind.on_withdrawn(application)
        _audit(application, actor=actor, action="withdrawn", request=request)
        _notify(application, lambda: (
            gettext("您已撤回%(type)s申请") % {"type": kind.label},
            gettext("申请编号 %(number)s 已撤回，不再审核。如仍需办理，请在办理时间内重新申请。")
            % {"number": application.number}))
    return application


def application_delete(*, application: Application, actor, request=None) -> None:
    """删除 by the candidate, only in a status the type allows (考籍转出: 待缴费, never submitted): the
    application, its versions and history go; the audit row keeps its number and type. A gate undoes
    what it did first (a payment gate cancels the unpaid order, and refuses once it is paid)."""
    if application.applicant_id != actor.pk:
        raise WorkflowError(gettext("申请不存在"))
    for gate in application.type.gates:  # the gateways are asked: before the lock is taken
        gate.before_delete(application.type, application, actor=actor)
    with transaction.atomic():
        application = _lock_as_applicant(application, actor)
        kind = application.type
        if not kind.is_deletable(application.status):
            raise _action_refused(application, kind, gettext("删除"))
        if application.versions.filter(submitted_at__isnull=False).exists():
            raise _action_refused(application, kind, gettext("删除"))
        _audit(application, actor=actor, action="deleted", request=request)
        for version in application.versions.all():
            for attachment in version.attachments.all():
                storage, name = attachment.file.storage, attachment.file.name
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        Application.objects.filter(pk=application.pk).update(current_version=None)
        application.delete()


# --- a type's own transitions ---------------------------------------------------------------------

def application_transition(*, application: Application, to: str, actor=None, actor_office=None,
                           in_queue: bool = False, attachments: dict | None = None, step: int | None = None,
                           office=None, check=None, comment: str = "", action: str = "", only_from=None,
                           submit: bool = False, texts=None, audit_action: str = "advanced",
                           audit_detail: dict | None = None, then=None, request=None, now=None) -> Application:
    """The public call for a step of a type's own flow (the engine's submit and decisions use the
    same machinery): lock, flow check, history row, audit row, notification on commit.

    - `actor` None is the platform itself (a payment notification, a lapse); an actor without
      `actor_office` must be the applicant; staff pass their office — with `in_queue` the application
      must be in that office's queue (a decision), else the type's `check` says which office may act.
    - `attachments` ({kind: upload}) are checked (kaowu.core.uploads) before the transaction opens and
      stored on the current version; `submit` freezes that version (it becomes what was submitted).
    - `step` / `office`: where the application goes (审核中 at that step of the chain, in that office's
      queue; with a step but no office the chain's resolver finds it).
    - `only_from`: when the locked application is not in one of these statuses nothing happens and it
      is returned as it is (for callbacks that may run twice). `check(locked)` runs under the lock and
      may raise WorkflowError. `texts()` → (title, body) tells the candidate once committed. `action`
      names the act in a refusal (“申请当前状态为“待缴费”，不能寄档。”). `comment` and `audit_detail`
      may be callables of the locked application (what they say is read under the lock).
    - `then(locked)` runs under the lock once the move is saved, before the candidate is told (a
      ConfirmGate's confirmation runs the type's outcome there); raising WorkflowError undoes the move."""
    now = now or timezone.now()
    checked = _checked_uploads(application.type, attachments) if attachments else {}
    with transaction.atomic():
        if actor is not None and actor_office is None:
            application = _lock_as_applicant(application, actor)
        else:
            application = _lock(application)
            if in_queue and (actor_office is None or application.reviewing_office_id != actor_office.pk):
                raise WorkflowError(gettext("该申请不在本机构的待审核队列中，不能审核。"))
        if only_from is not None and application.status not in only_from:
            return application
        kind = application.type
        if check is not None:
            check(application)
        _require(application, kind, to, action or gettext("办理"))
        if callable(comment):
            comment = comment(application)
        if callable(audit_detail):
            audit_detail = audit_detail(application)
        from_status = application.status
        version = application.current_version
        if checked:
            _store_attachments(version, checked)
        if submit:
            version.submitted_at = now
            version.save(update_fields=["submitted_at"])
            application.submitted_at = application.submitted_at or now
        if office is None and step is not None and to == Status.REVIEWING:
            office = _resolve_office(kind, step, application, version.data)
        _move(application, to=to, to_step=step, reviewing_office=office, actor=actor, actor_office=actor_office,
              comment=comment, action=action or gettext("办理"))
        if kind.is_final(to):
            application.decided_at = now
        application.save()
        if then is not None:
            then(application)
        _audit(application, actor=actor, action=audit_action, request=request, from_status=from_status,
               office=(office or actor_office).code if (office or actor_office) is not None else "",
               **(audit_detail or {}))
        if texts is None:
            # Every status change reaches the candidate: a step without texts of its own says where it stands.
            def texts():
                return (gettext("您的%(type)s申请状态已更新") % {"type": kind.label},
                        gettext("申请编号 %(number)s 当前状态：%(status)s。") % {
                            "number": application.number, "status": kind.status_label(to)})
        _notify(application, texts)
    return application


def application_advance(*, application: Application, to: str, actor=None, actor_office=None, comment: str = "",
                        action: str = "", only_from=None, check=None, texts=None, request=None) -> Application:
    """A transition of the type's own flow that is neither a submission nor a review decision
    (考籍转出: 待缴费 → 待提交 when the fee is paid, 审核通过 → 已完成 when the file is mailed); see
    `application_transition`, of which this is the short form."""
    return application_transition(application=application, to=to, actor=actor, actor_office=actor_office,
                                  comment=comment, action=action, only_from=only_from, check=check, texts=texts,
                                  request=request)


# --- the reviewers' actions -----------------------------------------------------------------------

def _reason(reason: str, *, message: str) -> str:
    reason = _text(reason)
    if not reason:
        raise WorkflowError(message, field="reason")
    return reason


def application_approve(*, application: Application, staff: StaffMember, comment: str = "", request=None) -> Application:
    """审核通过 of the current step: on to the next step's office, or 审核通过 at the last step
    (the type's on_approved runs in the same transaction)."""
    comment = _text(comment, field="comment")
    with transaction.atomic():
        application = _lock_for_staff(application, staff)
        kind = application.type
        _require_decision(kind, APPROVE)
        step = application.current_step if application.current_step is not None else 0
        if step + 1 >= len(kind.review_chain):
            _require_items_decided(application)  # the last step decides the application item by item
        if application.status == Status.REVIEWING and step + 1 < len(kind.review_chain):
            office = _resolve_office(kind, step + 1, application, application.data)
            _move(application, to=Status.REVIEWING, to_step=step + 1, reviewing_office=office, actor=staff.user,
                  actor_office=staff.office, comment=comment or gettext_noop("审核通过"), action=gettext("审核"))

            def texts():
                return (gettext("您的%(type)s申请已通过%(step)s") % {"type": kind.label, "step": kind.step_label(step)},
                        gettext("申请编号 %(number)s 已通过%(step)s，转%(office)s审核（%(next)s）。") % {
                            "number": application.number, "step": kind.step_label(step), "office": office.name,
                            "next": kind.step_label(step + 1)})
        else:
            # A gate may lead the last approval elsewhere (a ConfirmGate: 待考生网上确认); then the type's
            # on_approved waits for that gate.
            gate, target = next(((g, s) for g in kind.gates if (s := g.approval_status(kind, application))),
                                (None, Status.APPROVED))
            _move(application, to=target, to_step=step if target == Status.APPROVED else None, actor=staff.user,
                  actor_office=staff.office, comment=comment or gettext_noop("审核通过"), action=gettext("审核"))
            if gate is None:
                application.decided_at = timezone.now()
                kind.on_approved(application)

                def texts():
                    return (gettext("您的%(type)s申请已审核通过") % {"type": kind.label},
                            gettext("申请编号 %(number)s 已审核通过。") % {"number": application.number}
                            + _items_summary(application))
            else:
                def texts():
                    return gate.approval_texts(kind, application)
        application.save()
        _audit(application, actor=staff.user, action="approved", request=request, reviewed_step=step, comment=comment)

        def texts_with_comment():
            title, body = texts()
            return title, body + (gettext("审核意见：%(comment)s") % {"comment": comment} if comment else "")

        _notify(application, texts_with_comment)
    return application


def application_reject(*, application: Application, staff: StaffMember, reason: str, request=None) -> Application:
    """审核未通过, with the reason the candidate reads."""
    reason = _reason(reason, message=gettext("请填写审核未通过的原因"))
    with transaction.atomic():
        application = _lock_for_staff(application, staff)
        kind = application.type
        _require_decision(kind, REJECT)
        step = application.current_step
        _move(application, to=Status.REJECTED, to_step=step, actor=staff.user, actor_office=staff.office,
              comment=reason, action=gettext("审核"))
        application.decided_at = timezone.now()
        kind.on_rejected(application)
        application.save()
        _audit(application, actor=staff.user, action="rejected", request=request, reviewed_step=step, reason=reason)
        _notify(application, lambda: (
            gettext("您的%(type)s申请审核未通过") % {"type": kind.label},
            gettext("申请编号 %(number)s 审核未通过（%(step)s）。原因：%(reason)s")
            % {"number": application.number, "step": kind.step_label(step), "reason": reason}))
    return application


def application_return(*, application: Application, staff: StaffMember, reason: str, request=None) -> Application:
    """退回修改: the candidate changes the data (a new version) and submits again."""
    reason = _reason(reason, message=gettext("请填写退回修改的意见"))
    with transaction.atomic():
        application = _lock_for_staff(application, staff)
        kind = application.type
        _require_decision(kind, RETURN)
        step = application.current_step
        _move(application, to=Status.RETURNED, to_step=None, actor=staff.user, actor_office=staff.office,
              comment=reason, action=gettext("退回"))
        application.save()
        _audit(application, actor=staff.user, action="returned", request=request, reviewed_step=step, reason=reason)
        applicable = application_window(application)
        window = applicable.window if applicable is not None else None

        def texts():
            deadline = gettext("请按意见修改后重新提交。")
            if window is not None:
                from kaowu.core.dates import cn_datetime

                deadline = gettext("请在%(end)s前修改后重新提交。") % {"end": cn_datetime(window.ends_at)}
            return (gettext("您的%(type)s申请被退回修改") % {"type": kind.label},
                    gettext("申请编号 %(number)s 被退回修改（%(step)s）。意见：%(reason)s。")
                    % {"number": application.number, "step": kind.step_label(step), "reason": reason} + deadline)

        _notify(application, texts)
    return application


@dataclass(frozen=True)
class BulkResult:
    pk: int
    number: str
    ok: bool
    message: str


def applications_bulk_approve(*, staff: StaffMember, ids, comment: str = "", request=None) -> list[BulkResult]:
    """批量审核通过: each application in its own transaction, so one refusal does not undo the others.
    Ids outside the office's queue are reported without their number (nothing is revealed)."""
    results = []
    for pk in dict.fromkeys(ids):
        application = Application.objects.filter(pk=pk).first()
        if application is None or application.reviewing_office_id != staff.office_id:
            results.append(BulkResult(pk=pk, number="", ok=False, message=gettext("不在本机构的待审核队列中")))
            continue
        try:
            application = application_approve(application=application, staff=staff, comment=comment, request=request)
        except WorkflowError as exc:
            results.append(BulkResult(pk=pk, number=application.number, ok=False, message=exc.message))
        else:
            message = gettext("已通过本级审核，转%(office)s") % {"office": application.reviewing_office.name} \
                if application.status == Status.REVIEWING else gettext("已审核通过")
            results.append(BulkResult(pk=pk, number=application.number, ok=True, message=message))
    return results


# --- per-item decisions (a 免考 or 毕业 application decided course by course) ---------------------------

def application_items_set(*, application: Application, items, actor=None) -> list:
    """The items of an application to be decided one by one ([(key, label), …], e.g. the courses of a
    免考): set by the type while the candidate may still change the application; the previous items go."""
    from .models import ApplicationItem

    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in (Status.DRAFT, Status.RETURNED) and not locked.type.is_editable(locked.status):
            raise _action_refused(locked, locked.type, gettext("修改"))
        locked.items.all().delete()
        return [ApplicationItem.objects.create(application=locked, key=str(key)[:40], label=_text(str(label))[:200],
                                               position=i)
                for i, (key, label) in enumerate(items)]


def application_item_decide(*, application: Application, staff: StaffMember, key: str, approved: bool,
                            comment: str = "", request=None):
    """One item decided by the office whose queue the application is in (审核中): 通过 or 不通过 (with
    the reason). The application itself is approved once no item is pending (`application_approve`
    refuses before), and the type's `outcome` receives the approved items."""
    from .models import ApplicationItem

    comment = _text(comment, field="comment")
    if not approved and not comment:
        raise WorkflowError(gettext("请填写不通过的原因"), field="comment")
    with transaction.atomic():
        application = _lock_for_staff(application, staff)
        if application.status != Status.REVIEWING:
            raise _action_refused(application, application.type, gettext("审核"))
        item = ApplicationItem.objects.select_for_update().filter(application=application, key=key).first()
        if item is None:
            raise WorkflowError(gettext("申请中没有该项目"))
        previous = item.decision
        item.decision = ApplicationItem.Decision.APPROVED if approved else ApplicationItem.Decision.REJECTED
        item.comment, item.decided_by, item.decided_office = comment, staff.user, staff.office
        item.decided_at = timezone.now()
        item.save()
        _audit(application, actor=staff.user, action="advanced", request=request, item=item.key,
               decision=item.decision, comment=comment)
        application.type.on_item_decided(application, item, previous=previous, staff=staff, request=request)
    return item


def _require_items_decided(application: Application) -> None:
    """Before the last approval: every item decided, and at least one approved (an application whose
    every item is refused is 审核未通过, not 审核通过)."""
    from .models import ApplicationItem

    decisions = list(application.items.values_list("decision", flat=True))
    pending = decisions.count(ApplicationItem.Decision.PENDING)
    if pending:
        raise WorkflowError(gettext("还有%(n)s个项目未审核，请逐项审核后再审核通过。") % {"n": pending})
    if decisions and ApplicationItem.Decision.APPROVED not in decisions:
        raise WorkflowError(gettext("所有项目均未通过，请选择“审核未通过”并填写原因。"))


def _items_summary(application: Application) -> str:
    """The per-item outcome for the candidate's message: what passed, what did not and why."""
    from .models import ApplicationItem

    approved, refused = [], []
    for item in application.items.order_by("position", "id"):
        if item.decision == ApplicationItem.Decision.APPROVED:
            approved.append(item.label)
        else:
            refused.append(f"{item.label}（{item.comment}）" if item.comment else item.label)
    parts = []
    if approved:
        parts.append(gettext("通过：%(items)s。") % {"items": "、".join(approved)})
    if refused:
        parts.append(gettext("未通过：%(items)s。") % {"items": "、".join(refused)})
    return "".join(parts)
