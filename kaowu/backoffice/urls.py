from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("login/", views.staff_login, name="login"),
    path("", views.staff_home, name="home"),
]
