from django.urls import path

from . import views

app_name = "upgrade"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("notice/", views.notice_next, name="notice_next"),
    path("notice/<str:name>/", views.notice, name="notice"),
    path("basic/", views.basic, name="basic"),
    path("confirm/", views.confirm, name="confirm"),
    path("abandon/", views.abandon, name="abandon"),
    path("payment/", views.payment, name="payment"),
    path("documents/", views.documents, name="documents"),
    path("forms/", views.forms_page, name="forms"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("volunteers/<str:code>/", views.volunteers_edit, name="volunteers_edit"),
    path("supplementary/<str:code>/", views.supplementary, name="supplementary"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("info/process/", views.info_process, name="info_process"),
    path("info/contact/", views.info_contact, name="info_contact"),
    path("info/guide/", views.info_guide, name="info_guide"),
    path("plans/", views.plans, name="plans"),
    path("segments/", views.segments, name="segments"),
    path("results/", views.results, name="results"),
    path("forms/<str:key>.pdf", views.form_download, name="form_download"),
    path("forms/pledge/", views.exam_pledge, name="exam_pledge"),
]
