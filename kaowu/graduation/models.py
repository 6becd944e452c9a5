"""毕业资格初审: one run of the batch over every candidate (with its progress and counts by major), and
its results — one row per candidate and major: every plan he completes, and his own major when he
does not complete it (with what he lacks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kaowu.core.jobs import AreaJob


class EligibilityRun(AreaJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("审核中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("考生总数"), default=0)
    done = models.PositiveIntegerField(_("已审核考生"), default=0)
    eligible = models.PositiveIntegerField(_("符合毕业条件的考生"), default=0)
    summary = models.JSONField(_("分专业统计"), default=dict, blank=True,
                               help_text="{major id: {code, name, eligible, lacking}} after each chunk")

    class Meta:
        verbose_name = verbose_name_plural = _("毕业资格初审")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=models.Q(status__in=["queued", "running"]),
                                    name="one_active_eligibility_run"),
        ]

    def __str__(self) -> str:
        return f"毕业资格初审 #{self.pk}"

    def audit_label(self) -> str:
        return f"毕业资格初审 #{self.pk}"


class EligibilityResult(models.Model):
    run = models.ForeignKey(EligibilityRun, on_delete=models.CASCADE, related_name="results")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("考生"))
    major = models.ForeignKey("catalog.Major", on_delete=models.CASCADE, related_name="+", verbose_name=_("专业"))
    eligible = models.BooleanField(_("符合毕业条件"))
    own_major = models.BooleanField(_("本人报考专业"), default=False)
    credits_done = models.PositiveSmallIntegerField(_("已获学分"))
    credits_required = models.PositiveSmallIntegerField(_("要求学分"))
    courses_missing = models.PositiveSmallIntegerField(_("尚缺课程门数"))
    missing = models.CharField(_("尚缺课程"), max_length=400, blank=True, help_text=_("课程代码，以顿号分隔"))

    class Meta:
        verbose_name = verbose_name_plural = _("毕业资格初审结果")
        ordering = ["run", "candidate", "major"]
        indexes = [models.Index(fields=["run", "major", "eligible"])]

    def __str__(self) -> str:
        return f"{self.candidate_id}/{self.major_id} {'✓' if self.eligible else '✗'}"
