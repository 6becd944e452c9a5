from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.scores, name="scores"),
    path("prediction/", views.prediction, name="prediction"),
]
