"""毕业申请's pages: the engine's generic pages (`workflow.pages.TypeViews`: landing, 申请, 修改, detail, the
ConfirmGate's 确认 / 有误) with the type's own steps — 毕业专业, 学历认证, 毕业生登记表, its preview with
【确认提交申请】 — its detail page (毕业生登记表, 毕业证书编号, 网上确认) and the 毕业生登记表 PDF; for the
reviewers, the candidate's 证件照 and the PDF. Thin: every rule is in `application.py` and
`services_application.py`."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaowu.audit.services import personal_data_access_record
from kaowu.staff.decorators import staff_required
from kaowu.workflow import services as workflow
from kaowu.workflow.pages import TypeViews, acting_exam_number, candidate_of, pdf_response, type_window
from kaowu.workflow.selectors import application_get_for_staff
from kaowu.workflow.statuses import Status
from kaowu.workflow.views import application_context

from . import services_application as services
from .application import (
    AWAITING_CONFIRMATION,
    CODE,
    DEGREE_PASSED,
    MATERIAL,
    DegreeCheckForm,
    MajorForm,
    RegisterForm,
    course_rows,
    degree_text,
    is_bachelor,
    major_choices,
    profile_of,
    register_initial,
)
from .pdf import registration_form_pdf
from .selectors import graduates_of, id_photo_of

# The rail's pages before saving (1-based): 毕业专业, 学历认证, 毕业生登记表, 确认提交.
PAGE_MAJOR, PAGE_DEGREE, PAGE_REGISTER, PAGE_PREVIEW = 1, 2, 3, 4


def _window(kind, application=None, exam_number=None) -> dict:
    applicable = workflow.application_window(application) if application is not None else \
        type_window(kind, exam_number)
    return {"window": applicable.window if applicable else None, "is_open": applicable.is_open if applicable else True,
            "closed_text": applicable.closed_message if applicable and not applicable.is_open else ""}


def _material(application):
    version = application.current_version
    return version.attachments.filter(kind=MATERIAL).first() if version else None


def _sheet(application) -> dict:
    """What the 毕业生登记表 block shows (preview, detail)."""
    courses, credits = course_rows(application)
    data = application.data
    material = _material(application)
    return {"profile": profile_of(application), "photo": id_photo_of(application.candidate.user),
            "register": data.get("register") or {}, "courses": courses, "credits": credits,
            "bachelor": is_bachelor(data), "material": material,
            "degree_text": degree_text(data.get("degree"), material=material is not None) if is_bachelor(data) else ""}


class GraduationViews(TypeViews):
    landing_template = "graduation/application/landing.html"
    detail_template = "graduation/application/detail.html"

    def landing_context(self, request, *, exam_number, applications) -> dict:
        candidate = candidate_of(request)
        return {**super().landing_context(request, exam_number=exam_number, applications=applications),
                "graduates": list(graduates_of(candidate=candidate))}

    # 1. 毕业专业 (【毕业申请】 for a new application, 【修改】 for one in an editable status)
    def form_page(self, request, *, application=None):
        kind = self.kind
        candidate = candidate_of(request)
        exam_number = application.exam_number if application else acting_exam_number(request)
        refused = kind.may_apply(candidate=candidate, exam_number=exam_number)
        if refused:
            messages.warning(request, refused)
            return redirect(self.url(""))
        selectable, others, hidden = major_choices(candidate=candidate)
        form = MajorForm(request.POST if request.method == "POST" else None, choices=selectable,
                         initial={"major": application.data.get("major")} if application else None)
        if request.method == "POST" and form.is_valid():
            try:
                application = services.graduation_major_choose(
                    actor=request.user, candidate=candidate, exam_number=exam_number,
                    major_code=form.cleaned_data["major"], application=application, request=request)
            except workflow.WorkflowError as exc:
                form.add_error("major" if exc.field == "major" else None, exc.message)
            else:
                step = "degree" if is_bachelor(application.data) else "register"
                return redirect(self.url(step, application.number))
        returned = application.transitions.filter(to_status__in=[Status.RETURNED]).order_by("-id").first() \
            if application is not None and application.status == Status.RETURNED else None
        return render(request, "graduation/application/major.html", {
            "kind": kind, "form": form, "application": application, "exam_number": exam_number,
            "selectable": selectable, "others": others, "hidden": hidden, "returned": returned,
            "steps": kind.step_rail(application, page=PAGE_MAJOR) if application else kind.step_rail(page=PAGE_MAJOR),
            "back_url": self.url("detail", application.number) if application else self.url(""),
            **_window(kind, application, exam_number),
        }, status=400 if request.method == "POST" else 200)

    def _editable(self, request, number):
        application = self.own(request, number)
        if not application.type.is_editable(application.status):
            messages.info(request, gettext("申请当前状态为“%(status)s”，不能修改。") % {"status": application.status_label})
            return application, redirect(self.url("detail", number))
        return application, None

    # 2. 学历认证 (本科)
    def degree(self, request, number: str):
        from .degreecheck import DevDegreeCheckProvider, degree_check_provider, dev_test_numbers

        application, refused = self._editable(request, number)
        if refused:
            return refused
        if not is_bachelor(application.data):
            return redirect(self.url("register", number))
        degree = application.data.get("degree") or {}
        form = DegreeCheckForm(request.POST if request.method == "POST" else None, initial={
            "consent": degree.get("consent"), "certificate_number": degree.get("certificate_number", "")})
        if request.method == "POST" and form.is_valid():
            try:
                services.graduation_degree_check(
                    application=application, actor=request.user, consent=form.cleaned_data["consent"],
                    certificate_number=form.cleaned_data["certificate_number"], request=request)
            except workflow.WorkflowError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:  # the page shows the result (passed, failed, or the service's timeout) in its box
                return redirect(self.url("degree", number))
        kind = self.kind
        return render(request, "graduation/application/degree.html", {
            "kind": kind, "form": form, "application": application, "degree": degree,
            "degree_text": degree_text(degree) if degree.get("status") else "",
            "can_continue": bool(degree.get("status")),
            "test_numbers": dev_test_numbers() if settings.DEMO_MODE and isinstance(
                degree_check_provider(), DevDegreeCheckProvider) else [],
            "steps": kind.step_rail(application, page=PAGE_DEGREE), **_window(kind, application),
        }, status=400 if request.method == "POST" else 200)

    # 3. 毕业生登记表
    def register(self, request, number: str):
        application, refused = self._editable(request, number)
        if refused:
            return refused
        data = application.data
        degree = data.get("degree") or {}
        if is_bachelor(data) and not degree.get("status"):
            messages.warning(request, gettext("本科毕业须先同意学历认证并完成在线学历认证。"))
            return redirect(self.url("degree", number))
        material_needed = is_bachelor(data) and degree.get("status") != DEGREE_PASSED
        stored = _material(application)
        initial = register_initial(data.get("register") or {})
        if not data.get("register"):
            initial.update(self._register_defaults(application))
        form = RegisterForm(request.POST if request.method == "POST" else None, request.FILES or None,
                            material_needed=material_needed,
                            initial=initial)
        if request.method == "POST" and form.is_valid():
            material = form.cleaned_data.get("degree_material")
            if material_needed and not material and stored is None:
                form.add_error("degree_material", gettext("在线学历认证未通过，请上传学历认证材料"))
            else:
                try:
                    services.graduation_register_save(application=application, actor=request.user,
                                                      register=form.to_data(), material=material, request=request)
                except workflow.WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    return redirect(self.url("preview", number))
        kind = self.kind
        return render(request, "graduation/application/register.html", {
            "kind": kind, "form": form, "application": application, **_sheet(application), "stored": stored,
            "material_needed": material_needed,
            "back_url": self.url("degree" if is_bachelor(data) else "edit", number),
            "steps": kind.step_rail(application, page=PAGE_REGISTER), **_window(kind, application),
        }, status=400 if request.method == "POST" else 200)

    @staticmethod
    def _register_defaults(application) -> dict:
        """The 登记表 pre-filled from 建档 (工作单位, 通讯地址, 邮编) and the account's phone."""
        filing = getattr(application.candidate, "filing", None)
        defaults = {"phone": application.candidate.user.phone or ""}
        if filing is not None:
            defaults.update(work_unit=filing.work_unit, address=filing.address, postcode=filing.postcode)
        return defaults

    # 4. 核对 → 【确认提交申请】
    def preview(self, request, number: str):
        kind = self.kind
        application = self.own(request, number)
        if not kind.is_editable(application.status):
            return redirect(self.url("detail", number))
        if not application.data.get("register"):
            return redirect(self.url("register", number))
        if request.method == "POST":
            try:
                workflow.application_submit(application=application, actor=request.user, request=request)
            except workflow.WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect(self.url("preview", number))
            messages.success(request, kind.text("submitted"))
            return redirect(self.url("detail", number))
        return render(request, "graduation/application/preview.html", {
            **application_context(application), "kind": kind, **_sheet(application),
            "steps": kind.step_rail(application, page=PAGE_PREVIEW), **_window(kind, application),
        })

    def detail_context(self, request, application) -> dict:
        return {**_sheet(application), "awaiting": application.status == AWAITING_CONFIRMATION,
                "graduate": getattr(application, "graduate", None) if application.status == Status.APPROVED else None,
                **_window(self.kind, application)}

    def form_pdf(self, request, number: str):
        """【下载毕业生登记表】"""
        application = self.own(request, number)
        if not application.data.get("major"):
            raise Http404
        return pdf_response(registration_form_pdf(application), gettext("毕业生登记表-%(number)s.pdf") % {
            "number": application.number})


VIEWS = GraduationViews(CODE)


# --- the reviewers ------------------------------------------------------------------------------------

def _reviewed(request, pk: int):
    application = application_get_for_staff(staff=request.staff, pk=pk)
    if application.type_code != CODE:
        raise Http404
    return application


@never_cache
@require_GET
@staff_required
def staff_photo(request, pk: int):
    """The candidate's 证件照 for a reviewer of his 毕业申请 (its queue, or an office that acted on it),
    access-logged."""
    from kaowu.identity.views import photo_response

    application = _reviewed(request, pk)
    photo = id_photo_of(application.candidate.user)
    if photo is None:
        raise Http404
    personal_data_access_record(actor=request.user, target=application, fields=["photo:id_photo"], request=request)
    return photo_response(photo)


@never_cache
@require_GET
@staff_required
def staff_form_pdf(request, pk: int):
    """The 毕业生登记表 for a reviewer."""
    application = _reviewed(request, pk)
    personal_data_access_record(actor=request.user, target=application, fields=["graduation_register"],
                                request=request)
    return pdf_response(registration_form_pdf(application), gettext("毕业生登记表-%(number)s.pdf") % {
        "number": application.number})
