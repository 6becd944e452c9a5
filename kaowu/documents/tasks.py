"""Background jobs: thin wrappers that take ids and call a service."""

from django_tasks import task


@task()
def ticket_batch_task(*, batch_id: int) -> None:
    from .services import ticket_batch_run

    ticket_batch_run(batch_id=batch_id)
