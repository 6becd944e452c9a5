"""Background jobs: thin wrappers that take ids and call a service."""

import datetime

from django_tasks import task


@task()
def refund_execute_task(*, refund_id: int) -> None:
    from .services import refund_execute

    refund_execute(refund_id=refund_id)


@task()
def orders_expire_task() -> int:
    from .services import orders_expire_due

    return orders_expire_due()


@task()
def reconciliation_task(*, date: str) -> int:
    from .services import reconciliation_run

    return reconciliation_run(date=datetime.date.fromisoformat(date)).pk


@task()
def dev_gateway_notify_task(*, trade_no: str) -> None:
    """The development gateway delivering one asynchronous notification."""
    from .devgateway.gateway import notification_deliver

    notification_deliver(trade_no=trade_no)
