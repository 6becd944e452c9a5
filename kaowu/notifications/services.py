import logging

from django.conf import settings
from django.core.mail import send_mail

from .providers import SmsDeliveryError, sms_provider

logger = logging.getLogger(__name__)


def sms_send(*, phone: str, text: str) -> None:
    """Send one SMS through the configured provider. Raises SmsDeliveryError on failure.

    Verification codes are sent synchronously so the candidate learns at once if the gateway
    refused the number; the phone number itself is never logged.
    """
    try:
        sms_provider().send(phone=phone, text=text)
    except SmsDeliveryError:
        logger.warning("SMS delivery failed (provider=%s)", sms_provider().name)
        raise


def email_send(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
