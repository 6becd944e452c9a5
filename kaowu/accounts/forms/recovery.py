from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form
from kaowu.core.validation import normalize_id_number, normalize_phone
from kaowu.verification.forms import CaptchaField, SmsCodeField

from ..models import User
from ..passwords import password_rules_text
from ..services.recovery import METHOD_EMAIL, METHOD_ID_NUMBER, METHOD_PHONE, METHODS
from .auth import NewPasswordForm

_IDENTIFIER_WIDGETS = {
    METHOD_ID_NUMBER: {"autocomplete": "off", "autocapitalize": "characters", "placeholder": _("请输入本人18位身份证号")},
    METHOD_PHONE: {"inputmode": "tel", "autocomplete": "tel", "placeholder": _("请输入账号绑定的手机号")},
    METHOD_EMAIL: {"inputmode": "email", "autocomplete": "email", "placeholder": _("请输入账号已绑定并验证的邮箱")},
}
# "请输入" + the method's name, one whole sentence each so that it can be translated.
_REQUIRED = {METHOD_ID_NUMBER: _("请输入身份证号"), METHOD_PHONE: _("请输入手机号"), METHOD_EMAIL: _("请输入邮箱")}


class RecoveryStartForm(Form):
    """Step 1 of 找回密码: the account, by 身份证号, 手机号 or 邮箱, and the graphical captcha."""

    method = forms.ChoiceField(choices=list(METHODS.items()), widget=forms.HiddenInput)
    identifier = forms.CharField(max_length=254)
    captcha = CaptchaField()

    def __init__(self, *args, method: str = METHOD_ID_NUMBER, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            method = self.data.get("method") or method
        self.method = method if method in METHODS else METHOD_ID_NUMBER
        self.fields["method"].initial = self.method
        field = self.fields["identifier"]
        field.label = METHODS[self.method]
        field.error_messages["required"] = _REQUIRED[self.method]
        field.widget.attrs.update(_IDENTIFIER_WIDGETS[self.method])

    def clean_identifier(self):
        value = self.cleaned_data["identifier"]
        if self.method == METHOD_ID_NUMBER:
            return normalize_id_number(value)
        if self.method == METHOD_PHONE:
            return normalize_phone(value)
        value = value.strip().lower()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(gettext("邮箱格式不正确，请检查后重新输入"), code="invalid") from None
        return value


class RecoveryResetForm(NewPasswordForm):
    """Step 2: the code and the new password twice. Whose policy applies is only known once the
    code is right, so the service checks the policy; this form checks the shape and the match."""

    code = SmsCodeField(label=_("验证码"))
    field_order = ["code", "new_password", "new_password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages.update({"required": gettext("请输入验证码"), "min_length": gettext("验证码为6位数字"),
                                                   "max_length": gettext("验证码为6位数字")})
        self.fields["new_password"].help_text = gettext("自学考试考生：%(self_study)s 专升本考生：%(upgrade)s") % {
            "self_study": password_rules_text(exam_type=User.ExamType.SELF_STUDY),
            "upgrade": password_rules_text(exam_type=User.ExamType.UPGRADE),
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError(gettext("验证码为6位数字"), code="invalid")
        return code

    def clean(self):
        cleaned = forms.Form.clean(self)
        new, again = cleaned.get("new_password"), cleaned.get("new_password2")
        if new and again and new != again:
            self.add_error("new_password2", gettext("两次输入的新密码不一致"))
        return cleaned
