from django.urls import path

from . import views, views_review

app_name = "records"
urlpatterns = [
    path("", views.scores, name="scores"),
    path("prediction/", views.prediction, name="prediction"),
    path("review/", views_review.landing, name="review"),
    path("review/apply/", views_review.apply, name="review_apply"),
    path("review/<str:number>/", views_review.detail, name="review_detail"),
    path("review/<str:number>/upload/", views_review.upload, name="review_upload"),
    path("review/<str:number>/form.pdf", views_review.form_pdf, name="review_form_pdf"),
]
