"""Password policies. Self-study candidates and staff: OWASP ASVS (8–64 characters, not common,
no forced rotation). 专升本 candidates: seed 004's rule (12–16 characters with upper, lower, digit
and special character)."""

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

UPGRADE_SPECIALS = "!@#$%^&*_-+=.?~"


class MaximumLengthValidator:
    def __init__(self, max_length: int = 64):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                gettext("密码不能超过%(n)s个字符。") % {"n": self.max_length}, code="password_too_long"
            )

    def get_help_text(self):
        return gettext("密码不超过%(n)s个字符。") % {"n": self.max_length}


class UpgradeExamPasswordValidator:
    """新密码长度12-16位，必须包含大写、小写字母、数字，以及特殊字符 (seed 004 §2.4)."""

    def validate(self, password, user=None):
        problems = []
        if not 12 <= len(password) <= 16:
            problems.append(gettext("长度须为12-16位"))
        if not re.search(r"[A-Z]", password):
            problems.append(gettext("须包含大写字母"))
        if not re.search(r"[a-z]", password):
            problems.append(gettext("须包含小写字母"))
        if not re.search(r"[0-9]", password):
            problems.append(gettext("须包含数字"))
        if not any(ch in UPGRADE_SPECIALS for ch in password):
            problems.append(gettext("须包含特殊字符（如 %(specials)s）") % {"specials": UPGRADE_SPECIALS})
        if problems:
            # Translators: joins the list of password problems: "密码长度须为12-16位，须包含数字。"
            separator = gettext("，")
            raise ValidationError(
                gettext("密码%(problems)s。") % {"problems": separator.join(problems)}, code="password_upgrade_policy"
            )

    def get_help_text(self):
        return gettext("新密码长度12-16位，必须包含大写、小写字母、数字，以及特殊字符，比如!@#%&*_等。")


def password_rules_text(*, exam_type: str | None) -> str:
    from .models import User

    if exam_type == User.ExamType.UPGRADE:
        return UpgradeExamPasswordValidator().get_help_text()
    return gettext("密码长度8-64位，不能是常见密码或纯数字。")


def password_validate(*, password: str, user=None, exam_type: str | None = None) -> None:
    """Raise ValidationError (with Chinese messages) if the password breaks the account's policy."""
    from .models import User

    exam_type = exam_type or (user.exam_type if user is not None else None)
    if exam_type == User.ExamType.UPGRADE:
        UpgradeExamPasswordValidator().validate(password, user)
        validate_password(password, user=user, password_validators=None)
    else:
        validate_password(password, user=user)
