from django.urls import path

from . import views

app_name = "signatures"
urlpatterns = [
    path("signatures/<str:token>/", views.desktop, name="desktop"),
    path("signatures/<str:token>/status/", views.status, name="status"),
    path("signatures/<str:token>/renew/", views.renew, name="renew"),
    path("signatures/<str:token>/image.png", views.image, name="image"),
    path("sign/<str:token>/", views.sign, name="sign"),
]
