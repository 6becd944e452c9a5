"""免考规则: which certificate or qualification exempts which courses of which major's plan. The
province authority keeps them (back office, Excel export / import); the 免考申请 reads them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExemptionRule(models.Model):
    """One rule: holders of `certificate` (a 学历证书 such as “专科及以上学历” or a 非学历证书 such as
    “全国大学英语四级（CET-4）425分及以上”) may be exempted from `courses` of `major`'s plan."""

    class Kind(models.TextChoices):
        ACADEMIC = "academic", _("学历证书免考")
        NON_ACADEMIC = "non_academic", _("非学历证书免考")

    kind = models.CharField(_("免考类型"), max_length=20, choices=Kind.choices)
    certificate = models.CharField(_("证书或资格"), max_length=100)
    major = models.ForeignKey("catalog.Major", on_delete=models.CASCADE, related_name="exemption_rules",
                              verbose_name=_("专业"))
    courses = models.ManyToManyField("catalog.Course", related_name="exemption_rules", verbose_name=_("可免考课程"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("免考规则")
        ordering = ["major__code", "kind", "certificate"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "certificate", "major"], name="exemption_rule_once",
                                    violation_error_message=_("该专业已有同一证书的免考规则，请修改原有规则。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.certificate} · {self.major.code}"

    def audit_label(self) -> str:
        return f"免考规则 {self.get_kind_display()} {self.certificate} · {self.major.code} {self.major.name}"
