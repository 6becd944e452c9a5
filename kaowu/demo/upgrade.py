"""Demo 专升本 candidates who have gone through every registration step, with scores and 平行志愿, so
that a person trying the site sees 招生计划, 分数段统计 and 志愿信息 filled in, and — after a province
staff member runs 投档 on 管理端 › 专升本报名 › 成绩与投档 — results. Idempotent: a candidate whose
registration already exists (seeded before, or started on the site) is left as it is."""

import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kaowu.accounts.models import User

DEMO_UPGRADE_COUNT = 12
CATEGORIES = ["01", "03", "01", "03", "06", "04"]
SCHOOLS = [("兰州职业技术学院", "会计(530302)"), ("甘肃建筑职业技术学院", "建筑工程技术(440301)"),
           ("天水师范学院", "计算机应用技术(510201)"), ("酒泉职业技术学院", "农业经济管理(510118)")]
# The demo colleges' back-office accounts: 院校代号 → the 主考学校 office that may 退档.
COLLEGE_OFFICES = {"10736": "U10736"}


def seed_demo_upgrade(*, created: Counter) -> None:
    from kaowu.identity.models import Verification
    from kaowu.organization.models import Office
    from kaowu.upgrade.models import (
        AdmissionBatch,
        College,
        Plan,
        ResumeEntry,
        UpgradeRegistration,
        UpgradeScore,
        VolunteerSubmission,
    )

    for code, office_code in COLLEGE_OFFICES.items():
        office = Office.objects.filter(code=office_code, kind=Office.Kind.UNIVERSITY).first()
        if office is not None and College.objects.filter(code=code, office__isnull=True).update(office=office):
            created["院校管理端账号"] += 1
    batch = AdmissionBatch.objects.filter(code="PT").first()
    if batch is None:
        return
    plans_by_category: dict[str, list[int]] = {}
    for plan in Plan.objects.filter(batch=batch).order_by("college__code", "code"):
        plans_by_category.setdefault(plan.category, []).append(plan.pk)
    users = list(User.objects.filter(username__startswith="demo-g", exam_type=User.ExamType.UPGRADE,
                                     upgrade_registration__isnull=True)
                 .select_related("candidate__registration_point").order_by("username"))
    already = UpgradeRegistration.objects.filter(user__username__startswith="demo-g").count()
    users = users[:max(0, DEMO_UPGRADE_COUNT - already)]
    if not users:
        return
    now = timezone.now()
    used_codes = set(UpgradeScore.objects.values_list("random_code", flat=True))
    for user in users:
        rng = random.Random(user.username)  # the same data for the same demo person on every database
        index = int(user.username[6:]) if user.username[6:].isdigit() else 0
        category = CATEGORIES[index % len(CATEGORIES)]
        school, major = SCHOOLS[index % len(SCHOOLS)]
        read = (now - timedelta(days=3)).isoformat()
        with transaction.atomic():
            registration = UpgradeRegistration.objects.create(
                user=user, registration_point=getattr(getattr(user, "candidate", None), "registration_point", None),
                notices={name: {"shown_at": read, "read_at": read} for name in ("instructions", "rules", "pledge")},
                gender="男" if int((user.id_number or "00000000000000000")[16]) % 2 else "女", nation="汉族",
                political_status="共青团员", phone=user.phone or "", school=school, junior_major=major,
                candidate_type="graduate", rural=rng.random() < 0.5, category=category,
                household="甘肃省/兰州市/城关区", recipient=user.real_name, recipient_phone=user.phone or "",
                postcode="730000", mail_address="甘肃省兰州市城关区天水南路1号",
                basic_saved_at=now - timedelta(days=3), confirmed_at=now - timedelta(days=3),
                paid_at=now - timedelta(days=2), qualification=UpgradeRegistration.Qualification.NOT_REQUIRED)
            ResumeEntry.objects.create(registration=registration, start="2021-09", end="2024-06",
                                       organization=school, role="学生")
            Verification.objects.get_or_create(user=user, kind=Verification.Kind.UPGRADE,
                                               defaults={"status": Verification.Status.PASSED})
            code = rng.randrange(10 ** 7, 10 ** 8)
            while code in used_codes:
                code = rng.randrange(10 ** 7, 10 ** 8)
            used_codes.add(code)
            major_subject, language = rng.randint(70, 140), rng.randint(40, 95)
            UpgradeScore.objects.create(registration=registration, random_code=code,
                                        major_subject=Decimal(major_subject), foreign_language=Decimal(language),
                                        total=Decimal(major_subject + language + rng.randint(40, 90)))
            choices = list(plans_by_category.get(category, []))
            rng.shuffle(choices)
            if choices:
                VolunteerSubmission.objects.create(registration=registration, batch=batch,
                                                   plan_ids=(choices[:3] + [None] * 8)[:8])
        created["专升本报名"] += 1


def demo_upgrade_note() -> str | None:
    """The line seed_demo prints about the 专升本 demo: who to log in as, and what to do to see results."""
    from kaowu.upgrade.models import UpgradeRegistration

    numbers = list(UpgradeRegistration.objects.filter(user__username__startswith="demo-g", score__isnull=False)
                   .order_by("user__username").values_list("user__candidate_number", flat=True)[:3])
    if not numbers:
        return None
    return (f"  专升本演示考生（已完成报名，有成绩和普通批志愿）：考生号 {'、'.join(numbers)} 等；"
            "省级账号在 管理端 › 专升本报名 › 成绩导入与投档 投档并设公布时间后，考生可在“成绩与录取信息”查看结果，"
            "西北师范大学账号 nwnu 可在“专升本投档考生”退档。")
