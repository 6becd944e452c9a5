"""The filter of 敏感信息访问记录 (date range, staff member, office)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form


class PersonalDataAccessFilterForm(Form):
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("请输入正确的日期")})
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("请输入正确的日期")})
    actor = forms.TypedChoiceField(label=_("工作人员"), required=False, coerce=int, empty_value=None,
                                   error_messages={"invalid_choice": _("请选择列表中的工作人员")})
    office = forms.TypedChoiceField(label=_("所属机构"), required=False, coerce=int, empty_value=None,
                                    error_messages={"invalid_choice": _("请选择列表中的机构")})

    def __init__(self, *args, actors=(), offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", gettext("全部工作人员"))] + [(str(k), v) for k, v in actors]
        self.fields["office"].choices = [("", gettext("全部机构"))] + [(str(k), v) for k, v in offices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("结束日期不能早于开始日期"))
        return cleaned
