"""The 主考学校's forms: the list's filters, one course's result, the Excel import."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form

from .services import NOTE_MAX
from .types import FAILED, PASSED

RESULT_CHOICES = (("", _("全部")), ("pending", _("待登记")), (PASSED, _("合格")), (FAILED, _("不合格")))


class ListFilterForm(Form):
    sitting = forms.ChoiceField(label=_("考期"), required=False)
    course = forms.ChoiceField(label=_("课程"), required=False)
    result = forms.ChoiceField(label=_("考核结果"), choices=RESULT_CHOICES, required=False)
    q = forms.CharField(label=_("姓名、准考证号或申请编号"), max_length=40, required=False)

    def __init__(self, *args, sittings=(), courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].choices = [("", gettext("全部"))] + [(str(s.pk), s.name) for s in sittings]
        self.fields["course"].choices = [("", gettext("全部"))] + [(code, f"{code} {name}") for code, name in courses]


class ResultForm(Form):
    result = forms.ChoiceField(label=_("考核结果"), choices=((PASSED, _("合格")), (FAILED, _("不合格"))),
                               error_messages={"required": _("请选择考核结果"), "invalid_choice": _("请选择考核结果")})
    note = forms.CharField(label=_("说明"), max_length=NOTE_MAX, required=False)


class ImportForm(Form):
    file = forms.FileField(label=_("Excel 文件"), help_text=_(".xlsx 或 .csv 文件，可先导出名单，填写“考核结果”列后导入"),
                           error_messages={"required": _("请选择要导入的文件")})

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(gettext("请上传 .xlsx 或 .csv 文件"))
        return file
