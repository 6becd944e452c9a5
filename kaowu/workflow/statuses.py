"""The statuses every application type shares (the seeds' words) and the default flow between them.

Statuses are plain strings so that a type may add its own (考籍转出 later: 待缴费, 寄档, 已完成) with
labels and a flow of its own; `ApplicationType.status_label` falls back to these labels.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaowu.core.state import StateMachine


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWING = "reviewing", _("审核中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


# Badge colour per status (kaowu.css badge--*): each status has its colour wherever it is shown.
BADGES = {
    Status.DRAFT: "neutral",
    Status.REVIEWING: "warning",
    Status.RETURNED: "info",
    Status.APPROVED: "success",
    Status.REJECTED: "danger",
    Status.WITHDRAWN: "neutral",
}

# REVIEWING → REVIEWING is an approval that moves the application to the next step of the chain.
DEFAULT_FLOW = StateMachine({
    Status.DRAFT: {Status.REVIEWING, Status.WITHDRAWN},
    Status.REVIEWING: {Status.REVIEWING, Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.WITHDRAWN},
    Status.RETURNED: {Status.REVIEWING, Status.WITHDRAWN},
})

# Statuses in which the candidate may change the application's data (a new version after 退回修改).
EDITABLE = {Status.DRAFT, Status.RETURNED}
# Statuses after which nothing happens any more (types may add theirs).
FINAL = {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}
