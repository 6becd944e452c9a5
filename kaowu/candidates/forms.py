from django import forms
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, PersonNameField
from kaowu.core.validation import normalize_id_number, normalize_real_name
from kaowu.verification.forms import CaptchaField, SmsCodeField


class ExamNumberRecoveryStartForm(Form):
    """找回准考证号, step 1: who, and the captcha that guards the SMS gateway."""

    id_number = forms.CharField(label=_("身份证号"), max_length=30, error_messages={"required": _("请输入身份证号")}, widget=forms.TextInput(attrs={
        "autocomplete": "off", "autocapitalize": "characters", "placeholder": _("请输入本人18位身份证号")}))
    real_name = PersonNameField(label=_("姓名"), max_length=40, error_messages={"required": _("请输入姓名")}, widget=forms.TextInput(attrs={
        "autocomplete": "name", "placeholder": _("请输入身份证上的姓名")}))
    captcha = CaptchaField()

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_real_name(self):
        return normalize_real_name(self.cleaned_data["real_name"])


class ExamNumberRecoveryCodeForm(Form):
    code = SmsCodeField()
