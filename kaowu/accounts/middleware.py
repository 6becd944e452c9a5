from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Staff-issued accounts must change their password before anything else (seed 004 §2.4)."""

    allowed_prefixes = ("/static/", "/captcha/", "/dev/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            target = reverse("accounts:first_password_change")
            allowed = (target, reverse("accounts:logout"))
            if request.path not in allowed and not request.path.startswith(self.allowed_prefixes):
                return redirect(target)
        return self.get_response(request)
