"""Providers for SMS and e-mail, and the development inbox."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kaowu.notifications"
    label = "notifications"
    verbose_name = "通知"
