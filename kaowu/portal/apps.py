"""Public pages and the candidate home (个人中心)."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kaowu.portal"
    label = "portal"
    verbose_name = "考生门户"
