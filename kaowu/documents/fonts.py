"""The Chinese font every PDF embeds: WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei (installed by
scripts/demo.sh and scripts/test.sh). ReportLab embeds the subset of glyphs a document uses, so a
reader without the font sees the same page."""

from functools import cache
from pathlib import Path

from django.utils.translation import gettext

from kaowu.core.errors import UserFacingError

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_NAME = "WenQuanYiZenHei"


class DocumentError(UserFacingError):
    pass


@cache
def cjk_font() -> str:
    """Register the font with ReportLab once per process and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT_PATH.exists():
        raise DocumentError(gettext("服务器未安装中文字体（fonts-wqy-zenhei），无法生成 PDF。"))
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    return FONT_NAME
