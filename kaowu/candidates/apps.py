"""Candidates, their 准考证号 and jurisdiction scoping."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "kaowu.candidates"
    label = "candidates"
    verbose_name = _("考生")
