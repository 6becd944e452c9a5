from django.urls import path

from . import views

app_name = "documents_staff"
urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify/<str:token>/photo/", views.verify_photo, name="verify_photo"),
]
