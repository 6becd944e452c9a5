"""Regions, the province configuration, offices and staff jurisdictions."""

from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "kaowu.organization"
    label = "organization"
    verbose_name = "行政区划与机构"
