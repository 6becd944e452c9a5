from django import forms
from django.utils.translation import gettext_lazy as _

from kaowu.catalog.forms import DateTimeInput
from kaowu.catalog.models import ExamSitting
from kaowu.core.text import Form


class ScoreImportForm(Form):
    sitting = forms.ModelChoiceField(label=_("考期"), queryset=ExamSitting.objects.order_by("-code"), empty_label=None)
    file = forms.FileField(label=_("成绩文件（.csv 或 .xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


class PublicationForm(Form):
    score_publication_at = forms.DateTimeField(label=_("成绩公布时间"), required=False, widget=DateTimeInput(),
                                               help_text=_("到达该时间后考生才能查询本考期成绩；留空表示暂不公布。"))
