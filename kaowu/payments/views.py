"""Candidate pages (订单查询, the order page with 去缴费 / 我已缴费 / 取消订单) and the notify URL."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kaowu.accounts.decorators import candidate_required
from kaowu.core.http import client_ip

from . import selectors, services, throttle
from .forms import PayForm, RefundRequestForm
from .models import Channel, Order
from .services.refunds import refundable_items

PAGE_SIZE = 10


@never_cache
@require_GET
@candidate_required
def order_list(request):
    """订单查询: the candidate's orders, newest first."""
    page = Paginator(selectors.orders_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/order_list.html", {"page_obj": page, "demo_orders": settings.DEMO_MODE})


@never_cache
@require_GET
@candidate_required
def order_detail(request, number: str):
    order = selectors.order_get_for_user(user=request.user, number=number)
    if order.is_pending and order.expires_at <= timezone.now():
        order = services.order_expire(order=order)
    return render(request, "payments/order_detail.html", _detail_context(request, order))


def _detail_context(request, order: Order, *, pay_form=None, refund_form=None) -> dict:
    refunds = list(selectors.order_refunds(order=order))
    can_request_refund = settings.DEMO_MODE and order.purpose == Order.Purpose.DEMO and order.status in (
        Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED)
    free_items = refundable_items(order=order) if can_request_refund else []
    now = timezone.now()
    return {
        "order": order,
        "items": list(order.items.all()),
        "history": order.history.select_related("actor").order_by("created_at", "id"),
        "refunds": refunds,
        "auto_refunds": [r for r in refunds if r.kind != r.Kind.REQUESTED],
        "attempted": order.attempts.exists(),
        "pay_form": pay_form or PayForm(initial={"channel": Channel.WECHAT}),
        "from_gateway": request.GET.get("from") == "gateway",
        "seconds_left": max(int((order.expires_at - now).total_seconds()), 0) if order.is_pending else 0,
        "refund_form": refund_form or (RefundRequestForm(items=free_items) if free_items else None),
    }


@require_POST
@candidate_required
def order_pay(request, number: str):
    """去缴费: to the chosen channel's cashier."""
    order = selectors.order_get_for_user(user=request.user, number=number)
    form = PayForm(request.POST)
    if not form.is_valid():
        return render(request, "payments/order_detail.html", _detail_context(request, order, pay_form=form), status=400)
    try:
        url = services.order_pay_start(order=order, channel=form.cleaned_data["channel"], actor=request.user,
                                       base_url=f"{request.scheme}://{request.get_host()}")
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:order_detail", number=order.number)
    return redirect(url)


@require_POST
@candidate_required
def order_sync(request, number: str):
    """我已缴费: ask the gateway and show what it said."""
    order = selectors.order_get_for_user(user=request.user, number=number)
    was_paid = order.is_paid
    try:
        order = services.order_sync(order=order)
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect("payments:order_detail", number=order.number)
    if order.is_paid and not was_paid:
        messages.success(request, gettext("缴费成功，订单状态已更新为“已缴费”。"))
    elif order.is_paid:
        messages.info(request, gettext("订单已缴费，无需重复缴费。"))
    elif not order.attempts.exists():
        messages.warning(request, gettext("您还没有发起支付，请先点击“去缴费”。"))
    else:
        messages.warning(request, gettext("暂未查询到缴费结果。如您已完成支付，请稍后再点击“我已缴费”；请勿重复支付。"))
    return redirect("payments:order_detail", number=order.number)


@require_POST
@candidate_required
def order_cancel(request, number: str):
    order = selectors.order_get_for_user(user=request.user, number=number)
    try:
        services.order_cancel(order=order, actor=request.user)
    except services.PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("订单已取消。"))
    return redirect("payments:order_detail", number=order.number)


@require_POST
@candidate_required
def order_refund_request(request, number: str):
    """申请退款 for a demo order (报考退款申请 belongs to 报考, which checks its window and calls
    `refund_request` itself); it lets the staff review be tried by hand in the demo."""
    if not settings.DEMO_MODE:
        raise Http404
    order = selectors.order_get_for_user(user=request.user, number=number)
    if order.purpose != Order.Purpose.DEMO:
        raise Http404
    form = RefundRequestForm(request.POST, items=refundable_items(order=order))
    if form.is_valid():
        try:
            services.refund_request(order=order, items=[int(pk) for pk in form.cleaned_data["items"]],
                                    reason=form.cleaned_data["reason"], actor=request.user, request=request)
        except services.PaymentError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("退款申请已提交，请等待审核。"))
            return redirect("payments:order_detail", number=order.number)
    return render(request, "payments/order_detail.html", _detail_context(request, order, refund_form=form), status=400)



@require_POST
@candidate_required
def demo_order_create(request):
    """演示订单 (demo mode only): an order to try 去缴费, the development gateway and refunds by hand."""
    if not settings.DEMO_MODE:
        raise Http404
    from .demo import demo_order_create as create

    order = create(user=request.user)
    messages.success(request, gettext("已创建演示订单 %(number)s。") % {"number": order.number})
    return redirect("payments:order_detail", number=order.number)


@csrf_exempt
@require_POST
def notify(request, channel: str):
    """The notify URL of a channel: what the gateway POSTs its asynchronous notification to. Anyone can
    POST here: too many POSTs (or refused ones) from one address get 429 and an oversized body 413,
    before anything is stored (kaowu/payments/throttle.py)."""
    ip = client_ip(request) or "unknown"
    if throttle.notify_over_limit(ip=ip):
        return HttpResponse("too many requests", status=429, content_type="text/plain", headers={"Retry-After": "60"})
    body = throttle.notify_body(request)
    if body is None:
        throttle.notify_refused(ip=ip)
        return HttpResponse("request entity too large", status=413, content_type="text/plain")
    outcome = services.notification_receive(channel=channel, headers=dict(request.headers), body=body)
    if not outcome.accepted:
        throttle.notify_refused(ip=ip)
    return HttpResponse(outcome.body, status=outcome.http_status, content_type=outcome.content_type)
