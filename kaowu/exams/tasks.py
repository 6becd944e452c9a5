"""Background jobs: thin wrappers that take ids and call a service."""

from django_tasks import task


@task()
def arrangement_run_task(*, run_id: int) -> None:
    from .services import arrangement_run_execute

    arrangement_run_execute(run_id=run_id)
