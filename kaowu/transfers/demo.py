"""Demo 考籍转入: 张浩然 (demo-b, 准考证号 010219100023) has a 纸质档案 transfer from 山西 (a province not on
kaowu) awaiting his confirmation, entered by the province authority — so a person trying the site
finds a 考籍转入 to open, check score by score, and confirm with the QR signature (one course is not
in the demo catalog and shows as 未匹配课程 once received). Idempotent: nothing is created when the
transfer exists (the source application number is unique per province)."""

from collections import Counter

SOURCE_NUMBER = "SX2026110300000017"
EXAM_NUMBER = "010219100023"
COURSES = [
    {"code": "03708", "name": "中国近现代史纲要", "credits": 2, "score": "66", "sitting": "2024年10月",
     "source": "考试合格"},
    {"code": "00024", "name": "普通逻辑", "credits": 4, "score": "73", "sitting": "2025年4月", "source": "考试合格"},
    {"code": "99101", "name": "山西地方文化概论", "credits": 3, "score": "80", "sitting": "2025年4月",
     "source": "考试合格"},
]


def seed_demo_transfer_in(*, created: Counter) -> None:
    from kaowu.candidates.models import ExamNumber
    from kaowu.organization.models import Office, Province, StaffMember

    from .models import IncomingTransfer
    from .services_in import incoming_transfer_enter

    shanxi = Province.objects.filter(region__code="140000").first()
    exam_number = ExamNumber.objects.select_related("candidate__user").filter(number=EXAM_NUMBER).first()
    staff = StaffMember.objects.select_related("office", "user").filter(
        office__kind=Office.Kind.PROVINCE_AUTHORITY, office__is_active=True).order_by("pk").first()
    if shanxi is None or exam_number is None or staff is None or shanxi.is_home:
        return
    if IncomingTransfer.objects.filter(from_province=shanxi, source_number=SOURCE_NUMBER).exists():
        return
    user = exam_number.candidate.user
    incoming_transfer_enter(staff=staff, from_province=shanxi, source_number=SOURCE_NUMBER, name=user.real_name,
                            id_number=user.id_number, courses=COURSES,
                            profile={"exam_number": "140119200312", "exam_area": "太原市考区", "major": "汉语言文学"})
    created[str(IncomingTransfer._meta.verbose_name)] += 1
