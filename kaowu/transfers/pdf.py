"""转出登记表 (考籍转出登记表) as PDF (seed 003: 下载转考(转出)登记表): the candidate's profile, the
destination, the courses transferred, the candidate's hand-drawn signature (扫码签字) and the
reviewers' decisions with their dates. A4 portrait, ReportLab flowables with the embedded CJK font.
Everything comes from the application's current version and its history, so the form is the same
each time it is drawn."""

import io

from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from kaowu.core.dates import cn_datetime
from kaowu.core.form_styles import HEAD, LINE, form_styles
from kaowu.core.pdf import cjk_font, paragraph
from kaowu.organization.selectors import home_province


def _grid(rows, widths, font, *, header=False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
             ("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    else:
        style += [("BACKGROUND", (0, 0), (0, -1), HEAD), ("BACKGROUND", (2, 0), (2, -1), HEAD)]
    table.setStyle(TableStyle(style))
    return table


def _signature_image(application):
    from .services import transfer_out_signature

    signature = transfer_out_signature(application)
    if signature is None or not signature.image:
        return None, None
    try:
        with signature.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return None, signature
    image = Image(io.BytesIO(data))
    ratio = image.imageHeight / float(image.imageWidth or 1)
    image.drawWidth = 50 * mm
    image.drawHeight = 50 * mm * ratio
    if image.drawHeight > 25 * mm:
        image.drawHeight, image.drawWidth = 25 * mm, 25 * mm / ratio
    return image, signature


def transfer_out_form_pdf(application) -> bytes:
    font = cjk_font()
    s = form_styles(font)
    data = application.data
    profile = data.get("profile", {})
    province = home_province()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=gettext("考籍转出登记表"), author=province.authority_name
                            if province else "")
    width = A4[0] - 32 * mm

    def p(text, style="cell"):
        return paragraph("—" if text is None or text == "" else text, s[style])

    story = [
        paragraph(gettext("%(province)s高等教育自学考试考籍转出登记表") % {
            "province": province.name if province else ""}, s["title"]),
        paragraph(gettext("申请编号：%(number)s　状态：%(status)s　打印时间：%(now)s") % {
            "number": application.number, "status": application.status_label,
            "now": cn_datetime(timezone.now())}, s["sub"]),
        paragraph(gettext("一、考生信息"), s["h"]),
    ]
    col = [24 * mm, width / 2 - 24 * mm, 24 * mm, width / 2 - 24 * mm]
    story.append(_grid([
        [p(gettext("姓名")), p(profile.get("name")), p(gettext("身份证号")), p(profile.get("id_number_masked"))],
        [p(gettext("准考证号")), p(profile.get("exam_number")), p(gettext("考区")), p(profile.get("exam_area"))],
        [p(gettext("专业")), p(profile.get("major")), p(gettext("转出省份")), p(province.name if province else "")],
    ], col, font))
    story.append(paragraph(gettext("二、转入地信息"), s["h"]))
    story.append(_grid([
        [p(gettext("转入省份")), p(data.get("to_province_name")), p(gettext("接收机构")),
         p(data.get("receiving_authority"))],
        [p(gettext("邮寄地址")), p(data.get("mailing_address")), p(gettext("邮政编码")), p(data.get("postcode"))],
        [p(gettext("联系电话")), p(data.get("contact_phone")), p(gettext("转考方式")),
         p(gettext("电子转考（两省均使用本平台）") if data.get("to_province_runs_kaowu") else gettext("寄送纸质档案"))],
    ], col, font))
    courses = data.get("courses", [])
    story.append(paragraph(gettext("三、转出课程（%(count)s门，共%(credits)s学分）") % {
        "count": len(courses), "credits": data.get("credits_total", 0)}, s["h"]))
    rows = [[p(h) for h in (gettext("序号"), gettext("课程代码"), gettext("课程名称"), gettext("学分"),
                            gettext("成绩"), gettext("考期"), gettext("取得方式"))]]
    rows += [[p(i), p(c.get("code")), p(c.get("name")), p(c.get("credits")), p(c.get("score") or "—"),
              p(c.get("sitting") or "—"), p(c.get("source"))] for i, c in enumerate(courses, start=1)]
    story.append(_grid(rows, [12 * mm, 22 * mm, width - 12 * mm - 22 * mm - 14 * mm - 16 * mm - 28 * mm - 24 * mm,
                              14 * mm, 16 * mm, 28 * mm, 24 * mm], font, header=True))

    story.append(paragraph(gettext("四、考生签字"), s["h"]))
    image, signature = _signature_image(application)
    if image is not None:
        story.append(_grid([[p(gettext("考生签字")), image, p(gettext("签字时间")),
                             p(cn_datetime(signature.signed_at))]], col, font))
    else:
        story.append(paragraph(gettext("尚未扫码签字（签字后提交审核）。"), s["small"]))

    story.append(paragraph(gettext("五、审核意见"), s["h"]))
    decisions = [t for t in application.transitions.select_related("actor_office").order_by("created_at", "id")
                 if t.actor_office_id is not None]
    if decisions:
        rows = [[p(h) for h in (gettext("审核机构"), gettext("审核环节"), gettext("结果"), gettext("意见"),
                                gettext("日期"))]]
        for t in decisions:
            result = gettext("审核通过") if t.to_status == "reviewing" else t.to_label
            rows.append([p(t.actor_office.name), p(t.step_label or "—"), p(result), p(gettext(t.comment) if t.comment else "—"),
                         p(timezone.localtime(t.created_at).strftime("%Y-%m-%d"))])
        story.append(_grid(rows, [44 * mm, 32 * mm, 22 * mm, width - 44 * mm - 32 * mm - 22 * mm - 26 * mm, 26 * mm],
                           font, header=True))
    else:
        story.append(paragraph(gettext("尚未审核。"), s["small"]))
    story += [Spacer(1, 6 * mm), paragraph(gettext(
        "说明：本表由考生服务平台生成，转出课程以考籍记录为准。未按转入地要求办理转入或现场确认的，视同放弃转考申请。"), s["small"])]
    doc.build(story)
    return buffer.getvalue()


def _transfer_in_signature_image(transfer):
    signature = transfer.signature
    if signature is None or not signature.image:
        return None
    try:
        with signature.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return None
    image = Image(io.BytesIO(data))
    ratio = image.imageHeight / float(image.imageWidth or 1)
    image.drawWidth, image.drawHeight = 50 * mm, 50 * mm * ratio
    if image.drawHeight > 25 * mm:
        image.drawHeight, image.drawWidth = 25 * mm, 25 * mm / ratio
    return image


def transfer_in_form_pdf(transfer) -> bytes:
    """转入登记表 (seed 003: 下载转考(转入)登记表): the person, where the 考籍 comes from, every
    transferred course (with how it joined the record once it did), the candidate's 扫码签字 and the
    history. The ID number is masked, as on the candidate's pages."""
    from kaowu.core.masking import mask_id_number

    from .incoming import score_text

    font = cjk_font()
    s = form_styles(font)
    province = home_province()
    profile = transfer.profile or {}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=gettext("考籍转入登记表"),
                            author=province.authority_name if province else "")
    width = A4[0] - 32 * mm

    def p(text, style="cell"):
        return paragraph("—" if text is None or text == "" else text, s[style])

    story = [
        paragraph(gettext("%(province)s高等教育自学考试考籍转入登记表") % {
            "province": province.name if province else ""}, s["title"]),
        paragraph(gettext("转入编号：%(number)s　状态：%(status)s　打印时间：%(now)s") % {
            "number": transfer.number, "status": transfer.get_status_display(),
            "now": cn_datetime(timezone.now())}, s["sub"]),
        paragraph(gettext("一、考生信息"), s["h"]),
    ]
    col = [24 * mm, width / 2 - 24 * mm, 24 * mm, width / 2 - 24 * mm]
    story.append(_grid([
        [p(gettext("姓名")), p(transfer.name), p(gettext("身份证号")), p(mask_id_number(transfer.id_number))],
        [p(gettext("原准考证号")), p(profile.get("exam_number")), p(gettext("原考区")), p(profile.get("exam_area"))],
        [p(gettext("原报考专业")), p(profile.get("major")), p(gettext("转入省份")), p(province.name if province else "")],
    ], col, font))
    story.append(paragraph(gettext("二、转出地信息"), s["h"]))
    story.append(_grid([
        [p(gettext("转出省份")), p(transfer.from_province.name), p(gettext("转出机构")),
         p(transfer.from_province.authority_name)],
        [p(gettext("转出申请编号")), p(transfer.source_number), p(gettext("转入方式")), p(transfer.get_method_display())],
    ], col, font))
    courses = list(transfer.courses.all())
    story.append(paragraph(gettext("三、转入课程（%(count)s门，共%(credits)s学分）") % {
        "count": len(courses), "credits": sum(c.credits or 0 for c in courses)}, s["h"]))
    rows = [[p(h) for h in (gettext("序号"), gettext("课程代码"), gettext("课程名称"), gettext("学分"),
                            gettext("成绩"), gettext("考期"), gettext("记入结果"))]]
    rows += [[p(i), p(c.code), p(c.name), p(c.credits), p(score_text(c.score) or "—"), p(c.sitting or "—"),
              p(c.get_outcome_display() if c.outcome else gettext("待记入"))] for i, c in enumerate(courses, start=1)]
    story.append(_grid(rows, [12 * mm, 22 * mm, width - 12 * mm - 22 * mm - 14 * mm - 16 * mm - 28 * mm - 30 * mm,
                              14 * mm, 16 * mm, 28 * mm, 30 * mm], font, header=True))
    story.append(paragraph(gettext("四、考生确认"), s["h"]))
    image = _transfer_in_signature_image(transfer)
    if image is not None:
        story.append(_grid([[p(gettext("考生签字")), image, p(gettext("确认时间")),
                             p(cn_datetime(transfer.confirmed_at))]], col, font))
    else:
        story.append(paragraph(gettext("尚未确认转入（考生扫码签字后确认）。"), s["small"]))
    story.append(paragraph(gettext("五、办理记录"), s["h"]))
    rows = [[p(h) for h in (gettext("状态"), gettext("办理机构"), gettext("说明"), gettext("时间"))]]
    for t in transfer.transitions.select_related("actor_office"):
        rows.append([p(t.to_label), p(t.actor_office.name if t.actor_office_id else gettext("考生本人")
                                      if t.actor_id else gettext("系统")),
                     p(gettext(t.comment) if t.comment else "—"), p(cn_datetime(t.created_at))])
    story.append(_grid(rows, [22 * mm, 50 * mm, width - 22 * mm - 50 * mm - 36 * mm, 36 * mm], font, header=True))
    story += [Spacer(1, 6 * mm), paragraph(gettext(
        "说明：本表由考生服务平台生成。转入成绩以转出省份考籍记录为准，本省课程目录中没有的课程不记入考籍。"), s["small"])]
    doc.build(story)
    return buffer.getvalue()
