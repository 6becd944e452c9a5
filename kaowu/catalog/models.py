"""The exam catalog: majors (专业) and their plans (专业计划), courses (课程) and textbooks (教材), exam
sittings (考期) with their timetable (课程考试安排), fees and exam areas, business windows (业务时间) and
announcements (通知公告、报考简章).

Every rule about time reads `BusinessWindow` through `kaowu.catalog.windows`; nothing else decides
whether a business is open. The database enforces what must never be wrong: unique codes, one plan row
per course and major, one offered course per sitting, non-negative fees, a window that ends after it
starts, at most one current sitting.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaowu.organization.models import Office

COURSE_CODE_PATTERN = r"^[0-9]{5}$"
# National major codes: six digits, sometimes a K / T suffix (120203K); provinces add letters in front
# for their own 专科 majors (e.g. Y670102). Upper case only.
MAJOR_CODE_PATTERN = r"^[A-Z]{0,2}[0-9]{6}[A-Z]{0,2}$"
SITTING_CODE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class Major(models.Model):
    """专业: an examination major with its main examining university (主考学校)."""

    class Level(models.TextChoices):
        JUNIOR_COLLEGE = "junior_college", _("专科")
        BACHELOR = "bachelor", _("本科")

    class Status(models.TextChoices):
        OPEN = "open", _("开考")
        TRANSITION = "transition", _("停考过渡期")
        CLOSED = "closed", _("停考")

    code = models.CharField(_("专业代码"), max_length=12, unique=True)
    name = models.CharField(_("专业名称"), max_length=60)
    level = models.CharField(_("层次"), max_length=20, choices=Level.choices)
    university = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="majors",
                                   limit_choices_to={"kind": Office.Kind.UNIVERSITY}, verbose_name=_("主考学校"))
    status = models.CharField(_("专业状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    transition_ends_on = models.DateField(_("停考过渡期截止日期"), null=True, blank=True,
                                          help_text=_("停考过渡期内不接收新生报考，在籍考生可继续报考至该日期。"))
    description = models.TextField(_("专业说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专业")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=MAJOR_CODE_PATTERN), name="major_code_format",
                violation_error_message=_("专业代码格式不正确：6位数字，可带字母前缀或后缀，例如 050105、120203K。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="transition") | Q(transition_ends_on__isnull=False),
                name="major_transition_has_end_date",
                violation_error_message=_("停考过渡期的专业须填写过渡期截止日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_label(self) -> str:
        return f"专业 {self.code} {self.name}"

    @property
    def accepts_new_candidates(self) -> bool:
        return self.status == self.Status.OPEN


class Textbook(models.Model):
    """教材: one edition of a book. Courses point at their current textbook."""

    title = models.CharField(_("教材名称"), max_length=100)
    author = models.CharField(_("主编"), max_length=60, blank=True)
    publisher = models.CharField(_("出版社"), max_length=60, blank=True)
    edition = models.CharField(_("版次"), max_length=30, blank=True, help_text=_("例如：2023年版"))

    class Meta:
        verbose_name = verbose_name_plural = _("教材")
        ordering = ["title", "edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "author", "publisher", "edition"], name="textbook_unique_edition",
                violation_error_message=_("该教材（名称、主编、出版社、版次相同）已存在。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.edition}）" if self.edition else self.title

    def audit_label(self) -> str:
        return f"教材 {self}"


class Course(models.Model):
    """课程: a national (or provincial) course with a five-digit code, e.g. 00015 英语（二）."""

    class Kind(models.TextChoices):
        THEORY = "theory", _("理论")
        PRACTICE = "practice", _("实践")
        THESIS = "thesis", _("毕业论文")  # 毕业论文（设计）: applied for by 毕业论文答辩申请, graded by the 主考学校

    code = models.CharField(_("课程代码"), max_length=5, unique=True)
    name = models.CharField(_("课程名称"), max_length=60)
    credits = models.PositiveSmallIntegerField(_("学分"))
    kind = models.CharField(_("课程类型"), max_length=10, choices=Kind.choices, default=Kind.THEORY)
    textbook = models.ForeignKey(Textbook, on_delete=models.SET_NULL, null=True, blank=True, related_name="courses",
                                 verbose_name=_("现用教材"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("课程")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=COURSE_CODE_PATTERN), name="course_code_five_digits",
                violation_error_message=_("课程代码须为5位数字，例如 00015。"),
            ),
            models.CheckConstraint(
                condition=Q(credits__lte=30), name="course_credits_at_most_30",
                violation_error_message=_("学分不能超过30。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_label(self) -> str:
        return f"课程 {self.code} {self.name}"


class PlanCourse(models.Model):
    """专业计划课程: one course of a major's plan, required (必考) or elective (选考)."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("必考")
        ELECTIVE = "elective", _("选考")

    major = models.ForeignKey(Major, on_delete=models.CASCADE, related_name="plan_courses", verbose_name=_("专业"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="plan_entries", verbose_name=_("课程"))
    requirement = models.CharField(_("考试要求"), max_length=10, choices=Requirement.choices,
                                   default=Requirement.REQUIRED)
    group_label = models.CharField(_("课程组"), max_length=40, blank=True,
                                   help_text=_("选考课程分组，例如：选考课程（任选两门）"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("专业计划课程")
        ordering = ["major", "position", "course__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["major", "course"], name="plan_course_once_per_major",
                violation_error_message=_("该课程已在本专业计划中。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.major.code} · {self.course}"

    def audit_label(self) -> str:
        return f"专业计划 {self.major.code} · {self.course.code}"


class ExamSitting(models.Model):
    """考期: one national examination sitting, e.g. 2027年4月 (code 2027-04)."""

    code = models.CharField(_("考期代码"), max_length=7, unique=True, help_text=_("年-月，例如：2027-04"))
    name = models.CharField(_("考期名称"), max_length=30, help_text=_("例如：2027年4月"))
    is_current = models.BooleanField(_("当前考期"), default=False,
                                     help_text=_("报考、缴费、准考证打印等业务办理的考期；同一时间只能有一个当前考期。"))
    is_published = models.BooleanField(_("公开考试安排"), default=True,
                                       help_text=_("公开后考生可在“考试计划”中查询本考期的课程考试安排。"))
    score_publication_at = models.DateTimeField(_("成绩公布时间"), null=True, blank=True)
    exam_areas = models.ManyToManyField(Office, through="SittingExamArea", related_name="exam_sittings",
                                        verbose_name=_("开考考区"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("考期")
        ordering = ["-code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=SITTING_CODE_PATTERN), name="sitting_code_format",
                violation_error_message=_("考期代码格式为“年-月”，例如 2027-04。"),
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_sitting",
                violation_error_message=_("已有当前考期；同一时间只能有一个当前考期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return f"考期 {self.name}"


class SittingSession(models.Model):
    """场次: a half-day of a sitting's timetable (2027年04月10日 上午 09:00–11:30)."""

    class HalfDay(models.TextChoices):
        MORNING = "am", _("上午")
        AFTERNOON = "pm", _("下午")

    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, related_name="sessions",
                                verbose_name=_("考期"))
    date = models.DateField(_("考试日期"))
    half_day = models.CharField(_("时段"), max_length=2, choices=HalfDay.choices)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("考试场次")
        ordering = ["sitting", "date", "half_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "date", "half_day"], name="session_once_per_half_day",
                violation_error_message=_("本考期该日期的该时段已有场次。"),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_half_day_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def audit_label(self) -> str:
        return f"考试场次 {self.sitting.code} {self}"


class SittingCourse(models.Model):
    """开考课程: a course offered in a sitting, in one session, with its fee (报考费, 元)."""

    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, related_name="offered_courses",
                                verbose_name=_("考期"))
    session = models.ForeignKey(SittingSession, on_delete=models.PROTECT, related_name="courses",
                                verbose_name=_("考试场次"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("课程"))
    fee = models.DecimalField(_("报考费（元）"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = _("开考课程")
        ordering = ["session__date", "session__half_day", "course__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "course"], name="sitting_course_once",
                violation_error_message=_("该课程本考期已安排。"),
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0), name="sitting_course_fee_not_negative",
                violation_error_message=_("报考费不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting.code} · {self.course}"

    def audit_label(self) -> str:
        return f"开考课程 {self.sitting.code} · {self.course.code}"


class SittingExamArea(models.Model):
    """考区 holding a sitting: candidates choose one of these as their 报考考区."""

    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, related_name="area_links",
                                verbose_name=_("考期"))
    exam_area = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="sitting_links",
                                  limit_choices_to={"kind": Office.Kind.EXAM_AREA}, verbose_name=_("考区"))

    class Meta:
        verbose_name = verbose_name_plural = _("开考考区")
        ordering = ["sitting", "exam_area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "exam_area"], name="sitting_exam_area_once",
                violation_error_message=_("该考区已在本考期的开考考区中。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.exam_area}"


class BusinessWindow(models.Model):
    """业务时间: when a business may be done (开始 / 结束), per sitting and, where it differs, per exam
    area. An exam area's window replaces the province-wide one of the same kind and sitting."""

    class Kind(models.TextChoices):
        FILING = "filing", _("基本信息填报")
        COURSE_REGISTRATION = "course_registration", _("报考")
        PRACTICE_REGISTRATION = "practice_registration", _("实践性环节报名")
        REFUND = "refund", _("报考退款申请")
        TICKET_PRINT = "ticket_print", _("准考证打印")
        TRANSFER = "transfer", _("转考申请")  # where a province does not set each kind of transfer apart
        TRANSFER_WITHIN_PROVINCE = "transfer_within_province", _("省内转考")
        TRANSFER_OUT = "transfer_out", _("省际转出")
        TRANSFER_IN = "transfer_in", _("省际转入")
        EXEMPTION = "exemption", _("免考申请")
        SCORE_REVIEW = "score_review", _("成绩复核")
        THESIS = "thesis", _("毕业论文答辩申请")
        GRADUATION = "graduation", _("毕业申请")
        CHANGE_REQUEST = "change_request", _("信息变更申请")

    kind = models.CharField(_("业务"), max_length=30, choices=Kind.choices)
    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, null=True, blank=True, related_name="windows",
                                verbose_name=_("考期"), help_text=_("不属于某一考期的业务（如基本信息填报）留空。"))
    exam_area = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="business_windows", limit_choices_to={"kind": Office.Kind.EXAM_AREA},
                                  verbose_name=_("考区"), help_text=_("留空表示全省统一；某考区时间不同时单独设置。"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("业务时间")
        ordering = ["sitting", "kind", "exam_area__code", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="window_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
            # One window per (kind, sitting, exam area), NULL counting as a value.
            models.UniqueConstraint(
                fields=["kind", "sitting", "exam_area"], name="window_once_per_sitting_area",
                condition=Q(sitting__isnull=False, exam_area__isnull=False),
                violation_error_message=_("该业务在这一考期、这一范围已设置了时间，请修改原有记录。"),
            ),
            models.UniqueConstraint(
                fields=["kind", "sitting"], name="window_once_per_sitting_province",
                condition=Q(sitting__isnull=False, exam_area__isnull=True),
                violation_error_message=_("该业务在这一考期、这一范围已设置了时间，请修改原有记录。"),
            ),
            models.UniqueConstraint(
                fields=["kind", "exam_area"], name="window_once_per_area_no_sitting",
                condition=Q(sitting__isnull=True, exam_area__isnull=False),
                violation_error_message=_("该业务在这一考期、这一范围已设置了时间，请修改原有记录。"),
            ),
            models.UniqueConstraint(
                fields=["kind"], name="window_once_province_no_sitting",
                condition=Q(sitting__isnull=True, exam_area__isnull=True),
                violation_error_message=_("该业务在这一考期、这一范围已设置了时间，请修改原有记录。"),
            ),
        ]

    def __str__(self) -> str:
        parts = [self.sitting.name if self.sitting_id else "", self.get_kind_display(),
                 f"（{self.exam_area.name}）" if self.exam_area_id else ""]
        return "".join(parts)

    def audit_label(self) -> str:
        return f"业务时间 {self}"


class Announcement(models.Model):
    """通知公告, 报考简章, 政策规定, 报考须知: plain text, paragraphs separated by blank lines."""

    class Category(models.TextChoices):
        NOTICE = "notice", _("通知公告")
        GUIDE = "guide", _("报考简章")
        POLICY = "policy", _("政策规定")
        INSTRUCTIONS = "instructions", _("报考须知")
        EXAM_RULES = "exam_rules", _("考场规则")  # printed on every 准考证 of its sitting

    title = models.CharField(_("标题"), max_length=120)
    category = models.CharField(_("栏目"), max_length=20, choices=Category.choices, default=Category.NOTICE)
    sitting = models.ForeignKey(ExamSitting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="announcements", verbose_name=_("所属考期"),
                                help_text=_("报考简章请选择对应考期，考生报考时须阅读当前考期的简章。"))
    body = models.TextField(
        _("正文"),
        help_text=_("纯文本：空行分段；以“## ”开头的行为小标题；以“- ”开头的行为列表项。不支持 HTML。"),
    )
    is_published = models.BooleanField(_("发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("通知公告")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["category", "is_published", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"{self.get_category_display()}：{self.title}"
