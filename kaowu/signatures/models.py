from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaowu.core.state import StateMachine


class SignatureRequest(models.Model):
    """One 生成二维码进行签名: who must sign what (the subject and a digest of its exact content), until
    when, and — once signed on the phone — the signature image.

    `subject` names the signed object ("transfers.TransferOut:42"), `version` its version number and
    `digest` a SHA-256 of the content the candidate saw; a signature counts only for that digest, so
    any later change needs a new signature."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待签名")
        SIGNED = "signed", _("已签名")
        EXPIRED = "expired", _("已过期")
        CANCELLED = "cancelled", _("已作废")

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signature_requests",
                             verbose_name=_("签名人"))
    purpose = models.CharField(_("签名事项"), max_length=60)
    subject = models.CharField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    digest = models.CharField(max_length=64)
    summary = models.TextField(_("签名内容摘要"), help_text=_("手机签名页上向考生展示的内容"))
    return_url = models.CharField(max_length=300)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("二维码有效期至"))
    opened_at = models.DateTimeField(_("扫码时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签名时间"), null=True, blank=True)
    image = models.FileField(_("签名图片"), upload_to="signatures/%Y/%m/", blank=True)
    signer_ip = models.GenericIPAddressField(null=True, blank=True)
    signer_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("电子签名")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "version"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="signed") | (Q(signed_at__isnull=False) & ~Q(image="")),
                                   name="signed_request_has_image"),
            # One signature per version of a subject: a second one would make "which counts" ambiguous.
            models.UniqueConstraint(fields=["subject", "version"], condition=Q(status="signed"),
                                    name="one_signature_per_subject_version"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} v{self.version} {self.status}"

    def audit_label(self) -> str:
        return f"电子签名 {self.subject} v{self.version}"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()

    @property
    def seconds_left(self) -> int:
        return max(int((self.expires_at - timezone.now()).total_seconds()), 0)


SIGNATURE_FLOW = StateMachine({
    SignatureRequest.Status.PENDING: {SignatureRequest.Status.SIGNED, SignatureRequest.Status.EXPIRED,
                                      SignatureRequest.Status.CANCELLED},
    # Signing the same version again supersedes the earlier signature.
    SignatureRequest.Status.SIGNED: {SignatureRequest.Status.CANCELLED},
})
