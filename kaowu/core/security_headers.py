"""Content-Security-Policy and Permissions-Policy on the site's responses.

Every script, style sheet, font and image of the site is its own (htmx and ECharts are vendored under
static/vendor), no template carries inline script, event-handler attributes, `javascript:` URLs or
`style=""` attributes (tests/security/test_csp.py keeps it so), and htmx is configured not to inject its
indicator style nor to evaluate code. So the policy in settings.CONTENT_SECURITY_POLICY can be strict:
`script-src 'self'` and `style-src 'self'`, without 'unsafe-inline' or 'unsafe-eval'.

The policy itself is django-csp's (`csp.middleware.CSPMiddleware`, configured by the
CONTENT_SECURITY_POLICY / CONTENT_SECURITY_POLICY_REPORT_ONLY dicts in settings); this subclass only
decides which responses carry it and adds Permissions-Policy.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)` (structured-header syntax:
    `self` bare, origins quoted)."""

    def allow(origin: str) -> str:
        return origin if origin in ("self", "*") else f'"{origin}"'

    return ", ".join(f"{feature}=({' '.join(allow(o) for o in origins)})" for feature, origins in features.items())


def _is_html(response) -> bool:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml")


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's CSP on HTML responses, and Permissions-Policy on every response.

    Only documents the site renders get the page policy. A PDF shown inline is drawn by Chrome's
    viewer inside a synthetic page that the PDF's own CSP governs (crbug.com/271452): `object-src
    'none'` would blank the 准考证 and the printable forms. Images, spreadsheets, videos and PDFs
    run no script of ours, and `X-Content-Type-Options: nosniff` keeps a browser from reading them as
    HTML.
    """

    def process_response(self, request, response):
        if PERMISSIONS_POLICY_HEADER not in response:
            response[PERMISSIONS_POLICY_HEADER] = permissions_policy(settings.KAOWU_PERMISSIONS_POLICY)
        if not _is_html(response):
            return response
        return super().process_response(request, response)
