"""The embedded default (SQLite) under a burst of writers, and what a busy database looks like.

Twenty candidates press 注册 at the same moment against the real server (pytest-django's threaded
live server on a file database, with the production password hasher). Each one either gets an
account or the 503 page "系统繁忙，请稍后重试" — never a 500 with a traceback.
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import InterfaceError, OperationalError
from django.test import override_settings
from django.urls import path

from kaowu.accounts.models import User
from kaowu.organization.models import Region
from kaowu.testing.factories import make_id_number

BUSY_TEXT = "系统繁忙，请稍后重试"
CONCURRENT = 20


class _Browser:
    """One candidate's cookie jar against the live server (urllib: no extra test dependency)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, url: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + url, data=body, headers={"Referer": self.base_url + url})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no {name} on the page"
    return match.group(1)


@pytest.fixture
def production_hasher(settings):
    # The root conftest swaps in MD5 for speed; the point here is the real cost of PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(params=[None, 2], ids=["default-busy-timeout", "busy-timeout-2s"])
def busy_timeout(request, monkeypatch):
    """The default SQLite busy wait, and a tight one. The probe's machine hashed a password in about
    3 s against the 20 s wait, so 7 of 20 got through; 0.25 s here against 2 s is the same ratio."""
    from django.db import connections

    if request.param is not None:
        if connections["default"].vendor != "sqlite":
            pytest.skip("the busy wait is SQLite's")
        monkeypatch.setitem(connections.settings["default"]["OPTIONS"], "timeout", request.param)
    return request.param


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_never_give_a_500(live_server, gansu, captcha_solver, sms_inbox,
                                                            production_hasher, busy_timeout):
    district = str(Region.objects.get(code="620102").pk)
    prepared = []
    for index in range(CONCURRENT):
        browser = _Browser(live_server.url)
        phone = f"1391200{index:04d}"
        status, _, page = browser.request("/accounts/register/")
        assert status == 200
        key = _field(page, "captcha_0")
        token = _field(page, "csrfmiddlewaretoken")
        status, _, sent = browser.request("/verify/sms/register/", {
            "phone": phone, "captcha_0": key, "captcha_1": captcha_solver(key), "csrfmiddlewaretoken": token})
        assert "验证码已发送" in sent
        prepared.append((browser, token, {
            "real_name": "并发考生", "id_number": make_id_number("620102", f"1990{index % 12 + 1:02d}15"),
            "district": district, "phone": phone, "sms_code": sms_inbox(phone), "password": "Lanzhou-2027-ok",
            "password2": "Lanzhou-2027-ok", "agree": "on", "csrfmiddlewaretoken": token}))

    start = threading.Barrier(CONCURRENT)
    results: list[tuple[int, dict, str] | None] = [None] * CONCURRENT

    def register(slot: int) -> None:
        browser, _, form = prepared[slot]
        start.wait()
        results[slot] = browser.request("/accounts/register/", form)

    threads = [threading.Thread(target=register, args=(slot,)) for slot in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [result[0] for result in results]
    succeeded = sum(1 for status, _, page in results if status == 200 and "注册成功" in page)
    busy = sum(1 for status, headers, page in results if status == 503 and BUSY_TEXT in page)
    print(f"\nbusy timeout {busy_timeout or 'default'}: {CONCURRENT} concurrent registrations: {succeeded} succeeded, {busy} got the 503 page, "
          f"statuses {sorted(statuses)}")
    assert 500 not in statuses
    assert succeeded + busy == CONCURRENT, statuses
    # A 503 may come after the account was written (the session could not be saved): never more.
    accounts = User.objects.filter(phone__in=[form["phone"] for _, _, form in prepared]).count()
    assert succeeded <= accounts <= succeeded + busy
    assert succeeded >= CONCURRENT // 2  # the queue, not the 503 page, is the normal answer


# --- the 503 page itself ---------------------------------------------------------------------------

def _locked_view(request):
    raise OperationalError("database is locked")


def _gone_view(request):
    raise InterfaceError("connection already closed")


def _other_operational_error_view(request):
    raise OperationalError("no such column: secret_column")


urlpatterns = [
    path("locked/", _locked_view),
    path("gone/", _gone_view),
    path("broken-sql/", _other_operational_error_view),
]


@pytest.fixture
def busy_urls():
    with override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False):
        yield


def test_a_locked_database_gives_the_busy_page_with_retry_after_and_no_traceback(client, busy_urls):
    # No database fixture: any query made while answering would raise, and the answer would be a 500.
    client.raise_request_exception = False
    response = client.get("/locked/")
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert BUSY_TEXT in page
    assert "Traceback" not in page and "database is locked" not in page and "OperationalError" not in page
    assert "<html" in page and "/static/" in page  # the site's own look, not a bare text


def test_a_lost_connection_gives_the_busy_page_too(client, busy_urls):
    client.raise_request_exception = False
    response = client.get("/gone/")
    assert response.status_code == 503 and BUSY_TEXT in response.content.decode()


def test_htmx_gets_a_fragment_it_can_swap(client, busy_urls):
    client.raise_request_exception = False
    response = client.get("/locked/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 503 and BUSY_TEXT in page
    assert "<html" not in page
    assert response["HX-Reswap"] == "none" or response.get("HX-Retarget")


def test_a_programming_error_is_not_disguised_as_busy(client, busy_urls):
    client.raise_request_exception = False
    response = client.get("/broken-sql/")
    assert response.status_code == 500
    assert BUSY_TEXT not in response.content.decode()
