from django.conf import settings
from django.db import models
from django.db.models import Q

from kaowu.organization.models import Office, Region


class Candidate(models.Model):
    """The candidate side of an account: where the candidate belongs, which decides
    which staff may see them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="candidates",
                                 verbose_name="所属区县", limit_choices_to={"level": Region.Level.DISTRICT})
    registration_point = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="registered_candidates", verbose_name="报名点",
                                           limit_choices_to={"kind": Office.Kind.REGISTRATION_POINT})
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考生"

    def __str__(self) -> str:
        return self.user.real_name


class ExamNumber(models.Model):
    """A 准考证号. 一人一号 is the goal, but accounts may still hold several until 合档."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在籍"
        MERGED = "merged", "已合档"

    number = models.CharField("准考证号", max_length=16, unique=True)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="exam_numbers")
    exam_area = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="exam_numbers",
                                  verbose_name="考区", limit_choices_to={"kind": Office.Kind.EXAM_AREA})
    major_name = models.CharField("报考专业", max_length=60, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    issued_at = models.DateTimeField("发放时间")

    class Meta:
        verbose_name = verbose_name_plural = "准考证号"
        ordering = ["issued_at", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{8,16}$"), name="exam_number_digits"),
        ]

    def __str__(self) -> str:
        return self.number
