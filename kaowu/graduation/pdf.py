"""毕业生登记表 as PDF (seed 003: 【下载毕业生登记表】): the person with the 证件照 of his identity
verification (as on the 准考证), the 毕业专业, what he filled in (工作单位, 通讯地址, 邮编, 联系电话, 个人简历,
自我鉴定), the 学历认证 result, the courses that complete the plan with their credits, and the reviewers'
decisions. A4 portrait through kaowu/core/pdf.py (the embedded WenQuanYi font; every value drawn as
literal text by `paragraph`). Once he graduated it shows the 毕业证书编号 and the frozen 考籍."""

import io

from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from kaowu.core.dates import cn_date, cn_datetime
from kaowu.core.form_styles import HEAD, LINE, form_styles
from kaowu.core.pdf import cjk_font, paragraph
from kaowu.organization.selectors import home_province

from .application import AWAITING_CONFIRMATION, course_rows, degree_text, is_bachelor, profile_of
from .selectors import id_photo_bytes

PHOTO_W, PHOTO_H = 26 * mm, 35 * mm


def _grid(rows, widths, font, *, header=False, spans=(), label_columns=(0, 2)) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
             ("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    else:
        style += [("BACKGROUND", (c, 0), (c, -1), HEAD) for c in label_columns]
    style += [("SPAN", start, end) for start, end in spans]
    table.setStyle(TableStyle(style))
    return table


def _photo(user, p):
    data = id_photo_bytes(user)
    if data:
        try:
            return Image(io.BytesIO(data), width=PHOTO_W - 2 * mm, height=PHOTO_H - 2 * mm)
        except Exception:  # noqa: BLE001 — an unreadable photo prints the 贴照片处 box instead
            pass
    return p(gettext("贴照片处"))


def registration_form_pdf(application) -> bytes:
    font = cjk_font()
    s = form_styles(font)
    data = application.data
    register = data.get("register") or {}
    profile = profile_of(application)
    graduate = getattr(application, "graduate", None) if application.status == "approved" else None
    province = home_province()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=gettext("毕业生登记表"),
                            author=province.authority_name if province else "")
    width = A4[0] - 32 * mm

    def p(text, style="cell"):
        return paragraph("—" if text is None or text == "" else text, s[style])

    story = [
        paragraph(gettext("%(province)s高等教育自学考试毕业生登记表") % {"province": province.name if province else ""},
                  s["title"]),
        paragraph(gettext("申请编号：%(number)s　状态：%(status)s　打印时间：%(now)s") % {
            "number": application.number, "status": application.status_label, "now": cn_datetime(timezone.now())},
            s["sub"]),
        paragraph(gettext("一、考生信息"), s["h"]),
    ]
    label, value = 22 * mm, (width - 2 * 22 * mm - PHOTO_W) / 2
    story.append(_grid([
        [p(gettext("姓名")), p(profile["name"]), p(gettext("性别")), p(profile["gender"]),
         _photo(application.candidate.user, p)],
        [p(gettext("出生日期")), p(profile["birth"]), p(gettext("民族")), p(profile["nation"]), ""],
        [p(gettext("身份证号")), p(profile["id_number_masked"]), p(gettext("准考证号")), p(profile["exam_number"]), ""],
        [p(gettext("毕业专业")), p(f"{data.get('major', '')} {data.get('major_name', '')}"), p(gettext("层次")),
         p(data.get("level_label")), ""],
        [p(gettext("主考学校")), p(data.get("university")), p(gettext("毕业证书编号")),
         p(graduate.certificate_number if graduate else gettext("确认毕业后颁发")), ""],
    ], [label, value, label, value, PHOTO_W], font, spans=[((4, 0), (4, 4))]))
    story.append(paragraph(gettext("二、联系方式"), s["h"]))
    story.append(_grid([
        [p(gettext("工作单位")), p(register.get("work_unit")), p(gettext("联系电话")), p(register.get("phone"))],
        [p(gettext("通讯地址")), p(register.get("address")), p(gettext("邮编")), p(register.get("postcode"))],
    ], [label, width / 2 - label, label, width / 2 - label], font))
    story.append(paragraph(gettext("三、个人简历"), s["h"]))
    rows = [[p(h) for h in (gettext("起止年月"), gettext("学习或工作单位"), gettext("职务（身份）"))]]
    rows += [[p(r.get("period")), p(r.get("unit")), p(r.get("role"))] for r in register.get("resume") or []]
    story.append(_grid(rows, [36 * mm, width - 36 * mm - 36 * mm, 36 * mm], font, header=True))
    section = 4
    if is_bachelor(data):
        material = application.current_version.attachments.filter(kind="degree_material").exists() \
            if application.current_version_id else False
        story.append(paragraph(gettext("四、学历认证"), s["h"]))
        story.append(paragraph(degree_text(data.get("degree"), material=material), s["cell"]))
        section = 5
    courses, credits = course_rows(application)
    story.append(paragraph(gettext("%(n)s、合格课程（%(count)s门，共%(credits)s学分）") % {
        "n": "四五六"[section - 4], "count": len(courses), "credits": credits}, s["h"]))
    rows = [[p(h) for h in (gettext("序号"), gettext("课程代码"), gettext("课程名称"), gettext("学分"),
                            gettext("成绩"), gettext("取得方式"), gettext("考期"))]]
    rows += [[p(i), p(c.get("course")), p(c.get("name")), p(c.get("credits")), p(c.get("score")),
              p(c.get("source")), p(c.get("sitting"))] for i, c in enumerate(courses, start=1)]
    story.append(_grid(rows, [11 * mm, 18 * mm, width - 11 * mm - 18 * mm - 12 * mm - 14 * mm - 26 * mm - 26 * mm,
                              12 * mm, 14 * mm, 26 * mm, 26 * mm], font, header=True))
    story.append(paragraph(gettext("%(n)s、自我鉴定") % {"n": "五六七"[section - 4]}, s["h"]))
    story.append(paragraph(register.get("self_assessment") or "—", s["cell"]))
    story.append(paragraph(gettext("%(n)s、审核意见") % {"n": "六七八"[section - 4]}, s["h"]))
    decisions = [t for t in application.transitions.select_related("actor_office").order_by("created_at", "id")
                 if t.actor_office_id is not None]
    if decisions:
        rows = [[p(h) for h in (gettext("审核机构"), gettext("审核环节"), gettext("结果"), gettext("意见"), gettext("日期"))]]
        for t in decisions:
            result = gettext("审核通过") if t.to_status in ("reviewing", AWAITING_CONFIRMATION) else t.to_label
            rows.append([p(t.actor_office.name), p(t.step_label), p(result), p(gettext(t.comment) if t.comment else ""),
                         p(cn_date(timezone.localtime(t.created_at).date()))])
        story.append(_grid(rows, [42 * mm, 30 * mm, 22 * mm, width - 42 * mm - 30 * mm - 22 * mm - 30 * mm, 30 * mm],
                           font, header=True))
    else:
        story.append(paragraph(gettext("尚未审核。"), s["small"]))
    if graduate:
        story.append(paragraph(gettext("毕业日期：%(date)s　毕业证书编号：%(number)s") % {
            "date": cn_date(graduate.graduated_on), "number": graduate.certificate_number}, s["h"]))
    story += [Spacer(1, 5 * mm), paragraph(gettext(
        "说明：本表由考生服务平台生成，课程及成绩以考籍记录为准。考生应认真核对本表信息，无误后在规定时间内完成网上确认；"
        "信息有误的，请修改后重新提交毕业申请。"), s["small"])]
    doc.build(story)
    return buffer.getvalue()
