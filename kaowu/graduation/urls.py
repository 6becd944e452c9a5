from django.urls import include, path

from . import views

app_name = "graduation"
urlpatterns = [
    path("scores/prediction/", views.planner, name="planner"),
    path("", include("kaowu.graduation.urls_certificate")),  # graduation/certificate/… (毕业证明书) and GZ/<token>
    path("graduation/", include("kaowu.graduation.urls_application")),  # graduation/application/… (毕业申请)
]
