"""The registry of application types. Each type says what the candidate fills in, which window it
belongs to, who reviews it in which order, and what happens on a decision:

    register(ApplicationType(
        code="transfer_within_province", label=_("省内转考"), form_class=TransferWithinForm,
        window_kind=BusinessWindow.Kind.TRANSFER_WITHIN_PROVINCE,
        review_chain=(
            ReviewStep(_("转出地市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_data("from_city")),
            ReviewStep(_("转入地市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_data("to_city")),
        ),
        describe=describe_transfer,
    ))

Types register themselves in their app's AppConfig.ready(). The engine (services.py) never knows a
type's fields: it stores the form's data as JSON in an ApplicationVersion and asks the type.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext

from kaowu.core.state import StateMachine
from kaowu.organization.models import Office, Region

from .statuses import BADGES, DEFAULT_FLOW, EDITABLE, Status

# (application, data) -> the office that reviews this step, or None when there is none.
OfficeResolver = Callable[[object, dict], Office | None]


@dataclass(frozen=True)
class ReviewStep:
    label: str  # e.g. 转出地市考办审核
    office_kind: str  # Office.Kind of the reviewing office
    resolve: OfficeResolver


@dataclass(frozen=True)
class ApplicationType:
    code: str
    label: str
    form_class: type  # a django Form; its cleaned data (JSON-safe, see `clean_data`) is a version's data
    review_chain: tuple[ReviewStep, ...]
    # (data) -> [(label, value)]: what the candidate filled in, for pages, the print page, diffs and Excel.
    describe: Callable[[dict], list[tuple[str, str]]]
    window_kind: str | None = None  # catalog BusinessWindow.Kind; None: no window
    window_per_sitting: bool = True  # the window belongs to the current sitting (else sitting=None)
    # (sitting, exam_area) -> the window kind to use, where a province may set one of several (转考申请).
    window_kind_for: Callable | None = None
    flow: StateMachine = DEFAULT_FLOW
    status_labels: dict = field(default_factory=dict)  # labels of the type's own statuses
    validate: Callable | None = None  # (application, data) -> None; raises WorkflowError
    on_approved: Callable | None = None  # (application) -> None, inside the approving transaction
    on_rejected: Callable | None = None
    on_withdrawn: Callable | None = None  # (application) -> None, inside the withdrawing transaction
    attachments_required: bool = False
    attachment_kinds: dict = field(default_factory=dict)  # kind -> label, e.g. {"proof": "证明材料"}
    # The candidate's pages of this type (URL names taking the application number).
    detail_url_name: str | None = None
    edit_url_name: str | None = None
    print_url_name: str | None = None
    # After 退回修改 the new version goes back to the first step (every step sees the modified data)
    # unless this is set, when it goes straight back to the step that returned it.
    resubmit_to_returning_step: bool = False
    # A template the staff detail page includes after the materials (context: `application`), for what
    # the engine cannot show by itself (e.g. an appeal's video).
    staff_detail_template: str | None = None
    # Types with statuses of their own (考籍转出: 待缴费 → 待提交 → 审核中 … → 已完成):
    initial_status: str = Status.DRAFT  # the status a newly saved application gets
    editable_statuses: frozenset | None = None  # where the candidate may change the data (None: 草稿 / 退回修改)
    deletable_statuses: frozenset = frozenset()  # where the candidate may delete it (`application_delete`)
    badges: dict = field(default_factory=dict)  # badge colours of the type's own statuses
    # (application, window) -> str or None: what the candidate does next, for the type's own statuses.
    next_step: Callable | None = None
    # (request, application) -> {"template": ..., ...} or None: a card of the type's own staff actions
    # (考籍转出: 寄档) included on the staff detail page; it posts to the type's own URLs.
    staff_panel: Callable | None = None
    # The decision is made in the type's staff_panel (成绩复核: the result): the generic 审核通过 form is not shown.
    staff_decides_in_panel: bool = False

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

    @property
    def open_statuses(self) -> frozenset:
        """Statuses of an application still in progress (something can still happen to it)."""
        return frozenset(status for status, targets in self.flow.transitions.items() if targets)

    def window_kind_of(self, *, sitting, exam_area) -> str | None:
        if self.window_kind_for is not None:
            return self.window_kind_for(sitting=sitting, exam_area=exam_area)
        return self.window_kind


_REGISTRY: dict[str, ApplicationType] = {}


def register(application_type: ApplicationType) -> ApplicationType:
    """Add a type (called from an AppConfig.ready(); registering the same code again replaces it)."""
    if not application_type.review_chain:
        raise ValueError(f"application type {application_type.code} has no review step")
    _REGISTRY[application_type.code] = application_type
    return application_type


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

