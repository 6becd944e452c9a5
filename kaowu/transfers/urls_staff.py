from django.urls import path

from . import views_staff

app_name = "transfers_staff"
urlpatterns = [
    path("out/<int:pk>/dossier/", views_staff.dossier_send, name="out_dossier"),
    path("out/<int:pk>/form.pdf", views_staff.form_pdf, name="out_form_pdf"),
    path("out/<int:pk>/package/", views_staff.package_export, name="out_package"),
    path("out/<int:pk>/package.json", views_staff.package_download, name="out_package_download"),
    path("in/", views_staff.in_list, name="in_list"),
    path("in/new/", views_staff.in_enter, name="in_enter"),
    path("in/import/", views_staff.in_import, name="in_import"),
    path("in/public-key/", views_staff.public_key, name="public_key"),
    path("in/<int:pk>/", views_staff.in_detail, name="in_detail"),
    path("in/<int:pk>/receive/", views_staff.in_receive, name="in_receive"),
    path("in/<int:pk>/void/", views_staff.in_void, name="in_void"),
]
