"""毕业证明书申请's pages: the engine's generic pages (`workflow.pages`) with a landing page that lists the
candidate's graduations, an apply page that lets a graduate of several majors apply for another one
while one is in progress, a detail page with the download once issued; the PDF; and the public
verification page the QR code opens (no login)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaowu.core.http import public_url
from kaowu.core.masking import mask_name
from kaowu.organization.selectors import home_province
from kaowu.workflow.pages import TypeViews, candidate_of, pdf_response
from kaowu.workflow.statuses import Status

from .certificate import (
    CODE,
    CertificateError,
    certificate_applications_open,
    certificate_issued,
    certificate_verify,
    certificate_verify_url,
    graduates_of,
)


class CertificateViews(TypeViews):
    landing_template = "graduation/certificate/landing.html"
    detail_template = "graduation/certificate/detail.html"

    def landing_context(self, request, *, exam_number, applications) -> dict:
        context = super().landing_context(request, exam_number=exam_number, applications=applications)
        candidate = candidate_of(request)
        in_progress = certificate_applications_open(candidate=candidate)
        graduations = [(graduate, in_progress.get(graduate.pk)) for graduate in graduates_of(candidate)]
        context.update(graduations=graduations,
                       can_apply=any(application is None for _graduate, application in graduations))
        return context

    def apply(self, request):
        """申请毕业证明书: the form, unless every graduation of his has an application in progress (then
        the one in progress). Non-graduates are refused by the type's `may_apply` (and the engine)."""
        candidate = candidate_of(request)
        in_progress = certificate_applications_open(candidate=candidate)
        graduates = list(graduates_of(candidate))
        if graduates and all(graduate.pk in in_progress for graduate in graduates):
            messages.info(request, self.kind.text("open_exists"))
            return redirect(self.url("detail", in_progress[graduates[0].pk].number))
        return self.form_page(request)

    def detail_context(self, request, application) -> dict:
        issued = None
        if application.status == Status.APPROVED:
            try:
                issued = certificate_issued(application)
            except CertificateError:
                issued = None
        return {"issued": issued}


VIEWS = CertificateViews(CODE)


def download(request, number: str):
    """毕业证明书 (PDF) of the candidate's own approved application; before approval, refused."""
    application = VIEWS.own(request, number)
    try:
        issued = certificate_issued(application)
    except CertificateError as exc:
        messages.error(request, exc.message)
        return redirect(VIEWS.url("detail", number))
    from .certificate_pdf import certificate_pdf

    url = certificate_verify_url(base_url=public_url("/", request=request), certificate_number=issued["number"])
    return pdf_response(certificate_pdf(issued, verify_url=url),
                        gettext("毕业证明书_%(number)s.pdf") % {"number": issued["number"]})


@never_cache
@require_GET
def verify(request, token: str):
    """扫码核验 (public, no login): whether the 毕业证明书 a QR code names is genuine, with the holder's
    name masked; anything else — altered, made up, not issued — says 无法核验."""
    issued = certificate_verify(token)
    province = home_province()
    context = {"authority": province.authority_name if province else ""}
    if issued is not None:
        context.update(issued=issued, holder=mask_name(issued["user"].real_name))
    response = render(request, "graduation/certificate/verify.html", context, status=200 if issued else 404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
