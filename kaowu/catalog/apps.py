"""The exam catalog: majors, courses, plans, textbooks, exam sittings, timetables, fees and the
business windows every time rule reads."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kaowu.catalog"
    label = "catalog"
    verbose_name = "考试计划与专业"

