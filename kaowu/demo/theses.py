"""Demo 毕业论文答辩申请: 张浩然 (demo-b, 准考证号 010219100023, 汉语言文学 本科) can apply at once.

His 考籍 before this module: 2026年10月 (demo/operations.py) passes 中国近现代史纲要, 马克思主义基本原理概论,
普通逻辑 and 现代汉语, and he was absent (缺考) from 文学概论（一）. Here two earlier sittings whose scores
were published long ago — 2025年4月 and 2025年10月, imported as the province's 成绩导入 would have, the
passes joining the 考籍 through records' `passed_course_recompute` — add 英语（二）, 美学, 古代汉语,
中国现代文学史 and 语言学概论. So of the theory courses of his plan he lacks only 文学概论（一） (00529):
within `KAOWU_THESIS_THEORY_MISSING_ALLOWED` (1), so 毕业论文答辩申请 is open to him; 毕业预测 shows
文学概论（一） and the thesis (07042) missing; and 文学概论（一） stays exemptible (免考规则 专科及以上学历),
so 免考申请 still has a course to offer. His application is left for whoever tries the demo: the 主考学校
of 汉语言文学 is 西北师范大学 (U10736), staff account `nwnu`.

Idempotent: a sitting or a score that exists is left alone.
"""

import csv
import io
from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import data

EXAM_NUMBER = "010219100023"
# (code, name, publication: days before the seeding day, results (course, score)).
EARLIER_SITTINGS = (
    ("2025-04", "2025年4月", 560, (("00015", "63.5"), ("00037", "72.0"))),
    ("2025-10", "2025年10月", 385, (("00536", "68.0"), ("00537", "75.5"), ("00541", "70.0"))),
)
_TZ = ZoneInfo("Asia/Shanghai")


def _published_at(days_before: int) -> datetime:
    return datetime.combine(timezone.localdate() - timedelta(days=days_before), time(10, 0), tzinfo=_TZ)


def seed_demo_theses(*, created: Counter) -> None:
    from kaowu.accounts.models import User
    from kaowu.candidates.models import ExamNumber
    from kaowu.catalog.models import Course, ExamSitting
    from kaowu.records.imports import passed_course_recompute
    from kaowu.records.models import ExamScore, ScoreImport

    number = ExamNumber.objects.filter(number=EXAM_NUMBER).first()
    uploader = User.objects.filter(username="gs-admin").first()
    if number is None or uploader is None:
        return
    codes = {code for *_, results in EARLIER_SITTINGS for code, _score in results}
    courses = dict(Course.objects.filter(code__in=codes).values_list("code", "id"))
    for code, name, days_before, results in EARLIER_SITTINGS:
        with transaction.atomic():
            sitting = ExamSitting.objects.filter(code=code).first()
            if sitting is None:
                sitting = ExamSitting.objects.create(code=code, name=name, is_current=False, is_published=False,
                                                     score_publication_at=_published_at(days_before))
                created[str(ExamSitting._meta.verbose_name)] += 1
            have = set(ExamScore.objects.filter(sitting=sitting, exam_number=number)
                       .values_list("course__code", flat=True))
            missing = [(course, Decimal(score)) for course, score in results
                       if course not in have and course in courses]
            if not missing:
                continue
            import_name = f"{name}自学考试成绩（演示数据）.csv"
            score_import = ScoreImport.objects.filter(sitting=sitting, original_name=import_name).first()
            if score_import is None:
                out = io.StringIO()
                writer = csv.writer(out)
                writer.writerow(["准考证号", "课程代码", "成绩", "缺考/违纪"])
                for course, score in results:
                    writer.writerow([number.number, course, score, ""])
                score_import = ScoreImport(sitting=sitting, original_name=import_name, uploaded_by=uploader,
                                           status=ScoreImport.Status.IMPORTED, rows_total=len(results),
                                           rows_read=len(results), rows_written=len(results),
                                           passed_count=len(results), started_at=sitting.score_publication_at,
                                           finished_at=sitting.score_publication_at)
                score_import.file.save(f"demo-{code}.csv", ContentFile(out.getvalue().encode("utf-8-sig")),
                                       save=False)
                score_import.save()
            ExamScore.objects.bulk_create([
                ExamScore(exam_number=number, sitting=sitting, course_id=courses[course], score=score,
                          mark=ExamScore.Mark.NORMAL, passed=score >= Decimal("60"), score_import=score_import)
                for course, score in missing])
            for course, score in missing:
                if score >= Decimal("60"):
                    passed_course_recompute(candidate_id=number.candidate_id, course_id=courses[course])
            created[str(ExamScore._meta.verbose_name)] += len(missing)


def demo_theses_note() -> list[str]:
    """The line seed_demo prints about 毕业论文答辩申请."""
    from kaowu.catalog.models import BusinessWindow

    if not BusinessWindow.objects.filter(kind=BusinessWindow.Kind.THESIS).exists():
        return []
    university = next((s for s in data.STAFF if s.office_code == "U10736"), None)
    return [f"  毕业论文答辩申请开放中：张浩然（准考证号 {EXAM_NUMBER}，汉语言文学）理论课程只差文学概论（一），"
            "在 个人中心 › 毕业论文答辩申请 可申请；"
            + (f"主考学校西北师范大学账号 {university.username} " if university else "主考学校 ")
            + "在 管理端 › 申请审核 打回或审核通过（待答辩），再登记答辩结果（通过即记入考籍）。"]
