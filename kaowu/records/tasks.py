"""Background jobs: thin wrappers that take ids and call a service."""

from django_tasks import task


@task()
def score_import_task(*, import_id: int) -> None:
    from .services import score_import_run

    score_import_run(import_id=import_id)


@task()
def score_reviews_lapse_task() -> None:
    from .services import score_reviews_lapse_overdue

    score_reviews_lapse_overdue()
