"""毕业论文答辩: the result the 主考学校 records on an accepted application (答辩结果 and 成绩等级). A pass puts
the thesis course on the 考籍 (`records.PassedCourse`, source 毕业论文答辩合格) in the same transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DefenceResult(models.Model):
    """答辩结果 of one 毕业论文答辩申请: 通过 or 不通过 and the grade on the five-level scale universities use
    for theses (优秀 / 良好 / 中等 / 及格 pass, 不及格 fails). No numeric score is kept: the 考籍 row of a
    passed thesis has no score and names the grade in its note."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        MEDIUM = "medium", _("中等")
        PASS = "pass", _("及格")
        FAIL = "fail", _("不及格")

    PASSING = (Grade.EXCELLENT, Grade.GOOD, Grade.MEDIUM, Grade.PASS)

    application = models.OneToOneField("workflow.Application", on_delete=models.PROTECT, related_name="thesis_result",
                                       verbose_name=_("毕业论文答辩申请"))
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("毕业论文课程"))
    passed = models.BooleanField(_("答辩通过"))
    grade = models.CharField(_("成绩等级"), max_length=10, choices=Grade.choices)
    defended_on = models.DateField(_("答辩日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("主考学校"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("毕业论文答辩结果")
        constraints = [
            # 通过 ⇔ a passing grade; 不通过 ⇔ 不及格.
            models.CheckConstraint(
                condition=Q(passed=True, grade__in=["excellent", "good", "medium", "pass"])
                | Q(passed=False, grade="fail"), name="thesis_result_grade_matches_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.grade}"

    def audit_label(self) -> str:
        return f"毕业论文答辩结果#{self.pk}"
