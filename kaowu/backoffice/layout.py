"""What every back-office page's layout needs: the staff member, their jurisdiction and the side nav."""

from django.shortcuts import render

from kaowu.audit.selectors import audit_log_allowed
from kaowu.identity.selectors import pending_review_count
from kaowu.organization.jurisdiction import jurisdiction_of

from .admin_site import province_admin_site


def staff_render(request, template: str, context: dict | None = None, *, section: str, status: int = 200):
    staff = request.staff
    layout = {
        "staff": staff,
        "jurisdiction": jurisdiction_of(staff),
        "section": section,
        "can_view_audit": audit_log_allowed(staff=staff),
        "can_maintain_reference_data": province_admin_site.has_permission(request),
        "identity_pending": pending_review_count(staff=staff),
    }
    return render(request, template, {**layout, **(context or {})}, status=status)
