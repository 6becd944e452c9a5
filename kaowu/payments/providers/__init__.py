"""Payment providers, one per channel, chosen by KAOWU_PAYMENT_PROVIDERS (channel → dotted class path).

    provider = payment_provider("wechat")
    request = provider.create_payment(order, return_url=..., notify_url=...)

The development gateway (`dev.DevGatewayProvider`) serves all four channels in demo and development;
production names a real provider class per channel."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    GatewayStatus,
    GatewayTransaction,
    Notification,
    NotificationRejected,
    PaymentProvider,
    PaymentRequest,
    ProviderError,
    RefundResult,
)

__all__ = [
    "GatewayStatus", "GatewayTransaction", "Notification", "NotificationRejected", "PaymentProvider",
    "PaymentRequest", "ProviderError", "RefundResult", "channels_enabled", "payment_provider",
]


def channels_enabled() -> list[str]:
    """The channels offered to candidates, in the configured order."""
    return list(settings.KAOWU_PAYMENT_PROVIDERS)


def payment_provider(channel: str) -> PaymentProvider:
    path = settings.KAOWU_PAYMENT_PROVIDERS.get(channel)
    if not path:
        raise ProviderError(f"支付渠道 {channel} 未开通")
    return _provider(channel, path)


@cache
def _provider(channel: str, path: str) -> PaymentProvider:
    return import_string(path)(channel=channel)
