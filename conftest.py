import pytest
from django.core.cache import cache


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
