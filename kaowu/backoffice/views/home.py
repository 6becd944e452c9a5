from kaowu.audit.selectors import audit_events_of_actor
from kaowu.identity.selectors import pending_review_count
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from ..forms import CandidateFilterForm
from ..selectors import NEW_REGISTRATION_DAYS, workbench_counts


@staff_required
def home(request):
    """工作台: what awaits the staff member, their office, and their own recent actions."""
    return staff_render(request, "backoffice/home.html", {
        "counts": workbench_counts(staff=request.staff),
        "new_days": NEW_REGISTRATION_DAYS,
        "show_new": CandidateFilterForm.SHOW_NEW,
        "show_merge": CandidateFilterForm.SHOW_AWAITING_MERGE,
        "recent_events": audit_events_of_actor(user=request.user, limit=10),
        "identity_pending": pending_review_count(staff=request.staff),
    }, section="home")
