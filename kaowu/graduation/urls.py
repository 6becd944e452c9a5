from django.urls import path

from . import views

app_name = "graduation"
urlpatterns = [
    path("", views.planner, name="planner"),
]
