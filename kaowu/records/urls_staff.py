from django.urls import path

from . import views_review_staff, views_staff

app_name = "records_staff"
urlpatterns = [
    path("", views_staff.index, name="index"),
    path("template.xlsx", views_staff.template, name="template"),
    path("imports/<int:pk>/", views_staff.detail, name="detail"),
    path("imports/<int:pk>/status/", views_staff.status, name="status"),
    path("imports/<int:pk>/problems.xlsx", views_staff.error_report, name="error_report"),
    path("sittings/<int:sitting_pk>/publication/", views_staff.publication, name="publication"),
    path("reviews/<int:pk>/result/", views_review_staff.result, name="review_result"),
    path("reviews/<int:pk>/form.pdf", views_review_staff.form_pdf, name="review_form_pdf"),
]
