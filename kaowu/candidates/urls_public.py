"""找回准考证号, public (mounted at /exam-number/recover/)."""

from django.urls import path

from . import views_public

app_name = "exam_number_recovery"
urlpatterns = [
    path("", views_public.recover_start, name="start"),
    path("verify/", views_public.recover_verify, name="verify"),
]
