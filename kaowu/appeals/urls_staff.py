"""账号申诉 on the staff site (mounted at /backoffice/appeals/): the video of an appeal in the office's queue."""

from django.urls import path

from . import views_staff

app_name = "appeals_staff"
urlpatterns = [
    path("<int:pk>/video/", views_staff.video, name="video"),
]
