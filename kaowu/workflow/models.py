from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .statuses import Status


class Application(models.Model):
    """One candidate's application of a type (省内转考, later 免考, 信息变更 …). Its data lives in
    versions; `status` and `current_step` follow the type's flow; `reviewing_office` is the office
    whose queue it is in now (the office of the current step while 审核中)."""

    type_code = models.CharField(_("申请类型"), max_length=40, db_index=True)
    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications",
                                  verbose_name=_("申请人"))
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="applications",
                                  verbose_name=_("考生"))
    exam_number = models.ForeignKey("candidates.ExamNumber", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="applications", verbose_name=_("准考证号"))
    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="applications", verbose_name=_("考期"))
    status = models.CharField(_("状态"), max_length=20, default=Status.DRAFT, db_index=True)
    current_step = models.PositiveSmallIntegerField(_("当前审核步骤"), null=True, blank=True)
    current_version = models.ForeignKey("ApplicationVersion", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("当前版本"))
    reviewing_office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="applications_to_review", verbose_name=_("审核机构"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reviewing_office", "status"], name="application_queue"),
                   models.Index(fields=["candidate", "type_code"], name="application_of_candidate")]
        constraints = [
            # 审核中 always sits in one office's queue, at one step.
            models.CheckConstraint(
                condition=~Q(status=Status.REVIEWING) | Q(reviewing_office__isnull=False, current_step__isnull=False),
                name="reviewing_application_has_office_and_step"),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"申请{self.number}"

    @property
    def type(self):
        from .types import application_type

        return application_type(self.type_code)

    @property
    def type_label(self) -> str:
        return str(self.type.label)

    @property
    def status_label(self) -> str:
        return self.type.status_label(self.status)

    @property
    def status_badge(self) -> str:
        return self.type.badge(self.status)

    @property
    def step_label(self) -> str:
        return self.type.step_label(self.current_step) if self.status == Status.REVIEWING else ""

    @property
    def status_display(self) -> str:
        """审核中（转入地市考办审核）"""
        step = self.step_label
        return f"{self.status_label}（{step}）" if step else self.status_label

    @property
    def data(self) -> dict:
        return self.current_version.data if self.current_version_id else {}


class ApplicationVersion(models.Model):
    """The data of an application as the candidate filled it in. Frozen (immutable) once submitted:
    a modification after 退回修改 is a new version, so every decision concerns a version that stays."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    data = models.JSONField(_("申请内容"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申请版本")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="application_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.submitted_at is not None


def attachment_path(instance, filename: str) -> str:
    # Private storage (MEDIA_URL is not served): only permission-checked views read these files.
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"applications/{instance.version.application_id}/{secrets.token_hex(12)}.{extension}"


class ApplicationAttachment(models.Model):
    version = models.ForeignKey(ApplicationVersion, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("材料类型"), max_length=30)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=60)  # recognised from the content, not the name
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("申请材料")
        ordering = ["version", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="one_attachment_per_kind_and_version")]

    def __str__(self) -> str:
        return self.original_name


class ApplicationTransition(models.Model):
    """One change of an application's status (or step): who, when, from, to, with which comment, on
    which version. The candidate's timeline and the reviewers' trail are these rows."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    from_step = models.PositiveSmallIntegerField(null=True, blank=True)
    to_step = models.PositiveSmallIntegerField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="application_transitions")
    comment = models.CharField(max_length=500, blank=True)
    version_number = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申请办理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["actor_office", "application"], name="transition_by_office")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return self.application.type.status_label(self.to_status)

    @property
    def badge(self) -> str:
        return self.application.type.badge(self.to_status)

    @property
    def step_label(self) -> str:
        """The step this row concerns: the one acted on by a reviewer, the one entered otherwise."""
        kind = self.application.type
        if self.actor_office_id is not None and self.from_step is not None:
            return kind.step_label(self.from_step)
        return kind.step_label(self.to_step)


class ApplicationItem(models.Model):
    """One item of an application decided on its own (a 免考 or 毕业 application is decided course by
    course): the type sets the items (`application_items_set`), the reviewing office decides each
    (`application_item_decide`), and the application is approved once none is pending."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("通过")
        REJECTED = "rejected", _("不通过")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("项目代码"), max_length=40)  # e.g. a course code
    label = models.CharField(_("项目"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    decision = models.CharField(_("审核结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申请项目")
        ordering = ["application", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="application_item_once")]

    def __str__(self) -> str:
        return f"{self.application.number} · {self.key}"

    @property
    def decision_label(self) -> str:
        """The decision as the type names it (实践: 合格 / 不合格; by default 通过 / 不通过)."""
        return self.application.type.item_decision_labels.get(self.decision, self.get_decision_display())
