"""基本信息填报 (建档): the candidate's file, its review by the exam area, and the 准考证号 it issues."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "kaowu.filing"
    label = "filing"
    verbose_name = _("基本信息填报（建档）")
