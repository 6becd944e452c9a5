"""管理端 › 专升本报名: 报考资格审核 (the candidate's materials, 通过 / 不通过 with the reason) and 上报
(a registration point reports its data to the city, a city to the province; the province unlocks)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kaowu.audit.services import audit_record, personal_data_access_record
from kaowu.backoffice.decorators import staff_required
from kaowu.backoffice.layout import staff_render
from kaowu.organization.models import Office

from . import selectors, services
from .models import DataReport, UpgradeRegistration

Q = UpgradeRegistration.Qualification
TABS = [(Q.REVIEWING, Q.REVIEWING.label), (Q.REJECTED, Q.REJECTED.label), (Q.APPROVED, Q.APPROVED.label),
        ("all", _("全部"))]
REPORTING_OFFICES = (Office.Kind.REGISTRATION_POINT, Office.Kind.CITY_OFFICE)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect,
                                 choices=[("approve", _("审核通过")), ("reject", _("审核不通过"))])
    reason = forms.CharField(label=_("不通过原因"), required=False, max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))


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
        "province": staff.office.kind == Office.Kind.PROVINCE_AUTHORITY,
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
    staff = request.staff
    if staff.office.kind not in REPORTING_OFFICES:
        raise Http404
    try:
        report = DataReport.objects.create(office=staff.office, reported_by=request.user)
    except IntegrityError:
        messages.info(request, gettext("已上报，无需重复上报。"))
    else:
        audit_record(actor=request.user, action="upgrade.data_reported", target=report, request=request)
        messages.success(request, gettext("已上报。考生的报名信息已锁定，如需修改请联系省级考试机构解锁。"))
    return redirect("backoffice:upgrade_staff:list")


@require_POST
@staff_required
def unlock(request, pk: int):
    """解锁 (the province authority): the office's candidates may change their forms again."""
    if request.staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise Http404
    report = get_object_or_404(DataReport, pk=pk, unlocked_at__isnull=True)
    report.unlocked_at, report.unlocked_by = timezone.now(), request.user
    report.save(update_fields=["unlocked_at", "unlocked_by"])
    audit_record(actor=request.user, action="upgrade.data_unlocked", target=report, request=request,
                 detail={"office": report.office.code})
    messages.success(request, gettext("已解锁 %(office)s 的上报数据。") % {"office": report.office.name})
    return redirect("backoffice:upgrade_staff:list")


def _province_only(staff):
    if staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def admission(request):
    """成绩导入 and 投档 by batch (the province)."""
    from . import admission_services
    from .models import AdmissionBatch, UpgradeScore

    _province_only(request.staff)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "import":
                count = admission_services.scores_import(upload=request.FILES.get("file"), staff=request.staff,
                                                         request=request)
                messages.success(request, gettext("已导入 %(n)s 条成绩。") % {"n": count})
            else:
                from django.utils.dateparse import parse_datetime

                batch = get_object_or_404(AdmissionBatch, pk=request.POST.get("batch"))
                publish = parse_datetime(request.POST.get("publish_at", "") or "")
                if publish is not None and timezone.is_naive(publish):
                    publish = timezone.make_aware(publish)
                lines = {value: request.POST.get(f"line_{value}", "") for value, _label in
                         UpgradeRegistration._meta.get_field("category").choices}
                run = admission_services.admission_run(batch=batch, staff=request.staff,
                                                       ratio=request.POST.get("ratio", "1.00"),
                                                       category_lines=lines, publish_at=publish, request=request)
                messages.success(request, gettext("%(batch)s投档完成：投档 %(n)s 人。") % {"batch": batch.name,
                                                                                   "n": run.filed})
            return redirect("backoffice:upgrade_staff:admission")
        except admission_services.UpgradeError as exc:
            error = exc.message
        except ValueError as exc:
            error = str(exc)
    return staff_render(request, "upgrade/staff/admission.html", {
        "batches": AdmissionBatch.objects.select_related("run").all(), "scores": UpgradeScore.objects.count(),
        "error": error, "categories": UpgradeRegistration._meta.get_field("category").choices,
    }, section="upgrade", status=400 if error else 200)


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
        result = get_object_or_404(AdmissionResult, pk=request.POST.get("result"), run=run)
        try:
            admission_services.admission_reject(result=result, staff=request.staff,
                                                reason=request.POST.get("reason", ""), request=request)
        except admission_services.UpgradeError as exc:
            error = exc.message
        else:
            messages.success(request, gettext("已退档。"))
            return redirect("backoffice:upgrade_staff:admission_results", pk=run.pk)
    results = run.results.exclude(status=AdmissionResult.Status.NOT_FILED).select_related(
        "registration__user", "registration__score", "plan__college").order_by("plan__college__code", "plan__code",
                                                                               "-registration__score__total")
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    return staff_render(request, "upgrade/staff/admission_results.html", {
        "run": run, "page_obj": page, "error": error}, section="upgrade", status=400 if error else 200)
