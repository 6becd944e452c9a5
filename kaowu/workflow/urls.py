from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("<str:number>/", views.application_detail, name="detail"),
    path("<str:number>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
