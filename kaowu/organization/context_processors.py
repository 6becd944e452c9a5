from django.conf import settings

from kaowu.organization.selectors import home_province


def platform(request):
    return {
        "province": home_province(),
        "demo_mode": settings.DEMO_MODE,
        "dev_inbox_enabled": settings.KAOWU_DEV_INBOX,
        "idle_timeout_minutes": settings.KAOWU_IDLE_TIMEOUT_MINUTES,
    }
