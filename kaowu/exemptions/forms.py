"""The back office's forms for 免考规则."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.catalog.models import Course, Major
from kaowu.core.text import Form

from .excel import SEPARATORS
from .models import ExemptionRule


class RuleSearchForm(Form):
    q = forms.CharField(label=_("证书、专业或课程代码"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("免考类型"), choices=(("", _("全部")), *ExemptionRule.Kind.choices), required=False)


class RuleForm(Form):
    kind = forms.ChoiceField(label=_("免考类型"), choices=ExemptionRule.Kind.choices)
    certificate = forms.CharField(label=_("证书或资格"), max_length=100,
                                  help_text=_("例如：专科及以上学历；全国大学英语四级（CET-4）425分及以上"),
                                  error_messages={"required": _("请填写证书或资格")})
    major = forms.CharField(label=_("专业代码"), max_length=12, error_messages={"required": _("请填写专业代码")})
    courses = forms.CharField(label=_("可免考课程代码"), max_length=400,
                              help_text=_("一门或多门，用顿号、逗号或空格分隔；须在该专业的专业计划中。"),
                              error_messages={"required": _("请填写可免考课程代码")})
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def clean_major(self):
        major = Major.objects.filter(code=self.cleaned_data["major"].strip().upper()).first()
        if major is None:
            raise forms.ValidationError(gettext("专业代码不存在"))
        return major

    def clean_courses(self):
        text = self.cleaned_data["courses"]
        for separator in SEPARATORS:
            text = text.replace(separator, " ")
        codes = list(dict.fromkeys(text.split()))
        found = {c.code: c for c in Course.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(gettext("课程代码 %(codes)s 不存在") % {"codes": "、".join(missing)})
        return [found[code] for code in codes]

    @classmethod
    def initial_of(cls, rule: ExemptionRule) -> dict:
        return {"kind": rule.kind, "certificate": rule.certificate, "major": rule.major.code, "note": rule.note,
                "is_active": rule.is_active, "courses": "、".join(sorted(c.code for c in rule.courses.all()))}


class ImportForm(Form):
    file = forms.FileField(label=_("Excel 文件"), help_text=_(".xlsx 或 .csv 文件"),
                           error_messages={"required": _("请选择要导入的文件")})

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(gettext("请上传 .xlsx 或 .csv 文件"))
        return file
