from django.urls import path

from . import views_inbox

app_name = "inbox"
urlpatterns = [path("", views_inbox.inbox, name="list")]
