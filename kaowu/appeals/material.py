"""材料辅助申诉 (seed 000) as an application type of the workflow engine: `phone_appeal`.

The candidate (not signed in: identified by 身份证号 + 姓名) gives the new phone (proved by an SMS code
sent to it), the 所属区县, the 报考考试, the reason and an MP4 video; the 区县招办 of the chosen 所属区县
reviews it in 申请审核 with the video playable on the page. On approval the account's phone becomes
the new phone (unless another account took it meanwhile: then the approval is refused).

Flow: 草稿 → 审核中 → 审核通过 / 审核未通过. No 退回修改 and no 撤回: the candidate is not signed in
and cannot change an appeal; a refused appeal is followed by a new one.
"""

from django.db import IntegrityError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.core.masking import mask_phone
from kaowu.core.state import StateMachine
from kaowu.organization.models import Office, Region
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import ApplicationType, ReviewStep, district_office_of_candidate

CODE = "phone_appeal"

APPEAL_FLOW = StateMachine({
    Status.DRAFT: {Status.REVIEWING},
    Status.REVIEWING: {Status.APPROVED, Status.REJECTED},
})

EXAM_TYPES = {"self_study": _("高等教育自学考试"), "upgrade": _("专升本")}


def district_office_of_appeal(application, data) -> Office | None:
    """区县招办 of the 所属区县 the candidate chose (preselected: the account's); the account's own
    district when the data names none."""
    code = (data or {}).get("district")
    region = Region.objects.filter(code=code, level=Region.Level.DISTRICT).first() if code else None
    if region is None:
        return district_office_of_candidate(application, data)
    return Office.objects.filter(kind=Office.Kind.DISTRICT_OFFICE, region=region, is_active=True).order_by("code").first()


def describe(data: dict) -> list[tuple[str, str]]:
    seconds = data.get("video_seconds")
    return [(gettext("申诉类型"), gettext("修改手机号码")),
            (gettext("申诉方式"), gettext("材料辅助申诉")),
            (gettext("新手机号"), mask_phone(data.get("new_phone", ""))),
            (gettext("所属区县"), data.get("district_name", "")),
            (gettext("报考考试"), str(EXAM_TYPES.get(data.get("exam_type", ""), data.get("exam_type", "")))),
            (gettext("申诉原因"), data.get("reason", "")),
            (gettext("视频时长"), gettext("%(n)s秒") % {"n": round(float(seconds))} if seconds else "")]


def validate(application, data: dict) -> None:
    from kaowu.accounts.models import User
    from kaowu.workflow.selectors import application_open_of
    from kaowu.workflow.services import WorkflowError

    if not hasattr(application, "appeal_video"):
        raise WorkflowError(gettext("请上传申诉视频"), field="video")
    phone = data.get("new_phone", "")
    if not phone:
        raise WorkflowError(gettext("请输入新手机号"), field="phone")
    if User.objects.filter(phone=phone).exclude(pk=application.applicant_id).exists():
        raise WorkflowError(gettext("该手机号已绑定其他账号，请更换其他手机号"), field="phone")
    other = application_open_of(candidate=application.candidate, type_code=CODE, exclude=application)
    if other is not None:
        raise WorkflowError(gettext("您已有一份正在审核的申诉（申诉编号%(number)s），请等待审核结果。")
                            % {"number": other.number})


def on_approved(application) -> None:
    """Inside the approving transaction: bind the new phone (refused, and so the approval with it, when
    another account holds the number now), sign the account out everywhere, audit."""
    from kaowu.accounts.models import User, new_security_stamp
    from kaowu.audit.services import audit_record
    from kaowu.workflow.services import WorkflowError

    phone = application.data.get("new_phone", "")
    user = User.objects.select_for_update().get(pk=application.applicant_id)
    if not phone or User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise WorkflowError(gettext("新手机号%(phone)s已绑定其他账号，不能审核通过。请审核未通过并告知考生更换手机号重新申诉。")
                            % {"phone": mask_phone(phone)})
    had_phone = bool(user.phone)
    try:
        from django.db import transaction

        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(phone=phone, security_stamp=new_security_stamp())
    except IntegrityError:
        raise WorkflowError(gettext("新手机号%(phone)s已绑定其他账号，不能审核通过。") % {"phone": mask_phone(phone)}) from None
    audit_record(actor=None, action=AuditAction.ACCOUNT_PHONE_APPEAL_REPLACE, target=user,
                 jurisdiction_code=application.candidate.district.code,
                 detail={"application": application.number, "channel": "material", "had_phone": had_phone})
    # The engine's 消息 + SMS go to the applicant as loaded here: the new phone.
    application.applicant.phone = phone


def on_rejected(application) -> None:
    from .services import on_rejected as tell_new_phone

    tell_new_phone(application)


PHONE_APPEAL = ApplicationType(
    code=CODE,
    label=_("账号申诉"),
    form_class=None,  # the pages build the data themselves (services.material_appeal_submit)
    review_chain=(ReviewStep(_("区县招办审核"), Office.Kind.DISTRICT_OFFICE, district_office_of_appeal),),
    describe=describe,
    window_kind=None,
    window_per_sitting=False,
    flow=APPEAL_FLOW,
    validate=validate,
    on_approved=on_approved,
    on_rejected=on_rejected,
    staff_detail_template="appeals/staff/_video.html",
)
