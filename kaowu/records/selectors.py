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


def passed_course_pairs(*, candidate_ids: range, now=None):
    """(candidate id, course id) of every course on the 考籍 of the candidates whose ids are in the range,
    by candidate, as the candidates may know it (the filter of `passed_courses_visible_to_candidate`),
    every source. For batches (毕业资格初审) that read the record chunk by chunk."""
    return (PassedCourse.objects.filter(candidate_id__gte=candidate_ids.start, candidate_id__lt=candidate_ids.stop)
            .filter(~Q(source=PassedCourse.Source.EXAM) | Q(sitting__isnull=True) | _published_q("sitting__", now))
            .order_by().values_list("candidate_id", "course_id"))


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


# --- 成绩复核 ----------------------------------------------------------------------------------------

def score_review_taken(*, exam_score: ExamScore):
    """The 成绩复核 application already made for this score (any status but 已撤回), or None."""
    from kaowu.workflow.models import Application
    from kaowu.workflow.statuses import Status

    from .review import CODE

    return (Application.objects.filter(type_code=CODE, candidate=exam_score.exam_number.candidate,
                                       sitting_id=exam_score.sitting_id,
                                       current_version__data__score_id=exam_score.pk)
            .exclude(status=Status.WITHDRAWN).order_by("-id").first())


def score_review_choices(*, candidate, now=None) -> list[ExamScore]:
    """The candidate's scores that can be re-checked now: published, with a score (not 缺考 / 违纪),
    inside their sitting's 成绩复核 window for the 准考证号's exam area, not re-checked already."""
    from kaowu.catalog.models import BusinessWindow
    from kaowu.catalog.windows import business_window
    from kaowu.workflow.models import Application
    from kaowu.workflow.statuses import Status

    from .review import CODE

    now = now or timezone.now()
    scores = list(ExamScore.objects.filter(exam_number__candidate=candidate, mark=ExamScore.Mark.NORMAL,
                                           score__isnull=False).filter(_published_q("sitting__", now))
                  .select_related("sitting", "course", "exam_number__exam_area")
                  .order_by("-sitting__code", "course__code"))
    taken = set(Application.objects.filter(type_code=CODE, candidate=candidate).exclude(status=Status.WITHDRAWN)
                .values_list("current_version__data__score_id", flat=True))
    open_windows, choices = {}, []
    for score in scores:
        key = (score.sitting_id, score.exam_number.exam_area_id)
        if key not in open_windows:
            open_windows[key] = business_window(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=score.sitting,
                                                exam_area=score.exam_number.exam_area, now=now).is_open
        if open_windows[key] and score.pk not in taken:
            choices.append(score)
    return choices


def score_review_results_for(*, scores) -> dict:
    """{exam score id: ScoreReviewResult} of finished re-checks (the 当次成绩 page marks them)."""
    from .models import ScoreReviewResult

    ids = [s.pk for s in scores]
    return {r.exam_score_id: r for r in ScoreReviewResult.objects.filter(exam_score_id__in=ids).order_by("created_at")}


def score_review_window(*, candidate, now=None):
    """(sitting, `catalog.windows.ApplicableWindow`) of 成绩复核 as the candidate meets it: the window of
    the newest sitting with the candidate's published scores (成绩复核 follows the publication of a
    sitting's scores, while the "current" sitting is already the next one being registered for);
    (None, None) without any."""
    from kaowu.catalog.models import BusinessWindow
    from kaowu.catalog.windows import business_window

    sittings = [s for s in score_sittings_of(candidate=candidate) if scores_published(sitting=s)]
    if not sittings:
        return None, None
    sitting = sittings[0]
    # the exam area of the 准考证号 the scores were recorded under (after a 转考 it may differ)
    score = (ExamScore.objects.filter(exam_number__candidate=candidate, sitting=sitting)
             .select_related("exam_number__exam_area").first())
    return sitting, business_window(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=sitting,
                                    exam_area=score.exam_number.exam_area if score else None, now=now)
