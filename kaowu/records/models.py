from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PassedCourse(models.Model):
    """A course the candidate has passed, however: by examination, transferred in from another
    province, or exempted. A course is on the record once per candidate (the best result counts)."""

    class Source(models.TextChoices):
        EXAM = "exam", _("考试合格")
        TRANSFER_IN = "transfer_in", _("转入成绩")
        EXEMPTION = "exemption", _("免考")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="passed_courses")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+", verbose_name=_("课程"))
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1, null=True, blank=True,
                                help_text=_("免考课程可无分数"))
    source = models.CharField(_("取得方式"), max_length=20, choices=Source.choices, default=Source.EXAM)
    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("考期"))
    passed_on = models.DateField(_("合格日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("合格课程")
        ordering = ["passed_on", "course__code"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "course"], name="course_passed_once_per_candidate"),
            models.CheckConstraint(condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                                   name="passed_score_between_0_and_100"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.score}"
