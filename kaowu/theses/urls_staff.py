"""毕业论文答辩申请 on the staff side, under /backoffice/theses/ (namespace backoffice:theses_staff): the
actions of the type's card on the 申请审核 detail page."""

from django.urls import path

from . import views_staff as views

app_name = "theses_staff"
urlpatterns = [
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/result/", views.result, name="result"),
]
