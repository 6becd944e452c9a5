"""报考 in the back office, under /backoffice/registration/ (namespace backoffice:registration_staff)."""

from django.urls import path

from . import views_staff

app_name = "registration_staff"
urlpatterns = [
    path("statistics/", views_staff.statistics, name="statistics"),
    path("statistics/export/", views_staff.statistics_export, name="statistics_export"),
]
