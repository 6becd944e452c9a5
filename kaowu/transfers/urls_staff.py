from django.urls import path

from . import views_staff

app_name = "transfers_staff"
urlpatterns = [
    path("out/<int:pk>/dossier/", views_staff.dossier_send, name="out_dossier"),
    path("out/<int:pk>/form.pdf", views_staff.form_pdf, name="out_form_pdf"),
]
