from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.state import StateMachine


class Registration(models.Model):
    """报考: what one 准考证号 registers for in one sitting — the exam area (where the candidate sits
    the exams), the major and the courses. Changed by each submission until the window closes; the
    last submission inside the window is final."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("待缴费")
        SUCCEEDED = "succeeded", _("报考成功")
        CANCELLED = "cancelled", _("已取消报考")

    exam_number = models.ForeignKey("candidates.ExamNumber", on_delete=models.PROTECT, related_name="registrations",
                                    verbose_name=_("准考证号"))
    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, related_name="registrations",
                                verbose_name=_("考期"))
    exam_area = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="registrations",
                                  verbose_name=_("报考考区"), limit_choices_to={"kind": "exam_area"})
    major = models.ForeignKey("catalog.Major", on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("报考专业"))
    status = models.CharField(_("考生状态"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    guide_agreed_at = models.DateTimeField(_("确认报考简章时间"))
    submission_count = models.PositiveIntegerField(_("提交次数"), default=0)
    submitted_at = models.DateTimeField(_("最后提交时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("报考")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["exam_number", "sitting"], name="one_registration_per_number_and_sitting"),
        ]
        indexes = [models.Index(fields=["sitting", "exam_area", "status"])]

    def __str__(self) -> str:
        return gettext("报考 #%(pk)s") % {"pk": self.pk}

    def audit_label(self) -> str:
        return f"报考#{self.pk}"

    @property
    def order_reference(self) -> str:
        """The payments reference of this registration's orders."""
        return f"R{self.pk}"


REGISTRATION_FLOW = StateMachine({
    Registration.Status.PENDING_PAYMENT: {Registration.Status.PENDING_PAYMENT, Registration.Status.SUCCEEDED,
                                          Registration.Status.CANCELLED},
    Registration.Status.SUCCEEDED: {Registration.Status.SUCCEEDED, Registration.Status.PENDING_PAYMENT,
                                    Registration.Status.CANCELLED},
    Registration.Status.CANCELLED: {Registration.Status.PENDING_PAYMENT},
})
"""A registration is 待缴费 while a chosen course is unpaid, 报考成功 when every chosen course is paid,
已取消报考 when nothing is chosen any more (cancelled before paying, or every course refunded). Each
submission and each payment may move it; every move is recorded."""


class RegisteredCourse(models.Model):
    """One course of a registration (报考课程), with its fee and payment state."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("待缴费")
        PAID = "paid", _("已缴费")
        REFUNDING = "refunding", _("退款中")
        REFUNDED = "refunded", _("已退款")
        REMOVED = "removed", _("已取消")

    ACTIVE = (Status.UNPAID, Status.PAID, Status.REFUNDING)

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="courses")
    sitting_course = models.ForeignKey("catalog.SittingCourse", on_delete=models.PROTECT, related_name="registered",
                                       verbose_name=_("课程"))
    # Denormalised from sitting_course so that the database can refuse a course twice in one registration.
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    fee = models.DecimalField(_("报考费（元）"), max_digits=8, decimal_places=2)
    cross_major = models.BooleanField(_("跨专业"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.UNPAID)
    order = models.ForeignKey("payments.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("订单"))
    order_item = models.ForeignKey("payments.OrderItem", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    refund = models.ForeignKey("payments.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("退款"))
    added_at = models.DateTimeField(_("报考时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("报考课程")
        ordering = ["sitting_course__session__date", "sitting_course__session__half_day", "course__code"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "course"], condition=Q(status__in=["unpaid", "paid",
                                                                                                 "refunding"]),
                                    name="course_registered_once_per_registration"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="registered_course_fee_not_negative"),
            models.CheckConstraint(condition=~Q(status__in=["paid", "refunding", "refunded"])
                                   | Q(order_item__isnull=False), name="paid_course_has_order_item"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}:{self.course_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class RegistrationSubmission(models.Model):
    """Each 提交 of a registration as it was: the timeline, and proof of what was final at the deadline."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交报考")
        CHANGED = "changed", _("修改报考")
        CANCELLED = "cancelled", _("取消报考")
        PAID = "paid", _("缴费成功")
        REFUND_REQUESTED = "refund_requested", _("申请退款")
        REFUNDED = "refunded", _("退款完成")
        REFUND_REJECTED = "refund_rejected", _("退款申请未通过")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="submissions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Registration.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Registration.Status.choices)
    exam_area_name = models.CharField(max_length=80)
    major_label = models.CharField(max_length=80)
    course_codes = models.JSONField(default=list, help_text="the active courses after this step")
    comment = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.action}"
