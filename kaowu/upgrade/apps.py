"""专升本 (seed 004): the registration step rail (notices with a 10 s countdown, basic information,
confirmation, identity, payment, qualification review, forms), data reporting by registration
points and cities, parallel volunteers and the admission run."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpgradeConfig(AppConfig):
    name = "kaowu.upgrade"
    label = "upgrade"
    verbose_name = _("专升本")

    def ready(self) -> None:
        from kaowu.payments.models import Order
        from kaowu.payments.services import on_order_paid

        from .services import order_paid_apply

        on_order_paid(Order.Purpose.UPGRADE_REGISTRATION, order_paid_apply)
