"""毕业证明书 as PDF: the holder (姓名 and the full 身份证号 — an official document carries its holder's
full data), the graduation as recorded (专业, 层次, 毕业证书编号, 毕业日期), the 证明书编号, the issuing
authority and date, and a QR code of the public verification address (`certificate.certificate_verify_url`)
with the address printed under it. A4 portrait: flowables for the text (every value through
`kaowu.core.pdf.paragraph` / `markup`, so it is drawn literally), the QR code drawn on the canvas."""

import io

from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kaowu.core.dates import cn_date
from kaowu.core.form_styles import HEAD, LINE, MUTED, form_styles
from kaowu.core.pdf import cjk_font, draw_qr, markup, paragraph
from kaowu.organization.selectors import home_province

QR_SIZE = 32 * mm
MARGIN = 20 * mm


def _why(reason: str) -> str:
    if reason == "lost":
        return gettext("因原毕业证书遗失，特出具此证明。")
    if reason == "damaged":
        return gettext("因原毕业证书损毁，特出具此证明。")
    return gettext("应本人申请，特出具此证明。")


def certificate_pdf(issued: dict, *, verify_url: str) -> bytes:
    """The PDF of an issued certificate (`certificate.certificate_issued(application)`)."""
    font = cjk_font()
    styles = form_styles(font, cell_size=10.5, cell_leading=15)
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK")
    right = ParagraphStyle("right", fontName=font, fontSize=11.5, leading=18, alignment=2)
    small = ParagraphStyle("qr", parent=styles["small"], fontSize=7.5, leading=9.5)
    province = home_province()
    authority = province.authority_name if province else ""
    user, graduate, major = issued["user"], issued["graduate"], issued["major"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=24 * mm,
                            bottomMargin=MARGIN, title=gettext("毕业证明书"), author=authority,
                            subject=issued["number"])
    width = A4[0] - 2 * MARGIN

    def p(value, style="cell"):
        return paragraph("—" if value in (None, "") else value, styles[style])

    story = [
        paragraph(gettext("%(province)s高等教育自学考试") % {"province": province.name if province else ""},
                  styles["sub"]),
        Spacer(1, 2 * mm),
        paragraph(gettext("毕业证明书"), ParagraphStyle("big", parent=styles["title"], fontSize=24, leading=32)),
        paragraph(gettext("证明书编号：%(number)s") % {"number": issued["number"]}, styles["sub"]),
        Spacer(1, 8 * mm),
        paragraph(markup(gettext(
            "兹证明 <b>%(name)s</b>（身份证号 %(id_number)s）参加高等教育自学考试，%(level)s<b>%(major)s</b>专业"
            "（专业代码 %(code)s）考试课程全部合格，准予毕业，于%(date)s取得毕业证书（证书编号 %(certificate)s）。"
            "%(why)s"),
            name=user.real_name, id_number=user.id_number, level=issued["level"], major=major.name, code=major.code,
            date=cn_date(graduate.graduated_on), certificate=graduate.certificate_number, why=_why(issued["reason"]),
        ), body),
        Spacer(1, 6 * mm),
    ]
    col = [28 * mm, width / 2 - 28 * mm, 28 * mm, width / 2 - 28 * mm]
    rows = [
        [p(gettext("姓名")), p(user.real_name), p(gettext("身份证号")), p(user.id_number)],
        [p(gettext("专业")), p(f"{major.code} {major.name}"), p(gettext("层次")), p(issued["level"])],
        [p(gettext("毕业证书编号")), p(graduate.certificate_number), p(gettext("毕业日期")),
         p(cn_date(graduate.graduated_on))],
        [p(gettext("证明书编号")), p(issued["number"]), p(gettext("出具日期")), p(cn_date(issued["issued_at"]))],
    ]
    table = Table(rows, colWidths=col)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("BACKGROUND", (0, 0), (0, -1), HEAD), ("BACKGROUND", (2, 0), (2, -1), HEAD),
    ]))
    story += [
        table,
        Spacer(1, 6 * mm),
        paragraph(gettext("本证明书与原毕业证书具有同等效力。"), body),
        Spacer(1, 14 * mm),
        paragraph(authority, right),
        paragraph(cn_date(issued["issued_at"]), right),
    ]

    def draw_verification(canvas, _doc):
        canvas.saveState()
        x, y = MARGIN, MARGIN + 12 * mm
        draw_qr(canvas, verify_url, x=x, y=y, size=QR_SIZE)
        canvas.setFont(font, 9)
        canvas.setFillColorRGB(*MUTED.rgb())
        canvas.drawString(x + QR_SIZE + 5 * mm, y + QR_SIZE - 4 * mm, gettext("扫码核验真伪"))
        canvas.setFont(font, 8)
        canvas.drawString(x + QR_SIZE + 5 * mm, y + QR_SIZE - 9 * mm,
                          gettext("手机扫描左侧二维码，或在浏览器中打开下方地址，"))
        canvas.drawString(x + QR_SIZE + 5 * mm, y + QR_SIZE - 13 * mm, gettext("可查询本证明书的真伪（无需登录）。"))
        canvas.restoreState()
        # The address as text too, for whoever cannot scan: a paragraph (literal), wrapped under the code.
        note = paragraph(verify_url, small)
        _w, h = note.wrap(width, 20 * mm)
        note.drawOn(canvas, MARGIN, MARGIN + 10 * mm - h)

    doc.build(story, onFirstPage=draw_verification)
    return buffer.getvalue()
