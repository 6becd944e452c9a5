from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("已失效: lapse 成绩复核 applications whose stamped form was not uploaded by the deadline "
            "(17:00 of the 3rd working day after submission). Run every hour or so.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run as a background job (db_worker).")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from kaowu.records.tasks import score_reviews_lapse_task

            score_reviews_lapse_task.enqueue()
            self.stdout.write("Enqueued.")
            return
        from kaowu.records.services import score_reviews_lapse_overdue

        self.stdout.write(f"Lapsed {score_reviews_lapse_overdue()} score review application(s).")
