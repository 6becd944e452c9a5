"""Application types: the plug-in point of the engine. A type is a subclass of `ApplicationType`
(as a `ModelAdmin` is of Django's), declaring what the candidate fills in, its window, who reviews it
in which order, its gates, and overriding the hooks it needs:

    class TransferWithinProvince(ApplicationType):
        code = "transfer_within_province"
        label = _("省内转考")
        form_class = TransferWithinForm
        window_kind = BusinessWindow.Kind.TRANSFER_WITHIN_PROVINCE
        review_chain = (
            ReviewStep(_("转出地市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_data("from_city")),
            ReviewStep(_("转入地市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_data("to_city")),
        )
        pages = TypePages(namespace="transfers", prefix="within")   # the generic candidate pages

        def validate(self, application, data): ...

Types register in their app's AppConfig.ready() (`register(TransferWithinProvince)`); the engine
(services.py) never knows a type's fields: it stores the form's data as JSON in an ApplicationVersion
and asks the type. Gates (`gates.py`: payment, 扫码签字, upload by a deadline) are declared in `gates`;
the generic candidate pages (`pages.py`) and the step rail (`step_rail`) are derived from the type.

A quick type may still be declared by keywords (`ApplicationType(code=..., validate=fn, ...)`): a
keyword replaces the class attribute or hook of that name on the instance.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from kaowu.organization.models import Office, Region

from .statuses import BADGES, DEFAULT_FLOW, EDITABLE, Status

# (application, data) -> the office that reviews this step, or None when there is none.
OfficeResolver = Callable[[object, dict], Office | None]

STATUS_MAX_LENGTH = 20  # Application.status and ApplicationTransition.from_status / to_status

# The generic decisions a reviewer makes on the staff detail page (and the engine accepts).
APPROVE, RETURN, REJECT = "approve", "return", "reject"


# The generic pages' texts, derived from the type's label (省内转考 → 省内转考申请信息填报).
DEFAULT_TEXTS = {
    "landing_title": gettext_noop("%(type)s申请"),
    "apply": gettext_noop("申请%(type)s"),
    "mine": gettext_noop("我的%(type)s申请"),
    "unpublished": gettext_noop("本考期%(type)s时间尚未公布，请留意通知公告。"),
    "no_exam_number": gettext_noop("%(type)s须使用在籍的准考证号办理。您还没有准考证号，请先完成基本信息填报（建档）。"),
    "form_title": gettext_noop("%(type)s申请信息填报"),
    "preview_title": gettext_noop("确认%(type)s申请"),
    "preview_hint": gettext_noop("请确认申请信息无误后提交申请。提交后在审核期间不能修改。"),
    "detail_title": gettext_noop("%(type)s申请信息详情"),
    "print_title": gettext_noop("高等教育自学考试%(type)s申请信息详情"),
    "closed_at_submit": gettext_noop("%(type)s时间为 %(start)s 至 %(end)s，当前不在办理时间内，不能提交。"),
    "unpublished_at_submit": gettext_noop("%(type)s时间尚未公布，当前不能提交。"),
    "submitted": gettext_noop("%(type)s申请已提交，请留意审核进度（消息和短信会通知您）。"),
    "open_exists": gettext_noop("您已有一份正在办理的%(type)s申请，请在此查看或修改。"),
    "not_open": gettext_noop("当前不在%(type)s办理时间内。"),
    "deleted": gettext_noop("%(type)s申请 %(number)s 已删除，未缴费的订单已取消。"),
    "sign_title": gettext_noop("提交%(type)s申请"),
    "sign_print_link": gettext_noop("下载申请表（核对用）"),
    "signed": gettext_noop("签字确认完成，%(type)s申请已提交，请留意审核进度（消息和短信会通知您）。"),
    "returned_comment": gettext_noop("退回修改意见："),  # the form page's heading of the returning office's reason
}


@dataclass(frozen=True)
class ReviewStep:
    label: str  # e.g. 转出地市考办审核
    office_kind: str  # Office.Kind of the reviewing office
    resolve: OfficeResolver


@dataclass(frozen=True)
class RailStep:
    """One step of the candidate's step rail: its label and the statuses in which it is the current
    one (`at`), or the failed one (`fails`)."""
    label: str
    at: frozenset = frozenset()
    fails: frozenset = frozenset()


@dataclass(frozen=True)
class TypePages:
    """Where the generic candidate pages of a type are mounted (`pages.type_urls(kind)` in the app's
    urls.py): URL names `<namespace>:<prefix>`, `…_apply`, `…_detail`, `…_edit`, `…_preview`, `…_print`."""
    namespace: str
    prefix: str

    def name(self, page: str = "") -> str:
        return f"{self.namespace}:{self.prefix}{'_' + page if page else ''}"


class ApplicationType:
    """The base of every application type. Override attributes and hooks; the defaults make a type
    with the shared statuses (草稿 → 审核中 → 审核通过 / 审核未通过 / 退回修改 / 已撤回)."""

    code: str = ""
    label: str = ""
    form_class: type | None = None  # a kaowu.core.text.Form; its data (JSON-safe) is a version's data
    review_chain: tuple[ReviewStep, ...] = ()
    # catalog BusinessWindow.Kind; None: no window. Which window applies (the exam area's own, the
    # sitting-less one, 转考申请 standing in for a split transfer kind) is catalog.windows.business_window's
    # rule alone — `workflow.services.application_window` asks it; a type does not decide it.
    window_kind: str | None = None
    window_per_sitting: bool = True  # the window belongs to the current sitting (else sitting=None)
    flow = DEFAULT_FLOW
    status_labels: dict = {}  # labels of the type's own statuses
    badges: dict = {}  # badge colours of the type's own statuses
    attachments_required: bool = False
    attachment_kinds: dict = {}  # kind -> label, e.g. {"proof": "证明材料"}
    # The candidate's pages of this type (URL names taking the application number). With `pages` set
    # the generic pages are used and these default to theirs.
    detail_url_name: str | None = None
    edit_url_name: str | None = None
    print_url_name: str | None = None
    pages: TypePages | None = None
    # The generic pages: a 须知 template on the landing page, the applicant box (default: 姓名, 身份证号,
    # 准考证号), columns of the type's data in the candidate's list ((label, data key), …), and texts
    # replacing the ones derived from `label` (keys of DEFAULT_TEXTS).
    notice_template: str | None = None
    applicant_template: str = "workflow/pages/_applicant.html"
    list_columns: tuple = ()
    texts: dict = {}
    # After 退回修改 the new version goes back to the first step (every step sees the modified data)
    # unless this is set, when it goes straight back to the step that returned it.
    resubmit_to_returning_step: bool = False
    # A template the staff detail page includes after the materials (context: `application`).
    staff_detail_template: str | None = None
    # Types with statuses of their own (考籍转出: 待缴费 → 待提交 → 审核中 … → 已完成):
    initial_status: str = Status.DRAFT  # the status a newly saved application gets
    editable_statuses: frozenset | None = None  # where the candidate may change the data (None: 草稿 / 退回修改)
    deletable_statuses: frozenset = frozenset()  # where the candidate may delete it (`application_delete`)
    # The generic decisions reviewers make on this type (成绩复核 records its result in its own panel,
    # so it leaves out APPROVE: the engine then refuses a generic approval, 批量审核 included).
    decisions: frozenset = frozenset({APPROVE, RETURN, REJECT})
    # Gates (gates.py) in the order the candidate meets them: a payment, a signature, an upload by a deadline.
    gates: tuple = ()
    # Labels of the per-item decisions on the pages ({"approved": 合格, "rejected": 不合格}); the rest
    # keep the engine's (待审核 / 通过 / 不通过).
    item_labels: dict = {}
    # The type's step rail; None: derived from the flow (填写申请 / 预览确认 / the review chain).
    rail: tuple[RailStep, ...] | None = None
    rail_done: frozenset = frozenset({Status.APPROVED})  # statuses in which every step of the rail is done

    def __init__(self, **overrides):
        for name, value in overrides.items():
            if not hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__} has no attribute {name!r}")
            setattr(self, name, value)  # a plain function set here is called without self
        if self.pages is not None:
            self.detail_url_name = self.detail_url_name or self.pages.name("detail")
            self.edit_url_name = self.edit_url_name or self.pages.name("edit")
            self.print_url_name = self.print_url_name or self.pages.name("print")

    def copy(self, **changes) -> "ApplicationType":
        """The same type with some attributes or hooks replaced (tests)."""
        import copy

        clone = copy.copy(self)
        for name, value in changes.items():
            if not hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__} has no attribute {name!r}")
            setattr(clone, name, value)
        return clone

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"

    # --- hooks a type overrides -------------------------------------------------------------------

    def describe(self, data: dict) -> list[tuple[str, str]]:
        """What the candidate filled in, for pages, the print page, diffs and Excel: by default the
        form's fields (label, value) that the data holds."""
        if self.form_class is None:
            return []
        fields = getattr(self.form_class, "base_fields", {})
        return [(str(field.label), data.get(name, "")) for name, field in fields.items() if name in data]

    def validate(self, application, data: dict) -> None:
        """At submission, under the lock: raise WorkflowError to refuse."""

    def on_approved(self, application) -> None:
        """Inside the approving transaction (after the last step). The default writes the outcome."""
        self.outcome(application, approved=True)

    def on_rejected(self, application) -> None:
        """Inside the rejecting transaction. The default writes the outcome."""
        self.outcome(application, approved=False)

    def on_withdrawn(self, application) -> None:
        """Inside the withdrawing transaction (the gates undo what they did: a paid fee is refunded)."""
        for gate in self.gates:
            gate.on_withdrawn(self, application)

    def outcome(self, application, *, approved: bool, **result) -> None:
        """The outcome hook: write the result of a decided application through the owning app's
        public service (e.g. a 免考 writes PassedCourse rows through records.services). Nothing by default."""

    def on_item_decided(self, application, item, *, previous: str, staff, request=None) -> None:
        """Inside the transaction of `application_item_decide`, after one item was decided (`previous`:
        its decision before). A type acting per item does it here (实践性环节报名: 合格 joins the 考籍, and
        the last result completes the registration); raising WorkflowError undoes the decision."""

    def next_step(self, application, window) -> str | None:
        """What the candidate does next in the type's own statuses; None: the engine's sentence."""
        for gate in self.gates:
            text = gate.next_step(self, application)
            if text:
                return text
        return None

    def staff_panel(self, request, application) -> dict | None:
        """A card of the type's own staff actions on the staff detail page ({"template": ..., ...})."""
        return None

    # Generic pages: how the form is built and what it gives the engine.
    def form_kwargs(self, *, candidate, exam_number, application) -> dict:
        return {}

    def form_initial(self, application) -> dict:
        return dict(application.data) if application is not None else {}

    def form_data(self, form) -> dict:
        if hasattr(form, "to_data"):
            return form.to_data()
        return {name: value for name, value in form.cleaned_data.items()
                if name not in self.attachment_kinds and name != "agree"}

    def page_context(self, *, exam_number, application) -> dict:
        """What the type's templates (notice, applicant box) need on the generic pages."""
        return {}

    def text(self, name: str, **params) -> str:
        """A text of the generic pages: the type's own (`texts`), else derived from its label."""
        if name in self.texts:
            return str(self.texts[name]) % params if params else str(self.texts[name])
        return gettext(DEFAULT_TEXTS[name]) % {"type": self.label, **params}

    def before_save(self, *, application, candidate, exam_number) -> None:
        """Before a save (a new application: `application` None), inside the transaction: raise
        WorkflowError to refuse (考籍转出 saves only inside its window, one at a time)."""

    def decision_refused(self, decision: str) -> str:
        """The refusal of a generic decision the type does not take (see `decisions`)."""
        return gettext("该类申请不能在此审核，请在申请详情中办理。")

    def may_apply(self, *, candidate, exam_number) -> str | None:
        """Why this candidate may not start an application (a Chinese sentence), or None."""
        if exam_number is None:
            return gettext("%(type)s须使用在籍的准考证号办理。") % {"type": self.label}
        return None

    # --- derived ----------------------------------------------------------------------------------

    def status_label(self, status: str) -> str:
        if status in self.status_labels:
            return str(self.status_labels[status])
        try:
            return str(Status(status).label)
        except ValueError:
            return status

    def step_label(self, step: int | None) -> str:
        if step is None or not 0 <= step < len(self.review_chain):
            return ""
        return str(self.review_chain[step].label)

    def badge(self, status: str) -> str:
        return self.badges.get(status) or BADGES.get(status, "neutral")

    def is_editable(self, status: str) -> bool:
        return status in (EDITABLE if self.editable_statuses is None else self.editable_statuses)

    def is_deletable(self, status: str) -> bool:
        return status in self.deletable_statuses

    def is_final(self, status: str) -> bool:
        # Nothing leaves a final status (the shared FINAL ones have no targets in the default flow;
        # a type's flow may go on from one, e.g. 审核通过 → 已完成).
        return not self.flow.targets(status)

    def allows(self, decision: str) -> bool:
        return decision in self.decisions

    @property
    def item_decision_labels(self) -> dict[str, str]:
        """Decision → label of the per-item decisions (the engine's, replaced by the type's `item_labels`)."""
        from .models import ApplicationItem

        return {value: str(self.item_labels.get(value, label)) for value, label in ApplicationItem.Decision.choices}

    @property
    def open_statuses(self) -> frozenset:
        """Statuses of an application still in progress (something can still happen to it)."""
        return frozenset(status for status, targets in self.flow.transitions.items() if targets)

    def gate(self, gate_class):
        """The type's gate of that class, or None."""
        return next((g for g in self.gates if isinstance(g, gate_class)), None)

    def rail_steps(self) -> tuple[RailStep, ...]:
        """The step rail: the type's own, else 填写申请 / 预览确认 / one step per review step."""
        if self.rail is not None:
            return self.rail
        steps = [RailStep(gettext("填写申请"), at=frozenset({Status.RETURNED})),
                 RailStep(gettext("预览确认"), at=frozenset({Status.DRAFT}))]
        for i, step in enumerate(self.review_chain):
            steps.append(RailStep(str(step.label), at=frozenset({(Status.REVIEWING, i)}),
                                  fails=frozenset({(Status.REJECTED, i)})))
        return tuple(steps)

    def step_rail(self, application=None, *, page: int = 1) -> list[dict]:
        """The rail as the candidate sees it: every step before the current one done, the current
        one marked, a failed one red. Before saving, `page` (1-based) is the current step; once saved
        the application's status (and step in the chain) decides, and after a final approval every
        step is done."""
        steps = self.rail_steps()
        current, failed = page, None
        if application is not None and (page > 2 or application.status != Status.DRAFT):
            key = (application.status, application.current_step or 0)
            for i, step in enumerate(steps, start=1):
                if key in step.fails or application.status in step.fails:
                    failed = current = i
                if key in step.at or application.status in step.at:
                    current = i
            if application.status in self.rail_done:
                current = len(steps) + 1
            if application.status == Status.DRAFT:
                current = max(current, page)
        return [{"label": step.label, "state": "is-failed" if i == failed else "is-done" if i < current
                 else "is-current" if i == current else ""} for i, step in enumerate(steps, start=1)]


_REGISTRY: dict[str, ApplicationType] = {}


def register(application_type) -> ApplicationType:
    """Add a type — a subclass (instantiated here) or an instance — called from an AppConfig.ready();
    registering the same code again replaces it. Returns the registered instance."""
    from kaowu.core.text import TextRulesMixin

    if isinstance(application_type, type):
        application_type = application_type()
    if not application_type.code:
        raise ValueError(f"{application_type!r} has no code")
    if not application_type.review_chain:
        raise ValueError(f"application type {application_type.code} has no review step")
    form_class = application_type.form_class
    if form_class is not None and not issubclass(form_class, TextRulesMixin):
        raise TypeError(f"application type {application_type.code}: its form must derive from kaowu.core.text.Form "
                        "(the text rules every string staff read goes through)")
    flow = application_type.flow.transitions
    statuses = {str(s) for s in flow} | {str(t) for targets in flow.values() for t in targets}
    too_long = sorted(s for s in statuses if len(s) > STATUS_MAX_LENGTH)
    if too_long:  # the status columns (Application.status, the transitions' from / to) hold 20 characters
        raise ValueError(f"application type {application_type.code}: status {too_long} longer than "
                         f"{STATUS_MAX_LENGTH} characters")
    for gate in application_type.gates:
        gate.attach(application_type)
    _REGISTRY[application_type.code] = application_type
    return application_type


def unregister(code: str) -> None:
    """Remove a type (tests that register a type of their own)."""
    _REGISTRY.pop(code, None)


def application_type(code: str) -> ApplicationType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(gettext("未知的申请类型：%(code)s") % {"code": code}) from None


def application_types() -> list[ApplicationType]:
    return sorted(_REGISTRY.values(), key=lambda t: t.code)


# --- Office resolvers: how a step's reviewing office is found ------------------------------------

def _office(kind: str, region: Region | None) -> Office | None:
    if region is None:
        return None
    return Office.objects.filter(kind=kind, region=region, is_active=True).order_by("code").first()


def _city_of(region: Region | None) -> Region | None:
    while region is not None and region.level == Region.Level.DISTRICT:
        region = region.parent
    return region if region is not None and region.level == Region.Level.CITY else None


def district_office_of_candidate(application, data) -> Office | None:
    """区县招办 of the candidate's 所属区县."""
    return _office(Office.Kind.DISTRICT_OFFICE, application.candidate.district)


def city_office_of_candidate(application, data) -> Office | None:
    """市考办 of the city the candidate's 所属区县 lies in."""
    return _office(Office.Kind.CITY_OFFICE, _city_of(application.candidate.district))


def city_office_of_data(key: str) -> OfficeResolver:
    """市考办 of the city whose region code the application's data holds under `key`."""

    def resolve(application, data) -> Office | None:
        code = (data or {}).get(key)
        region = Region.objects.filter(code=code).first() if code else None
        return _office(Office.Kind.CITY_OFFICE, _city_of(region))

    resolve.__doc__ = f"市考办 of the city in data[{key!r}]"
    return resolve


def province_authority(application, data) -> Office | None:
    """The province authority (省级考试机构) of the home province."""
    return Office.objects.filter(kind=Office.Kind.PROVINCE_AUTHORITY, is_active=True).order_by("code").first()


def registration_point_of_candidate(application, data) -> Office | None:
    """报名点 the candidate belongs to (Candidate.registration_point), if it is active."""
    office = application.candidate.registration_point
    return office if office is not None and office.is_active else None


def university_of_major(key: str = "major") -> OfficeResolver:
    """主考学校: the university examining the candidate's major — the major whose code the data holds
    under `key`, else the major named on the application's 准考证号."""

    def resolve(application, data) -> Office | None:
        from kaowu.catalog.models import Major

        code = (data or {}).get(key)
        major = Major.objects.filter(code=code).select_related("university").first() if code else None
        if major is None and application.exam_number_id and application.exam_number.major_name:
            major = (Major.objects.filter(name=application.exam_number.major_name).select_related("university")
                     .order_by("code").first())
        office = major.university if major is not None else None
        return office if office is not None and office.is_active else None

    resolve.__doc__ = f"主考学校 of the major in data[{key!r}] (else of the 准考证号's major)"
    return resolve
