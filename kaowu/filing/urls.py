from django.urls import path

from . import views

app_name = "filing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("notice/", views.notice, name="notice"),
    path("form/", views.form_view, name="form"),
    path("preview/", views.preview, name="preview"),
]
