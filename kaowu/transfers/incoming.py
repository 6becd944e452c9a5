"""考籍转入 (seeds 000, 003): the flow and the text the candidate signs.

    待确认 ──确认转入 (扫码签字, the candidate)──▶ 已确认 ──接收档案 (province authority)──▶ 已接收

- 纸质档案: staff enter the transfer from the paper 转出登记表 (录入纸质转入档案); the candidate confirms;
  the province authority records the receipt of the paper archive (date, note) and the scores join
  the record then.
- 电子转入: staff import the verified package of a province that runs kaowu; the package IS the
  archive, so when the candidate confirms, the transfer moves on to 已接收 by itself (a second
  history row, by the platform) and the scores join the record at once.

- 作废: the province authority voids a transfer still 待确认 (a paper entry typed wrongly, a package
  imported by mistake), with the reason; it can then be entered or imported again. Nothing joined the
  record yet, so nothing is undone.

No other move is allowed (a confirmed transfer is not confirmed again, a pending one is not received,
nothing leaves 已接收).
"""

from decimal import Decimal

from django.utils.translation import gettext

from kaowu.core.masking import mask_id_number
from kaowu.core.state import StateMachine

from .models import IncomingTransfer

Status = IncomingTransfer.Status

FLOW = StateMachine({
    Status.PENDING: {Status.CONFIRMED, Status.VOIDED},
    Status.CONFIRMED: {Status.RECEIVED},
})
BADGES = {Status.PENDING: "warning", Status.CONFIRMED: "info", Status.RECEIVED: "success", Status.VOIDED: "neutral"}


def signature_subject(transfer: IncomingTransfer) -> str:
    return f"transfers.incoming:{transfer.pk}"


def score_text(score) -> str:
    if score is None:
        return ""
    text = f"{Decimal(score):.1f}"
    return text[:-2] if text.endswith(".0") else text


def course_line(course) -> str:
    parts = [course.code, course.name]
    if course.credits is not None:
        parts.append(gettext("%(n)s学分") % {"n": course.credits})
    if course.score is not None:
        parts.append(gettext("%(score)s分") % {"score": score_text(course.score)})
    parts += [course.sitting, course.source]
    return " ".join(p for p in parts if p)


def signature_content(transfer: IncomingTransfer) -> str:
    """确认转入: what the candidate signs — the transfer's data only, so the same each time it is
    built (the signature counts for exactly this text)."""
    profile = transfer.profile or {}
    courses = list(transfer.courses.all())
    lines = [
        gettext("考籍转入确认（转入编号 %(number)s）") % {"number": transfer.number},
        gettext("姓名：%(v)s") % {"v": transfer.name},
        gettext("身份证号：%(v)s") % {"v": mask_id_number(transfer.id_number)},
        gettext("转出省份：%(v)s") % {"v": transfer.from_province.name},
        gettext("转出申请编号：%(v)s") % {"v": transfer.source_number},
        gettext("原准考证号：%(v)s") % {"v": profile.get("exam_number") or "—"},
        gettext("原报考专业：%(v)s") % {"v": profile.get("major") or "—"},
        gettext("转入方式：%(v)s") % {"v": transfer.get_method_display()},
        gettext("转入课程（%(count)s门，共%(credits)s学分）：") % {
            "count": len(courses), "credits": sum(c.credits or 0 for c in courses)},
    ]
    lines += [f"{i}. {course_line(c)}" for i, c in enumerate(courses, start=1)]
    lines.append(gettext("本人确认以上考籍转入信息无误，同意将以上成绩转入本省考籍。"))
    return "\n".join(lines)


def next_step(transfer: IncomingTransfer) -> str:
    if transfer.status == Status.PENDING:
        return gettext("请仔细核对转入信息和每一门转入成绩，无误后点击“确认转入”，扫码签字确认。")
    if transfer.status == Status.CONFIRMED:
        return gettext("您已确认转入。省级考试机构接收转考档案后，转入成绩将记入您的考籍。")
    if transfer.status == Status.VOIDED:
        return gettext("该考籍转入已由省级考试机构作废（原因见办理记录），无需处理；如有疑问请联系省级考试机构。")
    return gettext("考籍档案已接收，转入成绩已记入您的考籍（成绩查询中显示为“转入”）。")
