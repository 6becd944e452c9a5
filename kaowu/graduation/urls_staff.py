from django.urls import path

from . import views_application, views_staff, views_statistics

app_name = "graduation_staff"
urlpatterns = [
    path("", views_staff.index, name="index"),
    path("runs/<int:pk>/", views_staff.detail, name="detail"),
    path("runs/<int:pk>/status/", views_staff.status, name="status"),
    path("runs/<int:pk>/results.xlsx", views_staff.export, name="export"),
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("statistics/export/", views_statistics.statistics_export, name="statistics_export"),
    # 毕业申请: the candidate's 证件照 and the 毕业生登记表 for its reviewers
    path("applications/<int:pk>/photo/", views_application.staff_photo, name="application_photo"),
    path("applications/<int:pk>/form.pdf", views_application.staff_form_pdf, name="application_form_pdf"),
]
