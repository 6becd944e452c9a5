from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.fields import EncryptedCharField
from kaowu.organization.models import Office, Region


class Candidate(models.Model):
    """The candidate side of an account: where the candidate belongs, which decides
    which staff may see them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate")
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="candidates",
                                 verbose_name=_("所属区县"), limit_choices_to={"level": Region.Level.DISTRICT})
    registration_point = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="registered_candidates", verbose_name=_("报名点"),
                                           limit_choices_to={"kind": Office.Kind.REGISTRATION_POINT})
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考生")

    def __str__(self) -> str:
        return self.user.real_name

    def audit_label(self) -> str:
        """How audit rows name the candidate (kaowu.audit.services.audit_target_label): the name masked."""
        from kaowu.core.masking import mask_name

        return f"考生 {mask_name(self.user.real_name)}（#{self.pk}）"


class ExamNumber(models.Model):
    """A 准考证号. 一人一号 is the goal, but accounts may still hold several until 合档."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在籍")
        MERGED = "merged", _("已合档")

    number = models.CharField(_("准考证号"), max_length=16, unique=True)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="exam_numbers")
    exam_area = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="exam_numbers",
                                  verbose_name=_("考区"), limit_choices_to={"kind": Office.Kind.EXAM_AREA})
    major_name = models.CharField(_("报考专业"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    issued_at = models.DateTimeField(_("发放时间"))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_numbers", verbose_name=_("合档至"))
    merged_at = models.DateTimeField(_("合档时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("准考证号")
        ordering = ["issued_at", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{8,16}$"), name="exam_number_digits"),
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False)) | (Q(status="active") & Q(merged_into__isnull=True)),
                name="merged_number_points_to_target",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ExamNumberMerge(models.Model):
    """合档: one person's several 准考证号 become one (一人一号). The merged number keeps its scores and
    history and points to the kept one; this row is the record both the staff and the candidate see."""

    kept = models.ForeignKey(ExamNumber, on_delete=models.PROTECT, related_name="merges_kept", verbose_name=_("保留的准考证号"))
    merged = models.OneToOneField(ExamNumber, on_delete=models.PROTECT, related_name="merge_record",
                                  verbose_name=_("合并的准考证号"))
    merged_from_candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+",
                                              verbose_name=_("原所属考生"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理机构"))
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("合档记录")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(kept=models.F("merged")), name="merge_two_numbers")]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class IdNumberCorrection(models.Model):
    """An ID number corrected by the exam area (old → new) on a proof document."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="id_corrections")
    old_id_number = EncryptedCharField(_("原身份证号"), max_length=18, normalize="id_number")
    new_id_number = EncryptedCharField(_("新身份证号"), max_length=18, normalize="id_number")
    proof = models.FileField(_("证明材料"), upload_to="id-corrections/%Y/%m/")
    reason = models.CharField(_("更正原因"), max_length=200)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理机构"))
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("身份证号更正记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return gettext("身份证号更正 #%(pk)s") % {"pk": self.pk}
