"""免考规则 in the back office, under /backoffice/exemptions/ (namespace backoffice:exemptions_staff)."""

from django.urls import path

from . import views_staff as views

app_name = "exemptions_staff"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("new/", views.rule_edit, name="create"),
    path("export/", views.rules_export, name="export"),
    path("import/", views.rules_import, name="import"),
    path("<int:pk>/edit/", views.rule_edit, name="edit"),
    path("<int:pk>/delete/", views.rule_delete, name="delete"),
]
