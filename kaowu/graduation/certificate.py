"""毕业证明书申请 (seed 003; issue #14 item 5): a graduate whose 毕业证书 is lost or damaged asks the
province for a 毕业证明书.

Only a graduate (a `Graduate` row) applies, choosing which graduation (毕业专业 and 毕业证书编号) when he
has several, with the reason (遗失 / 损毁 / 其他) and his contact details; there is no window (it can be
applied for at any time). The province authority (省级考试机构) reviews it with the engine's generic
decisions. On approval the 毕业证明书 is issued: its number is derived from the application's number
(`certificate_number_of`), its date is the approval's, and the candidate downloads it as a PDF
(`certificate_pdf.py`) carrying a QR code of a signed short token that anyone may scan to the public
verification page (`/GZ/<token>`, no login): genuine or 无法核验.

Out of order is refused on the server: a non-graduate cannot save, a graduation that is not his (or
already has an application in progress) cannot be chosen or submitted, and the PDF is drawn only for
an approved application.
"""

import base64
import datetime
import hashlib
import hmac
import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import Candidate
from kaowu.catalog.models import Major
from kaowu.core.errors import UserFacingError
from kaowu.core.text import Form
from kaowu.core.validation import normalize_phone
from kaowu.organization.models import Office
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import ApplicationType, ReviewStep, TypePages, province_authority

from .models import Graduate

CODE = "graduation_certificate"
REASONS = (("lost", _("毕业证书遗失")), ("damaged", _("毕业证书损毁")), ("other", _("其他原因")))
DETAIL_MAX = 200
ADDRESS_MAX = 120
# 证明书编号: ZM + the 16 digits of the application's number (SQ2027031204718265 → ZM2027031204718265).
CERTIFICATE_PREFIX = "ZM"
_CERTIFICATE_NUMBER = re.compile(rf"^{CERTIFICATE_PREFIX}[0-9]{{16}}$")
VERIFY_PATH = "/GZ/"
SALT = b"kaowu.graduation.certificate"


class CertificateError(UserFacingError):
    """A 毕业证明书 refused (not issued yet), with the reason (Chinese)."""


# --- reads --------------------------------------------------------------------------------------

def graduates_of(candidate: Candidate | None):
    """The candidate's graduations (毕业), newest first."""
    if candidate is None:
        return Graduate.objects.none()
    return Graduate.objects.filter(candidate=candidate).select_related("major").order_by("-graduated_on", "pk")


def is_graduate(candidate: Candidate | None) -> bool:
    return candidate is not None and Graduate.objects.filter(candidate=candidate).exists()


def certificate_applications_open(*, candidate: Candidate, exclude=None) -> dict[int, object]:
    """The candidate's 毕业证明书申请 still in progress, by the graduation (Graduate id) they are for."""
    from kaowu.workflow.models import Application
    from kaowu.workflow.types import application_type

    queryset = Application.objects.filter(candidate=candidate, type_code=CODE,
                                          status__in=sorted(application_type(CODE).open_statuses)
                                          ).select_related("current_version").order_by("-created_at")
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    found: dict[int, object] = {}
    for application in queryset:
        graduate = application.data.get("graduate")
        if isinstance(graduate, int):
            found.setdefault(graduate, application)
    return found


def graduation_label(graduate: Graduate) -> str:
    return gettext("%(major)s（%(code)s）· 毕业证书编号 %(number)s") % {
        "major": graduate.major.name, "code": graduate.major.code, "number": graduate.certificate_number}


# --- the certificate: number, token, verification address -----------------------------------------

def certificate_number_of(application) -> str:
    """证明书编号 of an application (whether issued or not): ZM + the digits of its number."""
    return CERTIFICATE_PREFIX + application.number[2:]


def _mac(certificate_number: str) -> str:
    key = hashlib.sha256(SALT + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, certificate_number.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode()  # 80 bits, 16 characters of the QR alphanumeric set


def certificate_token(certificate_number: str) -> str:
    return f"{certificate_number}-{_mac(certificate_number)}"


def certificate_token_parse(token: str) -> str | None:
    """The 证明书编号 of a genuine token, else None (a made-up or altered token)."""
    parts = (token or "").strip().upper().split("-")
    if len(parts) != 2 or not _CERTIFICATE_NUMBER.match(parts[0]):
        return None
    if not hmac.compare_digest(parts[1], _mac(parts[0])):
        return None
    return parts[0]


def certificate_verify_url(*, base_url: str, certificate_number: str) -> str:
    """The text of the QR code: the site's address with scheme and host upper-cased (they are
    case-insensitive) and our short /GZ/ path, so that the whole code stays alphanumeric and small."""
    parts = urlsplit(base_url.rstrip("/"))
    base = f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path}" if parts.netloc else base_url.rstrip("/")
    return f"{base}{VERIFY_PATH}{certificate_token(certificate_number)}"


def certificate_issued(application) -> dict:
    """What the 毕业证明书 of an approved application says: the graduation as recorded (the `Graduate`
    row), the holder, the 证明书编号 and the issue date. CertificateError while it is not approved."""
    if application.type_code != CODE:
        raise CertificateError(gettext("该申请不是毕业证明书申请。"))
    if application.status != Status.APPROVED or application.decided_at is None:
        raise CertificateError(gettext("毕业证明书尚未出具（申请当前状态为“%(status)s”），审核通过后才能下载。")
                               % {"status": application.status_label})
    data = application.data
    graduate = Graduate.objects.select_related("major", "candidate__user").filter(
        pk=data.get("graduate"), candidate_id=application.candidate_id).first()
    if graduate is None:
        raise CertificateError(gettext("未找到该毕业证明书对应的毕业记录，请联系省级考试机构。"))
    return {"application": application, "graduate": graduate, "user": graduate.candidate.user,
            "major": graduate.major, "level": graduate.major.get_level_display(),
            "number": certificate_number_of(application), "issued_at": application.decided_at,
            "reason": data.get("reason", ""), "reason_label": data.get("reason_label", "")}


def certificate_verify(token: str) -> dict | None:
    """扫码核验: the issued 毕业证明书 a token names, else None (altered, made up, or not issued)."""
    from kaowu.workflow.models import Application

    number = certificate_token_parse(token)
    if number is None:
        return None
    application = (Application.objects.filter(type_code=CODE, number="SQ" + number[len(CERTIFICATE_PREFIX):],
                                              status=Status.APPROVED).select_related("current_version").first())
    if application is None:
        return None
    try:
        return certificate_issued(application)
    except CertificateError:
        return None


# --- the application type --------------------------------------------------------------------------

class CertificateForm(Form):
    graduate = forms.ChoiceField(label=_("毕业专业"), error_messages={"required": _("请选择要申请证明书的毕业专业")},
                                 help_text=_("毕业证书上的专业及证书编号。同一毕业专业正在办理的申请未办结前不能再次申请。"))
    reason = forms.ChoiceField(label=_("申请原因"), choices=REASONS, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择申请原因")})
    reason_detail = forms.CharField(label=_("情况说明"), max_length=DETAIL_MAX, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3,
                                                                 "placeholder": _("例如：2026年搬家时遗失")}),
                                    help_text=_("选择“其他原因”时必填。"))
    phone = forms.CharField(label=_("联系电话"), max_length=20, error_messages={"required": _("请填写联系电话")},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    address = forms.CharField(label=_("通讯地址"), max_length=ADDRESS_MAX,
                              error_messages={"required": _("请填写通讯地址")},
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    agree = forms.BooleanField(label=_("本人承诺所填信息真实准确，知晓毕业证明书与原毕业证书具有同等效力"),
                               error_messages={"required": _("请勾选承诺")})

    def __init__(self, *args, graduates=(), phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = phone
        self.graduates = {str(g.pk): g for g in graduates}
        choices = [(key, graduation_label(g)) for key, g in self.graduates.items()]
        self.fields["graduate"].choices = choices if len(choices) == 1 else [("", gettext("请选择"))] + choices
        if len(choices) == 1:
            self.fields["graduate"].initial = choices[0][0]

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not (data.get("reason_detail") or "").strip():
            self.add_error("reason_detail", gettext("选择“其他原因”时请填写情况说明"))
        return data

    def to_data(self) -> dict:
        data = self.cleaned_data
        graduate = self.graduates[data["graduate"]]
        return {"graduate": graduate.pk, "major": graduate.major.code, "major_name": graduate.major.name,
                "level": graduate.major.level, "certificate_number": graduate.certificate_number,
                "graduated_on": graduate.graduated_on.isoformat(), "reason": data["reason"],
                "reason_label": str(dict(REASONS)[data["reason"]]), "reason_detail": data.get("reason_detail", ""),
                "phone": data["phone"], "address": data["address"]}


def describe(data: dict) -> list[tuple[str, str]]:
    from kaowu.core.dates import cn_date

    graduated_on = data.get("graduated_on", "")
    try:
        graduated_on = cn_date(datetime.date.fromisoformat(graduated_on)) if graduated_on else ""
    except ValueError:
        pass
    level = str(dict(Major.Level.choices).get(data.get("level", ""), ""))
    return [(gettext("毕业专业"), f"{data.get('major', '')} {data.get('major_name', '')}".strip()),
            (gettext("层次"), level),
            (gettext("毕业证书编号"), data.get("certificate_number", "")),
            (gettext("毕业日期"), graduated_on),
            (gettext("申请原因"), data.get("reason_label", "")),
            (gettext("情况说明"), data.get("reason_detail", "")),
            (gettext("联系电话"), data.get("phone", "")),
            (gettext("通讯地址"), data.get("address", ""))]


def validate(application, data: dict) -> None:
    """At submission, under the lock: a graduation of his own, with no other 毕业证明书申请 in progress."""
    from kaowu.workflow.services import WorkflowError

    graduate = Graduate.objects.filter(pk=data.get("graduate"), candidate_id=application.candidate_id).first()
    if graduate is None or graduate.certificate_number != data.get("certificate_number"):
        raise WorkflowError(gettext("所选毕业专业不是您的毕业记录，请重新选择。"), field="graduate")
    # Two drafts submitted at once: the candidate's row serialises them, so only one gets past this check.
    Candidate.objects.select_for_update().filter(pk=application.candidate_id).first()
    other = certificate_applications_open(candidate=application.candidate, exclude=application).get(graduate.pk)
    if other is not None:
        raise WorkflowError(gettext("该毕业专业已有一份正在办理的毕业证明书申请（%(number)s），不能重复申请。")
                            % {"number": other.number}, field="graduate")


class GraduationCertificate(ApplicationType):
    code = CODE
    label = _("毕业证明书")
    form_class = CertificateForm
    review_chain = (ReviewStep(_("省级考试机构审核"), Office.Kind.PROVINCE_AUTHORITY, province_authority),)
    window_kind = None  # no window: a graduate may apply at any time
    window_per_sitting = False
    pages = TypePages(namespace="graduation", prefix="certificate")
    notice_template = "graduation/certificate/_notice.html"
    list_columns = ((_("毕业专业"), "major_name"), (_("毕业证书编号"), "certificate_number"))
    texts = {"preview_hint": _("请确认毕业信息和联系方式无误后提交申请。提交后在审核期间不能修改。"),
             "submitted": _("毕业证明书申请已提交，请等待省级考试机构审核（消息和短信会通知您）。"),
             "open_exists": _("您的毕业专业都有正在办理的毕业证明书申请，请在此查看。")}

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def validate(self, application, data: dict) -> None:
        validate(application, data)

    def may_apply(self, *, candidate, exam_number) -> str | None:
        if not is_graduate(candidate):
            return gettext("只有已毕业的考生可以申请毕业证明书。")
        return None

    def before_save(self, *, application, candidate, exam_number) -> None:
        from kaowu.workflow.services import WorkflowError

        if not is_graduate(candidate):
            raise WorkflowError(gettext("只有已毕业的考生可以申请毕业证明书。"))

    def form_kwargs(self, *, candidate, exam_number, application) -> dict:
        taken = certificate_applications_open(candidate=candidate, exclude=application)
        return {"graduates": [g for g in graduates_of(candidate) if g.pk not in taken],
                "phone": candidate.user.phone or ""}

    def form_initial(self, application) -> dict:
        initial = super().form_initial(application)
        if "graduate" in initial:
            initial["graduate"] = str(initial["graduate"])
        return initial

    def next_step(self, application, window) -> str | None:
        if application.status == Status.APPROVED:
            return gettext("毕业证明书已出具（证明书编号 %(number)s），请在本页下载。") % {
                "number": certificate_number_of(application)}
        return super().next_step(application, window)
