from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form
from kaowu.organization.models import Region
from kaowu.verification.forms import CaptchaField


class StaffLoginForm(Form):
    # Named `identifier` because django-axes reads that field (AXES_USERNAME_FORM_FIELD).
    identifier = forms.CharField(label=_("用户名"), max_length=40,
                                 widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                                               "spellcheck": "false"}),
                                 error_messages={"required": _("请输入用户名")})
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("请输入密码")})
    captcha = CaptchaField()


class CandidateFilterForm(Form):
    """Search and filters of 考生管理 (a GET form: every field optional)."""

    SHOW_ALL = ""
    SHOW_NEW = "new7"
    SHOW_AWAITING_MERGE = "merge"
    SHOW_CHOICES = [
        (SHOW_ALL, _("全部考生")),
        (SHOW_NEW, _("近7日新注册")),
        (SHOW_AWAITING_MERGE, _("有多个准考证号（待合档）")),
    ]

    q = forms.CharField(label=_("关键字"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("姓名、身份证号、手机号、准考证号或考生号")}))
    region = forms.ChoiceField(label=_("所属地区"), required=False)
    show = forms.ChoiceField(label=_("范围"), required=False, choices=SHOW_CHOICES)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in (regions if regions is not None else [])}
        self.fields["region"].choices = _region_choices(list(self.regions.values()))

    @property
    def has_region_filter(self) -> bool:
        return len(self.regions) > 1

    def clean_region(self):
        return self.regions.get(self.cleaned_data.get("region") or "")


def _region_choices(regions: list[Region]):
    """One select, grouped by city: "兰州市（全市）" then its districts. A city without districts
    (嘉峪关市) is an option of its own."""
    choices: list = [("", gettext("全部地区"))]
    cities = [r for r in regions if r.level == Region.Level.CITY]
    districts_by_city: dict[int, list[Region]] = {}
    for region in regions:
        if region.level == Region.Level.DISTRICT:
            districts_by_city.setdefault(region.parent_id, []).append(region)
    city_ids = {c.pk for c in cities}
    for city in cities:
        children = districts_by_city.get(city.pk, [])
        if not children:
            choices.append((city.code, city.name))
            continue
        group = [(city.code, gettext("%(city)s（全市）") % {"city": city.name})] + [(d.code, d.name) for d in children]
        choices.append((city.name, group))
    # Districts whose city is outside the list (a district office's own district).
    for parent_id, children in districts_by_city.items():
        if parent_id not in city_ids:
            choices.extend((d.code, d.name) for d in children)
    return choices


class AuditFilterForm(Form):
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("请输入正确的日期")})
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("请输入正确的日期")})

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", gettext("全部操作"))] + list(actions)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("结束日期不能早于开始日期"))
        return cleaned
