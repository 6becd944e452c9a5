"""毕业: the one eligibility rule (does a candidate's 考籍 complete a major's plan, and what is missing),
the graduation planner (毕业预测 for every major) and the province's 毕业资格初审 batch."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraduationConfig(AppConfig):
    name = "kaowu.graduation"
    label = "graduation"
    verbose_name = _("毕业")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .application import GraduationApplication
        from .certificate import GraduationCertificate

        register(GraduationApplication)
        register(GraduationCertificate)
