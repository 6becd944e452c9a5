from django.urls import path

from kaowu.workflow.pages import candidate_page, type_urls

from . import views
from .types import CODE

app_name = "exemptions"
# 免考申请: the engine's generic pages, with our detail page (each course's decision) in its place
# (after apply/, which its pattern would otherwise catch).
DETAIL = path("exemption/<str:number>/", candidate_page(views.VIEWS.detail), name="exemption_detail")
urlpatterns = [
    path("results/", candidate_page(views.results), name="results"),
    *[DETAIL if pattern.name == "exemption_detail" else pattern for pattern in type_urls(CODE)],
]
