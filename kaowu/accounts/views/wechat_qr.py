"""The QR code a WeChat page shows (绑定微信, 微信扫码登录): where it points, drawn inline as SVG."""

import segno
from django.utils.safestring import mark_safe

from ..services.wechat import WECHAT_STATE_MAX_AGE_SECONDS
from ..wechat import DevWeChatProvider, wechat_provider


def wechat_qr_context(request, *, state: str, title: str) -> dict:
    """Template context for the QR code of `state`. Raises WeChatError where WeChat is closed."""
    provider = wechat_provider()
    authorize_url = request.build_absolute_uri(provider.authorize_url(state))
    qr = segno.make(authorize_url, error="m")
    return {
        "authorize_url": authorize_url,
        "qr_svg": mark_safe(qr.svg_inline(scale=5, border=2, dark="#1f2937", svgclass="qr__img", title=title)),
        "is_dev": isinstance(provider, DevWeChatProvider),
        "expires_minutes": WECHAT_STATE_MAX_AGE_SECONDS // 60,
    }
