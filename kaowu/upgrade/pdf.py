"""表格下载 (seed 004 §2.8.7): 《报名信息登记表》, 《体检表》 and 《录取加分登记表》 as PDF, laid out as the
seed's samples, with the CJK font embedded (ReportLab tables)."""

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from kaowu.core.dates import cn_date
from kaowu.core.pdf import cjk_font, markup, paragraph
from kaowu.organization.selectors import home_province

from .models import UpgradeRegistration


def _styles():
    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=15, leading=20, alignment=1, spaceAfter=4 * mm),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=10, leading=14, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=10, leading=13, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12, wordWrap="CJK"),
    }


def _table(rows, widths, styles, spans=()):
    cell = styles["cell"]
    data = [[v if isinstance(v, Flowable) else paragraph(v, cell) for v in row] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths])
    commands = [("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#4b5563")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    commands += [("SPAN", a, b) for a, b in spans]
    table.setStyle(TableStyle(commands))
    return table


def _doc(story) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title="专升本", author="kaowu").build(story)
    return out.getvalue()


def _year() -> int:
    return timezone.localdate().year


def _province() -> str:
    province = home_province()
    return province.name if province else ""


def _birth(user) -> str:
    number = user.id_number or ""
    return f"{number[6:10]}年{number[10:12]}月{number[12:14]}日" if len(number) == 18 else ""


def registration_form_pdf(registration: UpgradeRegistration) -> bytes:
    """《报名信息登记表》 (seed 004 图 2.8.7.2)."""
    styles, user = _styles(), registration.user
    header = markup("考生号：%(number)s　　考生类别：%(type)s<br/>报名点：%(point)s　　报考专业(类别)：%(category)s",
                    number=user.candidate_number or "—", type=registration.get_candidate_type_display(),
                    point=registration.registration_point.name if registration.registration_point else "—",
                    category=registration.get_category_display())
    rows = [
        ["姓名", user.real_name, "身份证号", user.id_number, "", ""],
        ["性别", registration.get_gender_display(), "政治面貌", registration.political_status, "民族", registration.nation],
        ["出生日期", _birth(user), "手机号码", registration.phone, "", ""],
        ["毕业院校名称", registration.school, "专科所学专业", registration.junior_major, "", ""],
        ["户口性质", "农村" if registration.rural else "城镇", "测试主项", registration.get_music_test_display() or "—",
         "", ""],
        ["网上支付状态", "已支付" if registration.paid_at else "未支付", "报考资格审核", registration.get_qualification_display(),
         "", ""],
        ["获奖情况", "申请加分" if registration.award_claim else "无", "建档立卡贫困家庭", "是" if registration.poverty_claim else "否",
         "", ""],
        ["收件人", registration.recipient, "户籍信息", registration.household, "", ""],
        ["邮政编码", registration.postcode, "收件人手机号码", registration.recipient_phone, "", ""],
        ["通知书邮寄地址", registration.mail_address, "", "", "", ""],
    ]
    spans = [((3, r), (5, r)) for r in (0, 2, 3, 4, 5, 6, 7, 8)] + [((1, 9), (5, 9))]
    resume = [["个人简历", "", "", "", "", ""], ["起止年月", "学习或工作单位", "", "", "职务或身份", ""]]
    resume += [[f"{r.start} — {r.end or '至今'}", r.organization, "", "", r.role or "—", ""]
               for r in registration.resume.all()]
    resume_spans = [((0, 0), (5, 0))] + [((1, i), (3, i)) for i in range(1, len(resume))] + \
                   [((4, i), (5, i)) for i in range(1, len(resume))]
    story = [paragraph(f"{_province()}{_year()}年普通高校专升本选拔考试考生报名登记表", styles["title"]),
             paragraph(header, styles["meta"]), Spacer(1, 3 * mm),
             _table(rows, [26, 34, 28, 30, 20, 42], styles, spans), Spacer(1, 4 * mm),
             _table(resume, [38, 40, 30, 22, 20, 30], styles, resume_spans), Spacer(1, 6 * mm),
             paragraph("考生签名：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日", styles["meta"]),
             Spacer(1, 2 * mm),
             paragraph(f"打印日期：{cn_date(timezone.localdate())}。本表由考生本人核对签名后交报名点。", styles["small"])]
    return _doc(story)


def medical_form_pdf(registration: UpgradeRegistration) -> bytes:
    """《体检表》: the candidate's particulars, the examination fields left blank for the hospital."""
    styles, user = _styles(), registration.user
    rows = [["考生号", user.candidate_number or "—", "姓名", user.real_name],
            ["性别", registration.get_gender_display(), "出生日期", _birth(user)],
            ["身份证号", user.id_number, "报考专业类别", registration.get_category_display()],
            ["身高（cm）", "", "体重（kg）", ""], ["视力（左/右）", "", "色觉", ""],
            ["血压（mmHg）", "", "心率（次/分）", ""], ["内科", "", "外科", ""],
            ["耳鼻喉科", "", "口腔科", ""], ["胸部X线", "", "肝功能", ""],
            ["体检结论", "", "", ""], ["体检医院（盖章）", "", "主检医师签名", ""]]
    story = [paragraph(f"{_province()}{_year()}年普通高校专升本选拔考试考生体检表", styles["title"]),
             _table(rows, [36, 54, 36, 54], styles, [((1, 9), (3, 9))]), Spacer(1, 4 * mm),
             paragraph("请考生持本表到指定医院体检，体检结论由主检医师填写并加盖医院公章。", styles["small"])]
    return _doc(story)


def bonus_form_pdf(registration: UpgradeRegistration) -> bytes:
    """《录取加分登记表》 (seed 004 图 2.8.7.3)."""
    styles, user = _styles(), registration.user
    point = registration.registration_point.name if registration.registration_point else "—"
    rows = [["姓名", user.real_name, "性别", registration.get_gender_display()],
            ["身份证号", user.id_number, "出生日期", _birth(user)],
            ["毕业院校", registration.school, "所学专业", registration.junior_major],
            ["获奖情况", "见所附获奖证书" if registration.award_claim else "无", "", ""],
            ["学校意见", paragraph(markup("（公章）<br/>校长签名：＿＿＿＿＿　　年　　月　　日"), styles["cell"]), "", ""],
            ["省级招生考试机构审查意见", paragraph(markup("（公章）<br/>审查人签名：＿＿＿＿＿　　年　　月　　日"), styles["cell"]), "", ""]]
    note = ("1. 专科学习期间获得规定奖励的考生，确认时须交验获奖证书并填写此表："
            "在“互联网+”大学生创新创业大赛获得国家三等奖或省级一等奖，在数学建模竞赛、电子设计竞赛、广告艺术大赛、"
            "职业院校技能大赛（高职组）获得国家二、三等奖或省级一等奖。以上赛事学生如以团队参赛，个人须在团队中排名前五。")
    story = [paragraph(f"{_province()}{_year()}年普通高校专升本选拔考试录取加分登记表", styles["title"]),
             paragraph(f"报名点：{point}　　考生号：{user.candidate_number or '—'}", styles["meta"]), Spacer(1, 3 * mm),
             _table(rows, [40, 60, 30, 50], styles, [((1, 3), (3, 3)), ((1, 4), (3, 4)), ((1, 5), (3, 5))]),
             Spacer(1, 4 * mm), paragraph(note, styles["small"])]
    return _doc(story)


def _id_photo_bytes(user) -> bytes | None:
    """The 证件照 of the candidate's passed identity verification (身份认证), or None."""
    from kaowu.documents.selectors import id_photo

    photo = id_photo(user)
    if photo is None:
        return None
    try:
        with photo.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError, OSError):
        return None


def admission_ticket_pdf(registration: UpgradeRegistration) -> bytes:
    """《考生准考证》 (seed 004 §2.8.7, after the 诚信考试承诺书): 证件照, 考生号, name, masked ID number,
    registration point, category and its subjects; the exam site and time are announced by the
    registration point (the system arranges no 专升本 rooms), so the ticket says so."""
    from reportlab.platypus import Image

    from kaowu.core.masking import mask_id_number

    styles, user = _styles(), registration.user
    photo_bytes = _id_photo_bytes(user)
    if photo_bytes:
        try:
            photo = Image(io.BytesIO(photo_bytes), width=30 * mm, height=40 * mm)
        except Exception:  # noqa: BLE001 — an unreadable photo prints the 贴照片处 box instead
            photo = paragraph("贴照片处", styles["cell"])
    else:
        photo = paragraph("贴照片处", styles["cell"])
    point = registration.registration_point.name if registration.registration_point else "—"
    rows = [["考生号", user.candidate_number or "—", photo],
            ["姓名", user.real_name, ""],
            ["身份证号", mask_id_number(user.id_number), ""],
            ["性别", registration.get_gender_display() or "—", ""],
            ["报考专业类别", registration.get_category_display() or "—", ""],
            ["报名点", point, ""],
            ["考试科目", "专业综合课、外语", ""],
            ["考点、考场及考试时间", "以报名点和省级考试机构公布的考试安排为准", ""]]
    table = _table(rows, [40, 100, 40], styles, spans=[((2, 0), (2, 5))])
    table.setStyle(TableStyle([("ALIGN", (2, 0), (2, 5), "CENTER"), ("SPAN", (1, 6), (2, 6)),
                               ("SPAN", (1, 7), (2, 7))]))
    rules = ["1. 考生凭本准考证和本人有效居民身份证参加考试，二证缺一不得入场。",
             "2. 考生须按规定时间入场，开考后15分钟禁止入场。",
             "3. 考生须诚信应考，服从考试工作人员管理；违规者按《国家教育考试违规处理办法》处理。",
             "4. 本准考证须妥善保管，录取报到时可能需要查验。"]
    story = [paragraph(f"{_province()}{_year()}年普通高校专升本选拔考试考生准考证", styles["title"]),
             table, Spacer(1, 5 * mm), paragraph("考生须知", styles["meta"]), Spacer(1, 1 * mm)]
    story += [paragraph(line, styles["small"]) for line in rules]
    story += [Spacer(1, 4 * mm),
              paragraph(f"本人已阅读并签署诚信考试承诺书。打印日期：{cn_date(timezone.localdate())}", styles["small"])]
    return _doc(story)
