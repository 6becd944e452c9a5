"""考籍转出 use cases (the flow is in out.py). The engine (`kaowu.workflow.services`) keeps the
application, its versions, history, audit rows and notifications; these add the fee, the window of
saving, deletion with the order, and 寄档.

    transfer_out_save      保存: a new application (待缴费 + its order) or a change (待缴费 / 待提交 / 退回修改)
    transfer_out_order     去缴费: the order to pay (a new one when the unpaid one expired)
    transfer_out_order_paid  on_order_paid: 待缴费 → 待提交 (idempotent)
    transfer_out_delete    删除 while 待缴费: cancels the unpaid order, refused once paid
    transfer_out_submit    提交 (the engine's submit; the type's `validate` requires the signature)
    transfer_out_dossier_send  寄档 by the province authority: 审核通过 → 已完成
    transfer_out_withdrawn    on_withdrawn: 撤回 of a paid application refunds the fee (approved at once)
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.catalog.selectors import current_sitting
from kaowu.catalog.windows import WindowClosed, window_for, window_require_open
from kaowu.organization.models import Office, StaffMember
from kaowu.payments import services as payments
from kaowu.payments.models import Order
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError

from .models import DossierDispatch
from .out import CODE, COMPLETED, PENDING_PAYMENT, TO_SUBMIT, transfer_out_window_kind

PURPOSE = Order.Purpose.TRANSFER_OUT
CARRIER_MAX, TRACKING_MAX = 30, 40


def transfer_out_fee() -> Decimal:
    return Decimal(str(settings.KAOWU_TRANSFER_OUT_FEE)).quantize(Decimal("0.01"))


def transfer_out_window(*, exam_number, sitting=None):
    """(window kind, window or None) of 考籍转出 for the 准考证号's exam area: the current sitting's
    window, else the province's sitting-less one."""
    exam_area = exam_number.exam_area if exam_number is not None else None
    sitting = sitting if sitting is not None else current_sitting()
    kind = transfer_out_window_kind(sitting=sitting, exam_area=exam_area)
    window = window_for(kind=kind, sitting=sitting, exam_area=exam_area) if sitting is not None else None
    if window is None:
        window = window_for(kind=kind, sitting=None, exam_area=exam_area)
    return kind, window


def _require_window(exam_number, now=None) -> None:
    kind, window = transfer_out_window(exam_number=exam_number)
    try:
        window_require_open(kind=kind, sitting=window.sitting if window is not None else None,
                            exam_area=exam_number.exam_area if exam_number is not None else None, now=now)
    except WindowClosed as exc:
        raise WorkflowError(exc.message) from None


def _order_items(application: Application) -> list:
    return [payments.ItemSpec(description=gettext("考籍转出手续费"), amount=transfer_out_fee(),
                              reference=application.number)]


def _order_title() -> str:
    return gettext("考籍转出手续费")


def transfer_out_save(*, actor, candidate, exam_number, data: dict, application: Application | None = None,
                      request=None) -> Application:
    """保存: inside the window. The first save makes the application 待缴费 and creates its order;
    a change keeps the order (and a fee already paid)."""
    if exam_number is None or exam_number.candidate_id != candidate.pk:
        raise WorkflowError(gettext("考籍转出须使用在籍的准考证号办理。"))
    _require_window(application.exam_number if application is not None else exam_number)
    with transaction.atomic():
        if application is None:
            from kaowu.workflow.selectors import application_open_of

            other = application_open_of(candidate=candidate, type_code=CODE)
            if other is not None:
                raise WorkflowError(gettext("您已有一份正在办理的考籍转出申请（%(number)s），不能重复申请。")
                                    % {"number": other.number})
            application = workflow.application_save_draft(
                actor=actor, data=data, type_code=CODE, candidate=candidate, exam_number=exam_number,
                request=request)
            try:
                payments.order_create(user=actor, purpose=PURPOSE, reference=application.number,
                                      items=_order_items(application), actor=actor, title=_order_title())
            except payments.PaymentError as exc:
                raise WorkflowError(exc.message) from None
            return application
        return workflow.application_save_draft(actor=actor, data=data, application=application, request=request)


def transfer_out_paid_order(application: Application) -> Order | None:
    return Order.objects.filter(user=application.applicant, purpose=PURPOSE, reference=application.number,
                                status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED,
                                            Order.Status.REFUNDED]).order_by("-paid_at").first()


def transfer_out_order(*, application: Application, actor) -> Order:
    """去缴费: the 待缴费 order of the application (a new one if the last expired or was cancelled),
    or the paid one."""
    if application.applicant_id != actor.pk:
        raise WorkflowError(gettext("申请不存在"))
    paid = transfer_out_paid_order(application)
    if paid is not None:
        return paid
    if application.status != PENDING_PAYMENT:
        raise WorkflowError(gettext("申请当前状态为“%(status)s”，不需要缴费。") % {"status": application.status_label})
    try:
        return payments.order_create(user=actor, purpose=PURPOSE, reference=application.number,
                                     items=_order_items(application), actor=actor, title=_order_title())
    except payments.PaymentError as exc:
        raise WorkflowError(exc.message) from None


def transfer_out_order_paid(order: Order) -> None:
    """on_order_paid (registered in TransfersConfig.ready): 待缴费 → 待提交, once, however often told."""
    application = Application.objects.filter(type_code=CODE, number=order.reference, applicant=order.user).first()
    if application is None:
        return
    kind = application.type
    workflow.application_advance(
        application=application, to=TO_SUBMIT, actor=None, only_from={PENDING_PAYMENT},
        comment=gettext_noop("手续费已缴纳"), action=gettext("缴费"),
        texts=lambda: (gettext("您的%(type)s手续费已缴纳") % {"type": kind.label},
                       gettext("申请编号 %(number)s 的手续费已缴纳（订单号 %(order)s）。请扫码签字后提交审核。")
                       % {"number": application.number, "order": order.number}))


def transfer_out_delete(*, application: Application, actor, request=None) -> None:
    """删除, only while 待缴费: the unpaid order is cancelled first (the gateways are asked); an order
    that turns out to be paid stops the deletion (the application then moves on to 待提交)."""
    if application.applicant_id != actor.pk:
        raise WorkflowError(gettext("申请不存在"))
    if not application.type.is_deletable(application.status):
        raise WorkflowError(gettext("申请当前状态为“%(status)s”，不能删除。只有待缴费的申请可以删除。")
                            % {"status": application.status_label})
    paid_message = gettext("手续费已缴纳，不能删除该申请。请刷新页面，签字后提交或联系考试机构。")
    if transfer_out_paid_order(application) is not None:
        raise WorkflowError(paid_message)
    for order in Order.objects.filter(user=application.applicant, purpose=PURPOSE, reference=application.number,
                                      status=Order.Status.PENDING):
        try:
            payments.order_cancel(order=order, actor=actor, comment=gettext_noop("删除考籍转出申请"))
        except payments.OrderAlreadyPaid:
            raise WorkflowError(paid_message) from None
        except payments.PaymentError as exc:
            raise WorkflowError(exc.message) from None
    workflow.application_delete(application=application, actor=actor, request=request)


def transfer_out_submit(*, application: Application, actor, request=None) -> Application:
    """提交 after 扫码签字 (the type's `validate` refuses without a signature of this version's text)."""
    return workflow.application_submit(application=application, actor=actor, request=request)


def transfer_out_dossier_send(*, application: Application, staff: StaffMember, carrier: str,
                              tracking_number: str, mailed_on: datetime.date, request=None) -> Application:
    """寄档 by the province authority after 审核通过: the mailing is recorded and the transfer is 已完成."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise WorkflowError(gettext("只有省级考试机构可以登记寄档。"))
    if not carrier:
        raise WorkflowError(gettext("请填写快递公司"), field="carrier")
    if not tracking_number:
        raise WorkflowError(gettext("请填写快递单号"), field="tracking_number")
    if mailed_on is None or mailed_on > timezone.localdate():
        raise WorkflowError(gettext("寄档日期不能晚于今天"), field="mailed_on")
    kind_label = application.type.label

    def check(locked: Application) -> None:
        if locked.type_code != CODE:
            raise WorkflowError(gettext("该申请不是考籍转出申请"))

    with transaction.atomic():
        application = workflow.application_advance(
            application=application, to=COMPLETED, actor=staff.user, actor_office=staff.office,
            comment=gettext("已寄档：%(carrier)s，单号 %(number)s") % {"carrier": carrier[:CARRIER_MAX],
                                                                 "number": tracking_number[:TRACKING_MAX]},
            action=gettext("寄档"), check=check, request=request,
            texts=lambda: (gettext("您的%(type)s已完成") % {"type": kind_label},
                           gettext("申请编号 %(number)s 的考籍档案已寄出（%(carrier)s，单号 %(tracking)s），转出完成。")
                           % {"number": application.number, "carrier": carrier, "tracking": tracking_number}))
        DossierDispatch.objects.create(application=application, carrier=carrier[:CARRIER_MAX],
                                          tracking_number=tracking_number[:TRACKING_MAX], mailed_on=mailed_on,
                                          office=staff.office, recorded_by=staff.user)
    return application


def transfer_out_signature(application: Application):
    """The signature of the submitted (current) version, for the 登记表; None before signing."""
    from kaowu.signatures.services import signature_valid_for

    from .out import signature_content, signature_subject

    version = application.current_version
    if version is None:
        return None
    return signature_valid_for(subject=signature_subject(application), version=version.number,
                               content=signature_content(application, version.data))



COMMENT_WITHDRAWN = gettext_noop("撤回考籍转出申请，退还手续费")


def transfer_out_withdrawn(application: Application) -> None:
    """The type's on_withdrawn (inside the withdrawing transaction): a paid fee is refunded in full,
    approved at once (the platform decides, as for a paid course taken out of a registration); the
    refund runs on the gateway after commit. Nothing to do for an unpaid application."""
    from kaowu.payments.services.refunds import refundable_items

    order = Order.objects.filter(user=application.applicant, purpose=PURPOSE, reference=application.number,
                                 status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED]).first()
    items = refundable_items(order=order) if order is not None else []
    if not items:
        return
    try:
        refund = payments.refund_request(order=order, items=items, actor=None,
                                         reason=gettext(COMMENT_WITHDRAWN))
        payments.refund_approve(refund=refund, actor=None)
    except payments.PaymentError as exc:
        raise WorkflowError(exc.message) from None
