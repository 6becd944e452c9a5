"""The application-and-review engine: typed applications with versions and attachments, an explicit
state machine per type, review chains of offices, history, notifications, staff queues."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "kaowu.workflow"
    label = "workflow"
    verbose_name = _("申请与审核")
