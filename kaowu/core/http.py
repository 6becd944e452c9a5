def client_ip(request) -> str | None:
    """The client's address. Behind a proxy, the proxy must set REMOTE_ADDR (e.g. with a trusted
    X-Forwarded-For rewrite at the proxy), never the application trusting the header."""
    return request.META.get("REMOTE_ADDR") or None
