"""Shared building blocks: layout, formatting, masking, idle timeout."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kaowu.core"
    label = "core"
    verbose_name = "核心"
