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


class Graduate(models.Model):
    """毕业: a candidate who graduated in a major — written once, when the province's final approval of
    his 毕业申请 makes him a graduate. Its 毕业证书编号 is issued then and never reused; the 考籍 behind it
    is frozen (no 免考, 转出 or 实践 / 论文 result changes a graduate's record in that major). A
    毕业证明书 (lost certificate) is issued against this row."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="graduations",
                                  verbose_name=_("考生"))
    major = models.ForeignKey("catalog.Major", on_delete=models.PROTECT, related_name="+", verbose_name=_("毕业专业"))
    application = models.OneToOneField("workflow.Application", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="graduate", verbose_name=_("毕业申请"))
    certificate_number = models.CharField(_("毕业证书编号"), max_length=30, unique=True)
    graduated_on = models.DateField(_("毕业日期"))
    credits = models.PositiveSmallIntegerField(_("毕业总学分"), default=0)
    snapshot = models.JSONField(_("毕业时考籍"), default=list, blank=True,
                                help_text="[{course, name, credits, score, source}] as approved — the frozen record")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("毕业生")
        ordering = ["-graduated_on", "certificate_number"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "major"], name="graduate_once_per_major"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_number}"

    def audit_label(self) -> str:
        return f"毕业生 {self.certificate_number}"


class CertificateNumberSequence(models.Model):
    """The last serial used for a 毕业证书编号 prefix (主考学校 code + 6 + year + level). Only ever
    increases, under `select_for_update`, so a number is never issued twice nor reused (not even after a
    graduate row is removed by the province's admin)."""

    prefix = models.CharField(max_length=12, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("毕业证书编号序号")

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"
