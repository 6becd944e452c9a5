from django.urls import path

from kaowu.workflow.pages import candidate_page, type_urls

from . import views
from .types import CODE

app_name = "theses"
# 毕业论文答辩申请: the engine's generic pages, with our landing (where the candidate stands) and detail page
# (打回, 【修改申请信息】, the defence result) in their places.
OWN = {
    "thesis": path("thesis/", candidate_page(views.VIEWS.landing), name="thesis"),
    "thesis_detail": path("thesis/<str:number>/", candidate_page(views.VIEWS.detail), name="thesis_detail"),
}
urlpatterns = [OWN.get(pattern.name, pattern) for pattern in type_urls(CODE)]
