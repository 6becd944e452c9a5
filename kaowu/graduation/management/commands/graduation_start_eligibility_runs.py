from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("毕业资格初审 at the start of a 毕业申请 window: queue one run when the province's window is open "
            "and no run was started since it opened. Idempotent; run every few minutes.")

    def handle(self, *args, **options):
        from kaowu.graduation.services import eligibility_run_autostart

        run = eligibility_run_autostart()
        if run is None:
            self.stdout.write("No 毕业资格初审 to start.")
        else:
            self.stdout.write(f"Queued 毕业资格初审 #{run.pk}.")
