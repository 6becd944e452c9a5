from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, ModelForm

from .models import ExamRoom, ExamSite


class ExamSiteForm(ModelForm):
    class Meta:
        model = ExamSite
        fields = ["code", "name", "address", "is_active"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = ExamSite.objects.filter(exam_area_id=self.instance.exam_area_id, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(gettext("本考区已有该考点代码。"))
        return code


class ExamRoomForm(ModelForm):
    class Meta:
        model = ExamRoom
        fields = ["number", "capacity", "is_active"]
        widgets = {"capacity": forms.NumberInput(attrs={"min": 1, "max": 200})}

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        clash = ExamRoom.objects.filter(site_id=self.instance.site_id, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(gettext("本考点已有该考场号。"))
        return number


class ArrangementStartForm(Form):
    rearrange = forms.BooleanField(
        label=_("重排未发布的座位"), required=False,
        help_text=_("不勾选：已有座位保持不变，只为新增的已缴费课程编排座位（推荐）。勾选：未发布（未打印准考证、未通知考生）的座位按规则重新编排。"
                    "已发布的座位在任何情况下都不会移动。"))
