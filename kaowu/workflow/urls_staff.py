from django.urls import path

from . import views_staff

app_name = "workflow_staff"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("bulk-approve/", views_staff.bulk_approve, name="bulk_approve"),
    path("export/", views_staff.export, name="export"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views_staff.attachment, name="attachment"),
]
