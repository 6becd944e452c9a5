from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaowu.core.fields import BlindIndexField, EncryptedCharField, EncryptedQuerySet

# The three pages a candidate reads first, in this order, each for at least
# settings.KAOWU_NOTICE_COUNTDOWN_SECONDS (seed 004 §2.8.1: 10 s; services.countdown_seconds()).
NOTICES = ("instructions", "rules", "pledge")


class CandidateType(models.TextChoices):
    GRADUATE = "graduate", _("应届高职（专科）毕业生")
    VETERAN = "veteran", _("退役士兵")
    VETERAN_RESUMED = "veteran_resumed", _("退役复学人员")
    VETERAN_OTHER_PROVINCE = "veteran_other_province", _("退役（外省学籍，本省入伍）复学人员")


# Candidate types whose qualification is checked on documents (seed 004 §2.8.6).
DOCUMENTED_TYPES = {CandidateType.VETERAN, CandidateType.VETERAN_RESUMED, CandidateType.VETERAN_OTHER_PROVINCE}


class Category(models.TextChoices):
    """报考专业类别 (the category decides the exam subjects, the plans open to the candidate and the
    score statistics)."""

    FINANCE = "01", _("财经类(01)")
    MANAGEMENT = "02", _("管理类(02)")
    COMPUTING = "03", _("计算机类(03)")
    EDUCATION = "04", _("教育类(04)")
    MEDICINE = "05", _("医学类(05)")
    HUMANITIES = "06", _("文史类(06)")
    ENGINEERING = "07", _("理工类(07)")
    FINE_ARTS = "08", _("艺术类·美术(08)")
    MUSIC = "09", _("艺术类·音乐(09)")


class MusicTest(models.TextChoices):
    VOICE = "voice", _("声乐")
    PIANO = "piano", _("钢琴")
    INSTRUMENT = "instrument", _("器乐")


class UpgradeRegistration(models.Model):
    """专升本报名 of one candidate (one per account: the 考生号 is issued for one year's exam)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("报名中")
        ABANDONED = "abandoned", _("已放弃报名")

    class Qualification(models.TextChoices):
        NOT_REQUIRED = "not_required", _("无需审核")
        AWAITING_DOCUMENTS = "awaiting_documents", _("待上传材料")
        REVIEWING = "reviewing", _("审核中")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("审核不通过")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upgrade_registration")
    registration_point = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="upgrade_registrations", verbose_name=_("报名点"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    # Each notice: when its page was first shown and when the candidate acknowledged it.
    notices = models.JSONField(default=dict, blank=True)
    # 填写基本信息
    gender = models.CharField(_("性别"), max_length=2, choices=[("男", _("男")), ("女", _("女"))], blank=True)
    nation = models.CharField(_("民族"), max_length=20, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    phone = EncryptedCharField(_("手机号码"), max_length=11, blank=True, normalize="phone")
    phone_digest = BlindIndexField(_("手机号码查找摘要"), source="phone", blank=True, default="")
    school = models.CharField(_("毕业院校名称"), max_length=80, blank=True)
    junior_major = models.CharField(_("专科所学专业"), max_length=80, blank=True)
    candidate_type = models.CharField(_("考生类别"), max_length=30, choices=CandidateType.choices, blank=True)
    rural = models.BooleanField(_("农村户籍"), default=False)
    category = models.CharField(_("报考专业类别"), max_length=2, choices=Category.choices, blank=True)
    music_test = models.CharField(_("测试主项"), max_length=12, choices=MusicTest.choices, blank=True)
    award_claim = models.BooleanField(_("申请奖励加分"), default=False)
    poverty_claim = models.BooleanField(_("建档立卡贫困家庭"), default=False)
    household = models.CharField(_("户籍信息"), max_length=80, blank=True)
    recipient = models.CharField(_("收件人"), max_length=30, blank=True)
    recipient_phone = EncryptedCharField(_("收件人手机号码"), max_length=11, blank=True, normalize="phone")
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    mail_address = models.CharField(_("通知书邮寄地址"), max_length=120, blank=True)
    basic_saved_at = models.DateTimeField(_("基本信息提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("信息确认时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    qualification = models.CharField(_("报考资格审核"), max_length=20, choices=Qualification.choices,
                                     default=Qualification.NOT_REQUIRED)
    qualification_reason = models.CharField(_("审核不通过原因"), max_length=200, blank=True)
    abandoned_at = models.DateTimeField(_("放弃报名时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("专升本报名")
        constraints = [
            # One phone number registers once (seed 004: 一个身份证号和一个手机号只能填报一次; the ID
            # number is the account's, unique there).
            models.UniqueConstraint(fields=["phone_digest"], condition=~Q(phone_digest="") & Q(status="in_progress"),
                                    name="upgrade_phone_registers_once"),
            models.CheckConstraint(condition=Q(category="09") | Q(music_test=""), name="music_test_only_for_music"),
        ]

    def __str__(self) -> str:
        return f"专升本报名 {self.user_id}"

    def audit_label(self) -> str:
        return f"专升本报名#{self.pk}"

    @property
    def order_reference(self) -> str:
        return f"U{self.pk}"

    def notice_read(self, name: str) -> bool:
        return bool((self.notices.get(name) or {}).get("read_at"))


class ResumeEntry(models.Model):
    """个人简历: at least one line (from, to, where, as what)."""

    registration = models.ForeignKey(UpgradeRegistration, on_delete=models.CASCADE, related_name="resume")
    start = models.CharField(_("起始年月"), max_length=7, help_text=_("例如：2019-09"))
    end = models.CharField(_("终止年月"), max_length=7, help_text=_("例如：2022-06，至今可不填"), blank=True)
    organization = models.CharField(_("学习或工作单位"), max_length=80)
    role = models.CharField(_("职务或身份"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["registration", "position", "id"]

    def __str__(self) -> str:
        return f"{self.start} {self.organization}"


class DataReport(models.Model):
    """上报: a registration point reports its candidates' data to the city, a city to the province. A
    report locks the forms of the candidates below it until the province unlocks it."""

    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="upgrade_reports",
                               verbose_name=_("上报单位"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("上报时间"), auto_now_add=True)
    unlocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    unlocked_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("数据上报")
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["office"], condition=Q(unlocked_at__isnull=True),
                                    name="one_open_report_per_office"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.reported_at}"


class QualificationDocument(models.Model):
    """报考资格审核 material (seed 004 §2.8.6): 退役证 for veterans, 获奖证书 for 奖励加分, the 建档立卡
    proof. Stored privately; shown to the reviewing office only, access-logged."""

    class Kind(models.TextChoices):
        VETERAN = "veteran", _("退役证或入伍批准书")
        AWARD = "award", _("获奖证书")
        POVERTY = "poverty", _("建档立卡贫困家庭证明")

    registration = models.ForeignKey(UpgradeRegistration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="upgrade/%Y/%m/")
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(max_length=120)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("报考资格审核材料")
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="one_document_per_kind")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.kind}"


class College(models.Model):
    """院校 that admit 专升本 students."""

    code = models.CharField(_("院校代号"), max_length=10, unique=True)
    name = models.CharField(_("院校名称"), max_length=80)
    # The college's own back-office account (an Office of kind 主考学校): its staff see the candidates
    # filed to this college and may return them (退档).
    office = models.OneToOneField("organization.Office", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="upgrade_college", verbose_name=_("院校管理端账号单位"),
                                  limit_choices_to={"kind": "university"})

    class Meta:
        verbose_name = verbose_name_plural = _("院校")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AdmissionBatch(models.Model):
    """录取批次 (e.g. 建档立卡专项批本科, 普通批本科): its volunteers are filled inside its window."""

    code = models.CharField(_("批次代码"), max_length=10, unique=True)
    name = models.CharField(_("批次名称"), max_length=40)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    poverty_only = models.BooleanField(_("仅限建档立卡考生"), default=False)
    opens_at = models.DateTimeField(_("志愿填报开始时间"))
    closes_at = models.DateTimeField(_("志愿填报结束时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("录取批次")
        ordering = ["position", "code"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                              name="batch_closes_after_it_opens")]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """招生计划: a college's major in a batch, for one 报考专业类别, with its seats."""

    batch = models.ForeignKey(AdmissionBatch, on_delete=models.CASCADE, related_name="plans", verbose_name=_("批次"))
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="plans", verbose_name=_("院校"))
    code = models.CharField(_("专业代号"), max_length=10)
    name = models.CharField(_("专业名称"), max_length=60)
    category = models.CharField(_("专业类别"), max_length=2, choices=Category.choices)
    seats = models.PositiveIntegerField(_("计划数"))

    class Meta:
        verbose_name = verbose_name_plural = _("招生计划")
        ordering = ["batch", "college__code", "code"]
        constraints = [models.UniqueConstraint(fields=["batch", "college", "code"], name="plan_once_per_batch")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


VOLUNTEER_LETTERS = "ABCDEFGH"


class VolunteerSubmission(models.Model):
    """确认提交 of a batch's parallel volunteers A–H (each submission kept: the last one counts)."""

    registration = models.ForeignKey(UpgradeRegistration, on_delete=models.CASCADE, related_name="volunteers")
    batch = models.ForeignKey(AdmissionBatch, on_delete=models.PROTECT, related_name="submissions")
    plan_ids = models.JSONField(default=list, help_text="8 plan ids (or null), A to H")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("志愿")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["registration", "batch", "-submitted_at"])]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.batch_id}"


class UpgradeScore(models.Model):
    """专升本 scores of one candidate: the total, the subjects of the tie-break chain and the random code
    fixed at arrangement (the last tie-break)."""

    registration = models.OneToOneField(UpgradeRegistration, on_delete=models.CASCADE, related_name="score")
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    major_subject = models.DecimalField(_("专业综合课"), max_digits=5, decimal_places=1)
    foreign_language = models.DecimalField(_("外语"), max_digits=5, decimal_places=1)
    random_code = models.PositiveIntegerField(_("随机码"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专升本成绩")
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=500), name="upgrade_total_in_range"),
            models.UniqueConstraint(fields=["random_code"], name="upgrade_random_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.total}"


# The tie-breakers the province may order (同分排序): subject scores, then the random code fixed at
# arrangement (always part of the chain, so that the order is strict). Key → (label, higher first?).
TIE_BREAKERS = {
    "major_subject": (_("专业综合课"), True),
    "foreign_language": (_("外语"), True),
    "random_code": (_("随机码"), False),
}
DEFAULT_TIE_BREAK_CHAIN = ["major_subject", "foreign_language", "random_code"]


def default_chain() -> list[str]:
    return list(DEFAULT_TIE_BREAK_CHAIN)


class AdmissionRun(models.Model):
    """One batch's 平行志愿 filing (round 0) as the province ran it: the rules, the cut-off lines, and
    when the results are shown to candidates."""

    batch = models.OneToOneField(AdmissionBatch, on_delete=models.PROTECT, related_name="run")
    ratio = models.DecimalField(_("投档比例"), max_digits=4, decimal_places=2, default=1)
    category_lines = models.JSONField(_("各类别控制线"), default=dict, blank=True)
    chain = models.JSONField(_("同分排序规则"), default=default_chain, blank=True,
                             help_text="TIE_BREAKERS keys in the order applied after the total")
    cutoffs = models.JSONField(_("投档线"), default=dict, blank=True)
    filed = models.PositiveIntegerField(_("投档人数"), default=0)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(_("投档时间"), auto_now=True)
    publish_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("投档")
        constraints = [models.CheckConstraint(condition=Q(ratio__gte=1) & Q(ratio__lte=1.05),
                                              name="ratio_between_100_and_105_percent")]

    def __str__(self) -> str:
        return f"{self.batch_id}"


class AdmissionResult(models.Model):
    """A candidate's outcome in a batch: filed to a plan (已投档), returned by the college (已退档, with
    the reason), or not filed."""

    class Status(models.TextChoices):
        FILED = "filed", _("已投档")
        REJECTED = "rejected", _("已退档")
        NOT_FILED = "not_filed", _("未投档")

    run = models.ForeignKey(AdmissionRun, on_delete=models.CASCADE, related_name="results")
    registration = models.ForeignKey(UpgradeRegistration, on_delete=models.CASCADE, related_name="results")
    # 0 = the 平行志愿 filing, 1 = the 征集志愿 round.
    round = models.PositiveSmallIntegerField(_("轮次"), default=0)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="results")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("退档原因"), max_length=200, blank=True)
    rejected_by = models.ForeignKey("organization.Office", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("退档单位"))

    class Meta:
        verbose_name = verbose_name_plural = _("投档结果")
        constraints = [
            models.UniqueConstraint(fields=["run", "registration", "round"], name="one_result_per_run_round"),
            models.CheckConstraint(condition=Q(status="not_filed") | Q(plan__isnull=False), name="filed_has_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.status}"


class SupplementaryRound(models.Model):
    """征集志愿 of a batch after its 平行志愿 filing: the province opens a window in which candidates not
    admitted fill new volunteers among the plans with places left, then runs the round and publishes."""

    run = models.OneToOneField(AdmissionRun, on_delete=models.CASCADE, related_name="supplementary")
    opens_at = models.DateTimeField(_("征集志愿开始时间"))
    closes_at = models.DateTimeField(_("征集志愿结束时间"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ratio = models.DecimalField(_("投档比例"), max_digits=4, decimal_places=2, default=1)
    cutoffs = models.JSONField(_("投档线"), default=dict, blank=True)
    filed = models.PositiveIntegerField(_("投档人数"), default=0)
    ran_at = models.DateTimeField(_("征集投档时间"), null=True, blank=True)
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    publish_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("征集志愿")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="supplementary_closes_after_it_opens"),
            models.CheckConstraint(condition=Q(ratio__gte=1) & Q(ratio__lte=1.05),
                                   name="supplementary_ratio_between_100_and_105_percent"),
        ]

    def __str__(self) -> str:
        return f"征集志愿 {self.run_id}"

    def audit_label(self) -> str:
        return f"征集志愿#{self.pk}"


class SupplementarySubmission(models.Model):
    """确认提交 of a candidate's 征集志愿 A–H (each submission kept: the last one counts)."""

    round = models.ForeignKey(SupplementaryRound, on_delete=models.CASCADE, related_name="submissions")
    registration = models.ForeignKey(UpgradeRegistration, on_delete=models.CASCADE,
                                     related_name="supplementary_submissions")
    plan_ids = models.JSONField(default=list, help_text="up to 8 plan ids (or null), A to H")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("征集志愿填报")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["round", "registration", "-submitted_at"])]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.round_id}"
