from django.urls import path

from .views import audit, auth, candidates, home

app_name = "backoffice"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("", home.home, name="home"),
    path("candidates/", candidates.candidate_list, name="candidate_list"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate_detail"),
    path("audit/", audit.audit_log, name="audit_log"),
]
