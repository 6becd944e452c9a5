"""考试计划与专业 in the back office: majors and plans, courses and textbooks, sittings (timetable, fees,
exam areas), business windows and announcements, with Excel export and import.

Every staff member may read; only staff of the province authority change anything
(`catalog_editable_by`). Views parse a form and call one service; services audit every change.
"""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.core.spreadsheets import import_problems_context, xlsx_response
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import excel, services
from .forms import (
    AnnouncementForm,
    AnnouncementSearchForm,
    CourseForm,
    CourseSearchForm,
    ExamAreasForm,
    ImportForm,
    MajorForm,
    PlanCourseAddForm,
    PlanCourseForm,
    SessionForm,
    SittingCourseForm,
    SittingForm,
    StaffMajorSearchForm,
    WindowFilterForm,
    WindowForm,
)
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
from .selectors import (
    announcements_search,
    catalog_editable_by,
    courses_search,
    current_sitting,
    major_plan,
    major_plan_offerings,
    majors_search,
    sitting_timetable,
    sittings_list,
    windows_search,
)
from .windows import window_state

PAGE_SIZE = 20
SECTION = "catalog"
NS = "backoffice:catalog_staff"


def url(name: str, *args) -> str:
    return reverse(f"{NS}:{name}", args=args)


def editor_required(view):
    """Changing the catalog: staff of the province authority only; others are sent back with a message."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not catalog_editable_by(staff=request.staff):
            messages.error(request, gettext("考试计划与专业由省级考试机构维护，您可以查看，但不能修改。"))
            return redirect(url("index"))
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def render(request, template: str, context: dict | None = None, *, tab: str, status: int = 200):
    return staff_render(request, f"catalog/staff/{template}", {
        "tab": tab,
        "can_edit": catalog_editable_by(staff=request.staff),
        **(context or {}),
    }, section=SECTION, status=status)


def _form_page(request, form, *, tab: str, title: str, back: str, heading_note: str = "", delete_url: str = "",
               status: int = 200, enctype: str = ""):
    return render(request, "form.html", {"form": form, "title": title, "back": back, "note": heading_note,
                                         "delete_url": delete_url, "enctype": enctype}, tab=tab, status=status)


def _apply_error(form, exc: services.CatalogError) -> None:
    for field, errors in exc.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return page, querystring.urlencode()


# --- Overview -------------------------------------------------------------------------------------


@require_GET
@staff_required
def index(request):
    sitting = current_sitting()
    windows = []
    if sitting is not None:
        now = timezone.now()
        for window in windows_search(sitting=sitting).filter(exam_area__isnull=True):
            windows.append({"window": window, "state": window_state(window, now)})
    return render(request, "index.html", {
        "sitting": sitting,
        "windows": windows,
        "counts": {
            "majors": Major.objects.count(),
            "courses": Course.objects.count(),
            "sittings": ExamSitting.objects.count(),
            "announcements": Announcement.objects.filter(is_published=True).count(),
        },
    }, tab="index")


# --- Majors and plans -----------------------------------------------------------------------------


@require_GET
@staff_required
def major_list(request):
    form = StaffMajorSearchForm(request.GET or None)
    query = level = status = ""
    if form.is_valid():
        query, level, status = form.cleaned_data["q"], form.cleaned_data["level"], form.cleaned_data["status"]
    majors = majors_search(query=query, level=level, statuses=[status] if status else None)
    page, querystring = _page(request, majors)
    return render(request, "major_list.html", {"form": form, "page_obj": page, "querystring": querystring,
                                               "filtered": bool(query or level or status)}, tab="majors")


@require_GET
@staff_required
def major_detail(request, pk: int):
    major = get_object_or_404(Major.objects.select_related("university"), pk=pk)
    sitting = current_sitting()
    return render(request, "major_detail.html", {
        "major": major,
        "plan": major_plan(major=major),
        "offered": major_plan_offerings(major=major, sitting=sitting),
        "sitting": sitting,
        "add_form": PlanCourseAddForm(),
    }, tab="majors")


@require_http_methods(["GET", "POST"])
@editor_required
def major_edit(request, pk: int | None = None):
    major = get_object_or_404(Major, pk=pk) if pk else None
    form = MajorForm(request.POST or None, instance=major)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.major_save(staff=request.staff, major=major, request=request, **form.cleaned_data)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存专业 %(major)s。") % {"major": saved})
            return redirect(url("major_detail", saved.pk))
    title = gettext("修改专业 %(major)s") % {"major": major} if major else gettext("新增专业")
    back = url("major_detail", major.pk) if major else url("major_list")
    return _form_page(request, form, tab="majors", title=title, back=back,
                      status=400 if form.errors else 200)


@require_POST
@editor_required
def plan_course_add(request, pk: int):
    major = get_object_or_404(Major, pk=pk)
    form = PlanCourseAddForm(request.POST)
    if form.is_valid():
        try:
            services.plan_course_add(staff=request.staff, major=major, course=form.course,
                                     requirement=form.cleaned_data["requirement"],
                                     group_label=form.cleaned_data["group_label"].strip(), request=request)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已将课程 %(course)s 加入专业计划。") % {"course": form.course})
            return redirect(url("major_detail", major.pk) + "#plan")
    sitting = current_sitting()
    return render(request, "major_detail.html", {
        "major": major, "plan": major_plan(major=major), "sitting": sitting,
        "offered": major_plan_offerings(major=major, sitting=sitting), "add_form": form,
    }, tab="majors", status=400)


@require_http_methods(["GET", "POST"])
@editor_required
def plan_course_edit(request, pk: int):
    entry = get_object_or_404(PlanCourse.objects.select_related("major", "course"), pk=pk)
    form = PlanCourseForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_course_update(staff=request.staff, plan_course=entry, request=request, **form.cleaned_data)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存。"))
            return redirect(url("major_detail", entry.major_id) + "#plan")
    return _form_page(request, form, tab="majors", back=url("major_detail", entry.major_id),
                      title=gettext("专业计划课程：%(major)s · %(course)s") % {"major": entry.major.name,
                                                                          "course": entry.course},
                      delete_url=url("plan_course_remove", entry.pk), status=400 if form.errors else 200)


@require_POST
@editor_required
def plan_course_remove(request, pk: int):
    entry = get_object_or_404(PlanCourse.objects.select_related("major", "course"), pk=pk)
    try:
        services.plan_course_remove(staff=request.staff, plan_course=entry, request=request)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已从专业计划中移除课程 %(course)s。") % {"course": entry.course})
    return redirect(url("major_detail", entry.major_id) + "#plan")


# --- Courses and textbooks ------------------------------------------------------------------------


@require_GET
@staff_required
def course_list(request):
    form = CourseSearchForm(request.GET or None)
    query = kind = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page, querystring = _page(request, courses_search(query=query, kind=kind))
    return render(request, "course_list.html", {"form": form, "page_obj": page, "querystring": querystring,
                                                "filtered": bool(query or kind)}, tab="courses")


@require_http_methods(["GET", "POST"])
@editor_required
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course.objects.select_related("textbook"), pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.course_save(staff=request.staff, course=course, code=data["code"], name=data["name"],
                                         credits=data["credits"], kind=data["kind"], textbook=form.textbook,
                                         request=request)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存课程 %(course)s。") % {"course": saved})
            return redirect(url("course_list") + f"?q={saved.code}")
    title = gettext("修改课程 %(course)s") % {"course": course} if course else gettext("新增课程")
    return _form_page(request, form, tab="courses", title=title, back=url("course_list"),
                      heading_note=gettext("同一教材（名称、主编、出版社、版次均相同）只保存一份，可供多门课程使用。"),
                      status=400 if form.errors else 200)


# --- Sittings: timetable, fees, exam areas --------------------------------------------------------


@require_GET
@staff_required
def sitting_list(request):
    page, querystring = _page(request, sittings_list())
    return render(request, "sitting_list.html", {"page_obj": page, "querystring": querystring}, tab="sittings")


def _sitting_context(sitting: ExamSitting, **extra) -> dict:
    areas_form = extra.pop("areas_form", None) or ExamAreasForm(
        initial={"exam_areas": list(sitting.area_links.values_list("exam_area_id", flat=True))})
    return {
        "sitting": sitting,
        "days": sitting_timetable(sitting=sitting),
        "sessions": sitting.sessions.order_by("date", "half_day"),
        "course_count": sitting.offered_courses.count(),
        "areas_form": areas_form,
        "area_count": sitting.area_links.count(),
        "windows": [{"window": w, "state": window_state(w)} for w in windows_search(sitting=sitting)],
        **extra,
    }


@require_GET
@staff_required
def sitting_detail(request, pk: int):
    sitting = get_object_or_404(ExamSitting, pk=pk)
    return render(request, "sitting_detail.html", _sitting_context(sitting), tab="sittings")


@require_http_methods(["GET", "POST"])
@editor_required
def sitting_edit(request, pk: int | None = None):
    sitting = get_object_or_404(ExamSitting, pk=pk) if pk else None
    form = SittingForm(request.POST or None, instance=sitting)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.sitting_save(staff=request.staff, sitting=sitting, request=request, **form.cleaned_data)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存考期 %(sitting)s。") % {"sitting": saved})
            return redirect(url("sitting_detail", saved.pk))
    title = gettext("修改考期 %(sitting)s") % {"sitting": sitting} if sitting else gettext("新增考期")
    back = url("sitting_detail", sitting.pk) if sitting else url("sitting_list")
    return _form_page(request, form, tab="sittings", title=title, back=back,
                      heading_note=gettext("设为当前考期后，原当前考期自动取消；报考、缴费、准考证打印均按当前考期办理。"),
                      status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@editor_required
def session_edit(request, sitting_pk: int | None = None, pk: int | None = None):
    session = get_object_or_404(SittingSession.objects.select_related("sitting"), pk=pk) if pk else None
    sitting = session.sitting if session else get_object_or_404(ExamSitting, pk=sitting_pk)
    form = SessionForm(request.POST or None, instance=session, sitting=sitting)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(staff=request.staff, sitting=sitting, session=session, request=request,
                                  **form.cleaned_data)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存考试场次。"))
            return redirect(url("sitting_detail", sitting.pk) + "#sessions")
    title = (gettext("修改考试场次（%(sitting)s）") if session else gettext("新增考试场次（%(sitting)s）")) % {
        "sitting": sitting}
    return _form_page(request, form, tab="sittings", title=title, back=url("sitting_detail", sitting.pk),
                      delete_url=url("session_delete", session.pk) if session else "",
                      status=400 if form.errors else 200)


@require_POST
@editor_required
def session_delete(request, pk: int):
    session = get_object_or_404(SittingSession.objects.select_related("sitting"), pk=pk)
    try:
        services.session_delete(staff=request.staff, session=session, request=request)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
        return redirect(url("session_edit", session.pk))
    messages.success(request, gettext("已删除考试场次。"))
    return redirect(url("sitting_detail", session.sitting_id) + "#sessions")


@require_http_methods(["GET", "POST"])
@editor_required
def sitting_course_edit(request, sitting_pk: int | None = None, pk: int | None = None):
    offered = get_object_or_404(SittingCourse.objects.select_related("sitting", "course"), pk=pk) if pk else None
    sitting = offered.sitting if offered else get_object_or_404(ExamSitting, pk=sitting_pk)
    form = SittingCourseForm(request.POST or None, instance=offered, sitting=sitting)
    if request.method == "POST" and form.is_valid():
        try:
            services.sitting_course_save(staff=request.staff, sitting=sitting, offered=offered, course=form.course,
                                         session=form.cleaned_data["session"], fee=form.cleaned_data["fee"],
                                         request=request)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存开考课程 %(course)s。") % {"course": form.course})
            return redirect(url("sitting_detail", sitting.pk) + "#timetable")
    note = "" if sitting.sessions.exists() else gettext("本考期还没有考试场次，请先新增场次。")
    title = (gettext("修改开考课程（%(sitting)s）") if offered else gettext("新增开考课程（%(sitting)s）")) % {
        "sitting": sitting}
    return _form_page(request, form, tab="sittings", title=title, back=url("sitting_detail", sitting.pk),
                      heading_note=note, delete_url=url("sitting_course_remove", offered.pk) if offered else "",
                      status=400 if form.errors else 200)


@require_POST
@editor_required
def sitting_course_remove(request, pk: int):
    offered = get_object_or_404(SittingCourse.objects.select_related("sitting", "course"), pk=pk)
    try:
        services.sitting_course_remove(staff=request.staff, offered=offered, request=request)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已移除开考课程 %(course)s。") % {"course": offered.course})
    return redirect(url("sitting_detail", offered.sitting_id) + "#timetable")


@require_POST
@editor_required
def sitting_areas(request, pk: int):
    sitting = get_object_or_404(ExamSitting, pk=pk)
    form = ExamAreasForm(request.POST)
    if form.is_valid():
        try:
            result = services.sitting_exam_areas_set(staff=request.staff, sitting=sitting, request=request,
                                                     exam_areas=form.cleaned_data["exam_areas"])
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存开考考区：新增 %(added)s 个，取消 %(removed)s 个。") % {
                "added": len(result["added"]), "removed": len(result["removed"])})
            return redirect(url("sitting_detail", sitting.pk) + "#areas")
    return render(request, "sitting_detail.html", _sitting_context(sitting, areas_form=form), tab="sittings",
                  status=400)


# --- Business windows -----------------------------------------------------------------------------


@require_GET
@staff_required
def window_list(request):
    form = WindowFilterForm(request.GET or None)
    sitting, kind, no_sitting = None, "", False
    if form.is_valid():
        code, kind = form.cleaned_data["sitting"], form.cleaned_data["kind"]
        no_sitting = code == WindowFilterForm.NO_SITTING
        if code and not no_sitting:
            sitting = ExamSitting.objects.filter(code=code).first()
    windows = windows_search(sitting=sitting, kind=kind, no_sitting=no_sitting)
    page, querystring = _page(request, windows)
    now = timezone.now()
    rows = [{"window": w, "state": window_state(w, now)} for w in page.object_list]
    return render(request, "window_list.html", {"form": form, "page_obj": page, "rows": rows,
                                                "querystring": querystring, "filtered": bool(request.GET)},
                  tab="windows")


@require_http_methods(["GET", "POST"])
@editor_required
def window_edit(request, pk: int | None = None):
    window = get_object_or_404(BusinessWindow, pk=pk) if pk else None
    initial = {}
    if window is None:
        sitting = ExamSitting.objects.filter(code=request.GET.get("sitting", "")).first() or current_sitting()
        initial = {"sitting": sitting, "kind": request.GET.get("kind") or BusinessWindow.Kind.COURSE_REGISTRATION}
    form = WindowForm(request.POST or None, instance=window, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.window_save(staff=request.staff, window=window, request=request, **form.cleaned_data)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存业务时间：%(window)s。") % {"window": saved})
            back = url("sitting_detail", saved.sitting_id) + "#windows" if saved.sitting_id else url("window_list")
            return redirect(back)
    title = gettext("修改业务时间：%(window)s") % {"window": window} if window else gettext("新增业务时间")
    return _form_page(request, form, tab="windows", title=title, back=url("window_list"),
                      heading_note=gettext("时间为北京时间。考区留空表示全省统一；某考区时间不同时，另为该考区新增一条，"
                                           "该考区考生以其单独设置的时间为准。"),
                      delete_url=url("window_delete", window.pk) if window else "",
                      status=400 if form.errors else 200)


@require_POST
@editor_required
def window_delete(request, pk: int):
    window = get_object_or_404(BusinessWindow.objects.select_related("sitting", "exam_area"), pk=pk)
    services.window_delete(staff=request.staff, window=window, request=request)
    messages.success(request, gettext("已删除业务时间：%(window)s。") % {"window": window})
    return redirect(url("window_list"))


# --- Announcements --------------------------------------------------------------------------------


@require_GET
@staff_required
def announcement_list(request):
    form = AnnouncementSearchForm(request.GET or None)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    page, querystring = _page(request, announcements_search(query=query, category=category))
    return render(request, "announcement_list.html", {"form": form, "page_obj": page, "querystring": querystring,
                                                      "filtered": bool(query or category), "now": timezone.now()},
                  tab="announcements")


@require_http_methods(["GET", "POST"])
@editor_required
def announcement_edit(request, pk: int | None = None):
    item = get_object_or_404(Announcement, pk=pk) if pk else None
    initial = {} if item else {"category": request.GET.get("category") or Announcement.Category.NOTICE,
                               "published_at": timezone.now().replace(second=0, microsecond=0)}
    form = AnnouncementForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.announcement_save(staff=request.staff, announcement=item, request=request,
                                               **form.cleaned_data)
        except services.CatalogError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, gettext("已保存：%(title)s。") % {"title": saved.title})
            return redirect(url("announcement_list"))
    title = gettext("修改：%(title)s") % {"title": item.title} if item else gettext("发布通知公告")
    return _form_page(request, form, tab="announcements", title=title, back=url("announcement_list"),
                      heading_note=gettext("正文为纯文本：空行分段；以“## ”开头的行为小标题；以“- ”开头的行为列表项。"
                                           "勾选“发布”且到达发布时间后，考生即可在首页的通知公告中看到。"),
                      delete_url=url("announcement_delete", item.pk) if item else "",
                      status=400 if form.errors else 200)


@require_POST
@editor_required
def announcement_delete(request, pk: int):
    item = get_object_or_404(Announcement, pk=pk)
    services.announcement_delete(staff=request.staff, announcement=item, request=request)
    messages.success(request, gettext("已删除：%(title)s。") % {"title": item.title})
    return redirect(url("announcement_list"))


# --- Excel export and import ----------------------------------------------------------------------


@require_GET
@staff_required
def majors_export(request):
    return xlsx_response(excel.majors_export(), gettext("专业与专业计划.xlsx"))


@require_GET
@staff_required
def courses_export(request):
    return xlsx_response(excel.courses_export(), gettext("课程与教材.xlsx"))


@require_GET
@staff_required
def sitting_export(request, pk: int):
    sitting = get_object_or_404(ExamSitting, pk=pk)
    return xlsx_response(excel.timetable_export(sitting=sitting),
                          gettext("%(sitting)s课程考试安排.xlsx") % {"sitting": sitting.name})


def _import_page(request, *, kind: str, tab: str, title: str, back: str, export_url: str, run):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data["file"])
        except excel.ImportRejected as rejected:
            problems = rejected.problems
        except services.CatalogError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, result.summary)
            return redirect(back)
    return render(request, "import.html", {
        "form": form, **import_problems_context(problems), "title": title, "back": back,
        "export_url": export_url, "layout": excel.LAYOUTS[kind],
    }, tab=tab, status=400 if (problems or form.errors) else 200)


@require_http_methods(["GET", "POST"])
@editor_required
def majors_import(request):
    return _import_page(request, kind="majors", tab="majors", title=gettext("导入专业与专业计划"),
                        back=url("major_list"), export_url=url("majors_export"),
                        run=lambda f: excel.majors_import(staff=request.staff, file=f, request=request))


@require_http_methods(["GET", "POST"])
@editor_required
def courses_import(request):
    return _import_page(request, kind="courses", tab="courses", title=gettext("导入课程与教材"),
                        back=url("course_list"), export_url=url("courses_export"),
                        run=lambda f: excel.courses_import(staff=request.staff, file=f, request=request))


@require_http_methods(["GET", "POST"])
@editor_required
def sitting_import(request, pk: int):
    sitting = get_object_or_404(ExamSitting, pk=pk)
    return _import_page(request, kind="timetable", tab="sittings",
                        title=gettext("导入%(sitting)s课程考试安排") % {"sitting": sitting.name},
                        back=url("sitting_detail", sitting.pk), export_url=url("sitting_export", sitting.pk),
                        run=lambda f: excel.timetable_import(staff=request.staff, sitting=sitting, file=f,
                                                             request=request))
