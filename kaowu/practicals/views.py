"""实践性环节报名's candidate pages: the engine's pages (`workflow.pages.TypeViews`) with ours inside —
the landing (须知, window, 报名, my registrations with 去缴费 / 删除), the form (the practical courses of
his plans not on his 考籍) → preview → 保存, the detail (each course's status and result)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from kaowu.catalog.selectors import current_sitting
from kaowu.workflow.models import ApplicationItem
from kaowu.workflow.pages import TypeViews, acting_exam_number, candidate_of
from kaowu.workflow.services import WorkflowError

from . import services
from .selectors import course_choices, registration_open_in_sitting, registration_window
from .types import CODE, COMPLETED, ITEM_LABELS, PENDING_PAYMENT, RegistrationForm, describe, practical_fee


def _actions(application) -> dict:
    kind = application.type
    return {"can_pay": application.status == PENDING_PAYMENT, "can_delete": kind.is_deletable(application.status)}


def course_rows(application) -> list[dict]:
    """Each course of a registration with its state as the candidate reads it."""
    rows = []
    for item in application.items.all():
        if application.status == PENDING_PAYMENT:
            state, badge = gettext("待缴费"), "warning"
        elif item.decision == ApplicationItem.Decision.PENDING:
            state, badge = gettext("已报名，待登记成绩"), "info"
        else:
            state = str(ITEM_LABELS[item.decision])
            badge = "success" if item.decision == ApplicationItem.Decision.APPROVED else "danger"
        rows.append({"item": item, "state": state, "badge": badge,
                     "recorded": item.decision != ApplicationItem.Decision.PENDING})
    return rows


class PracticalViews(TypeViews):
    landing_template = "practicals/landing.html"
    detail_template = "practicals/detail.html"

    def landing_context(self, request, *, exam_number, applications) -> dict:
        candidate = candidate_of(request)
        sitting = current_sitting()
        return {"rows": [(a, _actions(a)) for a in applications.prefetch_related("items")],
                "fee": practical_fee(), "sitting": sitting,
                "this_sitting": registration_open_in_sitting(candidate=candidate, sitting=sitting) if sitting else None}

    def detail_context(self, request, application) -> dict:
        return {**_actions(application), "courses": course_rows(application),
                "paid_order": services.practical_paid_order(application), "completed": application.status == COMPLETED}

    def apply(self, request):
        candidate = candidate_of(request)
        sitting = current_sitting()
        current = registration_open_in_sitting(candidate=candidate, sitting=sitting) if sitting else None
        if current is not None:
            messages.info(request, gettext("您本考期已有一份实践性环节报名，请在此查看。"))
            return redirect(self.url("detail", current.number))
        exam_number = acting_exam_number(request)
        refused = self.kind.may_apply(candidate=candidate, exam_number=exam_number)
        if refused:
            messages.warning(request, refused)
            return redirect(self.url(""))
        if not registration_window(exam_number=exam_number).is_open:
            messages.warning(request, self.kind.text("not_open"))
            return redirect(self.url(""))
        return self.form_page(request)

    def form_page(self, request, *, application=None):
        candidate = candidate_of(request)
        exam_number = acting_exam_number(request)
        choices = course_choices(candidate=candidate)
        choosable = [(c.value, f"{c.course.code} {c.course.name}") for c in choices if not c.registered]
        step = request.POST.get("step") if request.method == "POST" else None
        form = RegistrationForm(request.POST if request.method == "POST" else None, choices=choosable)
        if request.method == "POST" and step != "edit" and form.is_valid():
            codes = form.cleaned_data["courses"]
            try:
                if step == "save":
                    application = services.practical_register(actor=request.user, candidate=candidate,
                                                               exam_number=exam_number, course_codes=codes,
                                                               request=request)
                else:
                    data = services.registration_check(candidate=candidate, exam_number=exam_number,
                                                       course_codes=codes)
            except WorkflowError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if step == "save":
                    messages.success(request, gettext("实践性环节报名已保存，请缴纳报名费，缴费后报名成功。"))
                    return redirect(self.url("detail", application.number))
                return render(request, "practicals/preview.html", {
                    "form": form, "data": data, "values": describe(data), "kind": self.kind,
                    "steps": self.kind.step_rail(page=1), "exam_number": exam_number})
        applicable = registration_window(exam_number=exam_number)
        return render(request, "practicals/form.html", {
            "form": form, "choices": choices, "kind": self.kind, "exam_number": exam_number,
            "window": applicable.window, "is_open": applicable.is_open, "fee": practical_fee(),
            "steps": self.kind.step_rail(page=1),
            "chosen": set(form["courses"].value() or []) if form.is_bound else set(),
        }, status=400 if form.is_bound and form.errors else 200)

    def pay(self, request, number: str):
        """去缴费: the payments order page (a new order only inside the window)."""
        application = self.own(request, number)
        try:
            order = services.practical_order(application=application, actor=request.user)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("detail", number))
        return redirect("payments:order_detail", number=order.number)


VIEWS = PracticalViews(CODE)
