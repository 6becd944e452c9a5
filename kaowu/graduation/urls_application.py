"""毕业申请 (names `graduation:application…`), under /graduation/ (included by graduation/urls.py): the
engine's generic pages with our steps, detail page and PDF in place of its form, preview and print, and
the ConfirmGate's 确认 / 有误 (POST)."""

from django.urls import path

from kaowu.workflow.pages import candidate_page, gate_urls, type_urls

from .application import CODE
from .views_application import VIEWS

urlpatterns = [
    *[pattern for pattern in type_urls(CODE, VIEWS) if pattern.name != "application_print"],
    path("application/<str:number>/degree/", candidate_page(VIEWS.degree, ("GET", "POST")), name="application_degree"),
    path("application/<str:number>/register/", candidate_page(VIEWS.register, ("GET", "POST")),
         name="application_register"),
    path("application/<str:number>/form.pdf", candidate_page(VIEWS.form_pdf), name="application_form_pdf"),
    *gate_urls(CODE, VIEWS),  # application/<number>/confirm/ and dispute/ (its ConfirmGate)
]
