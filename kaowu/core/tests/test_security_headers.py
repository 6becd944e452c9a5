from django.http import FileResponse, HttpResponse

from kaowu.core.security_headers import SecurityHeadersMiddleware, permissions_policy


def test_permissions_policy_is_written_as_the_structured_header():
    assert permissions_policy({"camera": [], "fullscreen": ["self"], "payment": ["self", "https://pay.example"]}) == \
        'camera=(), fullscreen=(self), payment=(self "https://pay.example")'


def test_an_html_page_gets_the_policy_and_the_permissions_policy(rf):
    response = SecurityHeadersMiddleware(lambda request: HttpResponse("<p>x</p>"))(rf.get("/"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_a_pdf_has_no_page_policy_but_keeps_the_permissions_policy(rf, tmp_path):
    """Chrome draws an inline PDF inside a page governed by the PDF's own CSP: `object-src 'none'` there
    would blank every 准考证 and form. A PDF runs no script of ours."""
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pdf.open("rb") as handle:
        response = SecurityHeadersMiddleware(lambda request: FileResponse(handle, content_type="application/pdf"))(
            rf.get("/ticket.pdf"))
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"]


def test_a_header_set_by_the_view_is_kept(rf):
    def view(request):
        response = HttpResponse("<p>x</p>")
        response["Permissions-Policy"] = "fullscreen=(self)"
        return response

    assert SecurityHeadersMiddleware(view)(rf.get("/"))["Permissions-Policy"] == "fullscreen=(self)"
