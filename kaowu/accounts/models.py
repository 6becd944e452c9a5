import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kaowu.core.fields import BlindIndexField, EncryptedCharField, EncryptedQuerySet


class UserManager(BaseUserManager.from_queryset(EncryptedQuerySet)):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **fields):
        fields.setdefault("kind", User.Kind.STAFF)
        fields.setdefault("real_name", username)
        return self.create_user(username, password, is_staff=True, is_superuser=True, **fields)


def new_username() -> str:
    return "u" + secrets.token_hex(8)


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractBaseUser, PermissionsMixin):
    """One person's account. Candidates sign in with 身份证号, 准考证号, phone or 考生号;
    staff with their username."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("考生")
        STAFF = "staff", _("工作人员")

    class ExamType(models.TextChoices):
        SELF_STUDY = "self_study", _("高等教育自学考试")
        UPGRADE = "upgrade", _("专升本")

    username = models.CharField(_("用户名"), max_length=40, unique=True, default=new_username)
    kind = models.CharField(_("账号类型"), max_length=10, choices=Kind.choices, default=Kind.CANDIDATE)
    exam_type = models.CharField(_("考试类型"), max_length=12, choices=ExamType.choices, blank=True,
                                 help_text=_("决定密码规则；工作人员为空。"))
    real_name = models.CharField(_("姓名"), max_length=50)
    # Encrypted at rest (kaowu.core.fields); looked up and kept unique through their blind indexes.
    id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True, blank=True, normalize="id_number")
    id_number_digest = BlindIndexField(_("身份证号查找摘要"), source="id_number", null=True, unique=True)
    phone = EncryptedCharField(_("手机号"), max_length=11, null=True, blank=True, normalize="phone")
    phone_digest = BlindIndexField(_("手机号查找摘要"), source="phone", null=True, unique=True)
    email = models.EmailField(_("电子邮箱"), null=True, blank=True, unique=True)
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)
    candidate_number = models.CharField(_("考生号"), max_length=20, null=True, blank=True, unique=True,
                                        help_text=_("专升本报名点下发的考生号"))
    wechat_openid = models.CharField(_("微信 OpenID"), max_length=64, null=True, blank=True, unique=True)
    wechat_bound_at = models.DateTimeField(_("微信绑定时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Rotating this stamp signs the account out everywhere (it is part of the session auth hash).
    security_stamp = models.CharField(max_length=32, default=new_security_stamp, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入系统管理"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = verbose_name_plural = _("账号")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="staff") | Q(id_number__isnull=False),
                name="candidate_has_id_number",
            ),
            models.CheckConstraint(
                condition=Q(kind="staff") | ~Q(exam_type=""),
                name="candidate_has_exam_type",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    def audit_label(self) -> str:
        """How audit rows name the account (kaowu.audit.services.audit_target_label): a candidate's
        name masked."""
        from kaowu.core.masking import mask_name

        if self.is_staff_member:
            return f"{self.real_name}（{self.username}）"
        return f"考生 {mask_name(self.real_name)}（账号#{self.pk}）"

    def get_full_name(self) -> str:
        return self.real_name

    def get_short_name(self) -> str:
        return self.real_name

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "kaowu.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_candidate(self) -> bool:
        return self.kind == self.Kind.CANDIDATE

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF
