from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("status/", views.status, name="status"),
    path("consent/", views.consent, name="consent"),
    path("consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("photos/<slug:kind>/", views.photo_upload, name="photo_upload"),
    path("photo/<uuid:token>/", views.photo, name="photo"),
    path("submit/", views.submit, name="submit"),
    path("manual-review/", views.manual_review, name="manual_review"),
    path("registry-check/", views.registry_check_view, name="registry_check"),
]
