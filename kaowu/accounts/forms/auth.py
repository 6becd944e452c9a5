from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, PersonNameField
from kaowu.core.validation import normalize_id_number, normalize_phone, normalize_real_name
from kaowu.organization.models import Region
from kaowu.organization.selectors import home_province
from kaowu.verification.forms import CaptchaField, SmsCodeField


class DistrictChoiceField(forms.ModelChoiceField):
    """所属区县 as one native select grouped by city: works on every phone, with or without JS."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.none(), **kwargs)

    def set_province(self, province_region):
        prefix = province_region.scope_prefix if province_region else "--"
        # A city without districts (嘉峪关市) is chosen as itself.
        self.queryset = (
            Region.objects.filter(code__startswith=prefix)
            .filter(Q(level=Region.Level.DISTRICT) | Q(level=Region.Level.CITY, children__isnull=True))
            .select_related("parent")
            .order_by("code")
        )
        groups = {}
        for district in self.queryset:
            city = district if district.level == Region.Level.CITY else district.parent
            groups.setdefault(city.name, []).append((district.pk, district.name))
        self.choices = [("", gettext("请选择所属区县"))] + list(groups.items())


class RegistrationForm(Form):
    real_name = PersonNameField(label=_("姓名"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                error_messages={"required": _("请输入姓名")})
    id_number = forms.CharField(label=_("身份证号"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
                                error_messages={"required": _("请输入身份证号")})
    district = DistrictChoiceField(label=_("所属区县"), error_messages={"required": _("请选择所属区县"),
                                                                   "invalid_choice": _("请选择所属区县")},
                                   help_text=_("请选择户籍或常住所在区县，相关业务将由该区县招办受理。"))
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                            help_text=_("用于登录、找回密码和接收重要考试信息，请填写本人手机号。"),
                            error_messages={"required": _("请输入手机号")})
    sms_code = SmsCodeField()
    password = forms.CharField(label=_("密码"), strip=False, error_messages={"required": _("请设置登录密码")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True))
    password2 = forms.CharField(label=_("确认密码"), strip=False, error_messages={"required": _("请再次输入密码")},
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True))
    agree = forms.BooleanField(label=_("我已认真阅读并知晓《考生注册须知》"), error_messages={"required": _("请阅读并勾选同意《考生注册须知》")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = home_province()
        self.fields["district"].set_province(province.region if province else None)

    def clean_real_name(self):
        return normalize_real_name(self.cleaned_data["real_name"])

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password2") and cleaned["password"] != cleaned["password2"]:
            self.add_error("password2", gettext("两次输入的密码不一致"))
        return cleaned


class PasswordLoginForm(Form):
    identifier = forms.CharField(label=_("账号"), max_length=40,
                                 widget=forms.TextInput(attrs={"autocomplete": "username",
                                                               "placeholder": _("身份证号 / 准考证号 / 手机号 / 考生号")}),
                                 error_messages={"required": _("请输入身份证号、准考证号、手机号或考生号")})
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("请输入密码")})
    captcha = CaptchaField()


class SmsLoginForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    sms_code = SmsCodeField()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class NewPasswordForm(Form):
    """New password twice, checked against the account's policy."""

    new_password = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, user=None, exam_type=None, **kwargs):
        self.user = user
        self.exam_type = exam_type
        super().__init__(*args, **kwargs)
        from ..passwords import password_rules_text

        self.fields["new_password"].help_text = password_rules_text(exam_type=exam_type or (user.exam_type if user else None))

    def clean(self):
        from ..passwords import password_validate

        cleaned = super().clean()
        new, again = cleaned.get("new_password"), cleaned.get("new_password2")
        if new and again and new != again:
            self.add_error("new_password2", gettext("两次输入的新密码不一致"))
        elif new:
            try:
                password_validate(password=new, user=self.user, exam_type=self.exam_type)
            except ValidationError as exc:
                self.add_error("new_password", exc)
        return cleaned


class FirstPasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(label=_("旧密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["old_password", "new_password", "new_password2"]

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(gettext("旧密码不正确"))
        return old
