"""Regions, the province configuration, offices and staff jurisdictions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "kaowu.organization"
    label = "organization"
    verbose_name = _("行政区划与机构")
