"""Background jobs: thin wrappers that take ids and call a service."""

from django_tasks import task


@task()
def eligibility_run_task(*, run_id: int) -> None:
    from .services import eligibility_run_execute

    eligibility_run_execute(run_id=run_id)
