import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache

RAM_DISK = Path("/dev/shm")


def pytest_configure(config):
    """Under pytest-xdist (`-n 2`), each worker gets its own Redis database: `cache.clear()` (below, around
    every test) empties a whole Redis database, which would wipe the other worker's captcha answers and
    SMS codes mid-test. Worker gwN uses database (D - N) mod 16 of KAOWU_REDIS_URL's D. The SQL test
    databases are per worker already (pytest-django: test_<name>_gwN)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from django.conf import settings

    cache_settings = settings.CACHES["default"]
    if cache_settings["BACKEND"] == "django_redis.cache.RedisCache":
        url = urlsplit(cache_settings["LOCATION"])
        database = (int(url.path.strip("/") or 0) - int(worker[2:])) % 16
        cache_settings["LOCATION"] = urlunsplit(url._replace(path=f"/{database}"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """The SQLite test database: in memory, unless a test of the session runs the live server.

    The live server answers on several threads, and only a file database makes their concurrent
    writes wait for each other (SQLite's busy timeout) instead of failing; that file goes to the RAM
    disk when there is one. Unit tests alone (`-m "not browser"` without those) get SQLite's in-memory
    database, which waits on no disk. PostgreSQL is left as configured (test_<name>, _gw0… per worker).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = database.setdefault("TEST", {})
    if not any("live_server" in getattr(item, "fixturenames", ()) for item in request.session.items):
        test["NAME"] = ":memory:"
    elif RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
        # One file per state dir (and xdist worker), so parallel checkouts do not share it.
        name = Path(test["NAME"])
        tag = hashlib.sha256(str(name.parent.resolve()).encode()).hexdigest()[:10]
        test["NAME"] = str(RAM_DISK / f"kaowu-{tag}-{name.name}")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's million rounds are the point in production and pure waiting in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Captcha answers, SMS limits and the home province are cached; tests must not leak them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gansu(db):
    """甘肃省 with its real cities and districts (from stdnum) as the home province."""
    from kaowu.organization.services import province_configure, regions_import

    regions_import(province_prefixes=["62", "63"])
    return province_configure(region_code="620000", authority_name="甘肃省教育考试院",
                              platform_name="甘肃省国家教育考试综合管理平台", logo_text="甘",
                              hotline="0931-8888888", address="甘肃省兰州市城关区", postcode="730030",
                              is_home=True, runs_kaowu=True)


@pytest.fixture
def captcha_solver():
    """Plays the person reading the captcha image: returns the answer for a key shown on a page."""
    from kaowu.verification.captcha import captcha_answer

    return captcha_answer


@pytest.fixture
def sms_inbox():
    """The newest code the development SMS provider delivered to a phone."""
    import re

    from kaowu.notifications.models import DevInboxMessage

    def latest_code(phone: str) -> str | None:
        message = DevInboxMessage.objects.filter(recipient=phone).order_by("-id").first()
        if message is None:
            return None
        match = re.search(r"验证码(\d{6})", message.body)
        return match.group(1) if match else None

    return latest_code
