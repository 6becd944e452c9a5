"""省内转考 (seed 001): a candidate moves their 考籍 from one city of the province to another.

The candidate chooses the destination city (转入市), gives the reason and may attach a proof
(工作证明 / 居住证明). Review chain: the 市考办 of the city the candidate's 准考证号 belongs to
(转出地市考办审核), then the 市考办 of the destination city (转入地市考办审核).

Its window is 省内转考 (transfer_within_province), or the general 转考申请 (transfer) where the province
sets only that one: `catalog.windows.business_window` decides, for the server check, the pages and
the 个人中心 tiles alike.

On approval nothing about the candidate changes yet (the exam area of the 准考证号 stays); the
approved application is the record the destination city acts on.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import BusinessWindow
from kaowu.core.text import Form
from kaowu.organization.models import Office, Region
from kaowu.organization.selectors import cities_of, home_province
from kaowu.workflow.types import ApplicationType, ReviewStep, TypePages, city_office_of_data

CODE = "transfer_within_province"
Kind = BusinessWindow.Kind
REASON_MAX = 200


def city_of_exam_number(exam_number: ExamNumber | None) -> Region | None:
    """原属地市: the city of the exam area the 准考证号 belongs to."""
    if exam_number is None:
        return None
    region = exam_number.exam_area.region
    while region is not None and region.level == Region.Level.DISTRICT:
        region = region.parent
    return region if region is not None and region.level == Region.Level.CITY else None


def destination_cities(*, exclude: Region | None):
    province = home_province()
    if province is None:
        return Region.objects.none()
    cities = cities_of(province.region)
    return cities.exclude(pk=exclude.pk) if exclude is not None else cities


class TransferWithinForm(Form):
    to_city = forms.ChoiceField(label=_("转入市"), error_messages={"required": _("请选择转入市")},
                                help_text=_("转考后在转入市的考区报考、参加考试和办理业务。"))
    reason = forms.CharField(label=_("转考原因"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例如：工作调动至天水市")}),
                             error_messages={"required": _("请填写转考原因")})
    proof = forms.FileField(label=_("证明材料（选填）"), required=False,
                            help_text=_("如工作证明、居住证明等，PDF、JPG或PNG文件，不超过5MB。"),
                            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    agree = forms.BooleanField(label=_("本人承诺所填信息真实准确，并已阅读省内转考须知"),
                               error_messages={"required": _("请阅读须知并勾选承诺")})

    def __init__(self, *args, from_city: Region | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_city = from_city
        self.fields["to_city"].choices = [("", gettext("请选择地市"))] + [
            (c.code, c.name) for c in destination_cities(exclude=from_city)]

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if len(value) < 2:
            raise forms.ValidationError(gettext("请填写转考原因"))
        return value

    def to_data(self) -> dict:
        city = Region.objects.get(code=self.cleaned_data["to_city"])
        return {"from_city": self.from_city.code if self.from_city else "",
                "from_city_name": self.from_city.name if self.from_city else "",
                "to_city": city.code, "to_city_name": city.name, "reason": self.cleaned_data["reason"]}


def describe(data: dict) -> list[tuple[str, str]]:
    return [(gettext("原属地市"), data.get("from_city_name", "")),
            (gettext("转入市"), data.get("to_city_name", "")),
            (gettext("转考原因"), data.get("reason", ""))]


def validate(application, data: dict) -> None:
    """At submission: an active 准考证号 of the candidate, the origin still its city, a destination
    that is another city of the province, and no other 省内转考 in progress."""
    from kaowu.workflow.selectors import application_open_of
    from kaowu.workflow.services import WorkflowError

    exam_number = application.exam_number
    if exam_number is None or exam_number.status != ExamNumber.Status.ACTIVE:
        raise WorkflowError(gettext("省内转考须使用在籍的准考证号办理。"))
    origin = city_of_exam_number(exam_number)
    if origin is None or origin.code != data.get("from_city"):
        raise WorkflowError(gettext("准考证号所属地市已变化，请重新填写申请。"))
    if not destination_cities(exclude=origin).filter(code=data.get("to_city")).exists():
        raise WorkflowError(gettext("请选择本省其他地市作为转入市"), field="to_city")
    other = application_open_of(candidate=application.candidate, type_code=CODE, exclude=application)
    if other is not None:
        raise WorkflowError(gettext("您已有一份正在办理的省内转考申请（%(number)s），不能重复申请。")
                            % {"number": other.number})


class TransferWithinProvince(ApplicationType):
    code = CODE
    label = _("省内转考")
    form_class = TransferWithinForm
    review_chain = (
        ReviewStep(_("转出地市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_data("from_city")),
        ReviewStep(_("转入地市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_data("to_city")),
    )
    window_kind = Kind.TRANSFER_WITHIN_PROVINCE
    attachment_kinds = {"proof": _("证明材料")}
    pages = TypePages(namespace="transfers", prefix="within")
    notice_template = "transfers/_notice.html"
    applicant_template = "transfers/_candidate.html"
    list_columns = ((_("转入市"), "to_city_name"),)
    texts = {"preview_hint": _("请确认转考信息无误后提交申请。提交后在审核期间不能修改。")}

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def validate(self, application, data: dict) -> None:
        validate(application, data)

    def form_kwargs(self, *, candidate, exam_number, application) -> dict:
        return {"from_city": city_of_exam_number(exam_number)}

    def page_context(self, *, exam_number, application) -> dict:
        return {"from_city": city_of_exam_number(exam_number)}
