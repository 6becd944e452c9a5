"""Back-office use cases: staff login and staff accounts (maintained by province administrators)."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.accounts.models import User
from kaowu.accounts.services.login import session_start
from kaowu.accounts.services.passwords import password_hash
from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.errors import UserFacingError
from kaowu.organization.models import Office, StaffMember

GENERIC_LOGIN_ERROR = _("用户名或密码错误。连续多次错误将暂时锁定登录。")


class StaffLoginError(UserFacingError):
    """Staff login refused, with the reason."""


def staff_login(*, request, identifier: str, password: str) -> User:
    """Sign a staff member in (the caller has checked the captcha).

    `authenticate` goes through django-axes, so repeated failures lock the username on this IP.
    A staff account without a role, or of a disabled office, is refused after the password check —
    except a superuser (created with createsuperuser to set the platform up), who may sign in to
    reach 基础数据维护 and create the first offices and staff."""
    user = authenticate(request, identifier=identifier, password=password, kind=User.Kind.STAFF)
    if user is None:
        raise StaffLoginError(GENERIC_LOGIN_ERROR)
    staff = StaffMember.objects.select_related("office", "office__region").filter(user=user).first()
    refused = (staff is None and not user.is_superuser) or (staff is not None and not staff.office.is_active)
    if refused:
        audit_record(actor=user, action=AuditAction.STAFF_LOGIN_REFUSED, target=user, request=request,
                     detail={"reason": "no_role" if staff is None else "office_inactive"})
        if staff is None:
            raise StaffLoginError(gettext("该账号尚未分配所属机构和岗位，无法登录管理端，请联系省级管理员。"))
        raise StaffLoginError(gettext("%(office)s已停用，无法登录管理端，请联系省级管理员。") % {"office": staff.office.name})
    session_start(request=request, user=user)
    audit_record(actor=user, action=AuditAction.STAFF_LOGIN, target=user, request=request)
    return user


def _admin_access(*, role: str, office: Office) -> bool:
    """Only province administrators may open 基础数据维护 (Django admin)."""
    return role == StaffMember.Role.ADMINISTRATOR and office.kind == Office.Kind.PROVINCE_AUTHORITY


def staff_member_create(*, username: str, real_name: str, initial_password: str, office: Office, role: str,
                        title: str = "", actor: User | None = None, request=None) -> StaffMember:
    """A staff account with its role. The account must change the initial password at first login."""
    hashed = password_hash(initial_password)  # slow on purpose: before the transaction, not inside it
    with transaction.atomic():
        user = User(username=username, kind=User.Kind.STAFF, exam_type="", real_name=real_name,
                    must_change_password=True, is_staff=_admin_access(role=role, office=office), password=hashed)
        user.save()
        staff = StaffMember.objects.create(user=user, office=office, role=role, title=title)
        audit_record(actor=actor, action=AuditAction.ADMIN_ADD, target=staff, request=request,
                     detail={"model": "organization.staffmember", "office_id": office.pk, "role": role})
    return staff


@transaction.atomic
def staff_member_update(*, staff: StaffMember) -> StaffMember:
    """Save a staff member's office, role and title; admin access follows the role."""
    staff.save()
    user = staff.user
    is_staff = _admin_access(role=staff.role, office=staff.office) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return staff


@transaction.atomic
def staff_accounts_set_active(*, staff_members, active: bool, actor: User, request=None) -> int:
    """Enable or disable staff accounts (a disabled account cannot sign in; its sessions end)."""
    count = 0
    for staff in staff_members:
        user = staff.user
        if user.pk == actor.pk or user.is_active == active:
            continue
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=AuditAction.ADMIN_CHANGE, target=staff, request=request,
                     detail={"model": "organization.staffmember", "is_active": active})
        count += 1
    return count
