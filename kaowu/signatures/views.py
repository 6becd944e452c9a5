"""The two pages of 扫码签字: the desktop page with the QR code (waits, then moves on by itself) and the
phone page the QR code opens (sign by hand on a canvas)."""

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from kaowu.core.http import client_ip, public_url

from . import services
from .models import SignatureRequest

Status = SignatureRequest.Status


def _own(request, token: str) -> SignatureRequest:
    return get_object_or_404(SignatureRequest, token=token, user=request.user)


def phone_url(request, signature: SignatureRequest) -> str:
    """Where the QR code points. KAOWU_PUBLIC_BASE_URL names the address a phone can reach (the desktop
    may be looking at 127.0.0.1); without it, the address the desktop used."""
    return public_url(reverse("signatures:sign", args=[signature.token]), request=request)


def _safe_return(request, signature: SignatureRequest) -> str:
    url = signature.return_url
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("portal:candidate_home")


@never_cache
@login_required
def desktop(request, token: str):
    """生成二维码进行签名: the QR code, its countdown and the signing state."""
    signature = _own(request, token)
    if signature.status == Status.SIGNED:
        return redirect(_safe_return(request, signature))
    if signature.status == Status.PENDING and not signature.is_usable:
        signature = services.signature_request_expire(request=signature)
    url = phone_url(request, signature)
    qr = segno.make(url, error="m")
    return render(request, "signatures/desktop.html", {
        "signature": signature, "phone_url": url,
        "qr_svg": mark_safe(qr.svg_inline(scale=5, border=2, dark="#1f2937", svgclass="qr__img",
                                          title=signature.purpose)),
        "show_link": settings.DEMO_MODE or settings.DEBUG,
    })


@never_cache
@login_required
def status(request, token: str):
    """Polled by the desktop page (htmx, every 2 s): moves the page on once the phone has signed."""
    signature = _own(request, token)
    if signature.status == Status.PENDING and not signature.is_usable:
        signature = services.signature_request_expire(request=signature)
    if signature.status == Status.SIGNED:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _safe_return(request, signature)
        return response
    return render(request, "signatures/_status.html", {"signature": signature})


@login_required
@require_POST
def renew(request, token: str):
    """重新生成二维码 after expiry: the same content, a new single-use code."""
    old = _own(request, token)
    if old.status == Status.SIGNED:
        return redirect(_safe_return(request, old))
    new = services.signature_request_renew(request=old)
    return redirect("signatures:desktop", token=new.token)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sign(request, token: str):
    """The phone page: what is being signed, a canvas, 清除 and 确认签名. The token is the key (no
    login on the phone); it is long, random, single use and expires within minutes."""
    error = None
    if request.method == "POST":
        try:
            signature = services.signature_submit(token=token, image_data_url=request.POST.get("signature", ""),
                                                  ip=client_ip(request),
                                                  agent=request.headers.get("User-Agent", ""))
        except services.SignatureError as exc:
            if exc.field != "signature":
                return render(request, "signatures/sign_unavailable.html", {"message": exc.message}, status=410)
            error = exc.message
        else:
            return render(request, "signatures/sign_done.html", {"signature": signature})
    try:
        signature = services.signature_request_open(token=token)
    except services.SignatureError as exc:
        return render(request, "signatures/sign_unavailable.html", {"message": exc.message}, status=410)
    return render(request, "signatures/sign.html", {"signature": signature, "error": error},
                  status=400 if error else 200)


@never_cache
@login_required
def image(request, token: str):
    """The candidate's own signature image."""
    signature = _own(request, token)
    if signature.status != Status.SIGNED:
        raise Http404
    return signature_image_response(signature)


def signature_image_response(signature: SignatureRequest) -> HttpResponse:
    """The PNG, for views that have checked who may see it (the owner, a reviewer in jurisdiction)."""
    with signature.image.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
