from django.urls import path

from . import views_staff

app_name = "graduation_staff"
urlpatterns = [
    path("", views_staff.index, name="index"),
    path("runs/<int:pk>/", views_staff.detail, name="detail"),
    path("runs/<int:pk>/status/", views_staff.status, name="status"),
    path("runs/<int:pk>/results.xlsx", views_staff.export, name="export"),
]
