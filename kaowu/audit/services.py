"""Writing audit rows. Every staff action (and every look at a candidate's personal data) calls
`audit_record` inside the service or view that acts; rows are never edited or deleted.

An audit row never holds personal data: the target is named by its type, id and a safe label
(a masked name), and `detail` carries ids, statuses, counts and reasons only.
"""

import logging
import re

from django.conf import settings
from django.db import models
from django.utils import translation

from kaowu.core.http import client_ip
from kaowu.core.masking import mask_id_number, mask_phone

from .events import AuditAction
from .models import AuditEvent

logger = logging.getLogger(__name__)

PII_VIEW = AuditAction.PII_VIEW

# An 18-digit 身份证号 (last character may be X) or an 11-digit mainland mobile number, not part of a
# longer digit run (a 12-digit 准考证号 is not a phone number).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _redact(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def _scrub(value, *, action: str):
    """A copy of `value` with ID numbers and phones masked. Callers must not pass them; if one
    slips through it is masked (and logged) rather than stored or turned into an error page."""
    if isinstance(value, str):
        redacted = _redact(value)
        if redacted != value:
            logger.warning("audit_record(%s): personal data in the audit detail was masked", action)
        return redacted
    if isinstance(value, dict):
        return {str(k): _scrub(v, action=action) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v, action=action) for v in value]
    return value


def audit_target_label(target) -> str:
    """A label that identifies the target to a reviewer without personal data.

    Models may define `audit_label()` to choose their own (it must follow the same rule)."""
    if target is None:
        return ""
    custom = getattr(target, "audit_label", None)
    if callable(custom):
        return _redact(str(custom()))[:120]
    from kaowu.organization.models import Office, Region, StaffMember

    if isinstance(target, StaffMember):
        label = f"{target.user.real_name}（{target.office.name}）"
    elif isinstance(target, Office | Region):
        label = target.name
    else:
        label = f"{target._meta.verbose_name} #{target.pk}"
    return _redact(label)[:120]


def _target_type(target) -> str:
    if target is None:
        return ""
    return target._meta.label_lower if isinstance(target, models.Model) else type(target).__name__


def _actor_scope(actor) -> tuple:
    """(office, jurisdiction code) of the actor: a staff member's office and its region;
    a candidate's 所属区县, so that district staff see their candidates' events."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    staff = getattr(actor, "staff_member", None) if actor.pk else None
    if staff is not None:
        return staff.office, staff.office.region.code
    candidate = getattr(actor, "candidate", None) if actor.pk else None
    if candidate is not None:
        return None, candidate.district.code
    return None, ""


def audit_record(*, actor, action: AuditAction, target=None, request=None, detail: dict | None = None,
                 jurisdiction_code: str | None = None) -> AuditEvent:
    """Write one audit row. `actor` may be None (an anonymous visitor, a background job).

    `jurisdiction_code` defaults to the actor's office region (staff) or 所属区县 (candidate);
    pass it to file an event under another region."""
    from django.core.exceptions import ObjectDoesNotExist

    if not isinstance(action, AuditAction):
        raise TypeError(f"audit_record(action={action!r}): pass a kaowu.audit.events.AuditAction member "
                        "(add one for a new kind of action)")
    try:
        office, code = _actor_scope(actor)
    except ObjectDoesNotExist:  # a related row vanished mid-request: still record the action
        office, code = None, ""
    if jurisdiction_code is not None:
        code = jurisdiction_code
    actor_user = actor if actor is not None and getattr(actor, "pk", None) else None
    # Stored labels are in the site's language whatever language the acting user reads.
    with translation.override(settings.LANGUAGE_CODE):
        target_label = audit_target_label(target)
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_office=office,
        action=action,
        target_type=_target_type(target),
        target_id=str(target.pk) if target is not None and getattr(target, "pk", None) is not None else "",
        target_label=target_label,
        jurisdiction_code=code or "",
        ip_address=client_ip(request) if request is not None else None,
        detail=_scrub(detail or {}, action=action),
    )


def personal_data_access_record(*, actor, target, fields: list[str], request) -> AuditEvent:
    """Record that `actor` was shown the unmasked `fields` (e.g. ["id_number", "phone"]) of `target`."""
    return audit_record(actor=actor, action=PII_VIEW, target=target, request=request,
                        detail={"fields": sorted(set(fields))})
