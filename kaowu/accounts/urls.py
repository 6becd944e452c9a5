from django.urls import path

from .views import auth, recovery, security

app_name = "accounts"
urlpatterns = [
    path("register/", auth.register, name="register"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("exam-number/", auth.choose_exam_number, name="choose_exam_number"),
    path("password/first-change/", auth.first_password_change, name="first_password_change"),
    # 找回密码 (recovery.py)
    path("password/reset/", recovery.password_reset_start, name="password_reset"),
    # 安全中心 (security.py)
    path("security/", security.security_centre, name="security"),
]
