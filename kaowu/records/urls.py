from django.urls import path

from kaowu.workflow.pages import candidate_page, gate_urls

from . import views, views_review
from .review import CODE as REVIEW

app_name = "records"
urlpatterns = [
    path("", views.scores, name="scores"),
    path("review/", views_review.landing, name="review"),
    path("review/apply/", views_review.apply, name="review_apply"),
    path("review/<str:number>/", candidate_page(views_review.VIEWS.detail), name="review_detail"),
    *gate_urls(REVIEW),  # 上传盖章申请表: the UploadGate's page
    path("review/<str:number>/form.pdf", views_review.form_pdf, name="review_form_pdf"),
]
