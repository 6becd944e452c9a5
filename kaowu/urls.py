from django.conf import settings
from django.urls import include, path

from kaowu.backoffice.admin_site import province_admin_site

# A busy database raised outside a view is the 503 page too (kaowu.core.unavailable).
handler400 = "kaowu.core.views.bad_request"
handler500 = "kaowu.core.views.server_error"

urlpatterns = [
    path("", include("kaowu.portal.urls")),
    path("accounts/", include("kaowu.accounts.urls")),
    path("verify/", include("kaowu.verification.urls")),
    path("identity/", include("kaowu.identity.urls")),
    path("catalog/", include("kaowu.catalog.urls")),
    path("filing/", include("kaowu.filing.urls")),
    path("payments/", include("kaowu.payments.urls")),
    path("registration/", include("kaowu.registration.urls")),
    path("", include("kaowu.graduation.urls")),  # scores/prediction/ (毕业预测) and graduation/
    path("scores/", include("kaowu.records.urls")),
    path("exam-number/recover/", include("kaowu.candidates.urls_public")),
    path("applications/", include("kaowu.workflow.urls")),
    path("transfers/", include("kaowu.transfers.urls")),
    path("exemptions/", include("kaowu.exemptions.urls")),
    path("practicals/", include("kaowu.practicals.urls")),
    path("theses/", include("kaowu.theses.urls")),
    path("appeals/", include("kaowu.appeals.urls")),
    path("backoffice/appeals/", include("kaowu.appeals.urls_staff")),
    path("messages/", include("kaowu.notifications.urls_inbox")),
    path("", include("kaowu.signatures.urls")),
    path("", include("kaowu.documents.urls")),
    path("upgrade/", include("kaowu.upgrade.urls")),
    path("backoffice/", include("kaowu.backoffice.urls")),
    path("backoffice/admin/", province_admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.KAOWU_DEV_INBOX:
    urlpatterns.append(path("dev/", include("kaowu.notifications.urls")))
else:
    # The templates link the inbox by name; without it the name resolves to nothing useful.
    urlpatterns.append(path("dev/", include(("kaowu.notifications.urls_disabled", "notifications"))))
