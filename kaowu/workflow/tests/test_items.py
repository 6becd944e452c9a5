"""Per-item decisions: an application decided course by course (免考, 毕业). The last office decides
each item on the staff detail page; the application is approved only once no item is pending."""

import pytest
from django.urls import reverse

from kaowu.workflow import services
from kaowu.workflow.models import ApplicationItem
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .helpers import draft


def at_the_last_step(candidate, staff):
    application = draft(candidate)
    services.application_items_set(application=application, items=[("00015", "00015 英语（二）"),
                                                                   ("03708", "03708 中国近现代史纲要")])
    application = services.application_submit(application=application, actor=candidate.user)
    return services.application_approve(application=application, staff=staff["district"])


def test_the_application_is_approved_only_once_every_item_is_decided(client, candidate, staff, change_window):
    application = at_the_last_step(candidate, staff)
    with pytest.raises(WorkflowError, match="还有2个项目未审核"):
        services.application_approve(application=application, staff=staff["city"])

    client.force_login(staff["city"].user)
    url = reverse("backoffice:workflow_staff:detail", args=[application.pk])
    page = client.get(url).content.decode()
    assert "逐项审核" in page and "03708 中国近现代史纲要" in page
    client.post(url, {"action": "item", "key": "00015", "decision": "approved"})
    refused = client.post(url, {"action": "item", "key": "03708", "decision": "rejected"}, follow=True)
    assert "请填写不通过的原因" in refused.content.decode()
    client.post(url, {"action": "item", "key": "03708", "decision": "rejected", "comment": "无合格证明"})

    decisions = dict(ApplicationItem.objects.filter(application=application).values_list("key", "decision"))
    assert decisions == {"00015": "approved", "03708": "rejected"}
    application = services.application_approve(application=application, staff=staff["city"])
    assert application.status == Status.APPROVED


def test_only_the_reviewing_office_decides_an_item(candidate, staff, change_window):
    application = at_the_last_step(candidate, staff)
    with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
        services.application_item_decide(application=application, staff=staff["district"], key="00015",
                                          approved=True)
    assert not ApplicationItem.objects.exclude(decision="pending").exists()


def test_items_cannot_change_once_submitted(candidate, staff, change_window):
    application = at_the_last_step(candidate, staff)
    with pytest.raises(WorkflowError, match="不能修改"):
        services.application_items_set(application=application, items=[("00015", "x")])
    assert application.items.count() == 2


def test_the_candidate_is_told_each_items_result_and_all_refused_is_not_an_approval(
        candidate, staff, change_window, django_capture_on_commit_callbacks):
    from kaowu.notifications.models import InboxMessage

    application = at_the_last_step(candidate, staff)
    for key in ("00015", "03708"):
        services.application_item_decide(application=application, staff=staff["city"], key=key, approved=False,
                                          comment="无合格证明")
    with pytest.raises(WorkflowError, match="所有项目均未通过"):
        services.application_approve(application=application, staff=staff["city"])
    application.refresh_from_db()
    assert application.status == Status.REVIEWING

    services.application_item_decide(application=application, staff=staff["city"], key="00015", approved=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, staff=staff["city"])
    message = InboxMessage.objects.filter(title__contains="已审核通过").latest("id")
    assert "通过：00015 英语（二）" in message.body
    assert "未通过：03708 中国近现代史纲要（无合格证明）" in message.body
