"""Back-office routes (included by kaowu/backoffice/urls.py under /backoffice/payments/)."""

from django.urls import path

from . import views_staff

app_name = "payments_staff"

urlpatterns = [
    path("", views_staff.refund_list, name="refunds"),
    path("refunds/<str:number>/", views_staff.refund_detail, name="refund_detail"),
    path("orders/<str:number>/", views_staff.order_detail, name="order_detail"),
    path("reconciliation/", views_staff.reconciliation, name="reconciliation"),
    path("reconciliation/issues/<int:pk>/resolve/", views_staff.issue_resolve, name="issue_resolve"),
]
