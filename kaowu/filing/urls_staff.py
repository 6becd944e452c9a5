from django.urls import path

from . import views_staff

app_name = "filing_staff"
urlpatterns = [
    path("", views_staff.review_list, name="list"),
    path("<int:pk>/", views_staff.review_detail, name="detail"),
    path("<int:pk>/photo/", views_staff.review_photo, name="photo"),
]
