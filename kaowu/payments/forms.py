import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form

from .models import Channel, DevGatewayTransaction
from .providers import channels_enabled


class PayForm(Form):
    channel = forms.ChoiceField(label=_("支付方式"), widget=forms.RadioSelect,
                                error_messages={"required": _("请选择支付方式"), "invalid_choice": _("不支持该支付方式")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, Channel(c).label) for c in channels_enabled() if c in Channel.values]


class RefundRequestForm(Form):
    items = forms.MultipleChoiceField(label=_("退款项目"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("请选择要退款的项目")})
    reason = forms.CharField(label=_("退款原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写退款原因")})

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(i.pk), f"{i.description}（{i.total} 元）") for i in items]


class RefundDecisionForm(Form):
    action = forms.ChoiceField(choices=[("approve", _("同意退款")), ("reject", _("驳回")), ("retry", _("重新退款"))])
    reason = forms.CharField(label=_("驳回原因"), max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("驳回时请填写原因，考生将看到该原因"))
        return data


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


class ReconcileForm(Form):
    date = forms.DateField(label=_("对账日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("请选择对账日期"), "invalid": _("日期格式不正确")})

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("不能对未来的日期对账"))
        return date


class IssueResolveForm(Form):
    resolution = forms.CharField(label=_("处理说明"), max_length=200, error_messages={"required": _("请填写处理说明")})


class OrderSearchForm(Form):
    q = forms.CharField(label=_("订单号"), max_length=40, required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("例如 KW2027040112345678"),
                                                      "autocomplete": "off", "class": "mono"}))


class CashierForm(Form):
    """The development cashier: the payer's decision and the notification behaviour to simulate."""

    action = forms.ChoiceField(choices=[("pay", _("支付成功")), ("fail", _("支付失败")), ("abandon", _("放弃支付"))])
    notify_mode = forms.ChoiceField(label=_("异步通知"), choices=DevGatewayTransaction.NotifyMode.choices,
                                    widget=forms.RadioSelect, required=False)
    delay_seconds = forms.IntegerField(label=_("延迟秒数"), min_value=1, max_value=86400, required=False)
