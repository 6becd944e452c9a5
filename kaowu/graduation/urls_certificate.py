"""毕业证明书申请 (under /graduation/certificate/, names `graduation:certificate…`) and the public
verification address its QR code holds (/GZ/<token>). Included by graduation/urls.py at the root."""

from django.urls import include, path

from kaowu.workflow.pages import candidate_page, type_urls

from . import views_certificate as views
from .certificate import CODE

# The engine's generic pages, with our landing, apply and detail pages in their places.
OWN = {
    "certificate": candidate_page(views.VIEWS.landing),
    "certificate_apply": candidate_page(views.VIEWS.apply, ("GET", "POST")),
    "certificate_detail": candidate_page(views.VIEWS.detail),
}
pages = [path(str(pattern.pattern), OWN[pattern.name], name=pattern.name) if pattern.name in OWN else pattern
         for pattern in type_urls(CODE)]

urlpatterns = [
    path("graduation/", include([
        *pages,
        path("certificate/<str:number>/pdf/", candidate_page(views.download), name="certificate_pdf"),
    ])),
    path("GZ/<str:token>", views.verify, name="certificate_verify"),
]
