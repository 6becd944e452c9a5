from django_tasks import task

from . import services


@task()
def verification_compare_task(*, verification_id: int) -> None:
    services.verification_compare(verification_id=verification_id)


@task()
def photos_purge_task() -> int:
    return services.photos_purge_expired()
