"""The 主考学校's 实践性环节报名 list under /backoffice/practicals/ (namespace backoffice:practicals_staff):
the registered candidate × course rows, Excel export, 合格 / 不合格 per row or by Excel import."""

from django.urls import path

from . import views_staff as views

app_name = "practicals_staff"
urlpatterns = [
    path("", views.practical_list, name="list"),
    path("export/", views.practical_export, name="export"),
    path("import/", views.practical_import, name="import"),
    path("<int:pk>/result/", views.practical_result, name="result"),
]
