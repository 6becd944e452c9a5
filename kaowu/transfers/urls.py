from django.urls import path

from kaowu.workflow.pages import type_urls

from . import views_in, views_out
from .within import CODE as WITHIN

app_name = "transfers"
urlpatterns = [
    *type_urls(WITHIN),  # 省内转考: the engine's generic pages
    path("out/", views_out.landing, name="out"),
    path("out/apply/", views_out.apply, name="out_apply"),
    path("out/<str:number>/", views_out.detail, name="out_detail"),
    path("out/<str:number>/edit/", views_out.edit, name="out_edit"),
    path("out/<str:number>/delete/", views_out.delete, name="out_delete"),
    path("out/<str:number>/pay/", views_out.pay, name="out_pay"),
    path("out/<str:number>/submit/", views_out.submit, name="out_submit"),
    path("out/<str:number>/submit/confirm/", views_out.submit_confirm, name="out_submit_confirm"),
    path("out/<str:number>/form.pdf", views_out.form_pdf, name="out_form_pdf"),
    path("in/", views_in.landing, name="in"),
    path("in/<str:number>/", views_in.detail, name="in_detail"),
    path("in/<str:number>/confirm/", views_in.confirm, name="in_confirm"),
    path("in/<str:number>/confirm/done/", views_in.confirm_done, name="in_confirm_done"),
    path("in/<str:number>/form.pdf", views_in.form_pdf, name="in_form_pdf"),
]
