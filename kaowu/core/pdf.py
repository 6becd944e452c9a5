"""What every PDF the project draws goes through: the embedded Chinese font, ReportLab locked down,
and paragraphs whose text is drawn exactly as typed.

ReportLab's `Paragraph` reads its text as markup: `<img src=…>` opens a file or fetches a URL,
`<a href=…>` adds a link, and a stray `</b>` makes the whole document fail. So builders never
create a `Paragraph` themselves: `paragraph(value, style)` escapes any value, and only markup the
builder wrote itself — `markup("<b>%(name)s</b>", name=value)`, whose values are escaped in turn
(as Django's `format_html`) — keeps its tags. `tests/security/test_pdf_injection.py` checks that no
module outside this one imports ReportLab's `Paragraph`.

The font is WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei (installed by scripts/demo.sh and
scripts/test.sh). ReportLab embeds the subset of glyphs a document uses, so a reader without the
font sees the same page. Registering it (once per process, before ReportLab opens any file) is
also where ReportLab is told to trust no URL and to open no image named in markup."""

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from django.utils.translation import gettext

from kaowu.core.errors import UserFacingError

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_NAME = "WenQuanYiZenHei"


class PdfError(UserFacingError):
    pass


class Markup(str):
    """Paragraph markup a builder wrote itself (its own <b>, <br/>, <font>): drawn as markup."""

    __slots__ = ()


def escape(value) -> Markup:
    """`value` as markup that draws exactly its text: `&`, `<`, `>` and quotes escaped, line breaks
    kept as <br/>. None is empty; Markup passes through unchanged."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return Markup(_xml_escape(text, {'"': "&quot;", "'": "&#39;"}).replace("\n", "<br/>"))


def markup(template: str, /, **values) -> Markup:
    """The builder's own markup `template` with `%(name)s` placeholders filled by escaped values."""
    return Markup(template % {key: escape(value) for key, value in values.items()}) if values else Markup(template)


def paragraph(value, style, **kwargs):
    """A ReportLab Paragraph of `value`: Markup is drawn as markup, anything else as literal text."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(value), style, **kwargs)


def _refuse_url(name, headers=None):
    raise OSError("ReportLab may not fetch URLs here")


def _refuse_markup_image(src):
    raise ValueError("Paragraph markup may not name an image; draw images as flowables from bytes")


def _lock_down_reportlab() -> None:
    """ReportLab opens files and URLs named in markup (<img src>) and by name elsewhere. Here it
    fetches nothing and markup names no image: every image the project prints (the 证件照, a
    signature) is handed over as bytes, the font by its own path.

    - `rl_config.trustedSchemes` empty: `open_for_read` refuses every `scheme:` name (http, https,
      ftp, file, data). A list in `trustedHosts` turns the host check on (None trusts every host);
      its one entry is a reserved name that never resolves. `open_for_read` reads both settings on
      its first call and keeps them, so this runs before the font, ReportLab's first file, is read.
    - `rlUrlRead`, the one function through which ReportLab fetches a URL, refuses, so nothing is
      fetched even if some code had used ReportLab earlier in the process with the defaults.
    - ReportLab opens a plain path before looking at any scheme, whatever `rl_config` says, so the
      paragraph parser's image loader refuses every <img>: no builder's markup has one."""
    from reportlab import rl_config
    from reportlab.lib import utils
    from reportlab.platypus import paraparser

    rl_config.trustedSchemes = []
    rl_config.trustedHosts = ["no-host.invalid"]
    utils.rlUrlRead = _refuse_url
    paraparser.ImageReader = _refuse_markup_image


@cache
def cjk_font() -> str:
    """Lock ReportLab down and register the font with it, once per process; return the font's name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _lock_down_reportlab()
    if not FONT_PATH.exists():
        raise PdfError(gettext("服务器未安装中文字体（fonts-wqy-zenhei），无法生成 PDF。"))
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    return FONT_NAME


def draw_qr(canvas, text: str, *, x: float, y: float, size: float) -> None:
    """A QR code of `text` on a ReportLab canvas (准考证, 毕业证明书), `size` square with its lower-left
    corner at (x, y): filled runs of dark modules (a few dozen rectangles, not one per module). A fixed
    mask: choosing the best of eight costs more than drawing a whole ticket, and any mask scans. Leaves the
    fill colour black."""
    import segno

    matrix = segno.make(text, error="m", mask=4, boost_error=False).matrix
    module = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        start = None
        for col, dark in enumerate(list(row) + [0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * module, top, (col - start) * module, module)
                start = None
    canvas.drawPath(path, stroke=0, fill=1)
