"""Reading the 考籍 and scores.

Candidates see a sitting's scores only from its 成绩公布时间 (`ExamSitting.score_publication_at`) on;
every candidate-facing read here filters on it. Staff reads do not."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from kaowu.catalog.models import ExamSitting
from kaowu.organization.models import Office, StaffMember

from .models import ExamScore, PassedCourse, ScoreImport


def passed_course_ids(*, candidate, now=None) -> set[int]:
    """Courses passed as the candidate may know it (报考 refuses these): an exam pass counts from its
    sitting's publication, so a refusal never reveals an unpublished score."""
    return set(PassedCourse.objects.filter(candidate=candidate).filter(
        ~Q(source=PassedCourse.Source.EXAM) | Q(sitting__isnull=True) | _published_q("sitting__", now)
    ).values_list("course_id", flat=True))


def passed_courses_of(*, candidate) -> QuerySet[PassedCourse]:
    return PassedCourse.objects.filter(candidate=candidate).select_related("course", "sitting")


def _published_q(prefix: str = "", now=None) -> Q:
    return Q(**{f"{prefix}score_publication_at__isnull": False, f"{prefix}score_publication_at__lte": now or timezone.now()})


def scores_published(*, sitting: ExamSitting, now=None) -> bool:
    return sitting.score_publication_at is not None and sitting.score_publication_at <= (now or timezone.now())


def passed_courses_visible_to_candidate(*, candidate, now=None) -> QuerySet[PassedCourse]:
    """历次合格成绩: the record as the candidate sees it — a pass by examination appears once its sitting's
    scores are published; 转入 and 免考 always."""
    return passed_courses_of(candidate=candidate).filter(
        ~Q(source=PassedCourse.Source.EXAM) | Q(sitting__isnull=True) | _published_q("sitting__", now)
    ).order_by("sitting__code", "course__code")


def score_sittings_of(*, candidate) -> QuerySet[ExamSitting]:
    """Sittings in which any of the candidate's 准考证号 has a registration or a score, newest first."""
    return ExamSitting.objects.filter(
        Q(registrations__exam_number__candidate=candidate) | Q(pk__in=ExamScore.objects.filter(
            exam_number__candidate=candidate).values("sitting_id"))).distinct().order_by("-code")


def scores_of_candidate(*, candidate, sitting: ExamSitting, now=None) -> QuerySet[ExamScore] | None:
    """当次成绩 of one sitting, for every 准考证号 of the candidate; None before publication."""
    if not scores_published(sitting=sitting, now=now):
        return None
    return (ExamScore.objects.filter(exam_number__candidate=candidate, sitting=sitting)
            .select_related("course", "exam_number").order_by("exam_number__number", "course__code"))


def scores_importable_by(*, staff: StaffMember) -> bool:
    """Scores are the province's: only the province authority imports them (and sees the imports)."""
    return staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


def score_imports_list(*, sitting: ExamSitting | None = None) -> QuerySet[ScoreImport]:
    imports = ScoreImport.objects.select_related("sitting", "uploaded_by")
    return imports.filter(sitting=sitting) if sitting is not None else imports


def sitting_score_summary(*, sitting: ExamSitting) -> dict:
    """Counts of the scores on record for a sitting (staff)."""
    from django.db.models import Count

    rows = ExamScore.objects.filter(sitting=sitting).aggregate(
        total=Count("id"), passed=Count("id", filter=Q(passed=True)),
        absent=Count("id", filter=Q(mark=ExamScore.Mark.ABSENT)),
        misconduct=Count("id", filter=Q(mark=ExamScore.Mark.MISCONDUCT)))
    return rows
