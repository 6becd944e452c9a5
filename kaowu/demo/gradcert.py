"""Demo data for 毕业证明书申请: 孙明远 (demo-sun, 准考证号 010216040088) graduated in 行政管理 in June 2024 —
his 考籍 holds every course of the plan and he has a `Graduate` row with its 毕业证书编号 — so that
个人中心 › 毕业证明书申请 can be tried at once (the province's gs-reviewer decides it in 申请审核), and
管理端 › 毕业统计 has a graduate to count.

Idempotent like the rest of the seed: nothing is written once his graduation exists.
"""

import datetime
from collections import Counter
from decimal import Decimal

from kaowu.accounts.models import User
from kaowu.catalog.models import Major, PlanCourse

USERNAME = "demo-sun"
MAJOR_CODE = "120402"                      # 行政管理
CERTIFICATE_NUMBER = "107306202405000088"  # 主考学校 10730 · 自考 6 · 2024 · 本科 05 · 000088 (a demo value)
GRADUATED_ON = datetime.date(2024, 6, 30)


def seed_demo_graduates(*, created: Counter) -> None:
    from kaowu.graduation.models import Graduate
    from kaowu.records.models import PassedCourse

    user = User.objects.filter(username=USERNAME).select_related("candidate").first()
    major = Major.objects.filter(code=MAJOR_CODE).first()
    candidate = getattr(user, "candidate", None) if user else None
    if candidate is None or major is None or Graduate.objects.filter(candidate=candidate).exists():
        return
    plan = list(PlanCourse.objects.filter(major=major).select_related("course").order_by("position", "pk"))
    chosen, groups = [], set()
    for item in plan:  # every required course, and the first course of each elective group
        if item.requirement == PlanCourse.Requirement.REQUIRED or item.group_label not in groups:
            chosen.append(item.course)
            groups.add(item.group_label)
    snapshot = []
    for index, course in enumerate(chosen):
        passed_on = datetime.date(2016 + index * 8 // max(len(chosen), 1), 4 if index % 2 else 10, 30)
        score = Decimal(62 + (index * 7) % 30)
        record, made = PassedCourse.objects.get_or_create(
            candidate=candidate, course=course,
            defaults={"source": PassedCourse.Source.EXAM, "score": score, "passed_on": min(passed_on, GRADUATED_ON),
                      "note": "演示数据"})
        created[PassedCourse._meta.verbose_name] += made
        snapshot.append({"course": course.code, "name": course.name, "credits": course.credits,
                         "score": str(record.score) if record.score is not None else "", "source": record.source})
    Graduate.objects.create(candidate=candidate, major=major, certificate_number=CERTIFICATE_NUMBER,
                            graduated_on=GRADUATED_ON, credits=sum(c.credits for c in chosen), snapshot=snapshot)
    created[Graduate._meta.verbose_name] += 1


def demo_gradcert_note() -> list[str]:
    """The line seed_demo prints about it."""
    from kaowu.graduation.models import Graduate

    if not Graduate.objects.filter(candidate__user__username=USERNAME).exists():
        return []
    return ["  毕业证明书申请：孙明远（准考证号 010216040088，行政管理已毕业，证书编号 "
            f"{CERTIFICATE_NUMBER}）在 个人中心 › 毕业证明书申请 随时可申请；省级账号 gs-reviewer 在 管理端 › 申请审核 "
            "审核，通过后考生下载证明书，扫码核验；gs-admin 在 管理端 › 毕业统计 查看毕业申请与毕业人数。"]
