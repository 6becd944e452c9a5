"""The enforced Content-Security-Policy in the browser: every page of the demo province opens without a
violation, as an anonymous visitor, a candidate and staff, and what used to be inline script works
from the static files (confirm before 移除, the 专业 choice that submits itself, 返回上一页 on an error
page, the charts' tooltips drawn on their canvas).

The page fixtures (conftest.py) turn every `securitypolicyviolation` into a problem that fails the test.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from kaowu.accounts.models import User

pytestmark = pytest.mark.browser

PREFIXES = ["62", "14"]


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from kaowu.demo.services import demo_seed

    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo_seed(region_prefixes=PREFIXES)


def sign_in(page, live_server, username) -> Client:
    """Sign `username` in for the browser (the login form itself is walked elsewhere)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return client


def html_pages(client: Client) -> list[str]:
    """The site's pages without parameters that answer this user with an HTML page."""
    from tests.security.test_csp import _plain_paths

    pages = []
    for path in _plain_paths():
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(path)
    return pages


def visit_all(page, paths):
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
    page.evaluate("1")  # console messages of the last page have arrived
    assert not page.problems, "\n".join(page.problems)


@pytest.mark.parametrize("who", ["anonymous", "demo-b", "gs-admin"])
def test_every_page_opens_without_a_policy_violation(demo, desktop_page, live_server, who):
    page = desktop_page
    client = Client() if who == "anonymous" else sign_in(page, live_server, who)
    paths = html_pages(client)
    assert len(paths) > 20, paths
    visit_all(page, paths)


def test_what_was_inline_script_works_from_static_files(demo, desktop_page, live_server):
    page = desktop_page
    # 毕业预测: choosing another 专业 submits the form (was onchange="this.form.submit()").
    sign_in(page, live_server, "demo-b")
    page.goto("/scores/prediction/")
    select = page.locator("#major-select")
    other = select.locator("option:not([selected])").nth(1).get_attribute("value")
    select.select_option(other)
    expect(page).to_have_url(re.compile(rf"major={re.escape(other)}"))
    expect(page.locator("#major-select")).to_have_value(other)

    # 返回上一页 on the 404 page goes back in the browser's history (was href="javascript:history.back()").
    page.goto("/scores/prediction/")
    page.goto("/no-such-page/")
    page.get_by_role("link", name="返回上一页").click()
    expect(page).to_have_url(re.compile(r"/scores/prediction/$"))

    # 移除 a course from a major's plan asks first (was onsubmit="return confirm(…)"); declining keeps it.
    sign_in(page, live_server, "gs-admin")
    from kaowu.catalog.models import PlanCourse

    entry = PlanCourse.objects.select_related("major").order_by("pk").first()
    page.goto(f"/backoffice/catalog/majors/{entry.major_id}/")
    asked = []

    def decline(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", decline)
    page.locator("form[data-confirm]").first.get_by_role("button", name="移除").click()
    expect(page).to_have_url(re.compile(rf"/backoffice/catalog/majors/{entry.major_id}/$"))
    assert asked == ["确定从专业计划中移除这门课程吗？"]
    assert PlanCourse.objects.filter(pk=entry.pk).exists()
    page.remove_listener("dialog", decline)

    # The charts draw their tooltip on the canvas: hovering them refuses nothing.
    for path, holder in (("/backoffice/registration/statistics/", "#stats-chart"),
                         ("/upgrade/segments/", "[data-segments-chart]")):
        page.goto(path)
        chart = page.locator(holder)
        if chart.count() and chart.locator("canvas").count():
            box = chart.bounding_box()
            for fraction in (0.3, 0.5, 0.7):
                page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)
                page.wait_for_timeout(150)
    page.evaluate("1")
    assert not page.problems, "\n".join(page.problems)


def test_a_violation_fails_the_walk(demo, desktop_page, live_server):
    """The listener works: an inline style the policy refuses is reported as a problem."""
    page = desktop_page
    page.goto("/")
    page.evaluate("""() => { const p = document.createElement("p"); p.setAttribute("style", "color: red");
                             document.body.appendChild(p); }""")
    page.wait_for_timeout(200)
    found = [problem for problem in page.problems if "style-src" in problem]
    assert found, page.problems
    page.problems.clear()
