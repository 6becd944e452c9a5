from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form

from .captcha import captcha_check, captcha_new


class CaptchaWidget(forms.MultiWidget):
    """A fresh challenge every time it is rendered, so a re-shown form never reuses a consumed one."""

    template_name = "verification/captcha_widget.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.HiddenInput(),
            forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "maxlength": 6,
                                   "placeholder": _("图形验证码"), "inputmode": "text"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return [None, None]

    def get_context(self, name, value, attrs):
        key = captcha_new()
        context = super().get_context(name, [key, ""], attrs)
        context["captcha_key"] = key
        context["image_url"] = reverse("verification:captcha_image", args=[key])
        context["refresh_url"] = reverse("verification:captcha_refresh") + f"?name={name}"
        return context


class CaptchaField(forms.MultiValueField):
    widget = CaptchaWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("图形验证码"))
        kwargs.setdefault("error_messages", {"required": _("请输入图形验证码"), "incomplete": _("请输入图形验证码")})
        fields = (forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        key, response = (data_list + [None, None])[:2]
        if not response:
            raise forms.ValidationError(gettext("请输入图形验证码"), code="required")
        if not captcha_check(key, response):
            raise forms.ValidationError(gettext("图形验证码错误或已过期，请重新输入（点击图片可换一张）"), code="invalid")
        return True


class SmsCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("短信验证码"))
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        kwargs.setdefault("error_messages", {"required": _("请输入短信验证码"), "min_length": _("短信验证码为6位数字"),
                                             "max_length": _("短信验证码为6位数字")})
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                           "placeholder": _("6位数字")}))
        super().__init__(**kwargs)


class SmsSendForm(Form):
    """Asks for a code to a typed phone number; the captcha guards the gateway against SMS bombing."""

    phone = forms.CharField(max_length=20, error_messages={"required": _("请先输入手机号")})
    captcha = CaptchaField()

    def clean_phone(self):
        from kaowu.core.validation import normalize_phone

        return normalize_phone(self.cleaned_data["phone"])
