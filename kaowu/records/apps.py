"""考籍: the candidate's record of passed courses (考试合格, 转入, 免考), which 报考, 毕业预测 and 转考 read;
成绩复核, an application type of the workflow engine, registered here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "kaowu.records"
    label = "records"
    verbose_name = _("考籍")

    def ready(self) -> None:
        from kaowu.workflow.types import register

        from .review import ScoreReview

        register(ScoreReview)
