"""批量生成准考证 (issue #6, item 2): one background job that draws every arranged candidate's
准考证 of an exam area for a sitting, with its progress and the resulting file."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaowu.core.jobs import AreaJob


class TicketBatch(AreaJob):
    """One bulk generation of 准考证 for a sitting and an exam area. The result is a ZIP with one PDF
    per 考点 (a candidate's ticket is in the PDF of the site of their first exam; pages in room and
    seat order), so each site's pile can be printed and handed out on its own and no single PDF grows
    with the whole exam area."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.CASCADE, related_name="ticket_batches",
                                verbose_name=_("考期"))
    exam_area = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="ticket_batches",
                                  limit_choices_to={"kind": "exam_area"}, verbose_name=_("考区"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    base_url = models.CharField(_("核验地址"), max_length=200, blank=True,
                                help_text=_("准考证二维码中核验链接的站点地址"))
    total = models.PositiveIntegerField(_("应生成"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    incomplete = models.PositiveIntegerField(_("部分课程未编排"), default=0)
    unarranged = models.PositiveIntegerField(_("未编排考生"), default=0)
    sites = models.PositiveIntegerField(_("考点数"), default=0)
    file = models.FileField(_("准考证文件"), upload_to="ticket-batches/%Y/%m/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("批量准考证")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "exam_area"], condition=Q(status__in=["queued", "running"]),
                                    name="one_active_ticket_batch",
                                    violation_error_message=_("该考区本考期的准考证正在生成中。")),
        ]

    def audit_label(self) -> str:
        return f"批量准考证 #{self.pk}"
