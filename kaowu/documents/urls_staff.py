from django.urls import path

from . import views, views_staff

app_name = "documents_staff"
urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify/<str:token>/photo/", views.verify_photo, name="verify_photo"),
    path("batches/", views_staff.batches, name="batches"),
    path("batches/start/", views_staff.batch_start, name="batch_start"),
    path("batches/<int:pk>/status/", views_staff.batch_status, name="batch_status"),
    path("batches/<int:pk>/download/", views_staff.batch_download, name="batch_download"),
]
