from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/admission.pdf", views.ticket_download, name="ticket_download"),
    path("T/<str:token>", views.verify_redirect, name="verify_redirect"),
]
