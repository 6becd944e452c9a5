import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone

from .models import InboxMessage
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


def inbox_notify(*, user, title: str, body: str = "", link: str = "", sms: bool = True,
                 sms_text: str | None = None) -> InboxMessage:
    """Put a message in the user's 消息 inbox and, with `sms`, text them through the SMS provider when
    they have a phone (`sms_text`, default title + body). A refused SMS is logged, never raised: the
    inbox message is the record, the SMS only a reminder to look."""
    message = InboxMessage.objects.create(user=user, title=title[:120], body=body, link=link[:300])
    phone = getattr(user, "phone", None)
    if sms and phone:
        try:
            sms_send(phone=phone, text=sms_text or f"{title}。{body}")
        except SmsDeliveryError:
            pass  # logged by sms_send; the inbox holds the message
    return message


def inbox_messages_of(*, user) -> QuerySet[InboxMessage]:
    return InboxMessage.objects.filter(user=user)


def inbox_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return InboxMessage.objects.filter(user=user, read_at__isnull=True).count()


def inbox_mark_read(*, user, ids) -> int:
    """Mark the user's messages with these ids read (others' ids are ignored)."""
    return InboxMessage.objects.filter(user=user, pk__in=list(ids), read_at__isnull=True).update(read_at=timezone.now())
