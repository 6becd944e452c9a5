"""消息: a user's in-app inbox (application reviewed, returned …), newest first; opening a page marks
its messages read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .services import inbox_mark_read, inbox_messages_of

PAGE_SIZE = 20


@never_cache
@login_required
def inbox(request):
    page = Paginator(inbox_messages_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = {m.pk for m in page if m.read_at is None}
    inbox_mark_read(user=request.user, ids=unread)
    return render(request, "notifications/inbox.html", {"page_obj": page, "unread": unread, "querystring": ""})
