"""Content-Security-Policy and Permissions-Policy (issue #12, item 8).

Every HTML page carries the enforced policy, strict enough that an injected `<script>`, an `on*=""`
handler, a `javascript:` link or an injected `style=""` does nothing: `script-src 'self'` and
`style-src 'self'` without 'unsafe-inline' or 'unsafe-eval'. For that to hold without breaking the
site, no template (and no page the site renders) may depend on inline script or style: the template
scan and the rendered-page check below keep it so. The browser walks (tests/browser) fail on any
violation the browser reports.

The sweep requests every URL pattern without parameters, and a sample with parameters, as an
anonymous visitor, a candidate and province staff, on the demo province.
"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ["62", "14"]


# --- what a page may not contain --------------------------------------------------------------------

class _InlineCode(HTMLParser):
    """Collects what the policy would refuse: inline scripts, handlers, javascript: URLs, inline style."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_open = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") not in ("application/json",):
            self.found.append(f"<script> without src: {self.get_starttag_text()[:120]}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.found.append(f"{name}= handler on <{tag}>")
            elif name == "style":
                self.found.append(f"style= attribute on <{tag}>: {value[:60]!r}")
            elif name.startswith(("hx-on", "data-hx-on")) or name in ("hx-vars", "data-hx-vars"):
                self.found.append(f"{name}= (htmx would eval it) on <{tag}>")
            elif name in ("hx-vals", "data-hx-vals") and value.lower().startswith(("js:", "javascript:")):
                self.found.append(f"{name}=js: (htmx would eval it) on <{tag}>")
            elif name in self.URL_ATTRIBUTES and re.sub(r"\s", "", value).lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_inline_code_finder_finds_each_kind():
    page = """<p style="color:red" onclick="x()">a</p><script>alert(1)</script><a href=" javascript:void(0)">b</a>
              <style>p{}</style><button hx-on:click="x()">c</button><div hx-vals='js:{a: 1}'></div>
              <script src="/static/a.js"></script><script type="application/json">{"a": 1}</script>"""
    found = inline_code(page)
    assert len(found) == 7, found
    assert inline_code('<a href="/x" data-confirm="确定吗？" class="btn">x</a><img src="data:image/png;base64,AA">') == []


# --- the template scan ------------------------------------------------------------------------------

def _templates() -> list[Path]:
    dirs = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    dirs += list((ROOT / "kaowu").glob("*/templates"))
    return sorted({path for d in dirs for path in d.rglob("*.html")})


# Template tags removed before scanning, so that `{% if %}` inside a tag does not confuse the parser.
_TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def test_no_template_has_inline_script_handlers_javascript_urls_or_inline_style():
    templates = _templates()
    assert len(templates) > 150, f"only {len(templates)} templates found: the scan is looking in the wrong place"
    offending = {}
    for path in templates:
        text = _COMMENT.sub(" ", path.read_text())
        found = inline_code(_TEMPLATE_TAG.sub(" ", text))
        # A handler or style built by a template tag inside a tag (`{% if x %}style="…"{% endif %}`).
        found += [f"raw: {m.group(0)!r}" for m in re.finditer(
            r"""\s(?:on[a-z]+|style)\s*=\s*["']|javascript:|<style[\s>]|hx-on""", text, re.I)]
        if found:
            offending[str(path.relative_to(ROOT))] = sorted(set(found))
    assert offending == {}, "\n".join(f"{path}: {found}" for path, found in offending.items())


# --- the sweep --------------------------------------------------------------------------------------

def _plain_paths() -> list[str]:
    """Every URL of the site that takes no parameter, built from the resolver's route strings."""
    paths: list[str] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = getattr(pattern.pattern, "_route", None)
            if route is None or pattern.pattern.converters or pattern.pattern.regex.groupindex:
                continue  # a regex pattern or one with parameters
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def _parse(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _policy_problems(response) -> list[str]:
    header = response.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    policy = _parse(header)
    problems = []
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive, policy.get("default-src"))
        if sources is None:
            problems.append(f"no {directive}")
        elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:", "http:"} & set(sources):
            problems.append(f"{directive} {' '.join(sources)}")
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"default-src {policy.get('default-src')}")
    if policy.get("object-src") != ["'none'"]:
        problems.append(f"object-src {policy.get('object-src')}")
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
    if "base-uri" not in policy:
        problems.append("no base-uri")
    permissions = response.get("Permissions-Policy", "")
    if "camera=()" not in permissions or "microphone=()" not in permissions or "geolocation=()" not in permissions:
        problems.append(f"Permissions-Policy {permissions!r}")
    return problems


@pytest.fixture
def demo(db, settings, tmp_path):
    from kaowu.demo.services import demo_seed

    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo_seed(region_prefixes=PREFIXES)


def _sample_paths() -> list[str]:
    """A sample of URLs with parameters: public pages, the candidate's own objects, staff details."""
    from kaowu.candidates.models import Candidate
    from kaowu.catalog.models import Announcement, Major
    from kaowu.payments.models import Order
    from kaowu.workflow.models import Application

    candidate = Candidate.objects.get(user__username="demo-b")
    major = Major.objects.order_by("pk").first()
    within = Application.objects.get(type_code="transfer_within_province")  # the demo's, in 兰州
    paths = [
        reverse("catalog:major_detail", args=[major.code]),
        reverse("backoffice:catalog_staff:major_detail", args=[major.pk]),
        reverse("backoffice:candidate_detail", args=[candidate.pk]),
        reverse("backoffice:workflow_staff:detail", args=[within.pk]),
    ]
    own = Application.objects.filter(applicant=candidate.user).first()
    if own is not None:
        paths.append(reverse("workflow:detail", args=[own.number]))
    announcement = Announcement.objects.order_by("pk").first()
    if announcement is not None:
        paths.append(reverse("catalog:announcement_detail", args=[announcement.pk]))
    order = Order.objects.filter(user=candidate.user).first()
    if order is not None:
        paths.append(reverse("payments:order_detail", args=[order.number]))
    return paths


def _sweep(client: Client, paths: list[str]) -> tuple[int, dict[str, list[str]]]:
    pages, problems = 0, {}
    for path in paths:
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += response.status_code == 200
        found = _policy_problems(response)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            found += inline_code(response.content.decode())
        if response.status_code >= 500:
            found.append(f"status {response.status_code}")
        if found:
            problems[f"{path} ({response.status_code})"] = found
    return pages, problems


# 张浩然 (a candidate with a 准考证号), the province's reviewer and 兰州市考办 (whose queue holds the demo's
# 省内转考, the sample's application).
USERS = {"candidate": "demo-b", "province staff": "gs-reviewer", "city staff": "lz-city"}


@pytest.mark.parametrize("who", ["anonymous", *USERS])
def test_every_page_carries_the_enforced_policy_and_no_inline_code(demo, who):
    from kaowu.accounts.models import User

    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(User.objects.get(username=USERS[who]))
    paths = _plain_paths() + _sample_paths()
    assert len(paths) > 150, f"only {len(paths)} URLs to sweep: the resolver walk is broken"
    pages, problems = _sweep(client, paths)
    assert pages > 20, f"only {pages} pages answered 200: the sweep did not reach the pages"
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_the_staff_sample_pages_render_for_staff(demo):
    """The sample's object pages are real pages for province staff (so the sweep saw their HTML)."""
    from kaowu.accounts.models import User

    statuses = {}
    for who in ("province staff", "city staff"):
        client = Client()
        client.force_login(User.objects.get(username=USERS[who]))
        for path in _sample_paths():
            if "/backoffice/" in path:
                statuses[path] = max(statuses.get(path, 0), 200 if client.get(path).status_code == 200 else 0)
    assert len(statuses) == 3 and set(statuses.values()) == {200}, statuses


def _settings_value(env: dict, expression: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KAOWU_CSP")} | env
    environment["KAOWU_VAR_DIR"] = os.environ.get("KAOWU_VAR_DIR", str(ROOT / "var"))
    code = f"import kaowu.settings as s; print(repr(({expression})))"
    return subprocess.run([sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_the_policy_is_enforced_by_default_and_report_only_on_request():
    assert _settings_value({}, "bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY)") == \
        "(True, False)"
    assert _settings_value({"KAOWU_CSP_REPORT_ONLY": "1"},
                           "bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY)") == \
        "(False, True)"


def test_report_only_mode_sends_the_same_policy_as_report_only(client, gansu, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_a_payment_cashier_origin_can_be_allowed_as_a_form_target():
    assert "https://openapi.alipay.com" in _settings_value(
        {"KAOWU_CSP_FORM_ACTION": "https://openapi.alipay.com"}, "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']")


def test_a_failed_csrf_check_gets_the_sites_own_chinese_page_under_the_policy(gansu):
    """Django's built-in CSRF page is English with an inline <style> the policy refuses: ours is neither."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"identifier": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，请刷新后重试" in page and "CSRF verification failed" not in page
    assert "<style" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
