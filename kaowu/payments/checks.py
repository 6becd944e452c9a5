"""System checks: the configured payment providers make sense for this deployment."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def payment_providers_check(app_configs, **kwargs):
    from .models import Channel, DevGatewayTransaction

    problems = []
    providers = settings.KAOWU_PAYMENT_PROVIDERS
    unknown = sorted(set(providers) - set(Channel.values))
    if unknown:
        problems.append(Error(f"KAOWU_PAYMENT_PROVIDERS names unknown channels: {', '.join(unknown)}",
                              hint=f"Use {', '.join(Channel.values)}.", id="payments.E001"))
    dev = sorted(c for c, path in providers.items() if path.endswith(".DevGatewayProvider"))
    if dev and not (settings.DEMO_MODE or settings.KAOWU_DEV_INBOX):
        problems.append(Warning(
            f"Channels {', '.join(dev)} use the development gateway, which is not mounted outside demo mode: "
            "candidates cannot pay.",
            hint="Name a real provider class per channel in KAOWU_PAYMENT_PROVIDERS.", id="payments.W001"))
    modes = DevGatewayTransaction.NotifyMode.values
    if settings.KAOWU_PAYMENT_DEV_NOTIFY not in modes:
        problems.append(Error(f"KAOWU_PAYMENT_DEV_NOTIFY must be one of {', '.join(modes)}",
                              id="payments.E002"))
    return problems
