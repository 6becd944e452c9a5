"""免考 (issue #14 item 1): the province's exemption rules (a certificate or qualification → the courses
of a major's plan it exempts, kept in the back office with Excel export / import) and the 免考申请
application type on the workflow engine, decided course by course; an approved course joins the 考籍
as a `records.PassedCourse` of source 免考."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemptionsConfig(AppConfig):
    name = "kaowu.exemptions"
    label = "exemptions"
    verbose_name = _("免考")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .types import Exemption

        register(Exemption)
