"""Forms of the catalog pages: the staff editing forms and the public / staff search forms."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.text import Form, ModelForm

from .models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingSession,
)
from .selectors import exam_areas, universities


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _course_by_code(code: str) -> Course:
    code = (code or "").strip()
    if not code.isdigit() or len(code) != 5:
        raise forms.ValidationError(gettext("课程代码须为5位数字，例如 00015。"))
    try:
        return Course.objects.get(code=code)
    except Course.DoesNotExist:
        raise forms.ValidationError(
            gettext("课程代码 %(code)s 不存在，请先在“课程与教材”中添加该课程。") % {"code": code}) from None


# --- Staff: editing -------------------------------------------------------------------------------


class MajorForm(ModelForm):
    class Meta:
        model = Major
        fields = ["code", "name", "level", "university", "status", "transition_ends_on", "description"]
        widgets = {"transition_ends_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"code": _("例如：050105、120203K")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities()
        self.fields["university"].empty_label = _("请选择主考学校")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("status") == Major.Status.TRANSITION and not data.get("transition_ends_on"):
            self.add_error("transition_ends_on", gettext("停考过渡期的专业须填写过渡期截止日期。"))
        elif data.get("status") != Major.Status.TRANSITION:
            data["transition_ends_on"] = None
        return data


class PlanCourseAddForm(Form):
    course_code = forms.CharField(label=_("课程代码"), max_length=5, help_text=_("5位课程代码，例如 00015"))
    requirement = forms.ChoiceField(label=_("考试要求"), choices=PlanCourse.Requirement.choices,
                                    initial=PlanCourse.Requirement.REQUIRED)
    group_label = forms.CharField(label=_("课程组"), max_length=40, required=False,
                                  help_text=_("选考课程分组，可不填"))

    def clean_course_code(self):
        self.course = _course_by_code(self.cleaned_data["course_code"])
        return self.course.code


class PlanCourseForm(ModelForm):
    class Meta:
        model = PlanCourse
        fields = ["requirement", "group_label", "position"]


class CourseForm(ModelForm):
    textbook_title = forms.CharField(label=_("教材名称"), max_length=100, required=False,
                                     help_text=_("不填表示暂无指定教材"))
    textbook_author = forms.CharField(label=_("主编"), max_length=60, required=False)
    textbook_publisher = forms.CharField(label=_("出版社"), max_length=60, required=False)
    textbook_edition = forms.CharField(label=_("版次"), max_length=30, required=False,
                                       help_text=_("例如：2023年版"))

    class Meta:
        model = Course
        fields = ["code", "name", "credits", "kind"]
        help_texts = {"code": _("5位数字，例如 00015")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        book = self.instance.textbook if self.instance.pk else None
        if book is not None:
            for name in ("title", "author", "publisher", "edition"):
                self.fields[f"textbook_{name}"].initial = getattr(book, name)

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean(self):
        data = super().clean()
        if not data.get("textbook_title") and any(
                data.get(f"textbook_{n}") for n in ("author", "publisher", "edition")):
            self.add_error("textbook_title", gettext("填写了主编、出版社或版次时，须填写教材名称。"))
        return data

    @property
    def textbook(self) -> dict:
        return {name: self.cleaned_data.get(f"textbook_{name}", "") for name in ("title", "author", "publisher", "edition")}


class SittingForm(ModelForm):
    class Meta:
        model = ExamSitting
        fields = ["code", "name", "is_current", "is_published", "score_publication_at"]
        widgets = {"score_publication_at": DateTimeInput()}

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def _get_validation_exclusions(self):
        # Making a sitting current takes the flag from the other sitting (in the service), so the
        # one-current-sitting constraint is not a form error here.
        exclude = super()._get_validation_exclusions()
        exclude.add("is_current")
        return exclude


class SessionForm(ModelForm):
    class Meta:
        model = SittingSession
        fields = ["date", "half_day", "start_time", "end_time"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, sitting: ExamSitting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.sitting = sitting

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("sitting")  # so that one-session-per-half-day is a form error
        return exclude


class SittingCourseForm(ModelForm):
    course_code = forms.CharField(label=_("课程代码"), max_length=5, help_text=_("5位课程代码，例如 00015"))

    class Meta:
        model = SittingCourse
        fields = ["session", "fee"]
        help_texts = {"fee": _("元/科，例如 30.00")}

    field_order = ["course_code", "session", "fee"]

    def __init__(self, *args, sitting: ExamSitting, **kwargs):
        super().__init__(*args, **kwargs)
        self.sitting = sitting
        self.fields["session"].queryset = sitting.sessions.order_by("date", "half_day")
        self.fields["session"].empty_label = _("请选择考试场次")
        self.fields["fee"].widget.attrs.update({"min": "0", "step": "0.01"})
        if self.instance.pk:
            self.fields["course_code"].initial = self.instance.course.code
            self.fields["course_code"].disabled = True

    def clean_course_code(self):
        if self.instance.pk:
            self.course = self.instance.course
            return self.course.code
        self.course = _course_by_code(self.cleaned_data["course_code"])
        if SittingCourse.objects.filter(sitting=self.sitting, course=self.course).exists():
            raise forms.ValidationError(gettext("课程 %(course)s 本考期已安排。") % {"course": self.course})
        return self.course.code

    def clean_fee(self):
        fee = self.cleaned_data["fee"]
        if fee is not None and fee < 0:
            raise forms.ValidationError(gettext("报考费不能为负数。"))
        return fee


class ExamAreasForm(Form):
    exam_areas = forms.ModelMultipleChoiceField(label=_("开考考区"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam_areas"].queryset = exam_areas()


class WindowForm(ModelForm):
    class Meta:
        model = BusinessWindow
        fields = ["kind", "sitting", "exam_area", "starts_at", "ends_at", "note"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = ExamSitting.objects.order_by("-code")
        self.fields["sitting"].empty_label = _("不属于某一考期")
        self.fields["exam_area"].queryset = exam_areas()
        self.fields["exam_area"].empty_label = _("全省统一")

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", gettext("结束时间须晚于开始时间。"))
        return data


class AnnouncementForm(ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "category", "sitting", "is_published", "published_at", "body"]
        widgets = {"published_at": DateTimeInput(), "body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = ExamSitting.objects.order_by("-code")
        self.fields["sitting"].empty_label = _("不属于某一考期")


# --- Search forms (GET) ---------------------------------------------------------------------------


def _with_all(choices, label):
    return [("", label), *choices]


class MajorSearchForm(Form):
    q = forms.CharField(label=_("专业代码或名称"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("例如：050105 或 汉语言")}))
    level = forms.ChoiceField(label=_("层次"), required=False, choices=_with_all(Major.Level.choices, _("全部层次")))


class StaffMajorSearchForm(MajorSearchForm):
    status = forms.ChoiceField(label=_("专业状态"), required=False,
                               choices=_with_all(Major.Status.choices, _("全部状态")))


class CourseSearchForm(Form):
    q = forms.CharField(label=_("课程代码、课程名称或教材名称"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("例如：00015 或 英语")}))
    kind = forms.ChoiceField(label=_("课程类型"), required=False,
                             choices=_with_all(Course.Kind.choices, _("全部类型")))


class TimetableFilterForm(Form):
    sitting = forms.ChoiceField(label=_("考期"), required=False)
    major = forms.ChoiceField(label=_("专业"), required=False)

    def __init__(self, *args, sittings, majors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].choices = [(s.code, s.name) for s in sittings]
        self.fields["major"].choices = [("", _("全部开考课程")),
                                        *[(m.code, f"{m.code} {m.name}（{m.get_level_display()}）") for m in majors]]


class WindowFilterForm(Form):
    NO_SITTING = "none"
    sitting = forms.ChoiceField(label=_("考期"), required=False)
    kind = forms.ChoiceField(label=_("业务"), required=False,
                             choices=_with_all(BusinessWindow.Kind.choices, _("全部业务")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].choices = [("", _("全部考期")), (self.NO_SITTING, _("不属于某一考期")),
                                          *[(s.code, s.name) for s in ExamSitting.objects.order_by("-code")]]


class AnnouncementSearchForm(Form):
    q = forms.CharField(label=_("标题或正文"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search"}))
    category = forms.ChoiceField(label=_("栏目"), required=False,
                                 choices=_with_all(Announcement.Category.choices, _("全部栏目")))


class ImportForm(Form):
    MAX_BYTES = 5 * 1024 * 1024
    file = forms.FileField(label=_("Excel 文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(gettext("请上传 .xlsx 格式的 Excel 文件（可先用“导出”下载模板）。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(gettext("文件不能超过 5 MB。"))
        return upload
