from django.urls import path

from kaowu.workflow.pages import candidate_page, gate_urls, type_urls

from . import views_in, views_out
from .out import CODE as OUT
from .within import CODE as WITHIN

app_name = "transfers"
urlpatterns = [
    *type_urls(WITHIN),  # 省内转考: the engine's generic pages
    path("out/", candidate_page(views_out.VIEWS.landing), name="out"),
    path("out/apply/", candidate_page(views_out.VIEWS.apply, ("GET", "POST")), name="out_apply"),
    path("out/<str:number>/", candidate_page(views_out.VIEWS.detail), name="out_detail"),
    path("out/<str:number>/edit/", candidate_page(views_out.VIEWS.edit, ("GET", "POST")), name="out_edit"),
    *gate_urls(OUT),  # 考籍转出: 删除 / 去缴费 (its PaymentGate), 提交 with 扫码签字 (its SignatureGate)
    path("out/<str:number>/form.pdf", views_out.form_pdf, name="out_form_pdf"),
    path("in/", views_in.landing, name="in"),
    path("in/<str:number>/", views_in.detail, name="in_detail"),
    path("in/<str:number>/confirm/", views_in.confirm, name="in_confirm"),
    path("in/<str:number>/confirm/done/", views_in.confirm_done, name="in_confirm_done"),
    path("in/<str:number>/form.pdf", views_in.form_pdf, name="in_form_pdf"),
]
