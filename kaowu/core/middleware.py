import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext

SESSION_LAST_SEEN = "kaowu_last_seen"


class IdleTimeoutMiddleware:
    """Signs a user out after KAOWU_IDLE_TIMEOUT_MINUTES without a request (shared computers
    in internet cafés and exam halls)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN)
            limit = settings.KAOWU_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - last_seen > limit:
                was_staff = request.user.is_staff_member
                logout(request)
                messages.info(request, gettext("您已超过%(minutes)s分钟未操作，为保护账号安全已自动退出，请重新登录。")
                              % {"minutes": settings.KAOWU_IDLE_TIMEOUT_MINUTES})
                return redirect("backoffice:login" if was_staff else "accounts:login")
            # Writing the session on every request is wasteful; a minute's resolution is enough.
            if last_seen is None or now - last_seen >= 60:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class CookieLocaleMiddleware:
    """Simplified Chinese unless the user picked another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; candidates on borrowed or
    English-configured machines must still get the Chinese UI they know."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
