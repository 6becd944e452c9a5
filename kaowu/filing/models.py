from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.state import StateMachine

from .choices import EDUCATION_LEVELS, HOUSEHOLD_TYPES, NATIONS, OCCUPATIONS, POLITICAL_STATUSES, as_choices


class Filing(models.Model):
    """基本信息填报（建档）: one per candidate. Editable while not approved; the exam area approves it
    (which issues the 准考证号) or rejects it with a reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("考区未审核")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("审核未通过")

    candidate = models.OneToOneField("candidates.Candidate", on_delete=models.CASCADE, related_name="filing")
    exam_area = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="filings",
                                  verbose_name=_("报名考区"), limit_choices_to={"kind": "exam_area"})
    gender = models.CharField(_("性别"), max_length=2, choices=[("男", _("男")), ("女", _("女"))])
    nation = models.CharField(_("民族"), max_length=20, choices=as_choices(NATIONS))
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=as_choices(POLITICAL_STATUSES))
    education = models.CharField(_("文化程度"), max_length=20, choices=as_choices(EDUCATION_LEVELS))
    occupation = models.CharField(_("职业"), max_length=40, choices=as_choices(OCCUPATIONS))
    household_type = models.CharField(_("户口性质"), max_length=10, choices=as_choices(HOUSEHOLD_TYPES))
    address = models.CharField(_("通讯地址"), max_length=120)
    postcode = models.CharField(_("邮编"), max_length=6)
    work_unit = models.CharField(_("工作单位"), max_length=80, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    rejection_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    notice_agreed_at = models.DateTimeField(_("同意考生须知时间"))
    submitted_at = models.DateTimeField(_("提交时间"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    exam_number = models.OneToOneField("candidates.ExamNumber", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="filing", verbose_name=_("准考证号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("基本信息填报")
        constraints = [
            models.CheckConstraint(condition=Q(postcode__regex=r"^[0-9]{6}$"), name="filing_postcode_six_digits"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(exam_number__isnull=False),
                                   name="approved_filing_has_exam_number"),
        ]

    def __str__(self) -> str:
        return gettext("建档 #%(pk)s") % {"pk": self.pk}

    def audit_label(self) -> str:
        return f"建档#{self.pk}"

    @property
    def editable(self) -> bool:
        return self.status != self.Status.APPROVED


class FilingStatusChange(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=Filing.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Filing.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ExamNumberSequence(models.Model):
    """The last sequence used for a 准考证号 prefix. Only ever increases, so a number is never reused
    (not even after a rejected or merged record)."""

    prefix = models.CharField(max_length=12, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"


Status = Filing.Status
FILING_FLOW = StateMachine({
    Status.SUBMITTED: {Status.SUBMITTED, Status.APPROVED, Status.REJECTED},
    Status.REJECTED: {Status.SUBMITTED},
})
