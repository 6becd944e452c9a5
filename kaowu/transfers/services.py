"""考籍转出 use cases (the flow is in out.py). The engine (`kaowu.workflow.services`) keeps the
application, its versions, history, audit rows and notifications; the fee and the signature are the
type's gates (`out.PAYMENT`, `out.SIGNATURE`); these name them for the pages and add 寄档.

    transfer_out_save      保存: a new application (待缴费 + its order) or a change (待缴费 / 待提交 / 退回修改)
    transfer_out_order     去缴费: the order to pay (a new one when the unpaid one expired)
    transfer_out_order_paid  on_order_paid: 待缴费 → 待提交 (idempotent)
    transfer_out_delete    删除 while 待缴费: cancels the unpaid order, refused once paid
    transfer_out_submit    提交 (the engine's submit; the type's `validate` requires the signature)
    transfer_out_dossier_send  寄档 by the province authority: 审核通过 → 已完成
    (撤回 of a paid application refunds the fee, approved at once: the PaymentGate's on_withdrawn)
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.selectors import current_sitting
from kaowu.catalog.windows import business_window
from kaowu.organization.models import Office, StaffMember
from kaowu.payments.models import Order
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError

from .models import DossierDispatch
from .out import CARRIER_MAX, CODE, COMPLETED, PAYMENT, SIGNATURE, TRACKING_MAX

PURPOSE = Order.Purpose.TRANSFER_OUT
Kind = BusinessWindow.Kind


def transfer_out_fee() -> Decimal:
    return PAYMENT.amount()


def transfer_out_window(*, exam_number, sitting=None, now=None):
    """The window (`catalog.windows.ApplicableWindow`) of 考籍转出 for the 准考证号's exam area and the
    current sitting: 省际转出, or the general 转考申请 (`business_window` decides)."""
    return business_window(kind=Kind.TRANSFER_OUT, sitting=sitting if sitting is not None else current_sitting(),
                           exam_area=exam_number.exam_area if exam_number is not None else None, now=now)


def transfer_out_save(*, actor, candidate, exam_number, data: dict, application: Application | None = None,
                      request=None) -> Application:
    """保存: inside the window (the type's `before_save`). The first save makes the application 待缴费
    and creates its order (the PaymentGate); a change keeps the order (and a fee already paid)."""
    return workflow.application_save_draft(actor=actor, data=data, application=application, type_code=CODE,
                                           candidate=candidate, exam_number=exam_number, request=request)


def transfer_out_paid_order(application: Application) -> Order | None:
    return PAYMENT.paid_order(application)


def transfer_out_order(*, application: Application, actor) -> Order:
    """去缴费: the 待缴费 order (a new one if the last expired or was cancelled), or the paid one."""
    return PAYMENT.order(application=application, actor=actor)


def transfer_out_order_paid(order: Order) -> None:
    """on_order_paid (the PaymentGate subscribes it): 待缴费 → 待提交, once, however often told."""
    PAYMENT.order_paid(order)


def transfer_out_delete(*, application: Application, actor, request=None) -> None:
    """删除, only while 待缴费: the PaymentGate cancels the unpaid order first (the gateways are asked);
    an order that turns out to be paid stops the deletion."""
    workflow.application_delete(application=application, actor=actor, request=request)


def transfer_out_submit(*, application: Application, actor, request=None) -> Application:
    """提交 after 扫码签字 (the SignatureGate refuses without a signature of this version's text)."""
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
    return SIGNATURE.signature(application)
