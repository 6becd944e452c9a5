from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form
from kaowu.core.validation import normalize_phone
from kaowu.verification.forms import SmsCodeField

from ..services.security import email_normalize
from .auth import NewPasswordForm


class PasswordChangeForm(NewPasswordForm):
    """修改密码: the current password, then the new one twice (the account's policy)."""

    old_password = forms.CharField(label=_("原密码"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                                   error_messages={"required": _("请输入原密码")})
    field_order = ["old_password", "new_password", "new_password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password"].error_messages["required"] = gettext("请输入新密码")
        self.fields["new_password2"].error_messages["required"] = gettext("请再次输入新密码")


class PasswordConfirmForm(Form):
    """Asks for the login password before a sensitive change (解绑, 无手机号的身份验证)."""

    password = forms.CharField(label=_("登录密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("请输入登录密码")})


class OldPhoneCodeForm(Form):
    sms_code = SmsCodeField()


class NewPhoneForm(Form):
    phone = forms.CharField(label=_("新手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "placeholder": _("请输入新手机号")}),
                            error_messages={"required": _("请输入新手机号")})
    sms_code = SmsCodeField()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class EmailBindForm(Form):
    email = forms.EmailField(label=_("电子邮箱"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": _("例如 name@example.com")}),
                             error_messages={"required": _("请输入邮箱"), "invalid": _("邮箱格式不正确，请检查后重新输入")})

    def clean_email(self):
        email = email_normalize(self.cleaned_data["email"])
        if not email:
            raise ValidationError(gettext("请输入邮箱"))
        return email
