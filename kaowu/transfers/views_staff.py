"""考籍转出 on the staff side: the actions of the card on the 申请审核 detail page (the card itself is the
type's `staff_panel` hook in out.py: 寄档 for the province authority once 审核通过, the mailing once
recorded, the 转出登记表). Applications are found
through `workflow.selectors.application_get_for_staff`: another office's is a 404."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.text import Form, PersonNameField
from kaowu.organization.models import Office
from kaowu.staff.actions import panel_action
from kaowu.staff.decorators import staff_required
from kaowu.workflow import selectors as workflow_selectors

from . import services
from .out import CODE, DossierForm


def _get(request, pk: int):
    application = workflow_selectors.application_get_for_staff(staff=request.staff, pk=pk)
    if application.type_code != CODE:
        from django.http import Http404

        raise Http404
    return application


@require_POST
@staff_required
def dossier_send(request, pk: int):
    """寄档: record the mailing (province authority, after 审核通过)."""
    application = _get(request, pk)
    return panel_action(request, DossierForm(request.POST), lambda data: services.transfer_out_dossier_send(
        application=application, staff=request.staff, carrier=data["carrier"],
        tracking_number=data["tracking_number"], mailed_on=data["mailed_on"], request=request),
        success=gettext("已登记寄档，考籍转出已完成。"), back=("backoffice:workflow_staff:detail", pk))


@never_cache
@require_GET
@staff_required
def form_pdf(request, pk: int):
    """转出登记表 (PDF) for a reviewer of the application; every download is audited."""
    from .views_out import pdf_response

    application = _get(request, pk)
    audit_record(actor=request.user, action=AuditAction.TRANSFER_OUT_FORM_DOWNLOADED, target=application, request=request,
                 jurisdiction_code=application.candidate.district.code, detail={"number": application.number})
    return pdf_response(application)


# --- 电子寄档 (考籍转出 to a province on kaowu) ------------------------------------------------------

@require_POST
@staff_required
def package_export(request, pk: int):
    """导出电子转考数据包: completes the approved 考籍转出 (province authority); then downloads it."""
    from .services_in import TransferInError, transfer_out_package_export

    application = _get(request, pk)
    try:
        transfer_out_package_export(application=application, staff=request.staff, request=request)
    except TransferInError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:workflow_staff:detail", pk)
    messages.success(request, gettext("已导出电子转考数据包，考籍转出已完成。请将数据包交转入省份导入。"))
    return redirect("backoffice:workflow_staff:detail", pk)


@never_cache
@require_GET
@staff_required
def package_download(request, pk: int):
    """The exported package again (it holds the full ID number: every download is audited)."""
    from django.http import Http404, HttpResponse
    from django.utils.http import content_disposition_header

    application = _get(request, pk)
    dispatch = getattr(application, "dossier_dispatch", None)
    if dispatch is None or not dispatch.package or request.staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.TRANSFER_OUT_PACKAGE_DOWNLOADED, target=application, request=request,
                 jurisdiction_code=application.candidate.district.code, detail={"number": application.number})
    response = HttpResponse(dispatch.package.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, gettext("电子转考数据包_%(number)s.json") % {"number": application.number})
    response["Cache-Control"] = "private, no-store"
    return response


# --- 考籍转入 on the staff side -------------------------------------------------------------------

PAGE_SIZE = 20


class IncomingFilterForm(Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"placeholder": _("转入编号、转出申请编号、姓名或完整身份证号")}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("", _("全部")), ("pending", _("待确认")), ("confirmed", _("已确认")), ("received", _("已接收")),
        ("voided", _("已作废")), ("unmatched", _("待匹配"))])
    method = forms.ChoiceField(label=_("转入方式"), required=False, choices=[
        ("", _("全部")), ("electronic", _("电子转入")), ("paper", _("纸质档案"))])


class ReceiveForm(Form):
    received_on = forms.DateField(label=_("档案接收日期"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"required": _("请填写档案接收日期"), "invalid": _("请填写正确的日期")})
    note = forms.CharField(label=_("接收说明"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": _("例如：EMS 已签收，档案完整")}))


class VoidForm(Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：身份证号录入错误，已重新录入")}),
                             error_messages={"required": _("请填写作废原因")})


class ImportForm(Form):
    package = forms.FileField(label=_("电子转考数据包"), help_text=_("转出省份导出的 .json 文件"),
                              error_messages={"required": _("请选择数据包文件")})


class PaperTransferForm(Form):
    from_province = forms.ModelChoiceField(label=_("转出省份"), queryset=None, empty_label=_("请选择省份"),
                                           error_messages={"required": _("请选择转出省份")})
    source_number = forms.CharField(label=_("转出申请编号"), max_length=40,
                                    help_text=_("转出登记表上的申请编号"),
                                    error_messages={"required": _("请填写转出申请编号")})
    name = PersonNameField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    id_number = forms.CharField(label=_("身份证号"), max_length=30, error_messages={"required": _("请填写身份证号")})
    exam_number = forms.CharField(label=_("原准考证号"), max_length=20, required=False)
    major = forms.CharField(label=_("原报考专业"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        from kaowu.organization.models import Province

        super().__init__(*args, **kwargs)
        self.fields["from_province"].queryset = Province.objects.filter(is_home=False).order_by("region__code")

    def clean_id_number(self):
        from django.core.exceptions import ValidationError

        from kaowu.core.validation import normalize_id_number

        try:
            return normalize_id_number(self.cleaned_data["id_number"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None


def _cell(label, **attrs):
    return {"placeholder": label, "aria-label": label, **attrs}


class CourseRowForm(Form):
    code = forms.CharField(label=_("课程代码"), max_length=10, required=False,
                           widget=forms.TextInput(attrs=_cell(_("课程代码"), inputmode="numeric")))
    name = forms.CharField(label=_("课程名称"), max_length=60, required=False,
                           widget=forms.TextInput(attrs=_cell(_("课程名称"))))
    credits = forms.IntegerField(label=_("学分"), min_value=0, max_value=30, required=False,
                                 widget=forms.NumberInput(attrs=_cell(_("学分"))))
    score = forms.DecimalField(label=_("成绩"), min_value=0, max_value=100, decimal_places=1, required=False,
                               widget=forms.NumberInput(attrs=_cell(_("成绩"), step="0.1")))
    sitting = forms.CharField(label=_("考期"), max_length=30, required=False,
                              widget=forms.TextInput(attrs=_cell(_("考期（例如 2025年10月）"))))


CourseRows = forms.formset_factory(CourseRowForm, extra=8, max_num=40)


def _in_render(request, template, context, status=200):
    from kaowu.staff.layout import staff_render

    return staff_render(request, template, context, section="transfers_in", status=status)


def _is_authority(request) -> bool:
    return request.staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def in_list(request):
    """考籍转入 list: searchable (the query is kept in the session, never in the URL — it may be an ID
    number), filtered, paginated, ID numbers masked."""
    from urllib.parse import urlencode

    from django.core.paginator import Paginator
    from django.urls import reverse

    from kaowu.staff.searches import search_recall, search_remember

    from .selectors import incoming_transfers_for_staff, incoming_transfers_search

    if request.method == "POST":
        params = {k: request.POST[k] for k in ("status", "method") if request.POST.get(k)}
        query = request.POST.get("q", "").strip()
        if query:
            params["s"] = search_remember(request, list_name="transfers_in", query=query)
        return redirect(reverse("backoffice:transfers_staff:in_list") + ("?" + urlencode(params) if params else ""))
    data = request.GET.copy()
    token = data.pop("s", [None])[0]
    if token:
        data["q"] = search_recall(request, list_name="transfers_in", token=token)
    form = IncomingFilterForm(data or None)
    q = status = method = ""
    if form.is_valid():
        q, status, method = form.cleaned_data["q"], form.cleaned_data["status"], form.cleaned_data["method"]
    transfers = incoming_transfers_search(incoming_transfers_for_staff(staff=request.staff), q=q, status=status,
                                          method=method).annotate(course_count=Count("courses"))
    page = Paginator(transfers.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action=AuditAction.TRANSFER_IN_LIST, request=request,
                 detail={"has_query": bool(q), "status": status, "method": method, "page": page.number,
                         "results": page.paginator.count})
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return _in_render(request, "transfers/staff/in_list.html", {
        "form": form, "page_obj": page, "querystring": querystring.urlencode(), "filtered": bool(q or status or method),
        "is_authority": _is_authority(request),
    })


@never_cache
@require_GET
@staff_required
def in_detail(request, pk: int):
    from .incoming import BADGES
    from .models import IncomingCourse
    from .selectors import incoming_transfer_get_for_staff
    from .views_in import timeline_rows

    transfer = incoming_transfer_get_for_staff(staff=request.staff, pk=pk)
    courses = list(transfer.courses.all())
    can_receive = _is_authority(request) and transfer.status == transfer.Status.CONFIRMED
    can_void = _is_authority(request) and transfer.status == transfer.Status.PENDING
    audit_record(actor=request.user, action=AuditAction.TRANSFER_IN_VIEW, target=transfer, request=request,
                 jurisdiction_code=transfer.candidate.district.code if transfer.candidate_id else None,
                 detail={"number": transfer.number})
    return _in_render(request, "transfers/staff/in_detail.html", {
        "transfer": transfer, "courses": courses, "badge": BADGES[transfer.status],
        "unmatched": [c for c in courses if c.outcome == IncomingCourse.Outcome.UNMATCHED],
        "timeline": timeline_rows(transfer), "can_receive": can_receive,
        "receive_form": ReceiveForm(initial={"received_on": timezone.localdate()}) if can_receive else None,
        "void_form": VoidForm() if can_void else None,
    })


def _in_action(request, pk: int, form_class, act, success: str):
    """A staff action on one 考籍转入 from its detail page."""
    from .selectors import incoming_transfer_get_for_staff

    transfer = incoming_transfer_get_for_staff(staff=request.staff, pk=pk)
    return panel_action(request, form_class(request.POST), lambda data: act(transfer, data), success=success,
                        back=("backoffice:transfers_staff:in_detail", pk))


@require_POST
@staff_required
def in_void(request, pk: int):
    """作废: the province authority voids a transfer still 待确认, with the reason."""
    from .services_in import incoming_transfer_void

    return _in_action(request, pk, VoidForm, lambda transfer, data: incoming_transfer_void(
        transfer=transfer, staff=request.staff, reason=data["reason"], request=request),
        gettext("已作废该考籍转入；如需更正，请重新录入或导入。"))


@require_POST
@staff_required
def in_receive(request, pk: int):
    """接收档案: the province authority records the receipt of the paper archive; the scores join."""
    from .services_in import incoming_transfer_receive

    return _in_action(request, pk, ReceiveForm, lambda transfer, data: incoming_transfer_receive(
        transfer=transfer, staff=request.staff, received_on=data["received_on"], note=data["note"],
        request=request), gettext("已登记接收档案，转入成绩已记入考生考籍。"))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def in_enter(request):
    """录入纸质转入档案: the person, the source province and application, and the course rows."""
    from .services_in import TransferInError, incoming_transfer_enter

    if not _is_authority(request):
        messages.error(request, gettext("只有省级考试机构可以录入纸质转入档案。"))
        return redirect("backoffice:transfers_staff:in_list")
    form = PaperTransferForm(request.POST or None)
    rows = CourseRows(request.POST or None, prefix="courses")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        data = form.cleaned_data
        courses = [{**r, "source": ""} for r in rows.cleaned_data if r]
        try:
            transfer = incoming_transfer_enter(
                staff=request.staff, from_province=data["from_province"], source_number=data["source_number"],
                name=data["name"], id_number=data["id_number"], courses=courses,
                profile={"exam_number": data["exam_number"], "major": data["major"]}, request=request)
        except TransferInError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if transfer.candidate_id:
                messages.success(request, gettext("已录入纸质转入档案 %(number)s，已通知考生确认转入。")
                                 % {"number": transfer.number})
            else:
                messages.warning(request, gettext("已录入纸质转入档案 %(number)s。本平台尚无该身份证号的考生账号，"
                                                  "考生注册登录后将自动匹配（列表中显示为“待匹配”）。")
                                 % {"number": transfer.number})
            return redirect("backoffice:transfers_staff:in_detail", transfer.pk)
    return _in_render(request, "transfers/staff/in_enter.html", {"form": form, "rows": rows},
                      status=400 if request.method == "POST" else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def in_import(request):
    """导入电子转考数据包: verified before anything is written; refused with the reason."""
    from .services_in import TransferInError, incoming_transfer_import

    if not _is_authority(request):
        messages.error(request, gettext("只有省级考试机构可以导入电子转考数据包。"))
        return redirect("backoffice:transfers_staff:in_list")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            if upload.size > 5 * 1024 * 1024:
                raise TransferInError(gettext("文件过大，不是有效的电子转考数据包。"))
            transfer = incoming_transfer_import(staff=request.staff, raw=upload.read(), request=request)
        except TransferInError as exc:
            audit_record(actor=request.user, action=AuditAction.TRANSFER_IN_IMPORT_REFUSED, request=request,
                         detail={"reason": exc.message, "file": upload.name[:100]})
            form.add_error("package", exc.message)
        else:
            messages.success(request, gettext("数据包签名验证通过，已导入考籍转入 %(number)s（%(name)s），等待考生确认转入。")
                             % {"number": transfer.number, "name": transfer.name})
            return redirect("backoffice:transfers_staff:in_detail", transfer.pk)
    return _in_render(request, "transfers/staff/in_import.html", {"form": form},
                      status=400 if request.method == "POST" else 200)


@never_cache
@require_GET
@staff_required
def public_key(request):
    """本省转考公钥: what the other province configures to verify this province's packages, and the
    provinces whose keys this platform holds."""
    from kaowu.organization.models import Province
    from kaowu.organization.selectors import home_province

    from .package import key_fingerprint, public_key_pem

    pem = public_key_pem() if _is_authority(request) else ""
    provinces = Province.objects.filter(is_home=False).select_related("region").order_by("region__code")
    return _in_render(request, "transfers/staff/public_key.html", {
        "home": home_province(), "pem": pem, "fingerprint": key_fingerprint(pem) if pem else "",
        "provinces": [(p, key_fingerprint(p.transfer_public_key) if p.transfer_public_key.strip() else "")
                      for p in provinces],
    })
