"""报考: a 准考证号's registration for a sitting (exam area, major, courses), its fees and refunds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "kaowu.registration"
    label = "registration"
    verbose_name = _("报考")

    def ready(self) -> None:
        from kaowu.payments.models import Order
        from kaowu.payments.services import on_order_paid, on_refund_settled

        from .services import order_paid_apply, refund_settled_apply

        on_order_paid(Order.Purpose.COURSE_REGISTRATION, order_paid_apply)
        on_refund_settled(Order.Purpose.COURSE_REGISTRATION, refund_settled_apply)
