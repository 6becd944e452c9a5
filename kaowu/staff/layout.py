"""What every staff page's layout needs: the staff member, their jurisdiction, the section of the side
nav, and what the site shell adds (links it shows or hides, counters), registered by the back office at
start-up with `layout_value` — this package sits below the domain apps and cannot ask them itself."""

from collections.abc import Callable

from django.shortcuts import render

from kaowu.organization.jurisdiction import jurisdiction_of

_LAYOUT_VALUES: dict[str, Callable] = {}


def layout_value(name: str, compute: Callable) -> None:
    """Register `compute(request)` as the layout value `name` of every staff page (e.g. a side-nav counter)."""
    _LAYOUT_VALUES[name] = compute


def staff_render(request, template: str, context: dict | None = None, *, section: str, status: int = 200):
    staff = request.staff
    layout = {"staff": staff, "jurisdiction": jurisdiction_of(staff), "section": section}
    layout.update({name: compute(request) for name, compute in _LAYOUT_VALUES.items()})
    return render(request, template, {**layout, **(context or {})}, status=status)
