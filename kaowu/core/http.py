def client_ip(request) -> str | None:
    """The client's address. Behind a proxy, the proxy must set REMOTE_ADDR (e.g. with a trusted
    X-Forwarded-For rewrite at the proxy), never the application trusting the header."""
    return request.META.get("REMOTE_ADDR") or None


def public_url(path: str, *, request=None) -> str:
    """An absolute address a phone or an SMS reader can open: KAOWU_PUBLIC_BASE_URL when set (the
    desktop may be looking at 127.0.0.1), else the request's own host; "" when neither is known."""
    from django.conf import settings

    if path.startswith(("http://", "https://")):
        return path
    base = settings.KAOWU_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path) if request is not None else ""
