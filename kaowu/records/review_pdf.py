"""《成绩复核申请表》 as PDF (seed 002: 领取并填写《高等教育自学考试成绩复核申请表》，经考区确认盖章后上传):
the candidate's data, the course and score to re-check and the reason as submitted, with the boxes
the candidate signs and the exam area stamps, and the province authority's result once recorded.
A4 portrait, ReportLab flowables with the embedded CJK font (as `kaowu.transfers.pdf`)."""

import io

from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kaowu.core.dates import cn_datetime
from kaowu.core.form_styles import HEAD, LINE, form_styles
from kaowu.core.masking import mask_id_number
from kaowu.core.pdf import cjk_font, paragraph
from kaowu.organization.selectors import home_province

from . import review


def _grid(rows, widths) -> Table:
    """Label | value | label | value rows, the labels shaded."""
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (0, -1), HEAD), ("BACKGROUND", (2, 0), (2, -1), HEAD)]))
    return table


def score_review_form_pdf(application) -> bytes:
    font = cjk_font()
    s = form_styles(font, cell_size=9.5, cell_leading=13)
    data = application.data
    user = application.candidate.user
    province = home_province()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=gettext("成绩复核申请表"),
                            author=province.authority_name if province else "")
    width = A4[0] - 32 * mm

    def p(text, style="cell"):
        return paragraph("—" if text is None or text == "" else text, s[style])

    deadline = review.deadline_of(application)
    story = [
        paragraph(gettext("%(province)s高等教育自学考试成绩复核申请表") % {
            "province": province.name if province else ""}, s["title"]),
        paragraph(gettext("申请编号：%(number)s　提交时间：%(at)s　打印时间：%(now)s") % {
            "number": application.number, "at": cn_datetime(application.submitted_at) if application.submitted_at
            else "—", "now": cn_datetime(timezone.now())}, s["sub"]),
        paragraph(gettext("一、考生信息"), s["h"]),
    ]
    col = [24 * mm, width / 2 - 24 * mm, 24 * mm, width / 2 - 24 * mm]
    exam_area = application.exam_number.exam_area.name if application.exam_number_id else ""
    story.append(_grid([
        [p(gettext("姓名")), p(user.real_name), p(gettext("身份证号")), p(mask_id_number(user.id_number))],
        [p(gettext("准考证号")), p(data.get("exam_number")), p(gettext("报考考区")), p(exam_area)],
        [p(gettext("联系电话")), p(user.phone), p(gettext("考期")), p(data.get("sitting_name"))],
    ], col))
    story.append(paragraph(gettext("二、复核课程及原因"), s["h"]))
    story.append(_grid([
        [p(gettext("课程代码")), p(data.get("course_code")), p(gettext("课程名称")), p(data.get("course_name"))],
        [p(gettext("公布成绩")), p(data.get("score")), p(gettext("上传截止")), p(cn_datetime(deadline) if deadline else "—")],
    ], col))
    reason = Table([[p(gettext("复核原因")), p(data.get("reason"))]], colWidths=[24 * mm, width - 24 * mm])
    reason.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("BACKGROUND", (0, 0), (0, -1), HEAD), ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    story.append(reason)

    story.append(paragraph(gettext("三、考生签名及考区确认"), s["h"]))
    boxes = Table([[p(gettext("考生签名：\n\n\n日期：　　年　　月　　日")),
                    p(gettext("考区意见（盖章）：\n\n\n经办人：　　　　日期：　　年　　月　　日"))]],
                  colWidths=[width / 2, width / 2], rowHeights=[36 * mm])
    boxes.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story.append(boxes)

    story.append(paragraph(gettext("四、复核结果"), s["h"]))
    result = getattr(application, "score_review_result", None)
    if result is not None:
        outcome = (gettext("成绩有变化：原成绩 %(old)s 分，复核后 %(new)s 分") % {
            "old": review.score_text(result.old_score), "new": review.score_text(result.new_score)}
            if result.changed else gettext("成绩无变化（%(old)s 分）") % {"old": review.score_text(result.old_score)})
        story.append(_grid([[p(gettext("复核结果")), p(outcome), p(gettext("复核机构")), p(result.office.name)],
                            [p(gettext("复核说明")), p(result.note), p(gettext("登记时间")),
                             p(cn_datetime(result.created_at))]], col))
    else:
        story.append(paragraph(gettext("由省级考试机构复核后填写。"), s["small"]))
    story += [Spacer(1, 6 * mm), paragraph(gettext(
        "说明：请考生打印本表并签名，到报考考区确认盖章后，在上传截止时间前拍照或扫描上传至考生服务平台；"
        "逾期未上传的，申请失效。考生未按规定方式或不在规定时间内提出的申请均不予受理。复核结果请在考生服务平台查看，"
        "并前往考区领取成绩复核告知单。"), s["small"])]
    doc.build(story)
    return buffer.getvalue()
