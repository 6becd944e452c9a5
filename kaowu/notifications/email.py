from django.core.mail.backends.base import BaseEmailBackend


class DevInboxEmailBackend(BaseEmailBackend):
    """Django e-mail backend that delivers into the dev inbox page."""

    development = True  # refused outside demo / debug mode (kaowu.core.checks)

    def send_messages(self, email_messages):
        from .models import DevInboxMessage

        for message in email_messages:
            for recipient in message.recipients():
                DevInboxMessage.objects.create(
                    channel=DevInboxMessage.Channel.EMAIL,
                    recipient=recipient,
                    subject=str(message.subject),
                    body=str(message.body),
                )
        return len(email_messages)
