"""The look every printable form (登记表, 申请表) shares: title, sub-title, section heading, table
cell and small-print paragraph styles in the embedded CJK font, and the grid's line and label
shading colours."""

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

LINE = colors.Color(0.55, 0.58, 0.63)
HEAD = colors.Color(0.93, 0.94, 0.96)
MUTED = colors.Color(0.36, 0.40, 0.46)


def form_styles(font: str, *, cell_size: float = 9, cell_leading: float = 12) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=2 * mm),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=9, leading=12, alignment=1, textColor=MUTED),
        "h": ParagraphStyle("h", fontName=font, fontSize=11, leading=15, spaceBefore=4 * mm, spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=cell_size, leading=cell_leading, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=font, fontSize=8, leading=11, wordWrap="CJK", textColor=MUTED),
    }
