"""考籍转入 pages (seeds 000, 003): the list of incoming transfers, the detail with every transferred
score, 确认转入 (the text to sign → 生成二维码进行签名 → the phone signs → back here, confirmed), and the
转入登记表 (PDF)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaowu.accounts.decorators import candidate_required
from kaowu.catalog.windows import window_closed_message, window_label
from kaowu.workflow.pages import candidate_of as _candidate

from . import selectors, services_in
from .incoming import BADGES, next_step, signature_content, signature_subject
from .models import IncomingCourse, IncomingTransfer


def timeline_rows(transfer: IncomingTransfer) -> list[dict]:
    """The history in the shape of workflow/_timeline.html."""
    rows = []
    for t in transfer.transitions.select_related("actor", "actor_office"):
        if t.actor_office_id is not None:
            actor = t.actor_office.name
        elif t.actor_id is not None:
            actor = gettext("考生本人")
        else:
            actor = gettext("系统")
        rows.append({"transition": t, "badge": BADGES.get(t.to_status, "neutral"), "label": t.to_label,
                     "step": "", "actor": actor, "comment": gettext(t.comment) if t.comment else "",
                     "version": None})
    return rows


def _unverified(request):
    """考籍转入 shows another province's record of a person: only to the account that passed 身份认证
    (anyone may register with an ID number; verification proves it is theirs)."""
    from kaowu.identity.selectors import verification_passed

    if verification_passed(user=request.user) is not None:
        return None
    messages.warning(request, gettext("考籍转入信息仅向通过身份认证的考生本人显示，请先完成身份认证。"))
    return redirect("identity:overview")


def _steps(transfer: IncomingTransfer) -> list[dict]:
    if transfer.status == IncomingTransfer.Status.VOIDED:
        return []
    labels = [gettext("待确认"), gettext("签字确认转入"), gettext("接收档案"), gettext("成绩记入考籍")]
    current = {IncomingTransfer.Status.PENDING: 2, IncomingTransfer.Status.CONFIRMED: 3,
               IncomingTransfer.Status.RECEIVED: 5}[transfer.status]
    return [{"label": label, "state": "is-done" if i < current else "is-current" if i == current else ""}
            for i, label in enumerate(labels, start=1)]


@never_cache
@candidate_required
def landing(request):
    if (blocked := _unverified(request)) is not None:
        return blocked
    candidate = _candidate(request)
    services_in.incoming_transfers_match(candidate=candidate)
    transfers = list(selectors.incoming_transfers_for_candidate(user=request.user))
    return render(request, "transfers/in_landing.html", {"transfers": transfers, "badges": BADGES})


@never_cache
@candidate_required
def detail(request, number: str):
    if (blocked := _unverified(request)) is not None:
        return blocked
    transfer = selectors.incoming_transfer_get_for_candidate(user=request.user, number=number)
    courses = list(transfer.courses.all())
    window_kind, window, window_open = _confirm_window(transfer)
    return render(request, "transfers/in_detail.html", {
        "window": window, "window_label": window_label(window_kind), "window_open": window_open,
        "transfer": transfer, "courses": courses, "badge": BADGES[transfer.status],
        "unmatched": [c for c in courses if c.outcome == IncomingCourse.Outcome.UNMATCHED],
        "next_step": next_step(transfer), "steps": _steps(transfer), "timeline": timeline_rows(transfer),
        "can_confirm": transfer.status == IncomingTransfer.Status.PENDING and window_open,
    })


def _confirm_window(transfer: IncomingTransfer):
    applicable = services_in.transfer_in_window(candidate=transfer.candidate)
    return applicable.kind, applicable.window, applicable.is_open


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def confirm(request, number: str):
    """确认转入: the text to sign; 生成二维码进行签名 opens the signatures desktop page, which comes back
    to `confirm_done` once the phone has signed."""
    if (blocked := _unverified(request)) is not None:
        return blocked
    from kaowu.signatures.services import signature_request_create

    transfer = selectors.incoming_transfer_get_for_candidate(user=request.user, number=number)
    if transfer.status != IncomingTransfer.Status.PENDING:
        messages.info(request, gettext("考籍转入当前状态为“%(status)s”，不需要再确认。")
                      % {"status": transfer.get_status_display()})
        return redirect("transfers:in_detail", number)
    window_kind, window, window_open = _confirm_window(transfer)
    if not window_open:
        messages.error(request, window_closed_message(window_kind, window))
        return redirect("transfers:in_detail", number)
    content = signature_content(transfer)
    if request.method == "POST":
        signature = signature_request_create(
            user=request.user, purpose=gettext("考籍转入确认"), subject=signature_subject(transfer), version=1,
            content=content, return_url=reverse("transfers:in_confirm_done", args=[number]))
        return redirect("signatures:desktop", token=signature.token)
    return render(request, "transfers/in_confirm.html", {"transfer": transfer, "content": content,
                                                         "steps": _steps(transfer)})


@never_cache
@require_GET
@candidate_required
def confirm_done(request, number: str):
    """Where the signatures page goes once signed: confirms if the signature is valid for the text."""
    if (blocked := _unverified(request)) is not None:
        return blocked
    transfer = selectors.incoming_transfer_get_for_candidate(user=request.user, number=number)
    if transfer.status != IncomingTransfer.Status.PENDING:
        return redirect("transfers:in_detail", number)
    try:
        transfer = services_in.incoming_transfer_confirm(transfer=transfer, actor=request.user, request=request)
    except services_in.TransferInError as exc:
        messages.error(request, exc.message)
        return redirect("transfers:in_confirm", number)
    if transfer.status == IncomingTransfer.Status.RECEIVED:
        messages.success(request, gettext("签字确认完成，考籍转入已确认，转入成绩已记入您的考籍。"))
    else:
        messages.success(request, gettext("签字确认完成，考籍转入已确认。省级考试机构接收档案后，转入成绩将记入您的考籍。"))
    return redirect("transfers:in_detail", number)


def pdf_response(transfer: IncomingTransfer) -> HttpResponse:
    from .pdf import transfer_in_form_pdf

    response = HttpResponse(transfer_in_form_pdf(transfer), content_type="application/pdf")
    name = gettext("考籍转入登记表_%(number)s.pdf") % {"number": transfer.number}
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
@candidate_required
def form_pdf(request, number: str):
    """转入登记表 (PDF), the candidate's own."""
    if (blocked := _unverified(request)) is not None:
        return blocked
    return pdf_response(selectors.incoming_transfer_get_for_candidate(user=request.user, number=number))
