"""Shared building blocks: layout, formatting, masking, idle timeout."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kaowu.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self):
        from . import checks  # noqa: F401 — registers the provider check
