"""考试计划与专业 in the back office, under /backoffice/catalog/ (namespace backoffice:catalog_staff)."""

from django.urls import path

from . import views_staff as views

app_name = "catalog_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("majors/", views.major_list, name="major_list"),
    path("majors/new/", views.major_edit, name="major_create"),
    path("majors/export/", views.majors_export, name="majors_export"),
    path("majors/import/", views.majors_import, name="majors_import"),
    path("majors/<int:pk>/", views.major_detail, name="major_detail"),
    path("majors/<int:pk>/edit/", views.major_edit, name="major_edit"),
    path("majors/<int:pk>/plan/add/", views.plan_course_add, name="plan_course_add"),
    path("plan/<int:pk>/edit/", views.plan_course_edit, name="plan_course_edit"),
    path("plan/<int:pk>/remove/", views.plan_course_remove, name="plan_course_remove"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_edit, name="course_create"),
    path("courses/export/", views.courses_export, name="courses_export"),
    path("courses/import/", views.courses_import, name="courses_import"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("sittings/", views.sitting_list, name="sitting_list"),
    path("sittings/new/", views.sitting_edit, name="sitting_create"),
    path("sittings/<int:pk>/", views.sitting_detail, name="sitting_detail"),
    path("sittings/<int:pk>/edit/", views.sitting_edit, name="sitting_edit"),
    path("sittings/<int:pk>/areas/", views.sitting_areas, name="sitting_areas"),
    path("sittings/<int:pk>/export/", views.sitting_export, name="sitting_export"),
    path("sittings/<int:pk>/import/", views.sitting_import, name="sitting_import"),
    path("sittings/<int:sitting_pk>/sessions/new/", views.session_edit, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sittings/<int:sitting_pk>/courses/new/", views.sitting_course_edit, name="sitting_course_create"),
    path("offered/<int:pk>/edit/", views.sitting_course_edit, name="sitting_course_edit"),
    path("offered/<int:pk>/remove/", views.sitting_course_remove, name="sitting_course_remove"),
    path("windows/", views.window_list, name="window_list"),
    path("windows/new/", views.window_edit, name="window_create"),
    path("windows/<int:pk>/edit/", views.window_edit, name="window_edit"),
    path("windows/<int:pk>/delete/", views.window_delete, name="window_delete"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_edit, name="announcement_create"),
    path("announcements/<int:pk>/edit/", views.announcement_edit, name="announcement_edit"),
    path("announcements/<int:pk>/delete/", views.announcement_delete, name="announcement_delete"),
]
