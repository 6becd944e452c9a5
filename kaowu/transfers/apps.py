"""转考: 省内转考 (seed 001) and 考籍转出 (seeds 000, 002, 003); 考籍转入 later. Application types of the
workflow engine, registered here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "kaowu.transfers"
    label = "transfers"
    verbose_name = _("转考")

    def ready(self) -> None:
        from kaowu.payments.models import Order
        from kaowu.payments.services import on_order_paid
        from kaowu.workflow.types import register

        from .out import TRANSFER_OUT
        from .services import transfer_out_order_paid
        from .within import TRANSFER_WITHIN_PROVINCE

        register(TRANSFER_WITHIN_PROVINCE)
        register(TRANSFER_OUT)
        on_order_paid(Order.Purpose.TRANSFER_OUT, transfer_out_order_paid)
