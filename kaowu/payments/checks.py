"""System checks: the configured payment providers make sense for this deployment."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def payment_providers_check(app_configs, **kwargs):
    from .models import Channel, DevGatewayTransaction

    problems = []
    providers = settings.KAOWU_PAYMENT_PROVIDERS
    unknown = sorted(set(providers) - set(Channel.values))
    if unknown:
        problems.append(Error(f"KAOWU_PAYMENT_PROVIDERS names unknown channels: {', '.join(unknown)}",
                              hint=f"Use {', '.join(Channel.values)}.", id="payments.E001"))
    # A development gateway outside demo / debug mode is refused by kaowu.core.checks (core.E102).
    modes = DevGatewayTransaction.NotifyMode.values
    if settings.KAOWU_PAYMENT_DEV_NOTIFY not in modes:
        problems.append(Error(f"KAOWU_PAYMENT_DEV_NOTIFY must be one of {', '.join(modes)}",
                              id="payments.E002"))
    return problems
