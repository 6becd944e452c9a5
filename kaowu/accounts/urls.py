from django.conf import settings
from django.urls import path

from .views import auth, enrolled, recovery, security

app_name = "accounts"
urlpatterns = [
    path("register/", auth.register, name="register"),
    # 我是在籍考生 (enrolled.py)
    path("enrolled/", enrolled.enrolled_claim, name="enrolled_claim"),
    path("enrolled/activate/", enrolled.enrolled_activate, name="enrolled_activate"),
    path("login/", auth.login_view, name="login"),
    path("login/wechat/status/", auth.wechat_login_status, name="wechat_login_status"),
    path("logout/", auth.logout_view, name="logout"),
    path("exam-number/", auth.choose_exam_number, name="choose_exam_number"),
    path("password/first-change/", auth.first_password_change, name="first_password_change"),
    # 找回密码 (recovery.py)
    path("password/reset/", recovery.password_reset_start, name="password_reset"),
    path("password/reset/verify/", recovery.password_reset_verify, name="password_reset_verify"),
    path("password/reset/resend/", recovery.password_reset_resend_view, name="password_reset_resend"),
    # 安全中心 (security.py)
    path("security/", security.security_centre, name="security"),
    path("security/password/", security.password_change_view, name="security_password"),
    path("security/phone/", security.phone_change_start, name="security_phone"),
    path("security/phone/send-code/", security.phone_old_code_send_view, name="security_phone_send_code"),
    path("security/phone/new/", security.phone_change_new, name="security_phone_new"),
    path("security/email/", security.email_bind_view, name="security_email"),
    path("security/email/unbind/", security.email_unbind_view, name="security_email_unbind"),
    path("security/email/verify/<str:token>/", security.email_verify_view, name="security_email_verify"),
    path("security/wechat/", security.wechat_bind_view, name="security_wechat"),
    path("security/wechat/status/", security.wechat_bind_status, name="security_wechat_status"),
    path("security/wechat/unbind/", security.wechat_unbind_view, name="security_wechat_unbind"),
    path("security/sign-out-others/", security.sign_out_others, name="security_sign_out_others"),
    # WeChat's redirect after 同意 / 拒绝, for the bind page's and the login page's QR codes.
    path("wechat/callback/", security.wechat_callback, name="wechat_callback"),
]
if settings.DEMO_MODE or settings.KAOWU_DEV_INBOX:
    # 模拟微信授权: the development WeChat provider's stand-in for WeChat's own pages.
    urlpatterns.append(path("wechat/dev-authorize/", security.wechat_dev_authorize, name="wechat_dev_authorize"))
