from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("within/", views.landing, name="within"),
    path("within/apply/", views.apply, name="within_apply"),
    path("within/<str:number>/", views.detail, name="within_detail"),
    path("within/<str:number>/edit/", views.edit, name="within_edit"),
    path("within/<str:number>/preview/", views.preview, name="within_preview"),
    path("within/<str:number>/print/", views.print_view, name="within_print"),
]
