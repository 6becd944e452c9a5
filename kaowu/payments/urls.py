from django.conf import settings
from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/demo/", views.demo_order_create, name="demo_order_create"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/pay/", views.order_pay, name="order_pay"),
    path("orders/<str:number>/sync/", views.order_sync, name="order_sync"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<str:number>/refund/", views.order_refund_request, name="order_refund_request"),
    path("notify/<str:channel>/", views.notify, name="notify"),
]

# The development gateway: only in demo mode or with the dev inbox, never in production.
if settings.DEMO_MODE or settings.KAOWU_DEV_INBOX:
    from .devgateway import views as dev_views

    urlpatterns += [
        path("dev-gateway/", dev_views.gateway_home, name="dev_gateway"),
        path("dev-gateway/flush/", dev_views.gateway_flush, name="dev_gateway_flush"),
        path("dev-gateway/cashier/<str:trade_no>/", dev_views.cashier, name="dev_cashier"),
    ]
