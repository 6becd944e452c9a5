from django.core.paginator import Paginator
from django.shortcuts import render

from .models import DevInboxMessage


def dev_inbox(request):
    """开发收件箱: what the development SMS and e-mail providers delivered. Only mounted when
    KAOWU_DEV_INBOX is on (demo and debug), never in production."""
    messages = DevInboxMessage.objects.all()
    recipient = request.GET.get("to", "").strip()
    if recipient:
        messages = messages.filter(recipient__contains=recipient)
    page = Paginator(messages, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/dev_inbox.html", {
        "page_obj": page, "recipient": recipient,
        "querystring": f"to={recipient}" if recipient else "",
    })
