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


class ServiceUnavailableMiddleware:
    """A database that is busy or out of reach, or a file that cannot be written (disk full,
    read-only), is a 503 page with Retry-After ("系统繁忙，请稍后重试" / "文件保存失败，请稍后重试"),
    never a 500 with a traceback (kaowu.core.unavailable). The same answer comes from
    `kaowu.core.views.server_error` when such an error is raised outside a view (a session saved by
    a middleware).

    Around the view, files written inside a transaction that was rolled back are deleted
    (kaowu.core.uploads): a failed save leaves no orphan file. Keep it last in MIDDLEWARE, so that it
    sees the view's exception first and every transaction of the view has ended when it cleans up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .uploads import uncommitted_files_removed

        with uncommitted_files_removed():
            return self.get_response(request)

    def process_exception(self, request, exception):
        from .unavailable import unavailable_response_for

        return unavailable_response_for(request, exception)
