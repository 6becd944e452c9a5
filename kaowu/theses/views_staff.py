"""毕业论文答辩申请 on the staff side: the actions of the card on the 申请审核 detail page (the card itself
is the type's `staff_panel` hook in types.py). Applications are found through
`workflow.selectors.application_get_for_staff`: another office's is a 404, and the services act only
on an application in the university's own queue."""

from django.http import Http404
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kaowu.staff.actions import panel_action
from kaowu.staff.decorators import staff_required
from kaowu.workflow import selectors as workflow_selectors

from . import services
from .types import CODE, AcceptForm, ResultForm


def _get(request, pk: int):
    application = workflow_selectors.application_get_for_staff(staff=request.staff, pk=pk)
    if application.type_code != CODE:
        raise Http404
    return application


@require_POST
@staff_required
def accept(request, pk: int):
    """审核通过（待答辩） (the major's 主考学校, while 审核中)."""
    application = _get(request, pk)

    def act(data):
        services.thesis_accept(application=application, staff=request.staff, arrangement=data["arrangement"],
                               request=request)

    return panel_action(request, AcceptForm(request.POST, prefix="accept"), act,
                        success=gettext("已审核通过，待答辩；考生将收到通知。"),
                        back=("backoffice:workflow_staff:detail", pk))


@require_POST
@staff_required
def result(request, pk: int):
    """登记答辩结果 (the major's 主考学校, once 待答辩)."""
    application = _get(request, pk)

    def act(data):
        services.thesis_record_result(application=application, staff=request.staff,
                                      passed=data["outcome"] == "passed", grade=data["grade"],
                                      defended_on=data["defended_on"], note=data["note"], request=request)

    return panel_action(request, ResultForm(request.POST, prefix="result"), act,
                        success=gettext("已登记答辩结果，考生将收到通知。"),
                        back=("backoffice:workflow_staff:detail", pk))
