import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.state import StateMachine


class BiometricConsent(models.Model):
    """The candidate's separate, explicit consent to face processing (PIPL: biometrics are
    sensitive personal information). Kept as evidence; withdrawing stops further processing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="biometric_consents")
    notice_version = models.CharField(_("告知书版本"), max_length=20)
    given_at = models.DateTimeField(_("同意时间"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("人脸信息处理同意记录")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notice_version}"


class Verification(models.Model):
    """One identity verification of an account: which photos it needs, where it stands."""

    class Kind(models.TextChoices):
        THREE_PHOTOS = "three_photos", _("新考生“三照”认证")
        TWO_PHOTOS = "two_photos", _("在籍考生“两照”认证")
        UPGRADE = "upgrade", _("专升本身份认证")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("未认证")
        VERIFYING = "verifying", _("认证中")
        PASSED = "passed", _("已通过")
        FAILED = "failed", _("未通过")
        MANUAL_REVIEW = "manual_review", _("待人工审核")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications")
    kind = models.CharField(_("认证方式"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    failure_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    automatic_attempts = models.PositiveSmallIntegerField(_("自动比对次数"), default=0)
    review_office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="identity_reviews", verbose_name=_("人工审核机构"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("身份认证")
        ordering = ["-created_at"]
        constraints = [
            # One verification per account and kind; its attempts and history keep every try.
            models.UniqueConstraint(fields=["user", "kind"], name="one_verification_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    def audit_label(self) -> str:
        return f"身份认证#{self.pk}"

    @property
    def required_photos(self) -> list[str]:
        return REQUIRED_PHOTOS[self.kind]


class Photo(models.Model):
    """An uploaded verification photo. Stored privately (never a public URL); served only through a
    permission-checked, access-logged view."""

    class Kind(models.TextChoices):
        ID_PHOTO = "id_photo", _("证件照")
        ID_CARD_FRONT = "id_card_front", _("身份证人像面")
        ID_CARD_BACK = "id_card_back", _("身份证国徽面")
        HANDHELD = "handheld", _("手持身份证半身照")

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("照片类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="identity/%Y/%m/")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where the photo check found the (largest) face, in the stored image's pixels: [left, top,
    # right, bottom]. Coordinates only — no face template is ever stored.
    face_box = models.JSONField("人脸位置", null=True, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    is_current = models.BooleanField(_("当前使用"), default=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("认证照片")
        constraints = [
            models.UniqueConstraint(fields=["verification", "kind"], condition=Q(is_current=True),
                                    name="one_current_photo_per_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


REQUIRED_PHOTOS = {
    Verification.Kind.THREE_PHOTOS: [Photo.Kind.ID_PHOTO, Photo.Kind.ID_CARD_FRONT, Photo.Kind.HANDHELD],
    Verification.Kind.TWO_PHOTOS: [Photo.Kind.ID_CARD_FRONT, Photo.Kind.HANDHELD],
    Verification.Kind.UPGRADE: [Photo.Kind.ID_PHOTO, Photo.Kind.ID_CARD_FRONT, Photo.Kind.ID_CARD_BACK],
}


class ComparisonAttempt(models.Model):
    """One automatic face comparison, with everything needed to explain its decision later."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("第几次"))
    distances = models.JSONField(_("距离"), default=dict, help_text=_("照片类型对 → 欧氏距离"))
    threshold = models.FloatField(_("阈值"))
    model_name = models.CharField(_("模型"), max_length=80)
    model_version = models.CharField(_("模型版本"), max_length=80)
    matched = models.BooleanField(_("比对通过"))
    error_code = models.CharField(_("错误代码"), max_length=40, blank=True)
    message = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("比对时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("人脸比对记录")
        ordering = ["verification", "number"]
        constraints = [models.UniqueConstraint(fields=["verification", "number"], name="attempt_number_unique")]

    def __str__(self) -> str:
        return f"#{self.number} {gettext('通过') if self.matched else gettext('未通过')}"


class StatusChange(models.Model):
    """History of a verification's status: the candidate's timeline and the reviewer's trail."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Verification.Status.choices)
    to_status = models.CharField(max_length=20, choices=Verification.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("认证状态记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


Status = Verification.Status
# 未认证 → 认证中 → 已通过 | 未通过; 未通过 → 认证中 (try again) | 待人工审核 (after three failed tries);
# 待人工审核 → 已通过 | 未通过 (the office decides, with a reason).
VERIFICATION_FLOW = StateMachine({
    Status.UNVERIFIED: {Status.VERIFYING, Status.MANUAL_REVIEW},
    Status.VERIFYING: {Status.PASSED, Status.FAILED},
    Status.FAILED: {Status.VERIFYING, Status.MANUAL_REVIEW},
    Status.MANUAL_REVIEW: {Status.PASSED, Status.FAILED},
})
MANUAL_REVIEW_AFTER_FAILURES = 3


class RegistryCheck(models.Model):
    """One online name + ID number check (seed 003 身份认证) and its answer."""

    class Outcome(models.TextChoices):
        MATCH = "match", _("一致")
        MISMATCH = "mismatch", _("不一致")
        NOT_FOUND = "not_found", _("查无此人")
        UNAVAILABLE = "unavailable", _("服务不可用")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_checks")
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices)
    provider = models.CharField(_("核验服务"), max_length=40)
    reference = models.CharField(_("核验流水号"), max_length=64, blank=True)
    checked_at = models.DateTimeField(_("核验时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("身份信息在线核验")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return self.get_outcome_display()
