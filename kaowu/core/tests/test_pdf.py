"""kaowu.core.pdf: values drawn as text whatever they contain, the builder's own markup kept, and
ReportLab fetching no URL and opening no image named in markup."""

import io
import socket

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from kaowu.core.pdf import Markup, cjk_font, escape, markup, paragraph


@pytest.fixture
def connections(monkeypatch):
    """Connections opened as URL clients open them (urllib, http.client) while the test runs; each fails."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.fixture
def local_png(tmp_path):
    path = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), (200, 0, 0)).save(path)
    return path


def draw(*flowables) -> PdfReader:
    out = io.BytesIO()
    SimpleDocTemplate(out).build(list(flowables))
    return PdfReader(io.BytesIO(out.getvalue()))


def style():
    return ParagraphStyle("cell", fontName=cjk_font(), fontSize=10, leading=13, wordWrap="CJK")


def test_escape_makes_markup_characters_text():
    assert escape('<b>"A" & \'B\'</b>') == "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
    assert escape("第一行\r\n第二行\n第三行") == "第一行<br/>第二行<br/>第三行"
    assert escape(None) == "" and escape(0) == "0"
    mine = Markup("<b>粗体</b>")
    assert escape(mine) is mine


def test_markup_keeps_the_template_and_escapes_the_values():
    assert markup("<b>%(name)s</b><br/>%(n)s", name="</b><foo>", n=3) == "<b>&lt;/b&gt;&lt;foo&gt;</b><br/>3"
    assert isinstance(markup("（公章）<br/>"), Markup)


@pytest.mark.parametrize("text", [
    '<img src="http://127.0.0.1:9/x.png"/>', '<img src="/etc/passwd"/>', "LOCAL", '<a href="http://evil">x</a>',
    "</b> <foo>", "&amp;", "&lt;script&gt;", "<![CDATA[x]]>", "<para>x</para>", "姓名\n王<b>晓</b>燕"])
def test_any_value_is_drawn_literally(text, local_png, connections):
    text = text.replace("LOCAL", f'<img src="{local_png}"/>')
    reader = draw(paragraph(text, style()))
    shown = reader.pages[0].extract_text()
    assert "".join(text.split()) == "".join(shown.split())
    assert not reader.pages[0].images and not reader.pages[0].get("/Annots")
    assert connections == []


def test_the_builders_own_markup_still_works():
    reader = draw(paragraph(markup("<b>%(name)s</b><br/>第二行", name="<i>王</i>"), style()))
    assert reader.pages[0].extract_text().split() == ["<i>王</i>", "第二行"]


def test_reportlab_fetches_no_url(connections):
    from reportlab.lib.utils import ImageReader, open_for_read

    cjk_font()
    for name in ("http://127.0.0.1:9/x.png", "https://example.com/x.png", "ftp://example.com/x",
                 "file:///etc/passwd", "data:text/plain,abc"):
        with pytest.raises(OSError):
            open_for_read(name)
        with pytest.raises(OSError):
            ImageReader(name)
    assert connections == []


def test_markup_cannot_name_an_image_even_the_builders_own(local_png, connections):
    for src in (str(local_png), "http://127.0.0.1:9/x.png"):
        with pytest.raises(ValueError, match="may not name an image"):
            draw(paragraph(Markup(f'<img src="{src}" width="10" height="10"/>'), style()))
    assert connections == []


def test_images_handed_over_as_bytes_still_print(local_png):
    from reportlab.platypus import Image as ImageFlowable

    cjk_font()
    reader = draw(ImageFlowable(io.BytesIO(local_png.read_bytes()), width=20, height=20))
    assert len(reader.pages[0].images) == 1
