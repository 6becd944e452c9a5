"""Changing the catalog. Only staff of the province authority may (`catalog_editable_by`); every change
is one transaction and one audit row naming what changed (old → new).

Errors a person can cause are a `CatalogError` with a Chinese message (and the form field it belongs to);
views show it on the form. The database constraints back every check here.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.errors import UserFacingError
from kaowu.organization.models import Office, StaffMember

from .models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingExamArea,
    SittingSession,
    Textbook,
)
from .selectors import catalog_editable_by

# Long text fields: the audit row says they changed, not what they say.
_TEXT_FIELDS = {"body", "description"}


class CatalogError(UserFacingError):
    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message, field=field)
        self.errors = errors or {field: [message]}


class CatalogPermissionDenied(CatalogError):
    pass


def catalog_require_editor(*, staff: StaffMember) -> None:
    if not catalog_editable_by(staff=staff):
        raise CatalogPermissionDenied(gettext("考试计划与专业由省级考试机构维护，您可以查看，但不能修改。"))


def _shown(value):
    """A value as the audit row keeps it: codes for catalog rows, ISO text for times."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value.pk)
    return str(value)


def _changes(before: models.Model | None, values: dict) -> dict:
    changes = {}
    for name, value in values.items():
        old = getattr(before, name) if before is not None else None
        if before is not None and old == value:
            continue
        if name in _TEXT_FIELDS:
            changes[name] = gettext("（已修改）") if before is not None else gettext("（已填写）")
        else:
            changes[name] = [_shown(old), _shown(value)] if before is not None else _shown(value)
    return changes


def _error_from(exc: ValidationError) -> CatalogError:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    field, messages = next(iter(errors.items()))
    field = None if field == "__all__" else field
    return CatalogError(messages[0], field=field, errors={(None if k == "__all__" else k): v for k, v in errors.items()})


def _save(*, staff: StaffMember, model, instance: models.Model | None, values: dict, action: str,
          request=None, detail: dict | None = None) -> models.Model:
    """Create (instance None) or update a row with `values`, validated like a form would, and audit it.
    An update that changes nothing writes nothing."""
    catalog_require_editor(staff=staff)
    with transaction.atomic():
        before = model.objects.select_for_update().get(pk=instance.pk) if instance is not None else None
        changes = _changes(before, values)
        if before is not None and not changes:
            return before
        obj = before if before is not None else model()
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean()
            with transaction.atomic():
                obj.save()
        except ValidationError as exc:
            raise _error_from(exc) from None
        except IntegrityError:
            raise CatalogError(gettext("与已有数据冲突（可能刚被他人修改），请刷新后重试。")) from None
        verb = "created" if before is None else "updated"
        audit_record(actor=staff.user, action=AuditAction(f"{action}.{verb}"), target=obj, request=request,
                     detail={"changes": changes, **(detail or {})})
    return obj


def _delete(*, staff: StaffMember, obj: models.Model, action: str, request=None, detail: dict | None = None) -> None:
    catalog_require_editor(staff=staff)
    with transaction.atomic():
        audit_record(actor=staff.user, action=AuditAction(f"{action}.deleted"), target=obj, request=request, detail=detail or {})
        try:
            with transaction.atomic():
                obj.delete()
        except models.ProtectedError:
            raise CatalogError(gettext("该数据已被使用，不能删除。")) from None


# --- Majors and plans -----------------------------------------------------------------------------

MAJOR_FIELDS = ("code", "name", "level", "university", "status", "transition_ends_on", "description")


def major_save(*, staff: StaffMember, major: Major | None = None, request=None, **values) -> Major:
    values = {k: v for k, v in values.items() if k in MAJOR_FIELDS}
    if values.get("status") != Major.Status.TRANSITION and "status" in values:
        values.setdefault("transition_ends_on", None)
    return _save(staff=staff, model=Major, instance=major, values=values, action="catalog.major", request=request)


def plan_course_add(*, staff: StaffMember, major: Major, course: Course, requirement: str,
                    group_label: str = "", position: int = 0, request=None) -> PlanCourse:
    if PlanCourse.objects.filter(major=major, course=course).exists():
        raise CatalogError(gettext("课程 %(course)s 已在本专业计划中。") % {"course": course}, field="course_code")
    return _save(staff=staff, model=PlanCourse, instance=None, request=request, action="catalog.plan_course",
                 values=dict(major=major, course=course, requirement=requirement, group_label=group_label,
                             position=position))


def plan_course_update(*, staff: StaffMember, plan_course: PlanCourse, requirement: str, group_label: str = "",
                       position: int = 0, request=None) -> PlanCourse:
    return _save(staff=staff, model=PlanCourse, instance=plan_course, request=request, action="catalog.plan_course",
                 values=dict(requirement=requirement, group_label=group_label, position=position))


def plan_course_remove(*, staff: StaffMember, plan_course: PlanCourse, request=None) -> None:
    _delete(staff=staff, obj=plan_course, action="catalog.plan_course", request=request,
            detail={"major": plan_course.major.code, "course": plan_course.course.code})


# --- Courses and textbooks ------------------------------------------------------------------------


def textbook_for(*, title: str, author: str = "", publisher: str = "", edition: str = "") -> Textbook | None:
    """The textbook with exactly these details, created if new; None when no title is given."""
    title = (title or "").strip()
    if not title:
        return None
    textbook, _ = Textbook.objects.get_or_create(title=title, author=(author or "").strip(),
                                                 publisher=(publisher or "").strip(), edition=(edition or "").strip())
    return textbook


def course_save(*, staff: StaffMember, course: Course | None = None, code: str, name: str, credits: int, kind: str,
                textbook: dict | None = None, request=None) -> Course:
    """Create or change a course and its current textbook (`textbook`: title, author, publisher, edition;
    an empty title means no textbook)."""
    catalog_require_editor(staff=staff)
    with transaction.atomic():
        book = textbook_for(**(textbook or {"title": ""}))
        return _save(staff=staff, model=Course, instance=course, request=request, action="catalog.course",
                     values=dict(code=code, name=name, credits=credits, kind=kind, textbook=book))


# --- Sittings, timetable, fees, exam areas --------------------------------------------------------

SITTING_FIELDS = ("code", "name", "is_current", "is_published", "score_publication_at")


def sitting_save(*, staff: StaffMember, sitting: ExamSitting | None = None, request=None, **values) -> ExamSitting:
    """Create or change a sitting. Making it current takes the flag from the sitting that had it."""
    values = {k: v for k, v in values.items() if k in SITTING_FIELDS}
    catalog_require_editor(staff=staff)
    with transaction.atomic():
        if values.get("is_current"):
            previous = list(ExamSitting.objects.select_for_update().filter(is_current=True).exclude(
                pk=sitting.pk if sitting else None))
            for other in previous:
                other.is_current = False
                other.save(update_fields=["is_current"])
                audit_record(actor=staff.user, action=AuditAction.CATALOG_SITTING_UPDATED, target=other, request=request,
                             detail={"changes": {"is_current": [True, False]}})
        return _save(staff=staff, model=ExamSitting, instance=sitting, values=values, action="catalog.sitting",
                     request=request)


def session_save(*, staff: StaffMember, sitting: ExamSitting, session: SittingSession | None = None,
                 date: datetime.date, half_day: str, start_time: datetime.time, end_time: datetime.time,
                 request=None) -> SittingSession:
    if session is not None and session.sitting_id != sitting.pk:
        raise CatalogError(gettext("该场次不属于本考期。"))
    return _save(staff=staff, model=SittingSession, instance=session, request=request, action="catalog.session",
                 values=dict(sitting=sitting, date=date, half_day=half_day, start_time=start_time, end_time=end_time))


def session_delete(*, staff: StaffMember, session: SittingSession, request=None) -> None:
    if session.courses.exists():
        raise CatalogError(gettext("该场次已安排课程，请先移除或调整这些课程。"))
    _delete(staff=staff, obj=session, action="catalog.session", request=request, detail={"sitting": session.sitting.code})


def sitting_course_save(*, staff: StaffMember, sitting: ExamSitting, course: Course, session: SittingSession,
                        fee: Decimal, offered: SittingCourse | None = None, request=None) -> SittingCourse:
    if session.sitting_id != sitting.pk:
        raise CatalogError(gettext("所选场次不属于本考期。"), field="session")
    if offered is None and SittingCourse.objects.filter(sitting=sitting, course=course).exists():
        raise CatalogError(gettext("课程 %(course)s 本考期已安排。") % {"course": course}, field="course_code")
    return _save(staff=staff, model=SittingCourse, instance=offered, request=request, action="catalog.sitting_course",
                 values=dict(sitting=sitting, course=course, session=session, fee=fee))


def sitting_course_remove(*, staff: StaffMember, offered: SittingCourse, request=None) -> None:
    _delete(staff=staff, obj=offered, action="catalog.sitting_course", request=request,
            detail={"sitting": offered.sitting.code, "course": offered.course.code})


def sitting_exam_areas_set(*, staff: StaffMember, sitting: ExamSitting, exam_areas, request=None) -> dict:
    """Which 考区 hold the sitting. Returns {"added": [codes], "removed": [codes]}."""
    catalog_require_editor(staff=staff)
    wanted = {area.pk: area for area in exam_areas}
    if any(area.kind != Office.Kind.EXAM_AREA for area in wanted.values()):
        raise CatalogError(gettext("只能选择考区。"), field="exam_areas")
    with transaction.atomic():
        ExamSitting.objects.select_for_update().get(pk=sitting.pk)
        links = {link.exam_area_id: link for link in SittingExamArea.objects.filter(sitting=sitting)
                 .select_related("exam_area")}
        added = [wanted[pk] for pk in wanted if pk not in links]
        removed = [link for pk, link in links.items() if pk not in wanted]
        SittingExamArea.objects.bulk_create([SittingExamArea(sitting=sitting, exam_area=a) for a in added])
        SittingExamArea.objects.filter(pk__in=[link.pk for link in removed]).delete()
        result = {"added": sorted(a.code for a in added), "removed": sorted(link.exam_area.code for link in removed)}
        if added or removed:
            audit_record(actor=staff.user, action=AuditAction.CATALOG_SITTING_EXAM_AREAS_SET, target=sitting, request=request,
                         detail=result)
    return result


# --- Business windows -----------------------------------------------------------------------------

WINDOW_FIELDS = ("kind", "sitting", "exam_area", "starts_at", "ends_at", "note")


def window_save(*, staff: StaffMember, window: BusinessWindow | None = None, request=None, **values) -> BusinessWindow:
    values = {k: v for k, v in values.items() if k in WINDOW_FIELDS}
    area = values.get("exam_area")
    if area is not None and area.kind != Office.Kind.EXAM_AREA:
        raise CatalogError(gettext("只能为考区单独设置业务时间。"), field="exam_area")
    return _save(staff=staff, model=BusinessWindow, instance=window, values=values, action="catalog.window",
                 request=request)


def window_delete(*, staff: StaffMember, window: BusinessWindow, request=None) -> None:
    _delete(staff=staff, obj=window, action="catalog.window", request=request,
            detail={"kind": window.kind, "sitting": window.sitting.code if window.sitting_id else None,
                    "exam_area": window.exam_area.code if window.exam_area_id else None})


# --- Announcements --------------------------------------------------------------------------------

ANNOUNCEMENT_FIELDS = ("title", "category", "sitting", "body", "is_published", "published_at")


def announcement_save(*, staff: StaffMember, announcement: Announcement | None = None, request=None,
                      **values) -> Announcement:
    values = {k: v for k, v in values.items() if k in ANNOUNCEMENT_FIELDS}
    return _save(staff=staff, model=Announcement, instance=announcement, values=values,
                 action="catalog.announcement", request=request)


def announcement_delete(*, staff: StaffMember, announcement: Announcement, request=None) -> None:
    _delete(staff=staff, obj=announcement, action="catalog.announcement", request=request)
