from django import forms
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form

from .statuses import Status
from .types import application_types


class QueueFilterForm(Form):
    type = forms.ChoiceField(label=_("申请类型"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    submitted_from = forms.DateField(label=_("提交日期从"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    submitted_to = forms.DateField(label=_("提交日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("查询"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("申请编号 / 考生姓名 / 准考证号")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("全部类型"))] + [(t.code, t.label) for t in application_types()]
        choices = [(s.value, s.label) for s in Status if s != Status.DRAFT]
        # The types' own statuses too (考籍转出: 待缴费, 待提交, 已完成), once each.
        known = {value for value, _label in choices}
        for kind in application_types():
            for value, label in kind.status_labels.items():
                if value not in known:
                    known.add(value)
                    choices.append((value, label))
        self.fields["status"].choices = [("", _("全部状态"))] + choices


class ApproveForm(Form):
    comment = forms.CharField(label=_("审核意见（选填）"), required=False, max_length=500,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：材料齐全，同意")}))


class ReasonForm(Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写原因")})

    def __init__(self, *args, label=None, placeholder=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
            self.fields["reason"].error_messages["required"] = _("请填写%(label)s") % {"label": label}
        if placeholder:
            self.fields["reason"].widget.attrs["placeholder"] = placeholder
