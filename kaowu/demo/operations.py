"""Demo exam operations and review, so that a person trying the site finds these pages filled in:

- 考点 and 考场 (管理端 › 考场编排) for the exam areas that have paid registrations in the demo
  sitting — two sites per area, rooms of 30 seats, enough for every session's paid courses. The
  arrangement itself (考场编排) is *not* run: staff start it themselves on the page (it is one click
  for the province or the 考区 account, e.g. lz-area), which is the point of the demo.
- The past sitting 2026年10月 with published scores for 张浩然 and a few generated candidates of
  兰州市考区 (passes join the 考籍 through the records app's `passed_course_recompute`), so that
  成绩查询 and 成绩复核 (window open from the seeding day − 2 to + 10) have something to show.
- Applications in the staff queues, made with the public workflow / transfer services so that
  their history and notifications are real: a 省内转考 submitted (兰州市教育考试院, lz-city, sees it
  in 申请审核) and a 考籍转出 saved (待缴费, with its order).

Idempotent like the rest of the seed: what exists is left alone (a person may have changed it on
the site); each part looks its rows up in a few queries and returns early when nothing is missing.
"""

import csv
import io
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q

from kaowu.accounts.models import User
from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import ExamSitting, Major
from kaowu.exams.models import ExamRoom, ExamSite
from kaowu.organization.models import Office

from . import data

PASS_LINE = Decimal("60")


def seed_demo_operations(*, created: Counter) -> None:
    seed_exam_sites(created=created)
    seed_past_scores(created=created)
    seed_demo_applications(created=created)


# --- 考点 and 考场 ----------------------------------------------------------------------------------

def rooms_needed(*, sitting: ExamSitting) -> dict[int, int]:
    """Rooms each exam area needs in its busiest session: the default rule starts every course in a
    new room, so a session needs ⌈paid registrations / capacity⌉ rooms per course."""
    from kaowu.registration.models import RegisteredCourse

    per_session: dict[tuple[int, int], int] = defaultdict(int)
    for row in (RegisteredCourse.objects.filter(registration__sitting=sitting, status=RegisteredCourse.Status.PAID)
                .values("registration__exam_area_id", "sitting_course__session_id", "course_id")
                .annotate(n=Count("id"))):
        key = (row["registration__exam_area_id"], row["sitting_course__session_id"])
        per_session[key] += -(-row["n"] // data.ROOM_CAPACITY)
    needed: dict[int, int] = defaultdict(int)
    for (area_id, _session), rooms in per_session.items():
        needed[area_id] = max(needed[area_id], rooms)
    return dict(needed)


def seed_exam_sites(*, created: Counter) -> None:
    sitting = ExamSitting.objects.filter(code=data.SITTING_CODE).first()
    if sitting is None:
        return
    needed = rooms_needed(sitting=sitting)
    areas = {o.pk: o for o in Office.objects.filter(pk__in=needed, code__in=data.EXAM_SITES)}
    if not areas:
        return
    sites = {(s.exam_area_id, s.code): s for s in ExamSite.objects.filter(exam_area__in=areas.values())}
    rooms = {(r.site_id, r.number) for r in ExamRoom.objects.filter(site__in=sites.values())}
    for area_id, area in sorted(areas.items(), key=lambda item: item[1].code):
        rows = data.EXAM_SITES[area.code]
        per_site = max(data.ROOMS_PER_SITE, -(-needed[area_id] // len(rows)))
        for code, name, address in rows:
            site = sites.get((area_id, code))
            if site is None:
                site = ExamSite.objects.create(exam_area=area, code=code, name=name, address=address)
                created[ExamSite._meta.verbose_name] += 1
            new = [ExamRoom(site=site, number=f"{n:03d}", capacity=data.ROOM_CAPACITY)
                   for n in range(1, per_site + 1) if (site.pk, f"{n:03d}") not in rooms]
            ExamRoom.objects.bulk_create(new)
            created[ExamRoom._meta.verbose_name] += len(new)


# --- The past sitting's scores ------------------------------------------------------------------

def _lanzhou_generated_numbers() -> list[ExamNumber]:
    """Generated candidates of 兰州市考区 with exactly one (active) 准考证号, by username."""
    numbers = (ExamNumber.objects.filter(candidate__user__username__startswith="demo-g", exam_area__code="EA6201")
               .select_related("candidate__user", "exam_area").order_by("candidate__user__username", "number"))
    by_candidate: dict[int, list[ExamNumber]] = defaultdict(list)
    for number in numbers:
        by_candidate[number.candidate_id].append(number)
    return [ns[0] for ns in by_candidate.values()
            if len(ns) == 1 and ns[0].status == ExamNumber.Status.ACTIVE and ns[0].candidate.user.is_active]


def past_score_rows() -> list[tuple[ExamNumber, str, Decimal | None]]:
    """(准考证号, course code, score or None for 缺考) of the past sitting."""
    featured = {n.number: n for n in ExamNumber.objects.filter(number__in=data.PAST_SCORES)
                .select_related("candidate")}
    rows = []
    for number, results in data.PAST_SCORES.items():
        if number in featured:
            rows += [(featured[number], code, None if score == "absent" else Decimal(score)) for code, score in results]
    plans = {m.name: [p.course.code for p in m.plan_courses.select_related("course").order_by("position")]
             for m in Major.objects.prefetch_related("plan_courses")}
    for number in _lanzhou_generated_numbers()[:data.PAST_SCORED_GENERATED]:
        rng = random.Random(number.number)  # the same results for the same person on every database
        plan = [code for code in plans.get(number.major_name, []) if code != "07042"] or ["03708", "03709", "00015"]
        for position, code in enumerate(rng.sample(plan, min(3, len(plan)))):
            # The first course is always passed, so every one of them has something on the record.
            score = Decimal(rng.randint(60, 92) if position == 0 else rng.randint(42, 90))
            rows.append((number, code, score))
    return rows


def seed_past_scores(*, created: Counter) -> None:
    from kaowu.catalog.models import Course
    from kaowu.records.imports import passed_course_recompute
    from kaowu.records.models import ExamScore, ScoreImport

    sitting = ExamSitting.objects.filter(code=data.PAST_SITTING_CODE).first()
    if sitting is None:
        return
    rows = past_score_rows()
    have = set(ExamScore.objects.filter(sitting=sitting).values_list("exam_number_id", "course__code"))
    missing = [row for row in rows if (row[0].pk, row[1]) not in have]
    if not missing:
        return
    uploader = User.objects.filter(username="gs-admin").first()
    if uploader is None:
        return
    courses = dict(Course.objects.filter(code__in={code for _, code, _ in missing}).values_list("code", "id"))
    missing = [row for row in missing if row[1] in courses]
    with transaction.atomic():
        # As the province authority's 成绩导入 would have recorded it: one import with its file.
        score_import = ScoreImport.objects.filter(sitting=sitting, original_name=data.PAST_SCORE_IMPORT_NAME).first()
        if score_import is None:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["准考证号", "课程代码", "成绩", "缺考/违纪"])
            for number, code, score in rows:
                writer.writerow([number.number, code, "" if score is None else score, "缺考" if score is None else ""])
            score_import = ScoreImport(sitting=sitting, original_name=data.PAST_SCORE_IMPORT_NAME,
                                       uploaded_by=uploader, status=ScoreImport.Status.IMPORTED,
                                       rows_total=len(rows), rows_read=len(rows), rows_written=len(rows),
                                       passed_count=sum(1 for *_, s in rows if s is not None and s >= PASS_LINE),
                                       started_at=sitting.score_publication_at,
                                       finished_at=sitting.score_publication_at)
            score_import.file.save("demo-2026-10.csv", ContentFile(out.getvalue().encode("utf-8-sig")), save=False)
            score_import.save()
        ExamScore.objects.bulk_create([
            ExamScore(exam_number=number, sitting=sitting, course_id=courses[code], score=score,
                      mark=ExamScore.Mark.ABSENT if score is None else ExamScore.Mark.NORMAL,
                      passed=score is not None and score >= PASS_LINE, score_import=score_import)
            for number, code, score in missing])
        for number, code, score in missing:
            if score is not None and score >= PASS_LINE:
                passed_course_recompute(candidate_id=number.candidate_id, course_id=courses[code])
    created[ExamScore._meta.verbose_name] += len(missing)


# --- Applications in the staff queues -----------------------------------------------------------

def seed_demo_applications(*, created: Counter) -> None:
    from kaowu.workflow.models import Application

    numbers = _lanzhou_generated_numbers()
    if len(numbers) < 2:
        return
    within, out = numbers[0], numbers[1]
    from kaowu.transfers.out import CODE as OUT_CODE
    from kaowu.transfers.within import CODE as WITHIN_CODE

    started = set(Application.objects.filter(candidate__in=[within.candidate, out.candidate],
                                             type_code__in=[WITHIN_CODE, OUT_CODE])
                  .values_list("candidate_id", "type_code"))
    if (within.candidate_id, WITHIN_CODE) not in started and _transfer_within(within):
        created["省内转考申请"] += 1
    if (out.candidate_id, OUT_CODE) not in started and _transfer_out(out):
        created["考籍转出申请"] += 1


def _transfer_within(number: ExamNumber) -> bool:
    """省内转考 as the candidate fills it in (the form's own data) and submits it: it waits for the
    first step, the 转出地市考办 (兰州市教育考试院)."""
    from kaowu.transfers.within import CODE, TransferWithinForm, city_of_exam_number
    from kaowu.workflow import services as workflow

    form = TransferWithinForm({**data.TRANSFER_WITHIN, "agree": "on"}, from_city=city_of_exam_number(number))
    if not form.is_valid():
        return False
    user = number.candidate.user
    try:
        with transaction.atomic():
            application = workflow.application_save_draft(actor=user, data=form.to_data(), type_code=CODE,
                                                          candidate=number.candidate, exam_number=number)
            workflow.application_submit(application=application, actor=user)
    except workflow.WorkflowError:  # the window was closed on the site, or another rule refused it
        return False
    return True


def _transfer_out(number: ExamNumber) -> bool:
    """考籍转出 saved by the candidate (保存): 待缴费 with its order. Paying, signing and submitting
    are left to whoever tries it (they need the cashier and a signature)."""
    from kaowu.transfers import services
    from kaowu.transfers.out import TransferOutForm, profile_of, transferable_courses
    from kaowu.workflow.services import WorkflowError

    courses = transferable_courses(number.candidate)
    if not courses:
        return False
    form = TransferOutForm({**data.TRANSFER_OUT, "courses": [c["code"] for c in courses], "agree": "on"},
                           courses=courses)
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            services.transfer_out_save(actor=number.candidate.user, candidate=number.candidate, exam_number=number,
                                       data=form.to_data(profile=profile_of(number.candidate, number)))
    except WorkflowError:
        return False
    return True


def demo_operations_note() -> list[str]:
    """Lines seed_demo prints about these demo data (who to log in as, where to look)."""
    from kaowu.workflow.models import Application

    lines = []
    sites = ExamSite.objects.filter(exam_area__code__in=data.EXAM_SITES).count()
    if sites:
        rooms = ExamRoom.objects.filter(site__exam_area__code__in=data.EXAM_SITES).count()
        lines.append(f"  考点考场：{sites} 个考点、{rooms} 个考场（每个考场 {data.ROOM_CAPACITY} 座）已录入有报考的考区；"
                     "考场编排未运行——省级账号或考区账号（如 lz-area）在 管理端 › 考场编排 发起编排。")
    past = ExamSitting.objects.filter(code=data.PAST_SITTING_CODE).first()
    if past is not None:
        lines.append(f"  {past.name}考试成绩已公布、成绩复核开放中：张浩然（准考证号 010219100023）"
                     "在 成绩查询 看当次成绩、历次合格成绩和毕业预测，并可申请 成绩复核。")
    from kaowu.exemptions.models import ExemptionRule

    if ExemptionRule.objects.filter(major__code="050105", is_active=True).exists():
        lines.append("  免考申请开放中：张浩然（准考证号 010219100023，汉语言文学）在 个人中心 › 免考申请 可申请"
                     "文学概论（一）免考；考区账号 lz-area 初审，省级账号 gs-reviewer 终审"
                     "（管理端 › 申请审核），gs-admin 在 管理端 › 免考规则 维护规则。")
    from .theses import demo_theses_note

    lines += demo_theses_note()
    from kaowu.transfers.out import CODE as OUT_CODE
    from kaowu.transfers.out import PENDING_PAYMENT
    from kaowu.transfers.within import CODE as WITHIN_CODE
    from kaowu.workflow.statuses import Status

    pending = (Application.objects.filter(candidate__user__username__startswith="demo-g")
               .filter(Q(type_code=WITHIN_CODE, status=Status.REVIEWING)
                       | Q(type_code=OUT_CODE, status=PENDING_PAYMENT))
               .select_related("candidate__user", "reviewing_office").order_by("-type_code", "number"))
    for application in pending:
        user = application.candidate.user
        who = f"{user.real_name}（身份证号 {user.id_number}，密码 {data.CANDIDATE_PASSWORD}）"
        if application.type_code == WITHIN_CODE:
            lines.append(f"  待审核申请：{who}的省内转考 {application.number} 已提交，"
                         f"{application.reviewing_office.name}账号 lz-city 在 管理端 › 申请审核 中审核。")
        else:
            lines.append(f"  {who}的考籍转出 {application.number} 已保存、待缴费，可登录该考生继续缴费、签字并提交。")
    from .practicals import demo_practicals_note

    lines += demo_practicals_note()  # 实践性环节报名 (赵子轩 registers; lut records)
    from .gradcert import demo_gradcert_note

    lines += demo_gradcert_note()  # 毕业证明书申请 (孙明远, already a graduate)
    from .graduation import demo_graduation_note

    lines += demo_graduation_note()  # 毕业申请 (林静怡, every course passed)
    return lines
