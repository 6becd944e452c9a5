"""SMS providers. Production plugs a real gateway in through KAOWU_SMS_PROVIDER."""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


class SmsDeliveryError(Exception):
    """The gateway refused or failed to take the message."""


class SmsProvider:
    name = "base"

    def send(self, *, phone: str, text: str) -> str:
        """Hand one message to the gateway; return the gateway's message id."""
        raise NotImplementedError


class DevInboxSmsProvider(SmsProvider):
    """Behaves like a gateway that accepts the message, but delivers into the dev inbox.

    Numbers starting with 1990000 are refused, as a real gateway refuses an unreachable
    number, so the failure path can be tried by hand.
    """

    name = "dev-inbox"
    failing_prefix = "1990000"

    def send(self, *, phone: str, text: str) -> str:
        from .models import DevInboxMessage

        if phone.startswith(self.failing_prefix):
            raise SmsDeliveryError("号码无法接收短信")
        message = DevInboxMessage.objects.create(channel=DevInboxMessage.Channel.SMS, recipient=phone, body=text)
        return f"dev-{message.pk}"


@lru_cache(maxsize=1)
def sms_provider() -> SmsProvider:
    return import_string(settings.KAOWU_SMS_PROVIDER)()
