from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考籍转出寄档")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"
