from django.urls import include, path

from .views import audit, auth, candidates, home, identity, records

app_name = "backoffice"
urlpatterns = [
    path("filing/", include("kaowu.filing.urls_staff")),
    path("catalog/", include("kaowu.catalog.urls_staff")),
    path("scores/", include("kaowu.records.urls_staff")),
    path("applications/", include("kaowu.workflow.urls_staff")),
    path("transfers/", include("kaowu.transfers.urls_staff")),
    path("exemptions/", include("kaowu.exemptions.urls_staff")),
    path("practicals/", include("kaowu.practicals.urls_staff")),
    path("theses/", include("kaowu.theses.urls_staff")),
    path("login/", auth.login_view, name="login"),
    path("", home.home, name="home"),
    path("candidates/", candidates.candidate_list, name="candidate_list"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/merge/", records.candidate_merge, name="candidate_merge"),
    path("candidates/<int:pk>/id-correction/", records.candidate_id_correction, name="candidate_id_correction"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/personal-data/", audit.personal_data_access_log, name="personal_data_access_log"),
    path("identity/", identity.review_list, name="identity_review_list"),
    path("identity/<int:pk>/", identity.review_detail, name="identity_review_detail"),
    path("identity/photo/<uuid:token>/", identity.review_photo, name="identity_review_photo"),
    path("payments/", include("kaowu.payments.urls_staff")),
    path("tickets/", include("kaowu.documents.urls_staff")),
    path("upgrade/", include("kaowu.upgrade.urls_staff")),
    path("exams/", include("kaowu.exams.urls_staff")),
    path("registration/", include("kaowu.registration.urls_staff")),
    path("graduation/", include("kaowu.graduation.urls_staff")),
]
