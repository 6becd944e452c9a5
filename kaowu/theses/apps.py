"""毕业论文答辩申请 (issue #14 item 3, seed 003): a candidate whose theory courses are passed applies to
the 主考学校 of his major; the university returns (打回) or records the outcome and the thesis grade, and
a pass joins the 考籍 (`records.PassedCourse`, source 毕业论文答辩合格)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThesesConfig(AppConfig):
    name = "kaowu.theses"
    label = "theses"
    verbose_name = _("毕业论文答辩")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .types import Thesis

        register(Thesis)
