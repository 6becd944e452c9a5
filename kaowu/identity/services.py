"""Identity verification use cases: consent, photo upload, automatic face comparison, the
three-failures → manual review path, and the office's decision."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record, personal_data_access_record
from kaowu.core.errors import UserFacingError
from kaowu.core.state import IllegalTransition
from kaowu.organization.models import Office, StaffMember

from .models import (
    MANUAL_REVIEW_AFTER_FAILURES,
    VERIFICATION_FLOW,
    BiometricConsent,
    ComparisonAttempt,
    Photo,
    RegistryCheck,
    StatusChange,
    Verification,
)
from .selectors import verifications_for_review

logger = logging.getLogger(__name__)
Status = Verification.Status

# Bump when the consent text in identity/templates/identity/consent.html changes (its substance: an
# updated English translation of the same Chinese notice is not a new version).
CONSENT_NOTICE_VERSION = "2026-11"

# Comments, failure reasons and attempt messages are stored, and shown later to the candidate and
# to staff in whatever language each of them reads: they are stored in Chinese (gettext_noop marks
# them for the catalogue) and the templates translate them when they show them.


class IdentityError(UserFacingError):
    """A problem the candidate or reviewer can fix; the message is shown as is."""


def _transition(*, verification: Verification, to: str, actor=None, comment: str = "") -> None:
    try:
        VERIFICATION_FLOW.require(verification.status, to)
    except IllegalTransition as exc:
        raise IdentityError(str(exc)) from None
    StatusChange.objects.create(verification=verification, from_status=verification.status, to_status=to,
                                actor=actor, comment=comment[:200])
    verification.status = to


# --- consent ----------------------------------------------------------------------------------

def consent_current(*, user) -> BiometricConsent | None:
    return BiometricConsent.objects.filter(user=user, withdrawn_at__isnull=True,
                                           notice_version=CONSENT_NOTICE_VERSION).first()


def consent_give(*, user, request=None) -> BiometricConsent:
    existing = consent_current(user=user)
    if existing:
        return existing
    from kaowu.core.http import client_ip

    consent = BiometricConsent.objects.create(user=user, notice_version=CONSENT_NOTICE_VERSION,
                                              ip_address=client_ip(request) if request else None)
    audit_record(actor=user, action=AuditAction.IDENTITY_CONSENT, target=consent, request=request,
                 detail={"notice_version": CONSENT_NOTICE_VERSION})
    return consent


@transaction.atomic
def consent_withdraw(*, user, request=None) -> None:
    """Withdrawing stops face processing; photos of unfinished verifications are deleted."""
    BiometricConsent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    for verification in Verification.objects.select_for_update().filter(user=user).exclude(status=Status.PASSED):
        for photo in verification.photos.filter(deleted_at__isnull=True):
            _photo_delete(photo)
        if verification.status == Status.MANUAL_REVIEW:
            # Nothing left for the office to look at: the case leaves its queue, with the reason.
            _transition(verification=verification, to=Status.FAILED, actor=user, comment=gettext_noop("考生撤回同意，照片已删除"))
            verification.failure_reason = gettext_noop("考生已撤回人脸信息处理同意，照片已删除")
            verification.save(update_fields=["status", "failure_reason", "updated_at"])
    audit_record(actor=user, action=AuditAction.IDENTITY_CONSENT_WITHDRAWN, target=user, request=request)


# --- verification and photos ------------------------------------------------------------------

def verification_get(*, user, kind: str) -> Verification:
    verification, _ = Verification.objects.get_or_create(user=user, kind=kind)
    return verification


def photos_current(*, verification: Verification) -> dict[str, Photo]:
    return {p.kind: p for p in verification.photos.filter(is_current=True, deleted_at__isnull=True)}


def photo_upload(*, verification: Verification, kind: str, upload, actor, request=None) -> Photo:
    """Check an uploaded photo (type by content, size, dimensions, photo standards) and keep it,
    re-encoded without EXIF. Raises IdentityError with every failed rule named."""
    from .images import ImageRejected, image_load
    from .photo_standards import photo_check

    if kind not in verification.required_photos:
        raise IdentityError(gettext("此认证方式不需要该照片"), field=kind)
    if verification.status not in (Status.UNVERIFIED, Status.FAILED):
        raise IdentityError(gettext("认证状态为“%(status)s”，不能更换照片") % {"status": verification.get_status_display()})
    if consent_current(user=verification.user) is None:
        raise IdentityError(gettext("请先阅读并同意《人脸信息处理告知书》"))
    try:
        loaded = image_load(upload, kind=kind)
    except ImageRejected as exc:
        raise IdentityError(exc.message, field=kind) from None
    report = photo_check(loaded.image, kind=kind)
    if not report.passed:
        # "；" is a separator here: the upload view splits the message into a list at it.
        raise IdentityError("；".join(rule.message for rule in report.failures), field=kind)
    content = loaded.to_jpeg_bytes()
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if verification.status not in (Status.UNVERIFIED, Status.FAILED):
            raise IdentityError(gettext("认证状态为“%(status)s”，不能更换照片") % {"status": verification.get_status_display()})
        verification.photos.filter(kind=kind, is_current=True).update(is_current=False)
        face = report.faces[0] if report.faces else None
        photo = Photo(verification=verification, kind=kind, width=loaded.width, height=loaded.height,
                      sha256=hashlib.sha256(content).hexdigest(),
                      face_box=[face.left, face.top, face.right, face.bottom] if face else None)
        photo.file.save(f"{photo.token}.jpg", ContentFile(content), save=False)
        photo.save()
    audit_record(actor=actor, action=AuditAction.IDENTITY_PHOTO_UPLOADED, target=verification, request=request,
                 detail={"kind": kind})
    return photo


def verification_submit(*, verification: Verification, actor, request=None) -> Verification:
    """提交验证: all required photos present → 认证中, and the comparison runs as a background job."""
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if consent_current(user=verification.user) is None:
            raise IdentityError(gettext("请先阅读并同意《人脸信息处理告知书》"))
        missing = [Photo.Kind(k).label for k in verification.required_photos
                   if k not in photos_current(verification=verification)]
        if missing:
            raise IdentityError(gettext("请先上传：%(photos)s") % {"photos": gettext("、").join(str(label) for label in missing)})
        _transition(verification=verification, to=Status.VERIFYING, actor=actor, comment=gettext_noop("提交验证"))
        verification.failure_reason = ""
        verification.save(update_fields=["status", "failure_reason", "updated_at"])
        audit_record(actor=actor, action=AuditAction.IDENTITY_SUBMITTED, target=verification, request=request)

        from .tasks import verification_compare_task

        verification_id = verification.pk
        transaction.on_commit(lambda: verification_compare_task.enqueue(verification_id=verification_id))
    return verification


def verification_compare(*, verification_id: int) -> Verification:
    """Run the face comparison of a submitted verification and record the attempt and decision."""
    from .faces import MODEL_NAME, FaceBox, FaceError, faces_compare, model_version
    from .images import image_open_stored

    verification = Verification.objects.get(pk=verification_id)
    if verification.status != Status.VERIFYING:
        return verification  # a duplicate or late job: nothing to do
    photos = photos_current(verification=verification)
    kinds = [k for k in verification.required_photos if k != Photo.Kind.ID_CARD_BACK]
    reference_kind, other_kinds = kinds[0], kinds[1:]
    threshold = settings.KAOWU_FACE_MATCH_THRESHOLD
    result = None
    error_code, message = "", ""
    try:
        images = {k: image_open_stored(photos[k].file) for k in kinds}
        # The faces were found when the photos were uploaded; the comparison reuses those boxes.
        boxes = [FaceBox(*photos[k].face_box) if photos[k].face_box else None for k in kinds]
        result = faces_compare(images[reference_kind], *[images[k] for k in other_kinds], threshold=threshold,
                               boxes=boxes)
    except FaceError as exc:
        error_code, message = exc.code, exc.message
    except Exception:  # noqa: BLE001 — a broken file must end in a decision the candidate sees
        logger.exception("face comparison failed for verification %s", verification_id)
        error_code, message = "processing_error", gettext_noop("照片处理失败，请重新上传清晰的照片后再试")

    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification_id)
        if verification.status != Status.VERIFYING:
            return verification
        number = verification.automatic_attempts + 1
        distances = {}
        if result is not None:
            distances = {f"{reference_kind}~{kind}": round(d, 4) for kind, d in zip(other_kinds, result.distances, strict=True)}
        matched = bool(result is not None and result.matched)
        if result is not None and not matched:
            message = gettext_noop("照片中的人像比对不一致，请确认三张照片均为本人且清晰后重新上传") if len(kinds) > 2 else \
                gettext_noop("照片中的人像比对不一致，请确认照片均为本人且清晰后重新上传")
        ComparisonAttempt.objects.create(
            verification=verification, number=number, distances=distances, threshold=threshold,
            model_name=MODEL_NAME, model_version=model_version(),
            matched=matched, error_code=error_code, message=message,
        )
        verification.automatic_attempts = number
        if matched:
            _transition(verification=verification, to=Status.PASSED, comment=gettext_noop("人脸比对通过"))
            verification.failure_reason = ""
        else:
            _transition(verification=verification, to=Status.FAILED, comment=message)
            verification.failure_reason = message
        verification.save(update_fields=["status", "failure_reason", "automatic_attempts", "updated_at"])
    return verification


def manual_review_offices(*, verification: Verification):
    """Where the candidate may ask for an in-person review: the exam area of their city and the
    registration points of their city (seed 002: 到考区线下采集信息; seed 001: 到所属的报名点进行人工审核)."""
    candidate = getattr(verification.user, "candidate", None)
    if candidate is None:
        return Office.objects.none()
    city = candidate.district if candidate.district.level == "city" else candidate.district.parent
    offices = Office.objects.filter(is_active=True, region__code__startswith=city.scope_prefix,
                                    kind__in=[Office.Kind.EXAM_AREA, Office.Kind.REGISTRATION_POINT])
    if candidate.registration_point_id:
        offices = offices | Office.objects.filter(pk=candidate.registration_point_id)
    return offices.distinct().order_by("kind", "code")


def manual_review_request(*, verification: Verification, office: Office, actor, request=None) -> Verification:
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if consent_current(user=verification.user) is None:
            raise IdentityError(gettext("请先阅读并同意《人脸信息处理告知书》"))
        if verification.automatic_attempts < MANUAL_REVIEW_AFTER_FAILURES:
            raise IdentityError(gettext("自动比对未通过%(n)s次后才能申请人工审核，请先重新上传照片再试")
                                % {"n": MANUAL_REVIEW_AFTER_FAILURES})
        if not manual_review_offices(verification=verification).filter(pk=office.pk).exists():
            raise IdentityError(gettext("请选择所在地市的考区或报名点"))
        _transition(verification=verification, to=Status.MANUAL_REVIEW, actor=actor, comment=f"申请{office.name}人工审核")
        verification.review_office = office
        verification.save(update_fields=["status", "review_office", "updated_at"])
        audit_record(actor=actor, action=AuditAction.IDENTITY_MANUAL_REVIEW_REQUESTED, target=verification, request=request,
                     detail={"office": office.code})
    return verification


def verification_review(*, verification: Verification, staff: StaffMember, approve: bool, reason: str = "",
                        request=None) -> Verification:
    reason = (reason or "").strip()
    if not approve and not reason:
        raise IdentityError(gettext("请填写不通过原因"), field="reason")
    with transaction.atomic():
        verification = verifications_for_review(staff=staff).select_for_update(of=("self",)).get(pk=verification.pk)
        target = Status.PASSED if approve else Status.FAILED
        _transition(verification=verification, to=target, actor=staff.user,
                    comment=gettext_noop("人工审核通过") if approve else f"人工审核不通过：{reason}")
        verification.failure_reason = "" if approve else reason[:200]
        verification.reviewed_by = staff.user
        verification.reviewed_at = timezone.now()
        verification.save(update_fields=["status", "failure_reason", "reviewed_by", "reviewed_at", "updated_at"])
        audit_record(actor=staff.user, action=AuditAction.IDENTITY_REVIEWED, target=verification, request=request,
                     detail={"decision": "pass" if approve else "fail", "reason": reason[:200]})
    return verification


# --- privacy ----------------------------------------------------------------------------------

def photo_open_for_candidate(*, user, token) -> Photo:
    photo = Photo.objects.select_related("verification").filter(
        token=token, verification__user=user, deleted_at__isnull=True).first()
    if photo is None:
        raise Photo.DoesNotExist
    return photo


def photo_open_for_staff(*, staff: StaffMember, token, request=None) -> Photo:
    """A photo the staff member may see (their review queue), with the access recorded."""
    photo = Photo.objects.select_related("verification").filter(
        token=token, deleted_at__isnull=True,
        verification__in=verifications_for_review(staff=staff)).first()
    if photo is None:
        raise Photo.DoesNotExist
    personal_data_access_record(actor=staff.user, target=photo.verification, fields=[f"photo:{photo.kind}"],
                                request=request)
    return photo


def _photo_delete(photo: Photo) -> None:
    if photo.file:
        photo.file.delete(save=False)
    photo.deleted_at = timezone.now()
    photo.is_current = False
    photo.save(update_fields=["file", "deleted_at", "is_current"])


def photos_purge_expired(*, older_than_days: int | None = None, now=None) -> int:
    """Retention: delete photos of verifications that did not pass (and replaced photos) once they
    are older than the retention period. Passed verifications keep their current photos."""
    days = older_than_days if older_than_days is not None else settings.KAOWU_IDENTITY_PHOTO_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
    stale = Photo.objects.filter(deleted_at__isnull=True, uploaded_at__lt=cutoff).exclude(
        verification__status=Status.PASSED, is_current=True
    ).exclude(verification__status__in=[Status.VERIFYING, Status.MANUAL_REVIEW])
    count = 0
    for photo in stale.iterator():
        _photo_delete(photo)
        count += 1
    return count


# --- online name + ID number check --------------------------------------------------------------

REGISTRY_CHECKS_PER_DAY = 5


def registry_check(*, user, request=None) -> RegistryCheck:
    """姓名+身份证号在线认证 of the account's own name and ID number. Limited per day: each query is
    a paid call to an authority's service in production."""
    from .registry import RegistryUnavailable, identity_registry

    today = timezone.localdate()
    used = RegistryCheck.objects.filter(user=user, checked_at__date=today).exclude(
        outcome=RegistryCheck.Outcome.UNAVAILABLE).count()
    if used >= REGISTRY_CHECKS_PER_DAY:
        raise IdentityError(gettext("今日在线核验已达%(n)s次，请明天再试") % {"n": REGISTRY_CHECKS_PER_DAY})
    provider = identity_registry()
    try:
        answer = provider.check(real_name=user.real_name, id_number=user.id_number)
    except RegistryUnavailable:
        check = RegistryCheck.objects.create(user=user, outcome=RegistryCheck.Outcome.UNAVAILABLE,
                                             provider=provider.name)
        raise IdentityError(gettext("身份核验服务暂不可用，请稍后再试")) from None
    check = RegistryCheck.objects.create(user=user, outcome=answer.outcome.value, provider=provider.name,
                                         reference=answer.reference)
    audit_record(actor=user, action=AuditAction.IDENTITY_REGISTRY_CHECKED, target=user, request=request,
                 detail={"outcome": answer.outcome.value})
    return check


def registry_check_latest(*, user) -> RegistryCheck | None:
    return RegistryCheck.objects.filter(user=user).exclude(outcome=RegistryCheck.Outcome.UNAVAILABLE).first()
