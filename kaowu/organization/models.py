from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative region (行政区划) from the national region-code table."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="region_code_six_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        """Codes of every region inside this one start with this prefix."""
        return {self.Level.PROVINCE: self.code[:2], self.Level.CITY: self.code[:4]}.get(self.level, self.code)

    @property
    def full_name(self) -> str:
        names, region = [], self
        while region is not None:
            names.append(region.name)
            region = region.parent
        return "".join(reversed(names))


class Province(models.Model):
    """The configuration of one province's platform. A deployment serves its home province;
    other provinces exist as rows too (destinations of inter-province transfers)."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="province_config",
                                  limit_choices_to={"level": Region.Level.PROVINCE})
    name = models.CharField(_("省份"), max_length=20)
    authority_name = models.CharField(_("考试机构"), max_length=50, help_text=_("例如：甘肃省教育考试院"))
    platform_name = models.CharField(_("平台名称"), max_length=60)
    logo_text = models.CharField(_("标识文字"), max_length=4, help_text=_("页眉标识中的一至两个字，例如：甘"))
    hotline = models.CharField(_("咨询电话"), max_length=40)
    address = models.CharField(_("地址"), max_length=120, blank=True)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    is_home = models.BooleanField(_("本平台服务的省份"), default=False)
    runs_kaowu = models.BooleanField(_("使用 kaowu 平台"), default=False,
                                     help_text=_("两省都使用 kaowu 时，转考可电子化完成。"))
    transfer_public_key = models.TextField(
        _("转考公钥"), blank=True,
        help_text=_("该省用于签名电子转考数据包的 Ed25519 公钥（PEM）。导入该省转来的数据包时用它验证签名。"))

    class Meta:
        verbose_name = verbose_name_plural = _("省份配置")
        constraints = [
            models.UniqueConstraint(fields=["is_home"], condition=Q(is_home=True), name="one_home_province"),
        ]

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """An office of the examination system: authority, 市考办, 区县招办, 考区, 报名点, 主考学校."""

    class Kind(models.TextChoices):
        PROVINCE_AUTHORITY = "province", _("省级考试机构")
        CITY_OFFICE = "city", _("市考办")
        DISTRICT_OFFICE = "district", _("区县招办")
        EXAM_AREA = "exam_area", _("考区")
        REGISTRATION_POINT = "registration_point", _("报名点")
        UNIVERSITY = "university", _("主考学校")

    code = models.CharField(_("机构代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="offices",
                               verbose_name=_("所在/管辖区域"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("上级机构"))
    address = models.CharField(_("地址"), max_length=160)
    phone = models.CharField(_("联系电话"), max_length=40)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("机构")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A staff account's role, scoped to one office (and so one jurisdiction)."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("审核员")
        ADMINISTRATOR = "administrator", _("管理员")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.REVIEWER)
    title = models.CharField(_("职务"), max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.real_name}（{self.office.name}）"

    @property
    def is_province_administrator(self) -> bool:
        return self.role == self.Role.ADMINISTRATOR and self.office.kind == Office.Kind.PROVINCE_AUTHORITY
