from django.urls import path

from . import views

app_name = "graduation"
urlpatterns = [
    path("scores/prediction/", views.planner, name="planner"),
]
