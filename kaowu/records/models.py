"""考籍: the candidate's record. `ExamScore` is one course's result in one sitting as the exam halls
recorded it (imported by the province authority, `ScoreImport`); `PassedCourse` is a course the
candidate has passed, however (考试合格, 转入成绩, 免考) — the record 报考 and 毕业预测 read."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PassedCourse(models.Model):
    """A course the candidate has passed, however: by examination, transferred in from another
    province, or exempted. A course is on the record once per candidate (the best result counts)."""

    class Source(models.TextChoices):
        EXAM = "exam", _("考试合格")
        TRANSFER_IN = "transfer_in", _("转入成绩")
        EXEMPTION = "exemption", _("免考")
        PRACTICE = "practice", _("实践考核合格")
        THESIS = "thesis", _("毕业论文答辩合格")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="passed_courses")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+", verbose_name=_("课程"))
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1, null=True, blank=True,
                                help_text=_("免考课程可无分数"))
    source = models.CharField(_("取得方式"), max_length=20, choices=Source.choices, default=Source.EXAM)
    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("考期"))
    passed_on = models.DateField(_("合格日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("合格课程")
        ordering = ["passed_on", "course__code"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "course"], name="course_passed_once_per_candidate"),
            models.CheckConstraint(condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                                   name="passed_score_between_0_and_100"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.score}"


class ScoreImport(models.Model):
    """成绩导入: one file of scores for one sitting, uploaded by the province authority. Every row is
    validated first; nothing is written unless the whole file is valid (then all rows in one
    transaction). The file and the error report are stored privately (served by a staff view)."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("校验中")
        REJECTED = "rejected", _("校验未通过")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("失败")

    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, related_name="score_imports",
                                verbose_name=_("考期"))
    file = models.FileField(_("成绩文件"), upload_to="score-imports/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("导入人"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.VALIDATING)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_read = models.PositiveIntegerField(_("已读取行数"), default=0)
    error_count = models.PositiveIntegerField(_("问题数"), default=0)
    rows_written = models.PositiveIntegerField(_("写入成绩数"), default=0)
    rows_replaced = models.PositiveIntegerField(_("更正成绩数"), default=0,
                                                help_text=_("本考期已有成绩、被本次导入替换的行数"))
    passed_count = models.PositiveIntegerField(_("合格科次"), default=0)
    error_report = models.FileField(_("问题清单"), upload_to="score-imports/%Y/%m/", max_length=200, blank=True)
    failure = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始校验时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("成绩导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sitting_id} {self.original_name}"

    def audit_label(self) -> str:
        return f"成绩导入#{self.pk} {self.original_name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.VALIDATING


class ExamScore(models.Model):
    """成绩: one course's result of one 准考证号 in one sitting — a score (0–100, one decimal), or 缺考,
    or 违纪 (the score, if any, does not count). `passed` is decided at import from the pass line
    (`KAOWU_PASS_SCORE`). A later import of the same 准考证号, sitting and course replaces the row."""

    class Mark(models.TextChoices):
        NORMAL = "normal", _("正常")
        ABSENT = "absent", _("缺考")
        MISCONDUCT = "misconduct", _("违纪")

    # The unique constraint's index (exam_number first) serves lookups by 准考证号; the other
    # foreign keys are not indexed on their own (an index per key would slow a million-row import).
    exam_number = models.ForeignKey("candidates.ExamNumber", on_delete=models.PROTECT, related_name="scores",
                                    verbose_name=_("准考证号"), db_index=False)
    sitting = models.ForeignKey("catalog.ExamSitting", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("考期"), db_index=False)
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+", verbose_name=_("课程"),
                               db_index=False)
    score = models.DecimalField(_("成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    mark = models.CharField(_("考试标记"), max_length=10, choices=Mark.choices, default=Mark.NORMAL)
    passed = models.BooleanField(_("合格"), default=False)
    score_import = models.ForeignKey(ScoreImport, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("导入批次"), db_index=False)

    class Meta:
        verbose_name = verbose_name_plural = _("成绩")
        ordering = ["sitting", "exam_number", "course"]
        constraints = [
            models.UniqueConstraint(fields=["exam_number", "sitting", "course"], name="score_once_per_course"),
            models.CheckConstraint(condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                                   name="score_between_0_and_100"),
            models.CheckConstraint(condition=~Q(mark="absent") | Q(score__isnull=True), name="absent_has_no_score"),
            models.CheckConstraint(condition=Q(passed=False) | (Q(mark="normal") & Q(score__isnull=False)),
                                   name="passed_score_is_normal"),
        ]
        indexes = [models.Index(fields=["sitting", "course"], name="score_by_sitting_course")]

    def __str__(self) -> str:
        return f"{self.exam_number_id}/{self.sitting_id}/{self.course_id}: {self.score}"


class ScoreReviewResult(models.Model):
    """成绩复核结果: what the province authority found when it re-checked one score on a candidate's
    成绩复核 application — 成绩无变化, or 成绩有变化 with the new score (which then replaced the
    ExamScore's, and the 考籍 followed)."""

    application = models.OneToOneField("workflow.Application", on_delete=models.PROTECT,
                                       related_name="score_review_result", verbose_name=_("申请"))
    exam_score = models.ForeignKey(ExamScore, on_delete=models.PROTECT, related_name="review_results",
                                   verbose_name=_("成绩"))
    changed = models.BooleanField(_("成绩有变化"))
    old_score = models.DecimalField(_("原成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    new_score = models.DecimalField(_("复核后成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("复核说明"), max_length=200, blank=True)
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("复核机构"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("成绩复核结果")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(new_score__isnull=True) | (Q(new_score__gte=0) & Q(new_score__lte=100)),
                                   name="reviewed_score_between_0_and_100"),
            models.CheckConstraint(condition=Q(changed=False) | Q(new_score__isnull=False),
                                   name="changed_review_has_new_score"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.old_score} → {self.new_score}"
