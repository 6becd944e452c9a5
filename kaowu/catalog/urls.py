"""Public catalog pages under /catalog/ (no login)."""

from django.urls import path

from . import views
from .models import Announcement

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("notices/", views.announcement_list, name="announcement_list"),
    path("notices/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("guides/", views.announcement_list, {"category": Announcement.Category.GUIDE}, name="guide_list"),
    path("majors/", views.major_search, name="major_search"),
    path("majors/<str:code>/", views.major_detail, name="major_detail"),
    path("timetable/", views.timetable, name="timetable"),
    path("textbooks/", views.textbook_search, name="textbook_search"),
]
