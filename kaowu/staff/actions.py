"""A staff action posted from a detail page's panel (寄档, 登记复核结果, 接收档案, 作废 …): the form's
errors or the service's refusal become messages, the success message too, and the reviewer lands
back on the detail page either way."""

from django.contrib import messages
from django.shortcuts import redirect

from kaowu.core.errors import UserFacingError


def panel_action(request, form, act, *, success: str, back):
    """`act(cleaned_data)` runs the service when the form is valid; `back` is the redirect target
    (a URL or `redirect` arguments as a tuple)."""
    target = back if isinstance(back, tuple) else (back,)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(*target)
    try:
        act(form.cleaned_data)
    except UserFacingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(*target)
