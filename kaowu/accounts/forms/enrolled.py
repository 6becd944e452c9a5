from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, PersonNameField
from kaowu.core.validation import normalize_id_number, normalize_phone, normalize_real_name
from kaowu.verification.forms import CaptchaField, SmsCodeField


class EnrolledClaimForm(Form):
    real_name = PersonNameField(label=_("姓名"), max_length=30)
    id_number = forms.CharField(label=_("身份证号"), max_length=20,
                                widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))
    exam_number = forms.CharField(label=_("准考证号"), max_length=16,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    captcha = CaptchaField()

    def clean_real_name(self):
        return normalize_real_name(self.cleaned_data["real_name"])

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_exam_number(self):
        value = self.cleaned_data["exam_number"].strip()
        if not value.isdigit():
            raise forms.ValidationError(gettext("准考证号为数字，请核对"))
        return value


class EnrolledActivateForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}),
                            help_text=_("用于登录、找回密码和接收重要考试信息，请填写本人手机号。"))
    sms_code = SmsCodeField()
    password = forms.CharField(label=_("设置登录密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True))
    password2 = forms.CharField(label=_("确认密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True))

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password2") and cleaned["password"] != cleaned["password2"]:
            self.add_error("password2", gettext("两次输入的密码不一致"))
        return cleaned
