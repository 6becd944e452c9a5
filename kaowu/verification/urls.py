from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("captcha/<str:key>.png", views.captcha_image_view, name="captcha_image"),
    path("captcha/refresh/", views.captcha_refresh_view, name="captcha_refresh"),
    path("sms/<str:purpose>/", views.sms_send_view, name="sms_send"),
]
