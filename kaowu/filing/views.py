"""基本信息填报 (seed 002): 考生须知 → 填写 → 预览 → 保存信息 → 考区审核; 查看/修改 while not approved."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from kaowu.accounts.decorators import candidate_required

from . import services
from .forms import FilingForm
from .models import Filing

SESSION_NOTICE = "filing_notice_agreed_at"
SESSION_DRAFT = "filing_draft"


def _candidate(request):
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        raise Http404
    return candidate


def _id_photo(user):
    from kaowu.identity.models import Photo
    from kaowu.identity.selectors import verification_passed

    verification = verification_passed(user=user)
    if verification is None:
        return None
    return verification.photos.filter(kind=Photo.Kind.ID_PHOTO, is_current=True, deleted_at__isnull=True).first()


def _steps(current: int, *, done_all: bool = False) -> list[dict]:
    labels = [gettext("阅读考生须知"), gettext("填写基本信息"), gettext("预览确认"), gettext("考区审核")]
    return [{"label": label, "state": "is-done" if done_all or i < current else "is-current" if i == current else ""}
            for i, label in enumerate(labels, start=1)]


@candidate_required
def overview(request):
    candidate = _candidate(request)
    filing = getattr(candidate, "filing", None)
    problem = None if filing else services.filing_prerequisite_error(candidate=candidate)
    from kaowu.identity.selectors import verification_passed

    return render(request, "filing/overview.html", {
        "filing": filing,
        "problem": problem,
        # The way forward when the problem is the missing identity verification.
        "needs_identity": bool(problem) and verification_passed(user=candidate.user) is None,
        "history": filing.history.select_related("actor") if filing else [],
        "steps": _steps(4, done_all=bool(filing and filing.status == Filing.Status.APPROVED)) if filing else _steps(1),
    })


@candidate_required
@require_http_methods(["GET", "POST"])
def notice(request):
    candidate = _candidate(request)
    problem = services.filing_prerequisite_error(candidate=candidate)
    if problem and not hasattr(candidate, "filing"):
        messages.warning(request, problem)
        return redirect("filing:overview")
    error = ""
    if request.method == "POST":
        if request.POST.get("agree") == "on":
            request.session[SESSION_NOTICE] = timezone.now().isoformat()
            return redirect("filing:form")
        error = gettext("请阅读并勾选“我已阅读并同意《考生须知》”")
    return render(request, "filing/notice.html", {"error": error, "steps": _steps(1)})


@candidate_required
@require_http_methods(["GET", "POST"])
def form_view(request):
    candidate = _candidate(request)
    filing = getattr(candidate, "filing", None)
    if filing is not None and not filing.editable:
        messages.info(request, gettext("基本信息已审核通过，只能查看，不能修改。"))
        return redirect("filing:overview")
    if filing is None and not request.session.get(SESSION_NOTICE):
        return redirect("filing:notice")
    if request.method == "POST":
        form = FilingForm(request.POST, instance=filing)
        if form.is_valid():
            request.session[SESSION_DRAFT] = {k: v for k, v in request.POST.items() if k in FilingForm.Meta.fields}
            return redirect("filing:preview")
    else:
        draft = request.session.get(SESSION_DRAFT)
        form = FilingForm(draft, instance=filing) if draft else FilingForm(instance=filing, initial=_initial(candidate))
    return render(request, "filing/form.html", {"form": form, "filing": filing, "steps": _steps(2),
                                                "id_photo": _id_photo(request.user)})


def _initial(candidate) -> dict:
    from stdnum.cn import ric

    from kaowu.organization.models import Office

    initial = {}
    try:
        initial["gender"] = "男" if int(ric.compact(candidate.user.id_number)[16]) % 2 else "女"
    except (ValueError, IndexError):
        pass
    city = candidate.district if candidate.district.level == "city" else candidate.district.parent
    area = Office.objects.filter(kind=Office.Kind.EXAM_AREA, region=city, is_active=True).first()
    if area:
        initial["exam_area"] = area.pk
    return initial


@candidate_required
@require_http_methods(["GET", "POST"])
def preview(request):
    candidate = _candidate(request)
    filing = getattr(candidate, "filing", None)
    draft = request.session.get(SESSION_DRAFT)
    if not draft:
        return redirect("filing:form")
    form = FilingForm(draft, instance=filing)
    if not form.is_valid():
        return redirect("filing:form")
    if request.method == "POST":
        agreed = parse_datetime(request.session.get(SESSION_NOTICE) or "") or (filing.notice_agreed_at if filing else None)
        try:
            services.filing_save(candidate=candidate, data={**form.cleaned_data, "notice_agreed_at": agreed or timezone.now()},
                                 actor=request.user, request=request)
        except services.FilingError as exc:
            messages.error(request, exc.message)
            return redirect("filing:form")
        request.session.pop(SESSION_DRAFT, None)
        messages.success(request, gettext("基本信息已保存并提交考区审核。请及时查看审核状态。"))
        return redirect("filing:overview")
    values = [(form[name].label, _display(form, name)) for name in FilingForm.Meta.fields]
    return render(request, "filing/preview.html", {"values": values, "steps": _steps(3),
                                                   "id_photo": _id_photo(request.user)})


def _display(form, name) -> str:
    value = form.cleaned_data.get(name)
    if value in (None, ""):
        return "—"
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))  # the label, in the reader's language
    return str(value)
