from django import forms
from django.utils.translation import gettext_lazy as _

from kaowu.catalog.models import Major
from kaowu.core.text import Form
from kaowu.organization.models import Office


class RegistrationForm(Form):
    """填写报考信息: 报考考区, 报考专业 and the courses (ids of the sitting's offered courses)."""

    exam_area = forms.ModelChoiceField(label=_("报考考区"), queryset=Office.objects.none(), empty_label=_("请选择报考考区"),
                                       help_text=_("报考考区即实际考试地点"),
                                       error_messages={"required": _("请选择报考考区"),
                                                       "invalid_choice": _("请选择本次考期开考的报考考区")})
    major = forms.ModelChoiceField(label=_("报考专业"), queryset=Major.objects.none(), empty_label=_("请选择报考专业"),
                                   error_messages={"required": _("请选择报考专业"),
                                                   "invalid_choice": _("该专业不接收报考，请重新选择")})
    courses = forms.TypedMultipleChoiceField(label=_("报考课程"), coerce=int, choices=(),
                                             error_messages={"required": _("请至少选择一门报考课程"),
                                                             "invalid_choice": _("所选课程不在本次考期的开考课程中")})

    def __init__(self, *args, exam_areas, majors, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam_area"].queryset = exam_areas
        self.fields["major"].queryset = majors
        self.fields["courses"].choices = [(sc.pk, str(sc.pk)) for sc in offered]


class RefundForm(Form):
    """报考退款申请: which paid courses, and why."""

    courses = forms.TypedMultipleChoiceField(label=_("退款课程"), coerce=int, choices=(),
                                             error_messages={"required": _("请选择要退款的课程"),
                                                             "invalid_choice": _("所选课程不能申请退款")})
    reason = forms.CharField(label=_("退款原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写退款原因")})

    def __init__(self, *args, paid_courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].choices = [(rc.pk, str(rc.pk)) for rc in paid_courses]
