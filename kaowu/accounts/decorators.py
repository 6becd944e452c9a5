from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def candidate_required(view):
    """Candidate pages: a signed-in candidate; staff are sent to their back office."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_candidate:
            return redirect("backoffice:home")
        return view(request, *args, **kwargs)

    return wrapper
