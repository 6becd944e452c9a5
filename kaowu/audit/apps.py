"""Audit rows for every staff action and every access to personal data."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kaowu.audit"
    label = "audit"
    verbose_name = "审计日志"
