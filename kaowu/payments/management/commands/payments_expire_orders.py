from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "已过期: expire 待缴费 orders past their deadline (asks the gateway first). Run every minute or so."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run as a background job (db_worker).")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from kaowu.payments.tasks import orders_expire_task

            orders_expire_task.enqueue()
            self.stdout.write("Enqueued.")
            return
        from kaowu.payments.services import orders_expire_due

        self.stdout.write(f"Expired {orders_expire_due()} order(s).")
