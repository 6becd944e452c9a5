"""What every background job staff start for an exam area (考场编排, 批量准考证) records besides its
own figures: who started it, when it started and ended, the error if it failed, and its progress
as the page shows it. The concrete model defines `Status` (排队中 / … 中 / 已完成 / 失败, with the
values queued, running, done, failed), `status`, `total` and `done`."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A job lost with its worker must not block its exam area for ever.
RUNNING_STALE_AFTER = datetime.timedelta(hours=1)
QUEUED_STALE_AFTER = datetime.timedelta(days=1)


class AreaJob(models.Model):
    error = models.CharField(_("错误信息"), max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sitting_id}/{self.exam_area_id} #{self.pk}"

    @classmethod
    def fail_stale(cls, *, sitting, exam_area, message: str) -> None:
        """Mark the area's jobs that ran or waited too long as failed (call inside a transaction)."""
        now = timezone.now()
        stale = cls.objects.select_for_update().filter(sitting=sitting, exam_area=exam_area).filter(
            Q(status=cls.Status.RUNNING, started_at__lt=now - RUNNING_STALE_AFTER)
            | Q(status=cls.Status.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER))
        for job in stale:
            job.status, job.error, job.finished_at = cls.Status.FAILED, message, now
            job.save(update_fields=["status", "error", "finished_at"])

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
