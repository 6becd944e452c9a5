from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, ModelForm
from kaowu.organization.models import Office

from .models import Filing


class FilingForm(ModelForm):
    class Meta:
        model = Filing
        fields = ["exam_area", "gender", "nation", "political_status", "education", "occupation", "household_type",
                  "address", "postcode", "work_unit"]
        help_texts = {
            "exam_area": _("报名考区即日后报考、考试和办理业务的考区，一般选择所在地市的考区。"),
            "address": _("用于邮寄毕业证书等材料，请填写详细地址（省、市、区县、街道、门牌号）。"),
        }
        widgets = {"postcode": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam_area"].queryset = Office.objects.filter(kind=Office.Kind.EXAM_AREA, is_active=True).order_by("code")
        self.fields["exam_area"].empty_label = gettext("请选择报名考区")
        for field in self.fields.values():
            label = {"field": field.label}
            field.error_messages["required"] = gettext("请填写%(field)s") % label \
                if isinstance(field.widget, forms.TextInput) else gettext("请选择%(field)s") % label
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                field.choices = [("", gettext("请选择%(field)s") % label)] + [c for c in field.choices if c[0]]

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not (len(value) == 6 and value.isdigit()):
            raise forms.ValidationError(gettext("邮编为6位数字"))
        return value

    def clean_address(self):
        value = self.cleaned_data["address"].strip()
        if len(value) < 8:
            raise forms.ValidationError(gettext("请填写详细通讯地址（省、市、区县、街道、门牌号）"))
        return value


class ReviewForm(Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect,
                                 choices=[(APPROVE, _("审核通过（生成准考证号）")), (REJECT, _("审核未通过"))],
                                 error_messages={"required": _("请选择审核结果")})
    reason = forms.CharField(label=_("未通过原因"), required=False, max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：通讯地址不完整，请补充门牌号")}))
