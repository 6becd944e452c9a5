"""Forms of the identity verification pages (candidate) and of the manual review (staff).

They parse input only; every rule about photos and statuses is checked by the services."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form

from .models import Verification


class ConsentForm(Form):
    agree = forms.BooleanField(
        label=_("我已阅读并同意《人脸信息处理告知书》，同意平台按上述方式处理我的照片和人脸信息"),
        error_messages={"required": _("请阅读告知书并勾选“同意”后继续；不同意则不能使用在线身份认证")},
    )


class PhotoUploadForm(Form):
    # A plain FileField: the type is recognised by content (images.image_load), not by name or widget.
    photo = forms.FileField(
        label=_("选择照片"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": _("请选择要上传的照片"), "empty": _("所选文件为空，请重新选择照片")},
    )


class ManualReviewForm(Form):
    office = forms.ModelChoiceField(
        label=_("人工审核地点"), queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("请选择办理人工审核的考区或报名点"),
                        "invalid_choice": _("请选择所在地市的考区或报名点")},
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


# --- staff ------------------------------------------------------------------------------------

class ReviewFilterForm(Form):
    """身份认证审核 queue: a tab (status) and a search (a GET form: every field optional)."""

    STATUS_ALL = "all"
    TABS = [
        (Verification.Status.MANUAL_REVIEW, _("待人工审核")),
        (Verification.Status.PASSED, _("已通过")),
        (Verification.Status.FAILED, _("未通过")),
        (STATUS_ALL, _("全部")),
    ]

    status = forms.ChoiceField(label=_("状态"), required=False, choices=TABS)
    q = forms.CharField(label=_("关键字"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("姓名、准考证号或完整身份证号")}))

    def clean_status(self):
        return self.cleaned_data.get("status") or Verification.Status.MANUAL_REVIEW


class ReviewDecisionForm(Form):
    PASS, FAIL = "pass", "fail"

    decision = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect,
                                 choices=[(PASS, _("通过：照片与考生本人及其有效身份证件一致")),
                                          (FAIL, _("不通过"))],
                                 error_messages={"required": _("请选择审核结果")})
    reason = forms.CharField(label=_("不通过原因"), required=False, max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3,
                                                          "placeholder": _("将显示给考生，例如：手持身份证照中的证件不是本人证件")}),
                             help_text=_("选择“不通过”时必填，考生将看到该原因。"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.FAIL and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", gettext("请填写不通过原因"))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.PASS
