"""消息: inbox_notify writes the in-app message and texts the user through the SMS provider."""

import pytest
from django.urls import reverse

from kaowu.notifications.models import DevInboxMessage, InboxMessage
from kaowu.notifications.services import inbox_mark_read, inbox_notify, inbox_unread_count
from kaowu.testing.factories import CandidateFactory


@pytest.fixture
def user(gansu):
    return CandidateFactory().user


def test_a_message_goes_to_the_inbox_and_by_sms(user):
    message = inbox_notify(user=user, title="您的省内转考申请已提交", body="申请编号 SQ1", link="/applications/SQ1/")
    assert InboxMessage.objects.get() == message and not message.is_read
    sms = DevInboxMessage.objects.get(recipient=user.phone)
    assert "您的省内转考申请已提交" in sms.body


def test_no_sms_without_a_phone_or_when_not_asked(user):
    user.phone = None
    user.save()
    inbox_notify(user=user, title="t", body="b")
    other = CandidateFactory().user
    inbox_notify(user=other, title="t", body="b", sms=False)
    assert InboxMessage.objects.count() == 2 and not DevInboxMessage.objects.exists()


def test_a_refused_sms_does_not_lose_the_inbox_message(user):
    user.phone = "19900001234"  # the development gateway refuses 1990000…
    user.save()
    inbox_notify(user=user, title="t", body="b")
    assert InboxMessage.objects.count() == 1 and not DevInboxMessage.objects.exists()


def test_unread_count_and_marking_read_only_touch_the_users_own(user):
    mine = inbox_notify(user=user, title="a", sms=False)
    theirs = inbox_notify(user=CandidateFactory().user, title="b", sms=False)
    assert inbox_unread_count(user=user) == 1
    assert inbox_mark_read(user=user, ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert inbox_unread_count(user=user) == 0 and theirs.read_at is None


def test_the_inbox_page_is_paginated_and_private(client, user):
    for n in range(25):
        inbox_notify(user=user, title=f"消息{n:02d}", sms=False)
    inbox_notify(user=CandidateFactory().user, title="别人的消息", sms=False)
    client.force_login(user)
    page = client.get(reverse("inbox:list")).content.decode()
    assert "消息24" in page and "消息04" not in page and "别人的消息" not in page and "第 1 / 2 页" in page
    assert InboxMessage.objects.filter(user=user, read_at__isnull=True).count() == 5
    assert "消息04" in client.get(reverse("inbox:list") + "?page=2").content.decode()


def test_the_inbox_needs_a_login(client, gansu):
    assert client.get(reverse("inbox:list")).status_code == 302
