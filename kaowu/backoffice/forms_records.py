from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form


class ExamNumberMergeForm(Form):
    kept_number = forms.ChoiceField(label=_("保留的准考证号"), widget=forms.RadioSelect,
                                    error_messages={"required": _("请选择保留的准考证号")})
    merged_numbers = forms.MultipleChoiceField(label=_("合并的准考证号"), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    other_number = forms.CharField(label=_("其他账号下的准考证号"), required=False, max_length=16,
                                   help_text=_("同一考生因身份证号变更等原因在其他账号下的准考证号（须姓名一致）。"))
    reason = forms.CharField(label=_("说明"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：考生持身份证原件现场办理")}))

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n.number, n.number) for n in numbers]
        self.fields["kept_number"].choices = choices
        self.fields["merged_numbers"].choices = choices

    def clean(self):
        cleaned = super().clean()
        merged = [n for n in cleaned.get("merged_numbers", []) if n != cleaned.get("kept_number")]
        other = (cleaned.get("other_number") or "").strip()
        if other:
            merged.append(other)
        if not merged:
            raise forms.ValidationError(gettext("请勾选或填写要合并的准考证号（不能是保留的准考证号）"))
        cleaned["all_merged"] = merged
        return cleaned


class IdNumberCorrectionForm(Form):
    new_id_number = forms.CharField(label=_("新身份证号"), max_length=20)
    reason = forms.CharField(label=_("更正原因"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：公安机关出具户籍证明，出生日期更正")}))
    proof = forms.FileField(label=_("证明材料"), help_text=_("PDF、JPG或PNG，不超过5MB：户籍证明、新身份证复印件等。"),
                            error_messages={"required": _("请上传证明材料")})
