"""Gates an application type declares (`ApplicationType.gates`) instead of wiring them by hand:

    PaymentGate      a fee to pay: saving creates the order; paid (payments' on_order_paid) moves the
                     application on (考籍转出: 待缴费 → 待提交); deleting cancels the unpaid order;
                     withdrawing refunds a paid fee.
    SignatureGate    扫码签字 (signatures): submitting needs a signature of the current version's exact
                     text; a change after signing voids it.
    UploadGate       a document uploaded by a deadline in working days (kaowu.core.workdays): uploading
                     sends the application to review; past the deadline it lapses.
    ConfirmGate      the candidate confirms online after the last approval (seed 003: 待考生网上确认):
                     the last approval leads to the gate's status instead of 审核通过; 确认…无误 (inside
                     the window) makes it final and runs the type's outcome; …有误，修改重新提交 sends it
                     back to an editable status, and the modification goes round the chain again.

A gate is told by the engine at each moment (`on_created`, `validate`, `before_delete`,
`on_withdrawn`, `approval_status`); the type's pages call its public methods (`order`, `paid_order`,
`signature_request`, `upload`, `deadline`, `confirm`, `dispute` …).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from .statuses import Status


class Gate:
    def attach(self, kind) -> None:
        """Called once when the type registers (e.g. a payment gate subscribes to paid orders)."""

    def on_created(self, kind, application, *, actor) -> None:
        """After a new application is saved, inside the transaction."""

    def validate(self, kind, application, data: dict) -> None:
        """At submission, under the lock, after the type's own validate."""

    def before_delete(self, kind, application, *, actor) -> None:
        """Before the candidate's 删除 (outside the transaction): undo, or refuse with WorkflowError."""

    def before_withdraw(self, kind, application) -> None:
        """Under the lock, before the candidate's 撤回: refuse with WorkflowError where it is too late."""

    def on_withdrawn(self, kind, application) -> None:
        """Inside the withdrawing transaction."""

    def next_step(self, kind, application) -> str | None:
        return None

    def approval_status(self, kind, application) -> str | None:
        """Where the last step's approval leads instead of 审核通过 (None: 审核通过, and the type's
        `on_approved` runs at once)."""
        return None

    def approval_texts(self, kind, application) -> tuple[str, str] | None:
        """(title, body) telling the candidate that the last approval led to `approval_status`."""
        return None


def _error(message: str, **kwargs):
    from .services import WorkflowError

    return WorkflowError(message, **kwargs)


# --- payment --------------------------------------------------------------------------------------

@dataclass
class PaymentGate(Gate):
    """A fee, paid through kaowu.payments. `fee()` → Decimal; `item` names the order line and title
    (or `lines` itemises the order); with `then_step` the payment submits the application to that step."""
    purpose: str  # payments Order.Purpose
    fee: object  # () -> Decimal
    item: str  # 考籍转出手续费
    status: str  # the status that waits for the payment (待缴费)
    then: str  # the status a payment moves it to (待提交)
    paid_comment: str = gettext_noop("手续费已缴纳")
    paid_texts: object = None  # (application, order) -> (title, body)
    delete_refused: str = ""  # when deleting is refused because of the status
    paid_refused: str = ""  # when deleting is refused because the fee is paid
    deleted_comment: str = ""  # the order's cancellation comment
    withdrawn_comment: str = ""  # the refund's reason
    # Itemised orders: (application) -> [(description, amount, reference), …], one order line each
    # (实践性环节报名: one line per course); None: one line `item` of `fee()`.
    lines: object = None
    # Paying submits the application into this step of the review chain (its office found by the
    # step's resolver; the version is frozen); None: paying only moves it to `then`.
    then_step: int | None = None

    def attach(self, kind) -> None:
        from kaowu.payments.services import on_order_paid

        self.code = kind.code
        on_order_paid(self.purpose, self.order_paid)

    def amount(self) -> Decimal:
        return Decimal(str(self.fee())).quantize(Decimal("0.01"))

    def _items(self, application):
        from kaowu.payments import services as payments

        if self.lines is not None:
            return [payments.ItemSpec(description=str(description), reference=str(reference),
                                      amount=Decimal(str(amount)).quantize(Decimal("0.01")))
                    for description, amount, reference in self.lines(application)]
        return [payments.ItemSpec(description=gettext(self.item), amount=self.amount(), reference=application.number)]

    def _create(self, application, actor):
        from kaowu.payments import services as payments

        try:
            return payments.order_create(user=actor, purpose=self.purpose, reference=application.number,
                                         items=self._items(application), actor=actor, title=gettext(self.item))
        except payments.PaymentError as exc:
            raise _error(exc.message) from None

    def _orders(self, application):
        from kaowu.payments.models import Order

        return Order.objects.filter(user=application.applicant, purpose=self.purpose, reference=application.number)

    def on_created(self, kind, application, *, actor) -> None:
        if application.status == self.status:
            self._create(application, actor)

    def paid_order(self, application):
        """The paid (or since refunded) order of the application, or None."""
        from kaowu.payments.models import Order

        return self._orders(application).filter(status__in=[
            Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED]).order_by("-paid_at").first()

    def order(self, *, application, actor):
        """去缴费: the paid order, or the one to pay (a new one if the last expired or was cancelled)."""
        if application.applicant_id != actor.pk:
            raise _error(gettext("申请不存在"))
        paid = self.paid_order(application)
        if paid is not None:
            if application.status == self.status:
                # Paid, but the paid callback did not move it on (it failed after the payment committed):
                # do it now — once, through the same call (`only_from`); a refusal reaches the candidate.
                self.order_paid(paid)
            return paid
        if application.status != self.status:
            raise _error(gettext("申请当前状态为“%(status)s”，不需要缴费。") % {"status": application.status_label})
        return self._create(application, actor)

    def order_paid(self, order) -> None:
        """on_order_paid: waiting → paid status, once, however often told."""
        from .models import Application
        from .services import application_transition

        application = Application.objects.filter(type_code=self.code, number=order.reference,
                                                  applicant=order.user).first()
        if application is None:
            return
        texts = (lambda: self.paid_texts(application, order)) if self.paid_texts is not None else None
        submits = self.then_step is not None
        application_transition(application=application, to=self.then, only_from={self.status},
                               comment=self.paid_comment, action=gettext("缴费"), texts=texts,
                               step=self.then_step, submit=submits,
                               audit_action="submitted" if submits else "advanced")

    def before_delete(self, kind, application, *, actor) -> None:
        from kaowu.payments import services as payments
        from kaowu.payments.models import Order

        if not kind.is_deletable(application.status):
            raise _error((self.delete_refused or gettext("申请当前状态为“%(status)s”，不能删除。"))
                         % {"status": application.status_label})
        paid_message = self.paid_refused or gettext("费用已缴纳，不能删除该申请。")
        if self.paid_order(application) is not None:
            raise _error(paid_message)
        for order in self._orders(application).filter(status=Order.Status.PENDING):
            try:
                payments.order_cancel(order=order, actor=actor, comment=self.deleted_comment)
            except payments.OrderAlreadyPaid:
                raise _error(paid_message) from None
            except payments.PaymentError as exc:
                raise _error(exc.message) from None

    def on_withdrawn(self, kind, application) -> None:
        """A paid fee is refunded in full, approved at once (the platform decides); the refund runs on
        the gateway after commit. Nothing to do for an unpaid application."""
        from kaowu.payments import services as payments
        from kaowu.payments.models import Order
        from kaowu.payments.services.refunds import refundable_items

        order = self._orders(application).filter(
            status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED]).first()
        items = refundable_items(order=order) if order is not None else []
        if not items:
            return
        try:
            refund = payments.refund_request(order=order, items=items, actor=None,
                                             reason=gettext(self.withdrawn_comment or gettext_noop("撤回申请，退还费用")))
            payments.refund_approve(refund=refund, actor=None)
        except payments.PaymentError as exc:
            raise _error(exc.message) from None


# --- 扫码签字 ---------------------------------------------------------------------------------------

@dataclass
class SignatureGate(Gate):
    """Submitting needs a 扫码签字 of `content(application, data)` for this version."""
    content: object  # (application, data) -> str: the exact text signed
    purpose: str  # what the phone page says is being signed (考籍转出申请)
    statuses: frozenset  # where the candidate may sign and submit
    missing: str = gettext_noop("请先扫码签字确认申请信息，签字后才能提交。")
    template: str | None = None  # what the signing page says above the text (the type's words)
    subject_prefix: str = "workflow"  # signatures are kept per "<prefix>.<type code>:<application id>"

    def attach(self, kind) -> None:
        self.code = kind.code

    def subject(self, application) -> str:
        return f"{self.subject_prefix}.{self.code}:{application.pk}"

    def text(self, application, data: dict | None = None) -> str:
        return self.content(application, application.data if data is None else data)

    def signature(self, application, version=None):
        """The valid signature of the current (or given) version's text, or None."""
        from kaowu.signatures.services import signature_valid_for

        version = version or application.current_version
        if version is None:
            return None
        return signature_valid_for(subject=self.subject(application), version=version.number,
                                   content=self.text(application, version.data))

    def validate(self, kind, application, data: dict) -> None:
        if self.signature(application) is None:
            raise _error(gettext(self.missing), field="signature")

    def signature_request(self, *, application, user, return_url: str):
        """生成二维码进行签名: a signature request of this version's text, coming back to `return_url`."""
        from kaowu.signatures.services import signature_request_create

        if application.status not in self.statuses:
            raise _error(gettext("申请当前状态为“%(status)s”，不能提交。") % {"status": application.status_label})
        return signature_request_create(user=user, purpose=gettext(self.purpose), subject=self.subject(application),
                                        version=application.current_version.number, content=self.text(application),
                                        return_url=return_url)


# --- a document uploaded by a deadline --------------------------------------------------------------

@dataclass
class UploadGate(Gate):
    """After submitting, the candidate uploads `attachment` within `working_days` working days (until
    `closes_at` Beijing time of the last day, counted from the day of submission); the upload sends the
    application to `step` of the chain; past the deadline it lapses (`lapsed`)."""
    attachment: str  # the attachment kind uploaded
    status: str  # the status waiting for it (待上传申请表)
    lapsed: str  # the status of an application that missed the deadline (已失效)
    working_days: int = 3
    closes_at: datetime.time = datetime.time(17, 0)
    step: int = 0
    # Texts (msgids) of the type: the missing file, the upload's history comment and message, the lapse.
    missing: str = gettext_noop("请选择要上传的材料")
    uploaded_comment: str = gettext_noop("已上传材料")
    uploaded_texts: object = None  # (application, office) -> (title, body)
    uploaded_message: str = gettext_noop("材料已上传，等待审核。")  # on the page, after the upload
    late: str = gettext_noop("已超过上传期限（%(deadline)s），申请已失效，不能再上传。")
    late_while_open: str = gettext_noop("已超过上传期限，申请已失效，不能再上传。")
    lapsed_comment: str = gettext_noop("逾期未上传材料，申请已失效")
    lapsed_texts: object = None  # (application) -> (title, body)

    def attach(self, kind) -> None:
        self.code = kind.code

    def deadline_after(self, submitted_at: datetime.datetime) -> datetime.datetime:
        from kaowu.core.workdays import working_day_add

        day = working_day_add(timezone.localdate(submitted_at), self.working_days)
        return timezone.make_aware(datetime.datetime.combine(day, self.closes_at))

    def deadline(self, application) -> datetime.datetime | None:
        return self.deadline_after(application.submitted_at) if application.submitted_at else None

    def is_overdue(self, application, now=None) -> bool:
        deadline = self.deadline(application)
        return deadline is not None and (now or timezone.now()) >= deadline

    def before_withdraw(self, kind, application) -> None:
        # Past the deadline it has lapsed (the daily job may not have marked it yet): withdrawing it now
        # would free the score for a new application with a new deadline.
        if application.status == self.status and self.is_overdue(application):
            from .services import WorkflowError

            raise WorkflowError(gettext("已超过上传期限，申请已失效，不能撤回。"))

    def days_left(self, application, now=None) -> int | None:
        """Working days after today up to the deadline's day (0: today is the last day); None when past."""
        from kaowu.core.workdays import working_days_between

        deadline = self.deadline(application)
        now = now or timezone.now()
        if deadline is None or now >= deadline:
            return None
        return working_days_between(timezone.localdate(now), timezone.localdate(deadline))

    def lapse(self, *, application, now=None):
        """waiting → lapsed once the deadline has passed (the platform acts; nothing happens to an
        application no longer waiting)."""
        from .services import application_transition

        now = now or timezone.now()

        def check(locked):
            if not self.is_overdue(locked, now):
                raise _error(gettext("上传期限未到，申请不能失效。"))

        texts = (lambda: self.lapsed_texts(application)) if self.lapsed_texts is not None else None
        return application_transition(application=application, to=self.lapsed, only_from={self.status}, check=check,
                                      comment=self.lapsed_comment, action=gettext("失效"), texts=texts, now=now)

    def lapse_overdue(self, *, candidate=None, now=None) -> int:
        """Lapse every application still waiting after its deadline (a daily job, and lazily for one
        candidate when they open the pages). Returns how many lapsed."""
        from .models import Application

        now = now or timezone.now()
        waiting = Application.objects.filter(type_code=self.code, status=self.status)
        if candidate is not None:
            waiting = waiting.filter(candidate=candidate)
        count = 0
        for application in waiting.select_related("candidate__district").order_by("id"):
            if self.is_overdue(application, now):
                self.lapse(application=application, now=now)
                count += 1
        return count

    def upload(self, *, application, actor, upload, request=None, now=None):
        """The upload before the deadline: the file goes with the application into the queue of the
        chain's step (waiting → 审核中). After the deadline the upload is refused and the application lapses."""
        from kaowu.core.dates import cn_datetime

        from .services import application_transition

        now = now or timezone.now()
        if application.status == self.status and self.is_overdue(application, now):
            self.lapse(application=application, now=now)
            raise _error(gettext(self.late) % {"deadline": cn_datetime(self.deadline(application))})
        if not upload:
            raise _error(gettext(self.missing), field=self.attachment)

        def check(locked):
            if locked.status != self.status:
                from .services import _action_refused

                raise _action_refused(locked, locked.type, gettext("上传申请表"))
            if self.is_overdue(locked, now):  # the deadline passed while the page was open
                raise _error(gettext(self.late_while_open))

        from .services import _resolve_office

        office = _resolve_office(application.type, self.step, application, application.data)
        return application_transition(
            application=application, to=Status.REVIEWING, actor=actor, attachments={self.attachment: upload},
            step=self.step, office=office, submit=True, check=check, comment=self.uploaded_comment,
            action=gettext("上传申请表"), audit_action="submitted", request=request, now=now,
            texts=(lambda: self.uploaded_texts(application, office)) if self.uploaded_texts is not None else None)


# --- the candidate confirms online after the last approval ----------------------------------------------

@dataclass
class ConfirmGate(Gate):
    """A step where the candidate must confirm online once every office has approved (seed 003, 毕业申请:
    “当申请单的状态是待考生网上确认时 … 点击【确认毕业信息无误】按钮，完成网上确认”).

    The last step's approval (`application_approve`, 批量审核 too) leads to `status` (待考生网上确认)
    instead of 审核通过, and the type's `on_approved` waits. The candidate then either
    - `confirm`s (确认…无误): `status` → `confirmed` (审核通过, final), and the type's `on_approved` (its
      outcome) runs in the same transaction — if it refuses, nothing is confirmed; or
    - `dispute`s (…有误，修改重新提交): `status` → `disputed`, an editable status of the type; he
      corrects (a new version) and submits again, which goes back to the first step of the chain.
    Both only from `status`, by the applicant, and (with `in_window`) inside the type's business window —
    or, when the last approval came late (reviews go on after the window closes), within
    `grace_working_days` working days of it, so that a candidate approved after the window is never
    locked out; the server refuses anything else (a second confirmation, a confirmation before the approval).
    The flow must allow `status` → `confirmed` / `disputed`, and the last step → `status`."""
    status: str  # 待考生网上确认
    disputed: str  # the editable status 有误 leads to
    confirmed: str = Status.APPROVED
    in_window: bool = True
    grace_working_days: int = 5  # after a late approval: this many working days to confirm, window or not
    action: str = gettext_noop("网上确认")  # names the act in a refusal
    confirmed_comment: str = gettext_noop("考生网上确认信息无误")
    disputed_comment: str = gettext_noop("考生确认信息有误，修改后重新提交")
    waiting_text: str = gettext_noop("审核已通过，请在办理时间内下载登记表核对信息，并完成网上确认。")
    reached_texts: object = None  # (application) -> (title, body): the last approval led to `status`
    confirmed_texts: object = None  # (application) -> (title, body)
    disputed_texts: object = None  # (application) -> (title, body)

    def attach(self, kind) -> None:
        self.code = kind.code

    def approval_status(self, kind, application) -> str | None:
        return self.status

    def approval_texts(self, kind, application) -> tuple[str, str] | None:
        if self.reached_texts is not None:
            return self.reached_texts(application)
        return (gettext("您的%(type)s申请已审核通过，请网上确认") % {"type": kind.label},
                gettext("申请编号 %(number)s 已审核通过，请在办理时间内登录考生服务平台完成网上确认。")
                % {"number": application.number})

    def is_waiting(self, application) -> bool:
        return application.status == self.status

    def next_step(self, kind, application) -> str | None:
        return gettext(self.waiting_text) if application.status == self.status else None

    def _check(self, kind, act: str):
        def check(locked):
            from .services import WorkflowError, _action_refused, application_window

            if locked.status != self.status:
                raise _action_refused(locked, kind, act)
            if self.in_window:
                applicable = application_window(locked)
                if applicable is not None and not applicable.is_open:
                    deadline = self.grace_deadline(locked)
                    if deadline is None or timezone.now() >= deadline:
                        applicable.require_open(WorkflowError)
        return check

    def reached_at(self, application) -> datetime.datetime | None:
        """When the application last reached `status` (the last approval)."""
        return (application.transitions.filter(to_status=self.status).order_by("-created_at")
                .values_list("created_at", flat=True).first())

    def grace_deadline(self, application) -> datetime.datetime | None:
        """The end of the working days given after the last approval (23:59:59 Beijing time of the last one)."""
        from kaowu.core.workdays import working_day_add

        reached = self.reached_at(application)
        if reached is None or not self.grace_working_days:
            return None
        day = working_day_add(timezone.localdate(reached), self.grace_working_days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))

    def confirm(self, *, application, actor, request=None):
        """确认…无误: final, and the type's outcome (`on_approved`) in the same transaction."""
        from .services import application_transition

        kind = application.type
        decided = {}

        def outcome(locked):
            decided["application"] = locked
            kind.on_approved(locked)

        def texts():
            locked = decided.get("application", application)
            if self.confirmed_texts is not None:
                return self.confirmed_texts(locked)
            return (gettext("您已完成%(type)s网上确认") % {"type": kind.label},
                    gettext("申请编号 %(number)s 已完成网上确认。") % {"number": locked.number})

        return application_transition(
            application=application, to=self.confirmed, actor=actor, check=self._check(kind, gettext(self.action)),
            comment=self.confirmed_comment, action=gettext(self.action), audit_action="confirmed", texts=texts,
            then=outcome, request=request)

    def dispute(self, *, application, actor, reason: str = "", request=None):
        """…有误，修改重新提交: back to `disputed` (editable); the correction goes round the chain again."""
        from .services import _text, application_transition

        kind = application.type
        reason = _text(reason)
        comment = gettext_noop(self.disputed_comment) if not reason else f"{gettext(self.disputed_comment)}：{reason}"
        texts = (lambda: self.disputed_texts(application)) if self.disputed_texts is not None else (lambda: (
            gettext("请修改%(type)s申请后重新提交") % {"type": kind.label},
            gettext("申请编号 %(number)s：您确认信息有误，请修改后在办理时间内重新提交。") % {
                "number": application.number}))
        return application_transition(
            application=application, to=self.disputed, actor=actor, check=self._check(kind, gettext(self.action)),
            comment=comment, action=gettext(self.action), audit_action="disputed", texts=texts, request=request)
