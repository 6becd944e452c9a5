from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaowu.core.fields import BlindIndexField, EncryptedCharField, EncryptedQuerySet, EncryptedTextField


class DossierDispatch(models.Model):
    """寄档 (dossier dispatch) of a 考籍转出: the province authority mailed the candidate's file to the receiving authority
    (carrier, tracking number, date). Recording it completes the transfer out (审核通过 → 已完成)."""

    application = models.OneToOneField("workflow.Application", on_delete=models.PROTECT,
                                       related_name="dossier_dispatch", verbose_name=_("申请"))
    carrier = models.CharField(_("快递公司"), max_length=30)
    tracking_number = models.CharField(_("快递单号"), max_length=40)
    mailed_on = models.DateField(_("寄档日期"))
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("寄档机构"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    method = models.CharField(_("寄档方式"), max_length=12, default="mail",
                              choices=[("mail", _("邮寄纸质档案")), ("electronic", _("电子传送"))])
    package = EncryptedTextField(_("电子转考数据包"), blank=True,
                                 help_text=_("电子寄档时导出的签名数据包（JSON），可再次下载"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考籍转出寄档")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class IncomingTransfer(models.Model):
    """考籍转入 (seeds 000, 003): another province's candidate file arriving here, either as a signed
    electronic transfer package from a province that also runs kaowu (电子转入), or entered by staff
    from the paper 转出登记表 and archive (纸质档案). The person is matched to this province's
    candidate by ID number (`candidate` stays empty — 待匹配 — until an account with that number
    exists; it is matched when that person logs in — registration logs in too — or opens 考籍转入).

    Status (`transfers.incoming.FLOW`): 待确认 → 确认转入 (扫码签字) → 已确认 → 接收档案 → 已接收, or
    待确认 → 作废 (the province authority, with the reason: entered wrongly, imported by mistake). The
    scores join the record on 已接收: for 电子转入 the verified package is the archive, so
    confirming moves on to 已接收 at once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        RECEIVED = "received", _("已接收")
        VOIDED = "voided", _("已作废")

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("电子转入")
        PAPER = "paper", _("纸质档案")

    number = models.CharField(_("转入编号"), max_length=20, unique=True)
    from_province = models.ForeignKey("organization.Province", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("转出省份"))
    source_number = models.CharField(_("转出申请编号"), max_length=40)
    method = models.CharField(_("转入方式"), max_length=12, choices=Method.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, normalize="id_number")
    id_number_digest = BlindIndexField(_("身份证号查找摘要"), source="id_number", db_index=True)
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="incoming_transfers", verbose_name=_("考生"))
    profile = models.JSONField(_("转出地考籍信息"), default=dict, blank=True,
                               help_text=_("准考证号、考区、专业等，按转出地记录"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    package = EncryptedTextField(_("电子转考数据包"), blank=True)  # holds the full ID number
    package_digest = models.CharField(_("数据包摘要"), max_length=64, blank=True)
    signature = models.ForeignKey("signatures.SignatureRequest", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("确认转入签字"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    received_on = models.DateField(_("档案接收日期"), null=True, blank=True)
    receipt_note = models.CharField(_("接收说明"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("录入机构"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("考籍转入")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One transfer out of a province arrives once (a second import of its package is refused);
            # a voided entry (typed wrongly from the paper form) may be entered again.
            models.UniqueConstraint(fields=["from_province", "source_number"], name="incoming_transfer_once",
                                    condition=~Q(status="voided")),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"考籍转入 {self.number}"

    @property
    def credits_total(self) -> int:
        return sum(c.credits or 0 for c in self.courses.all())


class IncomingCourse(models.Model):
    """One transferred course as the source province recorded it; `outcome` once the scores joined."""

    class Outcome(models.TextChoices):
        JOINED = "joined", _("已记入考籍")
        BETTER_KEPT = "kept", _("已有更高成绩，保留原成绩")
        UNMATCHED = "unmatched", _("未匹配课程")

    transfer = models.ForeignKey(IncomingTransfer, on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(_("课程代码"), max_length=10)
    name = models.CharField(_("课程名称"), max_length=60)
    credits = models.PositiveSmallIntegerField(_("学分"), null=True, blank=True)
    score = models.DecimalField(_("成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    sitting = models.CharField(_("考期"), max_length=30, blank=True)
    source = models.CharField(_("取得方式"), max_length=20, blank=True)
    outcome = models.CharField(_("记入结果"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("转入课程")
        ordering = ["code", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IncomingTransition(models.Model):
    """History of a 考籍转入: every status change (who, when, from, to, comment)."""

    transfer = models.ForeignKey(IncomingTransfer, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return IncomingTransfer.Status(self.to_status).label

    @property
    def from_label(self) -> str:
        return IncomingTransfer.Status(self.from_status).label if self.from_status else ""
