"""Browser tests: the real site in Debian's Chromium, driven by Playwright's sync API.

The site runs in this process (pytest-django's `live_server` on a transactional test database),
so a test reads what a person would read elsewhere through the root conftest's fixtures: the
captcha answer from the shared cache (`captcha_solver`), SMS codes from the dev inbox
(`sms_inbox`, or the /dev/inbox/ page itself with `dev_inbox_code`).

Every test here is marked `browser`; they are skipped, with the reason, where /usr/bin/chromium
is missing (`bash scripts/test.sh` installs it). A failing test leaves a screenshot in
test-artifacts/. With KAOWU_SCREENSHOTS=1 (`python scripts/screenshots.py`), the `shoot` fixture
saves named pages into docs/screenshots/.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop on the test's thread; without this Django refuses the
# ORM calls the tests make between browser steps (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's own probe starts it: no sandbox as root, and no background connections,
# which a closed network refuses many at a time.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}
TIMEOUT_MS = 10_000
# Every page reports what its Content-Security-Policy refused (a `securitypolicyviolation` event) on the
# console, where the page fixtures collect it as a problem: the site must work without inline script or
# style, eval or foreign assets, and a refused one is a broken part of the page.
CSP_VIOLATION_PREFIX = "CSP violation:"
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP_VIOLATION_PREFIX " + e.effectiveDirective + " refused " + (e.blockedURI || "inline") + " on " +
                e.documentURI + " (" + (e.sourceFile || "") + ":" + e.lineNumber + ")" +
                (e.sample ? " sample: " + e.sample : "") + (e.disposition === "report" ? " [report only]" : ""));
}, true);
""".replace("CSP_VIOLATION_PREFIX", CSP_VIOLATION_PREFIX)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so page fixtures know at teardown whether it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# The 专升本 notices and the 诚信考试承诺书 count down 10 s for users; a walk still sees each button locked
# with its seconds, then unlocked, without waiting through 40 s per walk (the real 10 s is checked once,
# in kaowu/upgrade/tests/test_registration_steps.py, with a frozen clock).
WALK_COUNTDOWN_SECONDS = 3


@pytest.fixture(autouse=True)
def _short_countdowns(settings):
    settings.KAOWU_NOTICE_COUNTDOWN_SECONDS = WALK_COUNTDOWN_SECONDS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(request, browser, live_server, viewport_name):
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[viewport_name], locale="zh-CN", timezone_id="Asia/Shanghai",
        is_mobile=viewport_name == "phone", has_touch=viewport_name == "phone",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    artifact = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    for stale in ARTIFACTS.glob(f"{artifact}-*.png"):
        stale.unlink()
    # A script error or a missing asset is a broken page, whatever the test checks.
    page.problems = []
    context.on("weberror", lambda error: page.problems.append(f"script error: {error.error}"))
    context.add_init_script(CSP_LISTENER)

    def check_console(message):
        text = message.text
        if text.startswith(CSP_VIOLATION_PREFIX) or "Content Security Policy" in text:
            page.problems.append(text)

    context.on("console", check_console)

    def check_response(response):
        if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
            page.problems.append(f"{response.status} {response.url}")

    context.on("response", check_response)
    yield page
    reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
    failed = any(report is not None and report.failed for report in reports)
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, open_page in enumerate(context.pages):
            open_page.screenshot(path=str(ARTIFACTS / f"{artifact}-{number}.png"), full_page=True)
    context.close()
    if not failed:
        assert not page.problems, f"the pages had problems: {page.problems}"


@pytest.fixture
def phone_page(request, browser, live_server):
    """A 375×812 phone-sized page on the live site."""
    yield from _open_page(request, browser, live_server, "phone")


@pytest.fixture
def desktop_page(request, browser, live_server):
    """A 1280×800 desktop page on the live site."""
    yield from _open_page(request, browser, live_server, "desktop")


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, live_server):
    """The same walk at 375 px and at 1280 px."""
    yield from _open_page(request, browser, live_server, request.param)


@pytest.fixture
def solve_captcha(captcha_solver):
    """Type the captcha shown inside `scope` (a page or a locator), as a person reading the image would."""

    def solve(scope):
        box = scope.locator(".captcha")
        key = box.locator("input[name$=_0]").input_value()
        answer = captcha_solver(key)
        assert answer, f"the captcha {key!r} on the page is unknown to the cache"
        box.locator("input[name$=_1]").fill(answer)

    return solve


@pytest.fixture
def dev_inbox_code(sms_inbox):
    """Open the dev inbox in a new tab, as a demo user would, and read the newest code sent to `phone`."""

    def read(page, phone):
        inbox = page.context.new_page()
        try:
            inbox.goto(f"/dev/inbox/?to={phone}")
            message = inbox.locator("td.dev-message").first.inner_text()
        finally:
            inbox.close()
        match = re.search(r"验证码(\d{6})", message)
        assert match, f"no code in the newest message to {phone}: {message!r}"
        assert match.group(1) == sms_inbox(phone)
        return match.group(1)

    return read


@pytest.fixture
def shoot():
    """`shoot(page, "login")` saves docs/screenshots/login-375.png when KAOWU_SCREENSHOTS is set."""

    def save(page, name):
        if not os.environ.get("KAOWU_SCREENSHOTS"):
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)

    return save
