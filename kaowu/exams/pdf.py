"""Printed 考场名单 (room list: one line per seat, with a column for the candidate's signature) and
门贴 (door list: posted at the room's door, seats and 准考证号 in large print), as PDF with ReportLab.

The Chinese font is embedded: WenQuanYi Zen Hei from Debian's `fonts-wqy-zenhei` package (installed
by scripts/test.sh and the deployment's image). ID numbers are printed masked; names appear in full
only on the room list the invigilators keep, masked on the door list posted in the corridor."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext

from kaowu.core.dates import cn_date
from kaowu.core.masking import mask_id_number, mask_name
from kaowu.core.pdf import PdfError as PdfError  # raised when the server lacks the font; views catch it
from kaowu.core.pdf import cjk_font, paragraph


@dataclass
class RoomPage:
    """One room in one session, with its seats (SeatAssignment rows from `selectors.room_seats`)."""

    sitting_name: str
    session_label: str
    site_label: str
    site_address: str
    room_number: str
    capacity: int
    seats: list


def session_label(session) -> str:
    return f"{cn_date(session.date)} {session.get_half_day_display()} " \
           f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"


def _seat_rows(page: RoomPage) -> list[tuple]:
    rows = []
    for seat in page.seats:
        course = seat.registered_course.course
        number = seat.registered_course.registration.exam_number
        user = number.candidate.user
        rows.append((str(seat.seat), number.number, user.real_name, mask_id_number(user.id_number),
                     f"{course.code} {course.name}"))
    return rows


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=6),
        "big": ParagraphStyle("big", fontName=font, fontSize=28, leading=36, alignment=1, spaceAfter=4),
        "line": ParagraphStyle("line", fontName=font, fontSize=11, leading=16),
        "centre": ParagraphStyle("centre", fontName=font, fontSize=13, leading=18, alignment=1),
    }


def room_lists_pdf(pages: list[RoomPage]) -> bytes:
    """考场名单: a page (or more) per room, seat by seat, with a signature column."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Table, TableStyle

    styles, font = _styles(), cjk_font()
    story = []
    for index, page in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.append(paragraph(gettext("考场名单"), styles["title"]))
        story.append(paragraph(f"{page.sitting_name}　{page.session_label}", styles["line"]))
        story.append(paragraph(gettext("考点：%(site)s（%(address)s）　第 %(room)s 考场　座位数 %(capacity)s") % {
            "site": page.site_label, "address": page.site_address, "room": page.room_number,
            "capacity": page.capacity}, styles["line"]))
        header = [gettext("座位号"), gettext("准考证号"), gettext("姓名"), gettext("身份证号"), gettext("课程"),
                  gettext("考生签名")]
        data = [header] + [(*row, "") for row in _seat_rows(page)]
        table = Table(data, colWidths=[14 * mm, 32 * mm, 22 * mm, 40 * mm, 48 * mm, 24 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), font, 9),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (0, -1), "CENTER"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
            ("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
        ]))
        story.append(table)
        story.append(paragraph(gettext("实到人数：＿＿＿＿　缺考人数：＿＿＿＿　监考员签名：＿＿＿＿＿＿＿＿"), styles["line"]))
    return _build(story, pagesize=A4, title=gettext("考场名单"))


def door_lists_pdf(pages: list[RoomPage]) -> bytes:
    """门贴: posted at the door — room, session, courses in large print, then seat → 准考证号 (name masked)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

    styles, font = _styles(), cjk_font()
    story = []
    for index, page in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.append(paragraph(gettext("第 %(room)s 考场") % {"room": page.room_number}, styles["big"]))
        story.append(paragraph(page.site_label, styles["centre"]))
        story.append(paragraph(f"{page.sitting_name}　{page.session_label}", styles["centre"]))
        courses = sorted({f"{s.registered_course.course.code} {s.registered_course.course.name}" for s in page.seats})
        if courses:
            story.append(paragraph(gettext("考试课程：") + "、".join(courses), styles["centre"]))
        story.append(Spacer(1, 6 * mm))
        # Posted in the corridor: names masked (王**), the 准考证号 is what candidates look for.
        cells = [f"{seat}　{number}　{mask_name(name)}" for seat, number, name, _, _ in _seat_rows(page)]
        columns = 3
        grid = [cells[i:i + columns] + [""] * (columns - len(cells[i:i + columns]))
                for i in range(0, len(cells), columns)] or [[gettext("本场次无考生")] + [""] * (columns - 1)]
        table = Table(grid, colWidths=[60 * mm] * columns)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), font, 10),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        story.append(table)
    return _build(story, pagesize=A4, title=gettext("门贴"))


def _build(story: list, *, pagesize, title: str) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=pagesize, title=title, leftMargin=12 * mm, rightMargin=12 * mm,
                                 topMargin=14 * mm, bottomMargin=14 * mm)
    document.build(story)
    return buffer.getvalue()
