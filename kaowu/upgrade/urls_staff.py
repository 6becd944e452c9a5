from django.urls import path

from . import views_staff

app_name = "upgrade_staff"
urlpatterns = [
    path("", views_staff.registration_list, name="list"),
    path("<int:pk>/", views_staff.registration_detail, name="detail"),
    path("<int:pk>/documents/<str:kind>/", views_staff.document_file, name="document"),
    path("report/", views_staff.report, name="report"),
    path("report/<int:pk>/unlock/", views_staff.unlock, name="unlock"),
    path("admission/", views_staff.admission, name="admission"),
    path("admission/<int:pk>/", views_staff.admission_results, name="admission_results"),
    path("college/", views_staff.college_results, name="college"),
]
