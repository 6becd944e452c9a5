"""Public pages, no login (seeds 001, 003): 通知公告 and 报考简章 with detail pages, 专业计划查询,
考试计划 / 课程考试安排, 教材查询."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import CourseSearchForm, MajorSearchForm, TimetableFilterForm
from .models import Announcement, Major
from .selectors import (
    announcements_published,
    courses_search,
    current_sitting,
    major_plan,
    major_plan_offerings,
    majors_search,
    sitting_timetable,
    sittings_published,
)

PAGE_SIZE = 20


def _page(request, queryset, size: int = PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return page, querystring.urlencode()


@require_GET
def index(request):
    sitting = current_sitting()
    return render(request, "catalog/public/index.html", {
        "query": "index",
        "sitting": sitting if sitting and sitting.is_published else None,
        "notices": announcements_published()[:8],
        "show_category": True,
    })


@require_GET
def announcement_list(request, category: str = ""):
    fixed = bool(category)
    if not fixed:
        category = request.GET.get("category", "")
        if category not in Announcement.Category.values:
            category = ""
    page, querystring = _page(request, announcements_published(category=category))
    return render(request, "catalog/public/announcement_list.html", {
        "query": "guides" if category == Announcement.Category.GUIDE and fixed else "notices",
        "category": category,
        "category_label": Announcement.Category(category).label if category else "",
        "categories": Announcement.Category.choices,
        "fixed": fixed,
        "show_category": not category,
        "page_obj": page,
        "querystring": querystring,
    })


@require_GET
def announcement_detail(request, pk: int):
    item = get_object_or_404(announcements_published(), pk=pk)
    return render(request, "catalog/public/announcement_detail.html", {
        "query": "guides" if item.category == Announcement.Category.GUIDE else "notices",
        "item": item,
    })


@require_GET
def major_search(request):
    form = MajorSearchForm(request.GET or None)
    query = level = ""
    if form.is_valid():
        query, level = form.cleaned_data["q"], form.cleaned_data["level"]
    page, querystring = _page(request, majors_search(query=query, level=level))
    return render(request, "catalog/public/major_search.html", {
        "query": "majors", "form": form, "page_obj": page, "querystring": querystring,
        "filtered": bool(query or level),
    })


@require_GET
def major_detail(request, code: str):
    major = get_object_or_404(Major.objects.select_related("university"), code=code.upper())
    sitting = current_sitting()
    if sitting is not None and not sitting.is_published:
        sitting = None
    offered = major_plan_offerings(major=major, sitting=sitting)
    plan = major_plan(major=major)
    required = [e for e in plan if e.requirement == e.Requirement.REQUIRED]
    electives = [e for e in plan if e.requirement != e.Requirement.REQUIRED]
    return render(request, "catalog/public/major_detail.html", {
        "query": "majors", "major": major, "sitting": sitting, "offered": offered,
        "groups": [g for g in (("required", required), ("elective", electives)) if g[1]],
        "plan_count": len(plan),
        "total_credits": sum(e.course.credits for e in required),
    })


@require_GET
def timetable(request):
    sittings = list(sittings_published())
    majors = list(Major.objects.order_by("code"))
    form = TimetableFilterForm(request.GET or None, sittings=sittings, majors=majors)
    sitting, major = (sittings[0] if sittings else None), None
    if form.is_bound and not form.is_valid():
        raise Http404  # a hand-made address with an unknown sitting or major
    if form.is_bound:
        sitting = next((s for s in sittings if s.code == form.cleaned_data["sitting"]), sitting)
        major = next((m for m in majors if m.code == form.cleaned_data["major"]), None)
    elif sitting is not None:
        form = TimetableFilterForm(initial={"sitting": sitting.code}, sittings=sittings, majors=majors)
    days = sitting_timetable(sitting=sitting, major=major) if sitting else []
    return render(request, "catalog/public/timetable.html", {
        "query": "timetable", "form": form, "sitting": sitting, "major": major, "days": days,
        "course_count": sum(len(r["courses"]) for d in days for r in d["sessions"]),
    })


@require_GET
def textbook_search(request):
    form = CourseSearchForm(request.GET or None)
    query = kind = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page, querystring = _page(request, courses_search(query=query, kind=kind))
    return render(request, "catalog/public/textbook_search.html", {
        "query": "textbooks", "form": form, "page_obj": page, "querystring": querystring,
        "filtered": bool(query or kind),
    })
