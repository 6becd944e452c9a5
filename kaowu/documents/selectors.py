"""Assembling a 准考证 from the live records: the registration's paid courses, their seats, the
证件照 and the sitting's 考场规则."""

from django.utils import timezone

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import Announcement, ExamSitting
from kaowu.core.dates import cn_date, cn_datetime
from kaowu.core.masking import mask_id_number
from kaowu.organization.selectors import home_province
from kaowu.registration.models import RegisteredCourse, Registration

from .tickets import Ticket, TicketCourse
from .verification import ticket_verify_url

DEFAULT_RULES = "\n".join([
    "一、考生凭准考证和有效居民身份证原件参加考试，按准考证上的考点、考场和座位号就座。",
    "二、考生须在开考前30分钟入场，开考15分钟后不得入场；开考60分钟后方可交卷离场。",
    "三、除规定的文具外，不得携带手机、智能手表等电子设备及书籍、资料进入考场。",
    "四、考生须在答题卡规定位置填写姓名、准考证号，在规定区域作答，超出区域无效。",
    "五、考试结束铃响，立即停止答题，待监考员收齐试卷和答题卡后方可离场。",
    "六、违反考场规则者，按《国家教育考试违规处理办法》处理。",
])

SEATED = (RegisteredCourse.Status.PAID, RegisteredCourse.Status.REFUNDING)


def exam_rules(*, sitting: ExamSitting) -> str:
    """The published 考场规则 of the sitting (or the general one); the platform's default otherwise."""
    rules = (Announcement.objects.filter(category=Announcement.Category.EXAM_RULES, is_published=True,
                                         published_at__lte=timezone.now())
             .order_by("-sitting_id", "-published_at").filter(sitting__in=[sitting]).first()
             or Announcement.objects.filter(category=Announcement.Category.EXAM_RULES, is_published=True,
                                            sitting__isnull=True, published_at__lte=timezone.now())
             .order_by("-published_at").first())
    return rules.body if rules else DEFAULT_RULES


def ticket_registration(*, exam_number: ExamNumber, sitting: ExamSitting) -> Registration | None:
    return (Registration.objects.filter(exam_number=exam_number, sitting=sitting)
            .select_related("exam_area", "major", "sitting", "exam_number__candidate__user").first())


def ticket_courses(*, registration: Registration) -> list[RegisteredCourse]:
    """Paid courses in timetable order, each with its seat (`rc.seat_or_none`)."""
    courses = list(registration.courses.filter(status__in=SEATED)
                   .select_related("course", "sitting_course__session", "seat__room__site")
                   .order_by("sitting_course__session__date", "sitting_course__session__half_day", "course__code"))
    for rc in courses:
        rc.seat_or_none = getattr(rc, "seat", None) if hasattr(rc, "seat") else None
    return courses


def id_photo(user):
    """The 证件照 of the candidate's passed identity verification, or None."""
    from kaowu.identity.models import Photo
    from kaowu.identity.selectors import verification_passed

    verification = verification_passed(user=user)
    if verification is None:
        return None
    return verification.photos.filter(kind=Photo.Kind.ID_PHOTO, is_current=True, deleted_at__isnull=True).first()


def _photo_bytes(user) -> bytes | None:
    photo = id_photo(user)
    if photo is None:
        return None
    try:
        with photo.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError):
        return None


def ticket_build(*, registration: Registration, courses: list[RegisteredCourse], base_url: str,
                 rules: str | None = None) -> Ticket:
    """`rules`: the sitting's 考场规则 when the caller already read them (the bulk job)."""
    user = registration.exam_number.candidate.user
    province = home_province()
    rows, sites = [], {}
    for rc in courses:
        session, seat = rc.sitting_course.session, rc.seat_or_none
        site = seat.room.site if seat else None
        if site is not None:
            sites[site.pk] = (site.name, site.address)
        rows.append(TicketCourse(
            date=cn_date(session.date),
            time=f"{session.get_half_day_display()} {session.start_time:%H:%M}–{session.end_time:%H:%M}",
            course=f"{rc.course.code} {rc.course.name}", site=site.name if site else "待编排",
            room=seat.room.number if seat else "—", seat=f"{seat.seat:02d}" if seat else "—"))
    return Ticket(
        title=f"{province.name if province else ''}高等教育自学考试", sitting=registration.sitting.name,
        exam_number=registration.exam_number.number, name=user.real_name,
        id_number_masked=mask_id_number(user.id_number), exam_area=registration.exam_area.name,
        major=f"{registration.major.code} {registration.major.name}", courses=rows, sites=list(sites.values()),
        rules=exam_rules(sitting=registration.sitting) if rules is None else rules,
        verify_url=ticket_verify_url(base_url=base_url, exam_number=registration.exam_number.number,
                                     sitting_code=registration.sitting.code),
        printed_at=cn_datetime(timezone.now()), photo=_photo_bytes(user))
