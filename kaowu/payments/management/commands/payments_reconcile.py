import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "对账: compare the gateways' bills for a day (default: yesterday) with the platform's records. Run daily."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (local day); default yesterday.")
        parser.add_argument("--enqueue", action="store_true", help="Run as a background job (db_worker).")

    def handle(self, *args, date=None, enqueue=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate() - datetime.timedelta(days=1)
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        if enqueue:
            from kaowu.payments.tasks import reconciliation_task

            reconciliation_task.enqueue(date=day.isoformat())
            self.stdout.write("Enqueued.")
            return
        from kaowu.payments.services import PaymentError, reconciliation_run

        try:
            run = reconciliation_run(date=day)
        except PaymentError as exc:
            raise CommandError(exc.message) from None
        s = run.summary
        self.stdout.write(f"{day}: {s['bill_rows']} bill row(s), {s['matched']} matched, {s['repaired']} repaired "
                          f"(lost notifications), {s['refunded']} refunded (duplicate or late), {s['issues']} new issue(s)"
                          + (f"; bills unavailable: {', '.join(s['unreachable'])}" if s["unreachable"] else ""))
