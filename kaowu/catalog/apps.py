"""The exam catalog: majors, courses, plans, textbooks, exam sittings, timetables, fees and the
business windows every time rule reads."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kaowu.catalog"
    label = "catalog"
    verbose_name = "考试计划与专业"

    def ready(self):
        # The 审计日志 page names actions from one table; the catalog's actions join it.
        from kaowu.audit.selectors import ACTION_LABELS

        from .services import AUDIT_ACTION_LABELS

        for action, label in AUDIT_ACTION_LABELS.items():
            ACTION_LABELS.setdefault(action, label)
