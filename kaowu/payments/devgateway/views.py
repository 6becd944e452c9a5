"""The development gateway's pages: the cashier (收银台) of a trade, and the gateway's own back room
(its ledger and the notifications still to send)."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import CashierForm
from ..models import Channel, DevGatewayTransaction
from . import gateway

Status = DevGatewayTransaction.Status

# How each company's cashier introduces the scan (the QR is for the phone).
SCAN_HINTS = {
    Channel.WECHAT: _("请使用微信扫一扫，扫描二维码支付"),
    Channel.ALIPAY: _("打开手机支付宝，扫一扫继续付款"),
    Channel.UNIONPAY: _("请使用云闪付或银行 App 扫码支付"),
    Channel.ZHENGFUTONG: _("请使用政务服务 App、微信或支付宝扫码缴费"),
}
BRANDS = {
    Channel.WECHAT: {"mark": _("微"), "name": _("微信支付"), "product": _("扫码支付")},
    Channel.ALIPAY: {"mark": _("支"), "name": _("支付宝"), "product": _("收银台")},
    Channel.UNIONPAY: {"mark": _("银"), "name": _("银联"), "product": _("在线支付")},
    Channel.ZHENGFUTONG: {"mark": _("政"), "name": _("政付通"), "product": _("统一公共支付平台")},
}


@never_cache
@require_http_methods(["GET", "POST"])
def cashier(request, trade_no: str):
    trade = get_object_or_404(DevGatewayTransaction, trade_no=trade_no)
    error = ""
    form = CashierForm(initial={"notify_mode": settings.KAOWU_PAYMENT_DEV_NOTIFY,
                                "delay_seconds": settings.KAOWU_PAYMENT_DEV_NOTIFY_DELAY_SECONDS})
    if request.method == "POST":
        form = CashierForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            if action == "abandon":
                return redirect(trade.return_url)
            if action == "fail":
                trade = gateway.trade_fail(trade_no=trade.trade_no)
                return redirect(request.path + ("?device=phone" if request.GET.get("device") == "phone" else ""))
            try:
                trade = gateway.trade_pay(
                    trade_no=trade.trade_no,
                    notify_mode=form.cleaned_data["notify_mode"] or settings.KAOWU_PAYMENT_DEV_NOTIFY,
                    delay_seconds=form.cleaned_data["delay_seconds"] or settings.KAOWU_PAYMENT_DEV_NOTIFY_DELAY_SECONDS)
            except gateway.GatewayRefused as exc:
                error = exc.message
                trade.refresh_from_db()
            else:
                return redirect(trade.return_url)
        else:
            error = gettext("请选择有效的通知方式和延迟秒数")
    now = timezone.now()
    phone_url = request.build_absolute_uri(reverse("payments:dev_cashier", args=[trade.trade_no])) + "?device=phone"
    qr = segno.make(phone_url, error="m")
    expired = trade.status in (Status.NOTPAY, Status.PAYERROR) and trade.time_expire <= now
    return render(request, "payments/dev_gateway/cashier.html", {
        "trade": trade,
        "brand": BRANDS.get(trade.channel, BRANDS[Channel.WECHAT]),
        "scan_hint": SCAN_HINTS.get(trade.channel, ""),
        "form": form,
        "error": error,
        "expired": expired,
        "payable": trade.status in (Status.NOTPAY, Status.PAYERROR) and not expired,
        "seconds_left": max(int((trade.time_expire - now).total_seconds()), 0),
        "phone": request.GET.get("device") == "phone",
        "qr_svg": mark_safe(qr.svg_inline(scale=5, border=2, dark="#111827", svgclass="cashier__qr-img",
                                          title=gettext("扫码支付"))),
        "notify_modes": DevGatewayTransaction.NotifyMode.choices,
    }, status=409 if error else 200)


@never_cache
@require_http_methods(["GET"])
def gateway_home(request):
    """The gateway's back room: its ledger, and the notifications it has not sent yet."""
    trades = DevGatewayTransaction.objects.all()
    page = Paginator(trades, 20).get_page(request.GET.get("page"))
    pending = DevGatewayTransaction.objects.filter(notify_pending__gt=0, status=Status.SUCCESS)
    return render(request, "payments/dev_gateway/home.html", {
        "page_obj": page, "pending": pending, "now": timezone.now(),
    })


@require_POST
def gateway_flush(request):
    """立即送达待发通知: send every pending (late) notification now, as if the delay had passed."""
    sent = gateway.notifications_flush(due_only=False)
    messages.success(request, gettext("已送达 %(n)s 条待发通知。") % {"n": sent})
    return redirect("payments:dev_gateway")
