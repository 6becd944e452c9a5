"""准考证（考场座次通知单）as PDF (seeds 002, 003): photo, 准考证号, name, masked ID number, every
course with date, time, site, room and seat, the 考场规则, and a QR code staff scan to check the
ticket against the live record. A4 portrait, drawn on the ReportLab canvas directly (no flowables:
bulk printing of a whole exam area must stay above 100 tickets a second per core)."""

import io
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kaowu.core.pdf import cjk_font, draw_qr

INK = (0.07, 0.09, 0.15)
MUTED = (0.36, 0.40, 0.46)
LINE = (0.72, 0.75, 0.80)


@dataclass(frozen=True)
class TicketCourse:
    date: str          # 2027年04月10日
    time: str          # 上午 09:00–11:30
    course: str        # 00015 英语（二）
    site: str          # 兰州市第一中学考点
    room: str          # 001
    seat: str          # 07 (or "待编排")


@dataclass
class Ticket:
    title: str                      # 甘肃省高等教育自学考试
    sitting: str                    # 2027年4月
    exam_number: str
    name: str
    id_number_masked: str
    exam_area: str
    major: str
    courses: list[TicketCourse]
    sites: list[tuple[str, str]]    # (site name, address)
    rules: str
    verify_url: str
    printed_at: str
    photo: bytes | None = None      # JPEG of the 证件照
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=32)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Lines of `text` no wider than `width` (Chinese has no spaces to break at: break anywhere)."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if stringWidth(line + char, font, size) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return tuple(lines)


def _draw_qr(c: Canvas, text: str, *, x: float, y: float, size: float) -> None:
    draw_qr(c, text, x=x, y=y, size=size)
    c.setFillColorRGB(*INK)


WIDTH, HEIGHT = A4
LEFT, RIGHT = 15 * mm, WIDTH - 15 * mm
TOP = HEIGHT - 46 * mm
PHOTO_W, PHOTO_H = 30 * mm, 40 * mm
ROW_H = 8 * mm
QR_SIZE = 30 * mm
BOTTOM = 22 * mm
COLUMNS = [("考试日期", 31), ("考试时间", 33), ("课程", 50), ("考点", 42), ("考场", 12), ("座位", 12)]
_xs = [LEFT]
for _label, _w in COLUMNS:
    _xs.append(_xs[-1] + _w * mm)
XS = [LEFT + (x - LEFT) * (RIGHT - LEFT) / (_xs[-1] - LEFT) for x in _xs]
LABELS = [("准考证号", 12.5), ("姓　　名", 11.5), ("身份证号", 11.5), ("报考考区", 11.5), ("报考专业", 11.5)]


def _draw_static(c: Canvas, t: Ticket, font: str) -> None:
    """What every ticket of a document shares: titles, labels, the table head, the rules."""
    c.setFillColorRGB(*INK)
    c.setFont(font, 15)
    c.drawCentredString(WIDTH / 2, HEIGHT - 20 * mm, t.title)
    c.setFont(font, 19)
    c.drawCentredString(WIDTH / 2, HEIGHT - 29 * mm, "准考证（考场座次通知单）")
    c.setFont(font, 10.5)
    c.setFillColorRGB(*MUTED)
    c.drawCentredString(WIDTH / 2, HEIGHT - 36 * mm, f"考期：{t.sitting}")
    y = TOP - 6 * mm
    for label, _size in LABELS:
        c.drawString(LEFT, y, label)
        y -= 8 * mm
    c.setStrokeColorRGB(*LINE)
    c.rect(RIGHT - PHOTO_W, TOP - PHOTO_H, PHOTO_W, PHOTO_H)
    y = TOP - PHOTO_H - 9 * mm
    c.setFillColorRGB(0.93, 0.95, 0.98)
    c.rect(LEFT, y - ROW_H, RIGHT - LEFT, ROW_H, stroke=0, fill=1)
    c.setFillColorRGB(*INK)
    c.setFont(font, 10)
    for (label, _), x in zip(COLUMNS, XS, strict=False):
        c.drawString(x + 1.5 * mm, y - 5.5 * mm, label)
    c.setFont(font, 8.5)
    c.setFillColorRGB(*MUTED)
    c.drawCentredString(RIGHT - QR_SIZE / 2, BOTTOM + 2.5 * mm, "工作人员扫码核验")
    c.drawString(LEFT, 12 * mm, "请携带本证及本人有效身份证件参加考试。")


def _rules_top(t: Ticket) -> float:
    return TOP - PHOTO_H - 9 * mm - ROW_H * (max(len(t.courses), 1) + 1) - 6 * mm - 5.5 * mm * (
        len(t.sites) + len(t.notes)) - 3 * mm


def _draw_rules(c: Canvas, t: Ticket, font: str, y: float) -> None:
    c.setFillColorRGB(*INK)
    c.setFont(font, 11)
    c.drawString(LEFT, y, "考场规则")
    y -= 6 * mm
    c.setFont(font, 8.6)
    for line in _wrap(t.rules, font, 8.6, RIGHT - LEFT - QR_SIZE - 6 * mm):
        if y < BOTTOM:
            break
        c.drawString(LEFT, y, line)
        y -= 4.4 * mm


def _fit(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while len(text) > 1 and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_ticket(c: Canvas, t: Ticket, font: str) -> None:
    """The candidate's own content on a page whose shared parts were drawn (or placed as a form)."""
    photo_x = RIGHT - PHOTO_W
    if t.photo:
        c.drawImage(ImageReader(io.BytesIO(t.photo)), photo_x + 0.5, TOP - PHOTO_H + 0.5, PHOTO_W - 1, PHOTO_H - 1,
                    preserveAspectRatio=True, anchor="c")
    else:
        c.setFont(font, 9)
        c.setFillColorRGB(*MUTED)
        c.drawCentredString(photo_x + PHOTO_W / 2, TOP - PHOTO_H / 2, "贴照片处")
    c.setFillColorRGB(*INK)
    y = TOP - 6 * mm
    for (_label, size), value in zip(LABELS, [t.exam_number, t.name, t.id_number_masked, t.exam_area, t.major],
                                     strict=True):
        c.setFont(font, size)
        c.drawString(LEFT + 24 * mm, y, value)
        y -= 8 * mm

    y = TOP - PHOTO_H - 9 * mm - ROW_H
    c.setFont(font, 10)
    courses = t.courses or [TicketCourse("—", "—", "本考期没有已缴费的报考课程", "—", "—", "—")]
    c.setStrokeColorRGB(*LINE)
    for course in courses:
        values = [course.date, course.time, course.course, course.site, course.room, course.seat]
        for value, x, x_next in zip(values, XS, XS[1:], strict=False):
            c.drawString(x + 1.5 * mm, y - 5.5 * mm, _fit(value, font, 10, x_next - x - 2 * mm))
        y -= ROW_H
        c.line(LEFT, y, RIGHT, y)
    c.rect(LEFT, y, RIGHT - LEFT, (len(courses) + 1) * ROW_H)

    y -= 6 * mm
    c.setFont(font, 9.5)
    for name, address in t.sites:
        c.drawString(LEFT, y, f"{name}：{address}")
        y -= 5.5 * mm
    c.setFillColorRGB(0.6, 0.2, 0.1)
    for note in t.notes:
        c.drawString(LEFT, y, note)
        y -= 5.5 * mm
    _draw_qr(c, t.verify_url, x=RIGHT - QR_SIZE, y=BOTTOM + 6 * mm, size=QR_SIZE)
    c.setFont(font, 8.5)
    c.setFillColorRGB(*MUTED)
    c.drawRightString(RIGHT, 12 * mm, f"生成时间：{t.printed_at}")


def tickets_pdf(tickets: list[Ticket]) -> bytes:
    """One PDF with a page per ticket (one candidate's ticket, or a whole exam area's)."""
    font = cjk_font()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle("准考证")
    c.setAuthor("kaowu")
    # The rules move down with the number of courses: one shared form per layout height.
    forms: set[str] = set()
    for ticket in tickets:
        rules_top = round(_rules_top(ticket) / mm)
        name = f"static{rules_top}"
        if name not in forms:
            c.beginForm(name)
            _draw_static(c, ticket, font)
            _draw_rules(c, ticket, font, rules_top * mm)
            c.endForm()
            forms.add(name)
        c.doForm(name)
        _draw_ticket(c, ticket, font)
        c.showPage()
    c.save()
    return out.getvalue()


def ticket_pdf(ticket: Ticket) -> bytes:
    return tickets_pdf([ticket])
