from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "演示订单: create a demo order (报考费 of 1–3 courses) for a candidate, to try paying by hand."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The candidate's 身份证号 (or phone, or 考生号).")
        parser.add_argument("--courses", type=int, default=3)

    def handle(self, *args, user, courses, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError("Demo orders are only for demo mode or KAOWU_DEBUG.")
        from django.db.models import Q

        from kaowu.accounts.models import User
        from kaowu.payments.demo import demo_order_create

        account = User.objects.filter(Q(id_number=user.upper()) | Q(phone=user) | Q(candidate_number=user),
                                      kind=User.Kind.CANDIDATE).first()
        if account is None:
            raise CommandError(f"No candidate account {user}.")
        order = demo_order_create(user=account, courses=courses)
        self.stdout.write(f"Order {order.number} · ¥{order.amount} · pay at /payments/orders/{order.number}/")
