"""实践性环节报名's candidate pages under /practicals/ (namespace practicals): the landing, 报名 (form →
preview → 保存), the detail, 去缴费 and 删除 (the type's PaymentGate)."""

from django.urls import path

from kaowu.workflow.pages import candidate_page

from .views import VIEWS

app_name = "practicals"
urlpatterns = [
    path("registration/", candidate_page(VIEWS.landing), name="registration"),
    path("registration/apply/", candidate_page(VIEWS.apply, ("GET", "POST")), name="registration_apply"),
    path("registration/<str:number>/", candidate_page(VIEWS.detail), name="registration_detail"),
    path("registration/<str:number>/pay/", candidate_page(VIEWS.pay, ("POST",)), name="registration_pay"),
    path("registration/<str:number>/delete/", candidate_page(VIEWS.delete, ("POST",)), name="registration_delete"),
]
