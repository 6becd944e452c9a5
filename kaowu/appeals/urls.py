"""账号申诉, public (mounted at /appeals/)."""

from django.conf import settings
from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.start, name="start"),
    path("choose/", views.choose, name="choose"),
    path("face/", views.face, name="face"),
    path("face/start/", views.face_start, name="face_start"),
    path("face/status/", views.face_status, name="face_status"),
    path("material/", views.material, name="material"),
    path("progress/", views.progress_query, name="progress_query"),
    path("progress/<str:token>/", views.progress, name="progress"),
]
if settings.DEMO_MODE or settings.KAOWU_DEV_INBOX:
    # 支付宝人脸核验: the development face check provider's stand-in for the Alipay app.
    urlpatterns.append(path("dev/face-check/<str:session_id>/", views.dev_face_check, name="dev_face_check"))
