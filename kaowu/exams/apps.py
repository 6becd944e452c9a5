"""考务编排: exam sites and rooms per exam area, and the room arrangement (考场编排) of each sitting."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "kaowu.exams"
    label = "exams"
    verbose_name = _("考务编排")
