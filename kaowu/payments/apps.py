"""Orders and payments through WeChat Pay, Alipay, UnionPay and 政付通 providers, refunds and
reconciliation."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "kaowu.payments"
    label = "payments"
    verbose_name = "订单与缴费"

    def ready(self):
        from . import checks  # noqa: F401 — registers the system checks
