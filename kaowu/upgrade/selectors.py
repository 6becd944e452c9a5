"""The 专升本 step rail: each step done (green), failed (red), current or still locked."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import NOTICES, UpgradeRegistration
from .services import identity_state, notice_next

Qualification = UpgradeRegistration.Qualification


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "done" | "failed" | "current" | "locked"
    url_name: str | None

    @property
    def css(self) -> str:
        return {"done": "is-done", "failed": "is-failed", "current": "is-current"}.get(self.state, "")


LABELS = [("notices", _("报考须知"), "upgrade:notice_next"), ("basic", _("填写基本信息"), "upgrade:basic"),
          ("confirm", _("信息确认"), "upgrade:confirm"), ("identity", _("身份认证"), "identity:overview"),
          ("payment", _("网上支付"), "upgrade:payment"), ("qualification", _("报考资格审核"), "upgrade:documents"),
          ("forms", _("表格下载"), "upgrade:forms")]


def steps(registration: UpgradeRegistration) -> list[Step]:
    identity = identity_state(registration)
    done = {
        "notices": notice_next(registration) is None,
        "basic": registration.basic_saved_at is not None,
        "confirm": registration.confirmed_at is not None,
        "identity": identity == "passed",
        "payment": registration.paid_at is not None,
        "qualification": registration.paid_at is not None
        and registration.qualification in (Qualification.NOT_REQUIRED, Qualification.APPROVED),
        "forms": False,  # a place to go, never "done"
    }
    failed = {"identity": identity == "failed",
              "qualification": registration.qualification == Qualification.REJECTED}
    result, reached = [], True
    for key, label, url_name in LABELS:
        if done[key]:
            state = "done"
        elif failed.get(key):
            state = "failed"
        elif reached:
            state = "current"
        else:
            state = "locked"
        if key == "qualification" and registration.qualification == Qualification.NOT_REQUIRED:
            url_name = None  # nothing to upload: the step completes with the payment
        result.append(Step(key, str(label), state, url_name if state != "locked" and url_name else None))
        if not done[key]:
            reached = False
    return result


def notices_done(registration: UpgradeRegistration) -> list[str]:
    return [name for name in NOTICES if registration.notice_read(name)]


# --- staff ----------------------------------------------------------------------------------------


def registrations_visible_to(*, staff):
    """专升本报名 a staff member may see: a 报名点 its own candidates; a city office those of the
    报名点 in its city; the province authority all."""
    from kaowu.organization.models import Office

    registrations = UpgradeRegistration.objects.select_related("user", "registration_point")
    kind = staff.office.kind
    if kind == Office.Kind.PROVINCE_AUTHORITY:
        return registrations
    if kind == Office.Kind.REGISTRATION_POINT:
        return registrations.filter(registration_point=staff.office)
    if kind == Office.Kind.CITY_OFFICE:
        return registrations.filter(registration_point__region__code__startswith=staff.office.region.code[:4])
    return registrations.none()


def forms_ready(registration: UpgradeRegistration) -> bool:
    """表格下载 opens once paid and qualified (审核通过, or no review needed)."""
    return registration.status == UpgradeRegistration.Status.IN_PROGRESS and registration.paid_at is not None \
        and registration.qualification in (Qualification.NOT_REQUIRED, Qualification.APPROVED)


def college_of(*, staff):
    """The 专升本 college whose back-office account this staff member's office is (主考学校), or None."""
    from kaowu.organization.models import Office

    from .models import College

    if staff.office.kind != Office.Kind.UNIVERSITY:
        return None
    return College.objects.filter(office=staff.office).first()
