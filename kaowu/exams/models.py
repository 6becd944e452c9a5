"""Exam sites (考点) and rooms (考场) of each exam area, and the room arrangement (考场编排): one
seat per paid course registration and session.

The database enforces what must never be wrong, whatever the code does: a room holds at most 200
and at least 1 seat, a seat number is at least 1, one course registration has at most one seat,
and one seat of one room in one session holds at most one candidate. At most one arrangement run
per sitting and exam area is queued or running at a time.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaowu.core.jobs import AreaJob
from kaowu.core.state import StateMachine

ROOM_CAPACITY_MAX = 200


class ExamSite(models.Model):
    """考点: a school or building where an exam area holds its exams."""

    exam_area = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="exam_sites",
                                  limit_choices_to={"kind": "exam_area"}, verbose_name=_("考区"))
    code = models.CharField(_("考点代码"), max_length=10,
                            help_text=_("考区内唯一，编排时考点按代码排序，例如：01"))
    name = models.CharField(_("考点名称"), max_length=80)
    address = models.CharField(_("考点地址"), max_length=160)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考点")
        ordering = ["exam_area", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam_area", "code"], name="exam_site_code_once_per_area",
                                    violation_error_message=_("本考区已有该考点代码。")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_label(self) -> str:
        return f"考点 {self.code} {self.name}"


class ExamRoom(models.Model):
    """考场: a room of a site with its number of seats."""

    site = models.ForeignKey(ExamSite, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("考点"))
    number = models.CharField(_("考场号"), max_length=10, help_text=_("考点内唯一，编排时按考场号排序，例如：001"))
    capacity = models.PositiveSmallIntegerField(_("座位数"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考场")
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="exam_room_number_once_per_site",
                                    violation_error_message=_("本考点已有该考场号。")),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=ROOM_CAPACITY_MAX),
                                   name="exam_room_capacity_1_to_200",
                                   violation_error_message=_("座位数须在1至200之间。")),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} 第{self.number}考场"

    def audit_label(self) -> str:
        return f"考场 {self.site.code}-{self.number}"


class ArrangementRun(AreaJob):
    """One run of the arrangement job for a sitting and an exam area, with its progress and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("编排中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.CASCADE, related_name="arrangement_runs",
                                verbose_name=_("考期"))
    exam_area = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="arrangement_runs",
                                  limit_choices_to={"kind": "exam_area"}, verbose_name=_("考区"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rearrange = models.BooleanField(_("重排未发布座位"), default=False,
                                    help_text=_("未发布（未打印准考证、未通知）的座位按规则重新编排；已发布的座位不变。"))
    total = models.PositiveIntegerField(_("待写入"), default=0)
    done = models.PositiveIntegerField(_("已写入"), default=0)
    candidates = models.PositiveIntegerField(_("应编排科次"), default=0)
    assigned = models.PositiveIntegerField(_("新编座位"), default=0)
    kept = models.PositiveIntegerField(_("保留座位"), default=0)
    released = models.PositiveIntegerField(_("释放座位"), default=0)
    unseated = models.PositiveIntegerField(_("未能编排"), default=0)
    summary = models.JSONField(_("分场次课程统计"), default=list, blank=True,
                               help_text="[{session, course, seated, unseated}] after the run")

    class Meta:
        verbose_name = verbose_name_plural = _("考场编排记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "exam_area"], condition=Q(status__in=["queued", "running"]),
                                    name="one_active_arrangement_run",
                                    violation_error_message=_("该考区本考期的编排正在进行中。")),
        ]

    def audit_label(self) -> str:
        return f"考场编排 #{self.pk}"


ARRANGEMENT_RUN_FLOW = StateMachine({
    ArrangementRun.Status.QUEUED: {ArrangementRun.Status.RUNNING, ArrangementRun.Status.FAILED},
    ArrangementRun.Status.RUNNING: {ArrangementRun.Status.DONE, ArrangementRun.Status.FAILED},
})
"""排队中 → 编排中 → 已完成 / 失败; a run that never started (a lost job) may be marked 失败. Finished runs
stay as they are: running again is a new run."""


class SeatAssignment(models.Model):
    """座位: where one course registration sits its exam — room and seat in the course's session.

    `notified_at` is set when the seat was published to the candidate (准考证 printed, notice sent);
    from then on the arrangement never moves it."""

    # No database foreign keys here, on purpose: a sitting writes about a million seats at once, and
    # PostgreSQL checks each key row by row (measured on the bench: +15–30 µs per row and key, which
    # alone would miss the 30 s target for 1,000,000 seats). The job writes only ids it has just read;
    # Django still applies on_delete (a deleted course registration takes its seat along, a room or
    # session with seats cannot be deleted). What must never be wrong is enforced by the database:
    # one seat per course registration, one candidate per seat, seat numbers from 1.
    # Few indexes for the same reason: the unique (session, room, seat) serves queries by session and
    # room (rooms are looked up with their session), the primary key the joins.
    # The course registration is the primary key: one seat per course registration, and one index
    # fewer to maintain for each of the million rows than with a separate id.
    registered_course = models.OneToOneField("registration.RegisteredCourse", on_delete=models.CASCADE,
                                             primary_key=True, related_name="seat", verbose_name=_("报考课程"),
                                             db_constraint=False)
    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("考期"), db_index=False, db_constraint=False)
    session = models.ForeignKey("catalog.SittingSession", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("考试场次"), db_index=False, db_constraint=False)
    room = models.ForeignKey(ExamRoom, on_delete=models.PROTECT, related_name="seats", verbose_name=_("考场"),
                             db_index=False, db_constraint=False)
    seat = models.PositiveSmallIntegerField(_("座位号"))
    assigned_at = models.DateTimeField(_("编排时间"))
    notified_at = models.DateTimeField(_("发布时间"), null=True, blank=True,
                                       help_text=_("准考证打印或座位通知发出的时间；发布后重新编排不会移动该座位。"))
    run = models.ForeignKey(ArrangementRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("编排记录"), db_index=False, db_constraint=False)

    class Meta:
        verbose_name = verbose_name_plural = _("座位")
        ordering = ["session", "room", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["session", "room", "seat"], name="one_candidate_per_seat",
                                    violation_error_message=_("该座位已有考生。")),
            models.CheckConstraint(condition=Q(seat__gte=1), name="seat_number_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}/{self.seat}"
