from django.urls import path

from . import views

app_name = "registration"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("guide/", views.guide, name="guide"),
    path("form/", views.form, name="form"),
    path("preview/", views.preview, name="preview"),
    path("cancel/", views.cancel, name="cancel"),
    path("refund/", views.refund, name="refund"),
]
