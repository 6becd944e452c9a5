"""管理端 › 专升本报名: 报考资格审核 (the candidate's materials, 通过 / 不通过 with the reason) and 上报
(a registration point reports its data to the city, a city to the province; the province unlocks)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kaowu.audit.services import personal_data_access_record
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import selectors, services
from .models import DataReport, UpgradeRegistration

Q = UpgradeRegistration.Qualification
TABS = [(Q.REVIEWING, Q.REVIEWING.label), (Q.REJECTED, Q.REJECTED.label), (Q.APPROVED, Q.APPROVED.label),
        ("all", _("全部"))]
REPORTING_OFFICES = services.REPORTING_OFFICES


class DecisionForm(Form):
    decision = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect,
                                 choices=[("approve", _("审核通过")), ("reject", _("审核不通过"))])
    reason = forms.CharField(label=_("不通过原因"), required=False, max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _posted_id(request, name: str) -> int:
    """A row id posted by a form; anything else is a row that does not exist (404, not a 500)."""
    value = request.POST.get(name) or ""
    if not value.isdigit():
        raise Http404
    return int(value)


@never_cache
@staff_required
def registration_list(request):
    staff = request.staff
    status = request.GET.get("status") or Q.REVIEWING
    if status not in dict(TABS):
        status = Q.REVIEWING
    queryset = selectors.registrations_visible_to(staff=staff).filter(status=UpgradeRegistration.Status.IN_PROGRESS)
    counts = {key: queryset.filter(qualification=key).count() for key, _label in TABS if key != "all"}
    if status != "all":
        queryset = queryset.filter(qualification=status)
    query = request.GET.get("q", "").strip()[:30]
    if query:
        from django.db.models import Q as Where

        queryset = queryset.filter(Where(user__real_name__contains=query) | Where(user__candidate_number=query))
    page = Paginator(queryset.order_by("updated_at", "pk"), 20).get_page(request.GET.get("page"))
    open_report = DataReport.objects.filter(office=staff.office, unlocked_at__isnull=True).first()
    return staff_render(request, "upgrade/staff/list.html", {
        "page_obj": page, "tabs": [(k, label, counts.get(k)) for k, label in TABS], "status": status, "q": query,
        "querystring": f"status={status}" + (f"&q={query}" if query else ""),
        "can_report": staff.office.kind in REPORTING_OFFICES, "open_report": open_report,
        "is_province": staff.office.kind == Office.Kind.PROVINCE_AUTHORITY,
        "reports": DataReport.objects.filter(unlocked_at__isnull=True).select_related("office")
        if staff.office.kind == Office.Kind.PROVINCE_AUTHORITY else [],
    }, section="upgrade")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def registration_detail(request, pk: int):
    registration = get_object_or_404(selectors.registrations_visible_to(staff=request.staff), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_decide(registration=registration, staff=request.staff,
                                          approve=form.cleaned_data["decision"] == "approve",
                                          reason=form.cleaned_data["reason"], request=request)
        except services.UpgradeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("审核结果已保存，考生将收到通知。"))
            return redirect("backoffice:upgrade_staff:list")
    personal_data_access_record(actor=request.user, target=registration, fields=["id_number", "phone"],
                                request=request)
    return staff_render(request, "upgrade/staff/detail.html", {
        "registration": registration, "documents": registration.documents.all(), "form": form,
        "resume": registration.resume.all(),
    }, section="upgrade", status=400 if form.errors else 200)


@never_cache
@staff_required
def document_file(request, pk: int, kind: str):
    registration = get_object_or_404(selectors.registrations_visible_to(staff=request.staff), pk=pk)
    document = registration.documents.filter(kind=kind).first()
    if document is None:
        raise Http404
    personal_data_access_record(actor=request.user, target=registration, fields=[f"document:{kind}"],
                                request=request)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def report(request):
    """上报: this 报名点 / city office reports its data; the candidates' forms below it lock."""
    if request.staff.office.kind not in REPORTING_OFFICES:
        raise Http404
    if services.data_report(staff=request.staff, request=request) is None:
        messages.info(request, gettext("已上报，无需重复上报。"))
    else:
        messages.success(request, gettext("已上报。考生的报名信息已锁定，如需修改请联系省级考试机构解锁。"))
    return redirect("backoffice:upgrade_staff:list")


@require_POST
@staff_required
def unlock(request, pk: int):
    """解锁 (the province authority): the office's candidates may change their forms again."""
    if request.staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise Http404
    report = get_object_or_404(DataReport, pk=pk, unlocked_at__isnull=True)
    try:
        report = services.data_report_unlock(staff=request.staff, report=report, request=request)
    except services.UpgradeError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:upgrade_staff:list")
    messages.success(request, gettext("已解锁 %(office)s 的上报数据。") % {"office": report.office.name})
    return redirect("backoffice:upgrade_staff:list")


def _province_only(staff):
    if staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise Http404


def _aware(value: str):
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(value or "")
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _chain_choices():
    from .models import TIE_BREAKERS

    return [(key, label) for key, (label, _descending) in TIE_BREAKERS.items()]


def _admission_import(request) -> str:
    from . import admission_services

    count = admission_services.scores_import(upload=request.FILES.get("file"), staff=request.staff, request=request)
    return gettext("已导入 %(n)s 条成绩。") % {"n": count}


def _admission_supplementary_open(request) -> str:
    from . import admission_services
    from .models import AdmissionRun

    run = get_object_or_404(AdmissionRun.objects.select_related("batch"), pk=request.POST.get("run"))
    admission_services.supplementary_open(run=run, staff=request.staff,
                                          opens_at=_aware(request.POST.get("opens_at", "")),
                                          closes_at=_aware(request.POST.get("closes_at", "")), request=request)
    return gettext("%(batch)s征集志愿已开放。") % {"batch": run.batch.name}


def _admission_supplementary_run(request) -> str:
    from . import admission_services
    from .models import SupplementaryRound

    round_ = get_object_or_404(SupplementaryRound.objects.select_related("run__batch"), pk=request.POST.get("round"))
    round_ = admission_services.supplementary_run(
        round_=round_, staff=request.staff, ratio=request.POST.get("ratio", "1.00"),
        publish_at=_aware(request.POST.get("publish_at", "")), request=request)
    return gettext("%(batch)s征集志愿投档完成：投档 %(n)s 人。") % {"batch": round_.run.batch.name, "n": round_.filed}


def _admission_run(request) -> str:
    from . import admission_services
    from .models import AdmissionBatch

    batch = get_object_or_404(AdmissionBatch, pk=request.POST.get("batch"))
    lines = {value: request.POST.get(f"line_{value}", "") for value, _label in
             UpgradeRegistration._meta.get_field("category").choices}
    chain = [request.POST.get(f"chain_{i}", "") for i in range(1, len(_chain_choices()) + 1)]
    run = admission_services.admission_run(batch=batch, staff=request.staff, ratio=request.POST.get("ratio", "1.00"),
                                           category_lines=lines, chain=chain if any(chain) else None,  # None: default
                                           publish_at=_aware(request.POST.get("publish_at", "")), request=request)
    return gettext("%(batch)s投档完成：投档 %(n)s 人。") % {"batch": batch.name, "n": run.filed}


# The four actions of the 投档 page (a form posts `action`; 投档 is the default).
ADMISSION_ACTIONS = {"import": _admission_import, "supplementary_open": _admission_supplementary_open,
                     "supplementary_run": _admission_supplementary_run}


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def admission(request):
    """成绩导入, 投档 by batch with the tie-break chain, and 征集志愿 (the province)."""
    from . import admission_services
    from .models import UpgradeScore

    _province_only(request.staff)
    error = ""
    if request.method == "POST":
        act = ADMISSION_ACTIONS.get(request.POST.get("action"), _admission_run)
        try:
            messages.success(request, act(request))
            return redirect("backoffice:upgrade_staff:admission")
        except admission_services.UpgradeError as exc:
            error = exc.message
        except ValueError as exc:
            error = str(exc)
    default_open, default_close = admission_services.supplementary_default_window()
    return staff_render(request, "upgrade/staff/admission.html", {
        "batches": admission_services.admission_batches_overview(), "scores": UpgradeScore.objects.count(),
        "error": error, "categories": UpgradeRegistration._meta.get_field("category").choices,
        "chain_choices": _chain_choices(), "default_open": default_open, "default_close": default_close,
    }, section="upgrade", status=400 if error else 200)


def _results_table(run, results, request):
    from .models import AdmissionResult

    results = results.exclude(status=AdmissionResult.Status.NOT_FILED).select_related(
        "registration__user", "registration__score", "plan__college").order_by(
        "round", "plan__college__code", "plan__code", "-registration__score__total")
    return Paginator(results, 50).get_page(request.GET.get("page"))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def admission_results(request, pk: int):
    """A batch's filing: each filed candidate with 退档 (reason required)."""
    from . import admission_services
    from .models import AdmissionResult, AdmissionRun

    _province_only(request.staff)
    run = get_object_or_404(AdmissionRun.objects.select_related("batch"), pk=pk)
    error = ""
    if request.method == "POST":
        result = get_object_or_404(AdmissionResult, pk=_posted_id(request, "result"), run=run)
        try:
            admission_services.admission_reject(result=result, staff=request.staff,
                                                reason=request.POST.get("reason", ""), request=request)
        except admission_services.UpgradeError as exc:
            error = exc.message
        else:
            messages.success(request, gettext("已退档。"))
            return redirect("backoffice:upgrade_staff:admission_results", pk=run.pk)
    return staff_render(request, "upgrade/staff/admission_results.html", {
        "run": run, "page_obj": _results_table(run, run.results.all(), request), "error": error,
        "chain_labels": admission_services.chain_labels(run.chain)},
        section="upgrade", status=400 if error else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def college_results(request):
    """A college's own account (主考学校): the candidates filed to this college, batch by batch, and 退档
    with a reason. A college sees only its own filed candidates."""
    from . import admission_services
    from .models import AdmissionResult, AdmissionRun

    college = selectors.college_of(staff=request.staff)
    if college is None:
        raise Http404
    runs = list(AdmissionRun.objects.filter(batch__plans__college=college).distinct().select_related("batch")
                .order_by("batch__position"))
    run = next((r for r in runs if str(r.pk) == request.GET.get("run", "")), runs[0] if runs else None)
    error = ""
    if request.method == "POST":
        result = get_object_or_404(AdmissionResult, pk=_posted_id(request, "result"), plan__college=college)
        try:
            admission_services.admission_reject(result=result, staff=request.staff, college=college,
                                                reason=request.POST.get("reason", ""), request=request)
        except admission_services.UpgradeError as exc:
            error = exc.message
            run = result.run
        else:
            messages.success(request, gettext("已退档，该考生的计划名额已释放。"))
            return redirect(f"{request.path}?run={result.run_id}")
    page = _results_table(run, run.results.filter(plan__college=college), request) if run else None
    return staff_render(request, "upgrade/staff/college_results.html", {
        "college": college, "runs": runs, "run": run, "page_obj": page, "error": error,
        "querystring": f"run={run.pk}" if run else "",
        "chain_labels": admission_services.chain_labels(run.chain) if run else []},
        section="upgrade_college", status=400 if error else 200)
