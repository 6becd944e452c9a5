from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, PersonNameField
from kaowu.core.validation import normalize_id_number, normalize_phone, normalize_real_name
from kaowu.organization.models import Region
from kaowu.organization.selectors import cities_of, districts_of, home_province
from kaowu.verification.forms import CaptchaField, SmsCodeField

from .material import EXAM_TYPES

ID_WIDGET = forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                   "placeholder": _("请输入本人18位身份证号")})


class IdentifyForm(Form):
    """验证身份: who appeals (no login: the bound phone is lost)."""

    id_number = forms.CharField(label=_("身份证号"), max_length=30, widget=ID_WIDGET,
                                error_messages={"required": _("请输入身份证号")})
    real_name = PersonNameField(label=_("姓名"), max_length=40, error_messages={"required": _("请输入姓名")},
                                widget=forms.TextInput(attrs={"autocomplete": "name",
                                                              "placeholder": _("请输入身份证上的姓名")}))
    captcha = CaptchaField()

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_real_name(self):
        return normalize_real_name(self.cleaned_data["real_name"])


class NewPhoneMixin(Form):
    phone = forms.CharField(label=_("新手机号"), max_length=20,
                                help_text=_("申诉成功后，您的账号将自动绑定此手机号。"),
                                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                              "placeholder": _("请输入新手机号")}),
                                error_messages={"required": _("请输入新手机号")})
    sms_code = SmsCodeField()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class FaceAppealForm(NewPhoneMixin):
    pass


def district_choices():
    province = home_province()
    if province is None:
        return []
    return [(city.name, [(d.code, d.name) for d in districts_of(city)]) for city in cities_of(province.region)]


class MaterialAppealForm(NewPhoneMixin):
    district = forms.ChoiceField(label=_("所属区县"), error_messages={"required": _("请选择所属区县")},
                                 help_text=_("申诉将提交至所属区县招办审核。"))
    exam_type = forms.ChoiceField(label=_("报考考试"), choices=[("", _("请选择"))] + list(EXAM_TYPES.items()),
                                  error_messages={"required": _("请选择报考考试")})
    reason = forms.CharField(label=_("申诉原因"), max_length=200, error_messages={"required": _("请填写申诉原因")},
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例如：原手机号已停用，无法接收验证码")}))
    video = forms.FileField(label=_("视频文件"), error_messages={"required": _("请上传申诉视频")},
                            widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,.mp4"}))
    agree = forms.BooleanField(label=_("本人承诺此次申诉内容属实，并自行承担法律责任"),
                               error_messages={"required": _("请阅读视频录制要求并勾选承诺")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", gettext("请选择区县"))] + district_choices()

    def clean_district(self):
        code = self.cleaned_data["district"]
        if not Region.objects.filter(code=code, level=Region.Level.DISTRICT).exists():
            raise forms.ValidationError(gettext("请选择所属区县"))
        return code

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if len(value) < 2:
            raise forms.ValidationError(gettext("请填写申诉原因"))
        return value


class ProgressQueryForm(Form):
    number = forms.CharField(label=_("申诉编号"), max_length=20, error_messages={"required": _("请输入申诉编号")},
                             widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("例如 SQ2027031204718265")}))
    id_number = forms.CharField(label=_("身份证号"), max_length=30, widget=ID_WIDGET,
                                error_messages={"required": _("请输入身份证号")})
    captcha = CaptchaField()

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])
