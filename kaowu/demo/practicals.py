"""Demo 实践性环节报名 (the window is open: data.WINDOWS).

- 赵子轩 (demo-d, 准考证号 050221040031, 计算机科学与技术 本科) has nothing registered: he can register
  for 04748 Java语言程序设计（一）（实践） at once (个人中心 › 实践性环节报名) and pay on the
  development cashier.
- A generated candidate of 计算机科学与技术 has registered for 04748 and paid — made with the public
  services and paid on the development gateway (its notification delivered), so the order, the
  history and the messages are real. The registration waits in the list of the major's 主考学校,
  兰州理工大学 (U10731, staff account `lut`), who records 合格 / 不合格 on 管理端 › 实践性环节报名.

Idempotent: nothing is made when a generated candidate already has a 实践性环节报名.
"""

from collections import Counter

from django.db import transaction

MAJOR_NAME = "计算机科学与技术"
COURSE = "04748"
UNIVERSITY_LOGIN = "lut"


def seed_demo_practicals(*, created: Counter) -> None:
    from kaowu.candidates.models import ExamNumber
    from kaowu.practicals.types import CODE
    from kaowu.workflow.models import Application

    if Application.objects.filter(type_code=CODE, candidate__user__username__startswith="demo-g").exists():
        return
    numbers = (ExamNumber.objects.filter(candidate__user__username__startswith="demo-g", major_name=MAJOR_NAME,
                                         status=ExamNumber.Status.ACTIVE, candidate__user__is_active=True)
               .select_related("candidate__user", "exam_area").order_by("candidate__user__username", "number"))
    for number in numbers:
        if _register_and_pay(number):
            created["实践性环节报名"] += 1
            return


def _register_and_pay(number) -> bool:
    """报名 04748 and pay it on the development gateway; nothing is kept if any step is refused."""
    from kaowu.payments.devgateway import gateway
    from kaowu.payments.devgateway.gateway import GatewayRefused
    from kaowu.payments.services import PaymentError, order_pay_start
    from kaowu.practicals.services import practical_order, practical_order_paid, practical_register
    from kaowu.practicals.types import REGISTERED
    from kaowu.workflow.services import WorkflowError

    user = number.candidate.user
    try:
        with transaction.atomic():
            application = practical_register(actor=user, candidate=number.candidate, exam_number=number,
                                             course_codes=[COURSE])
            order = practical_order(application=application, actor=user)
            order_pay_start(order=order, channel="wechat")
            trade = gateway.trade_query(channel="wechat", out_trade_no=order.number)
            gateway.trade_pay(trade_no=trade.trade_no, notify_mode="normal", delay_seconds=0)
            gateway.notifications_flush(due_only=False)  # the notification, delivered now
            order.refresh_from_db()
            practical_order_paid(order)  # what on_order_paid does once the seed's transaction commits
            application.refresh_from_db()
            if application.status != REGISTERED:
                raise WorkflowError("not paid")
    except (WorkflowError, PaymentError, GatewayRefused):
        return False
    return True


def demo_practicals_note() -> list[str]:
    """The line seed_demo prints: who registers, who records."""
    from kaowu.practicals.types import CODE, REGISTERED
    from kaowu.workflow.models import Application

    waiting = (Application.objects.filter(type_code=CODE, status=REGISTERED, reviewing_office__code="U10731")
               .select_related("candidate__user").order_by("submitted_at").first())
    line = ("  实践性环节报名开放中：赵子轩（准考证号 050221040031，计算机科学与技术）在 个人中心 › 实践性环节报名 "
            "可报名 04748 Java语言程序设计（一）（实践）并在开发收银台缴费；主考学校兰州理工大学账号 "
            f"{UNIVERSITY_LOGIN} 在 管理端 › 实践性环节报名 逐行或用 Excel 登记合格 / 不合格")
    if waiting is not None:
        line += f"（{waiting.candidate.user.real_name}的报名 {waiting.number} 已缴费，待登记）"
    return [line + "。"]
