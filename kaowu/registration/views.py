"""报考 (seeds 002, 003): 报考信息 → 我要报考 → 报考简章 → 填写报考信息 → 报考信息预览 → 提交 → 缴费;
修改课程或考区 and 取消报考 until the window closes; 报考退款申请 in its window."""


from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kaowu.accounts.decorators import candidate_required
from kaowu.accounts.services.login import acting_exam_number, exam_numbers_of
from kaowu.catalog.models import BusinessWindow, Major
from kaowu.catalog.selectors import current_sitting, guide_for_sitting, sitting_exam_areas
from kaowu.catalog.windows import WindowState, business_window
from kaowu.organization.models import Office

from . import selectors, services
from .forms import RefundForm, RegistrationForm
from .models import RegisteredCourse

SESSION_GUIDE = "registration_guide_agreed"   # {sitting id: ISO time}
SESSION_DRAFT = "registration_draft"          # {"sitting", "exam_area", "major", "courses"}
Kind = BusinessWindow.Kind


def _steps(current: int, *, done_all: bool = False) -> list[dict]:
    labels = [gettext("阅读简章"), gettext("填写信息"), gettext("预览确认"), gettext("缴费"), gettext("报考成功")]
    return [{"label": label, "state": "is-done" if done_all or i < current else "is-current" if i == current else ""}
            for i, label in enumerate(labels, start=1)]


class _Context:
    """Who is registering for what: the acting 准考证号, the current sitting, the registration."""

    def __init__(self, request):
        self.candidate = getattr(request.user, "candidate", None)
        self.numbers = exam_numbers_of(request.user)
        self.exam_number = acting_exam_number(request) or (self.numbers[0] if len(self.numbers) == 1 else None)
        self.must_choose_number = self.exam_number is None and len(self.numbers) > 1
        self.sitting = current_sitting()
        self.registration = (selectors.registration_of(exam_number=self.exam_number, sitting=self.sitting)
                             if self.exam_number else None)
        self.problem = services.registration_prerequisite_error(candidate=self.candidate,
                                                                exam_number=self.exam_number)
        if self.problem is None and self.sitting is None:
            self.problem = gettext("当前没有正在报考的考期，请关注报考简章和通知公告。")

    @property
    def exam_area(self) -> Office | None:
        if self.registration is not None:
            return self.registration.exam_area
        filing = getattr(self.candidate, "filing", None)
        return filing.exam_area if filing is not None else (self.exam_number.exam_area if self.exam_number else None)

    def window(self, kind: str):
        if self.sitting is None:
            return None, WindowState.NOT_SCHEDULED
        applicable = business_window(kind=kind, sitting=self.sitting, exam_area=self.exam_area)
        return applicable.window, applicable.state


def _guide_agreed(request, ctx: "_Context") -> bool:
    """The 简章 was agreed to in this session, or at an earlier submission of this registration."""
    return str(ctx.sitting.pk) in request.session.get(SESSION_GUIDE, {}) or ctx.registration is not None


def _require_ready(request, ctx: _Context, *, window_open: bool = True):
    """A redirect when the candidate cannot use the 报考 form now (with the reason), else None."""
    if ctx.must_choose_number:
        messages.info(request, gettext("请先选择要办理报考的准考证号。"))
        return redirect("accounts:choose_exam_number")
    if ctx.problem:
        messages.warning(request, ctx.problem)
        return redirect("registration:overview")
    if window_open:
        window, state = ctx.window(Kind.COURSE_REGISTRATION)
        if state != WindowState.OPEN:
            from kaowu.catalog.windows import window_closed_message

            messages.warning(request, window_closed_message(Kind.COURSE_REGISTRATION, window))
            return redirect("registration:overview")
    return None


@never_cache
@candidate_required
def overview(request):
    """报考信息: the registration of the acting 准考证号 in the current sitting, its courses, orders and
    timeline, and what the candidate can do next."""
    ctx = _Context(request)
    if ctx.must_choose_number:
        return redirect("accounts:choose_exam_number")
    window, state = ctx.window(Kind.COURSE_REGISTRATION)
    refund_window, refund_state = ctx.window(Kind.REFUND)
    registration = ctx.registration
    courses = selectors.registration_courses(registration=registration) if registration else []
    pending = selectors.registration_pending_order(registration=registration) if registration else None
    if pending is not None and pending.expires_at <= timezone.now():
        from kaowu.payments.services import order_expire

        order_expire(order=pending)
        pending = None
    active = [rc for rc in courses if rc.is_active]
    return render(request, "registration/overview.html", {
        "ctx": ctx, "registration": registration, "window": window, "window_open": state == WindowState.OPEN,
        "window_state": state, "refund_window": refund_window, "refund_open": refund_state == WindowState.OPEN,
        "courses": courses, "active_courses": active,
        "has_paid": any(rc.status == RegisteredCourse.Status.PAID for rc in courses),
        "has_unpaid": any(rc.status == RegisteredCourse.Status.UNPAID for rc in courses),
        "pending_order": pending,
        "orders": list(selectors.registration_orders(registration=registration)) if registration else [],
        "submissions": list(registration.submissions.select_related("actor")) if registration else [],
        "steps": _steps(5 if registration and registration.status == registration.Status.SUCCEEDED
                        else 4 if registration and registration.status == registration.Status.PENDING_PAYMENT else 1,
                        done_all=bool(registration and registration.status == registration.Status.SUCCEEDED)),
    })


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def guide(request):
    """我要报考 → 报考简章, with “我已阅读并知晓报考简章相关内容及注意事项”."""
    ctx = _Context(request)
    if (blocked := _require_ready(request, ctx)) is not None:
        return blocked
    error = ""
    if request.method == "POST":
        if request.POST.get("agree") == "on":
            agreed = request.session.get(SESSION_GUIDE, {})
            agreed[str(ctx.sitting.pk)] = timezone.now().isoformat()
            request.session[SESSION_GUIDE] = agreed
            return redirect("registration:form")
        error = gettext("请阅读并勾选“我已阅读并知晓报考简章相关内容及注意事项”。")
    return render(request, "registration/guide.html", {
        "ctx": ctx, "guide": guide_for_sitting(sitting=ctx.sitting), "error": error, "steps": _steps(1)})


def _form_for(ctx: _Context, data=None, initial=None) -> tuple[RegistrationForm, list]:
    offered = selectors.offered_courses_with_majors(sitting=ctx.sitting)
    majors = selectors.majors_for_form(exam_number=ctx.exam_number,
                                       current=ctx.registration.major if ctx.registration else None)
    form = RegistrationForm(data, initial=initial, exam_areas=sitting_exam_areas(sitting=ctx.sitting), majors=majors,
                            offered=offered)
    return form, offered


def _initial(ctx: _Context, request) -> dict:
    draft = request.session.get(SESSION_DRAFT)
    if draft and draft.get("sitting") == ctx.sitting.pk and draft.get("number") == ctx.exam_number.number:
        return {"exam_area": draft["exam_area"], "major": draft["major"], "courses": draft["courses"]}
    if ctx.registration is not None:
        return {"exam_area": ctx.registration.exam_area_id, "major": ctx.registration.major_id,
                "courses": list(ctx.registration.courses.filter(status__in=RegisteredCourse.ACTIVE)
                                .values_list("sitting_course_id", flat=True))}
    initial = {"exam_area": ctx.exam_area.pk if ctx.exam_area else None, "courses": []}
    if ctx.exam_number.major_name:
        major = Major.objects.filter(name=ctx.exam_number.major_name).first()
        initial["major"] = major.pk if major else None
    return initial


def _form_context(ctx: _Context, form: RegistrationForm, offered: list) -> dict:
    chosen = set()
    if form.is_bound:
        chosen = {int(v) for v in form.data.getlist("courses") if str(v).isdigit()}
    else:
        chosen = {int(v) for v in form.initial.get("courses") or []}
    major_value = form.data.get("major") if form.is_bound else form.initial.get("major")
    major = Major.objects.filter(pk=major_value).first() if str(major_value or "").isdigit() else None
    sessions = []
    for sc in offered:
        sc.checked = sc.pk in chosen
        sc.own = bool(major and major.code in sc.major_codes.split())
        if not sessions or sessions[-1]["session"].pk != sc.session_id:
            sessions.append({"session": sc.session, "courses": []})
        sessions[-1]["courses"].append(sc)
    refunding = set()
    if ctx.registration is not None:
        refunding = set(ctx.registration.courses.filter(status=RegisteredCourse.Status.REFUNDING)
                        .values_list("sitting_course_id", flat=True))
    major_codes = {str(m.pk): m.code for m in form.fields["major"].queryset}
    return {"ctx": ctx, "form": form, "sessions": sessions, "major": major, "refunding": refunding,
            "major_codes": major_codes,
            "show_all": any(sc.checked and not sc.own for sc in offered), "steps": _steps(2)}


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def form(request):
    """填写报考信息: 报考考区, 报考专业, courses of the major (or every offered course: 显示全部开考课程)."""
    ctx = _Context(request)
    if (blocked := _require_ready(request, ctx)) is not None:
        return blocked
    if not _guide_agreed(request, ctx):
        return redirect("registration:guide")
    if request.method == "POST":
        form, offered = _form_for(ctx, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_check(exam_number=ctx.exam_number, sitting=ctx.sitting,
                                            exam_area=data["exam_area"], major=data["major"],
                                            sitting_course_ids=data["courses"], guide_agreed=True)
            except services.RegistrationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                request.session[SESSION_DRAFT] = {
                    "sitting": ctx.sitting.pk, "number": ctx.exam_number.number, "exam_area": data["exam_area"].pk,
                    "major": data["major"].pk, "courses": data["courses"]}
                return redirect("registration:preview")
        return render(request, "registration/form.html", _form_context(ctx, form, offered), status=400)
    form, offered = _form_for(ctx, initial=_initial(ctx, request))
    return render(request, "registration/form.html", _form_context(ctx, form, offered))


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def preview(request):
    """报考信息预览, then 提交报考 (the only step that changes anything)."""
    ctx = _Context(request)
    if (blocked := _require_ready(request, ctx)) is not None:
        return blocked
    draft = request.session.get(SESSION_DRAFT)
    if not draft or draft.get("sitting") != ctx.sitting.pk or draft.get("number") != ctx.exam_number.number:
        return redirect("registration:form")
    form, offered = _form_for(ctx, initial=draft)
    exam_area = Office.objects.filter(pk=draft["exam_area"]).first()
    major = Major.objects.filter(pk=draft["major"]).first()
    by_id = {sc.pk: sc for sc in offered}
    chosen = [by_id[pk] for pk in draft["courses"] if pk in by_id]
    if request.method == "POST":
        try:
            registration = services.registration_submit(
                exam_number=ctx.exam_number, sitting=ctx.sitting, exam_area=exam_area, major=major,
                sitting_course_ids=draft["courses"], guide_agreed=_guide_agreed(request, ctx),
                actor=request.user, request=request)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
            return redirect("registration:form")
        request.session.pop(SESSION_DRAFT, None)
        pending = selectors.registration_pending_order(registration=registration)
        if pending is not None:
            messages.success(request, gettext("报考信息已提交，请在 %(minutes)s 分钟内完成缴费，缴费成功后报考才有效。")
                             % {"minutes": max(int((pending.expires_at - timezone.now()).total_seconds() // 60), 1)})
            return redirect("payments:order_detail", number=pending.number)
        messages.success(request, gettext("报考信息已修改。"))
        return redirect("registration:overview")
    # What the change does to money already paid, said before the candidate confirms.
    cost = selectors.registration_change_cost(registration=ctx.registration, chosen=chosen, major=major)
    return render(request, "registration/preview.html", {
        "ctx": ctx, "exam_area": exam_area, "major": major, "chosen": chosen, "to_refund": cost.to_refund,
        "to_pay": cost.to_pay, "pay_total": cost.pay_total, "refund_total": cost.refund_total, "steps": _steps(3),
    })


@candidate_required
@require_POST
def cancel(request):
    """取消报考 (before paying)."""
    ctx = _Context(request)
    if ctx.registration is None:
        return redirect("registration:overview")
    try:
        services.registration_cancel(registration=ctx.registration, actor=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        request.session.pop(SESSION_DRAFT, None)
        messages.success(request, gettext("已取消报考，未缴费的课程和订单已取消。"))
    return redirect("registration:overview")


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def refund(request):
    """报考退款申请 (seed 003): paid courses, a reason; reviewed by staff, refunded to the payer."""
    ctx = _Context(request)
    if ctx.must_choose_number:
        return redirect("accounts:choose_exam_number")
    refund_window, state = ctx.window(Kind.REFUND)
    registration = ctx.registration
    paid = []
    if registration is not None:
        paid = list(registration.courses.filter(status=RegisteredCourse.Status.PAID)
                    .select_related("course", "sitting_course__session"))
    if state != WindowState.OPEN or not paid:
        from kaowu.catalog.windows import window_closed_message

        messages.warning(request, window_closed_message(Kind.REFUND, refund_window) if state != WindowState.OPEN
                         else gettext("没有可申请退款的已缴费课程。"))
        return redirect("registration:overview")
    form = RefundForm(request.POST or None, paid_courses=paid)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_refund_request(registration=registration,
                                                 registered_course_ids=form.cleaned_data["courses"],
                                                 reason=form.cleaned_data["reason"], actor=request.user,
                                                 request=request)
        except services.RegistrationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("退款申请已提交，请等待审核。审核通过后，报考费将原路退回。"))
            return redirect("registration:overview")
    chosen = {int(v) for v in form.data.getlist("courses") if str(v).isdigit()} if form.is_bound else set()
    return render(request, "registration/refund.html", {
        "ctx": ctx, "form": form, "paid": paid, "chosen": chosen, "refund_window": refund_window,
    }, status=400 if form.errors else 200)
