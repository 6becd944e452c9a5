"""演示订单: until 报考 exists, the demo tools create orders like the ones it will create."""

import secrets
from decimal import Decimal

from django.utils import timezone

from .models import Order
from .services import ItemSpec, order_create

DEMO_COURSES = [("00015", "英语（二）"), ("03708", "中国近现代史纲要"), ("00024", "普通逻辑")]
DEMO_FEE = Decimal("30.00")


def demo_order_create(*, user, courses: int = 3, fee: Decimal = DEMO_FEE) -> Order:
    today = timezone.localdate()
    sitting = f"{today.year + (1 if today.month >= 10 else 0)}年{4 if today.month < 4 or today.month >= 10 else 10}月"
    items = [ItemSpec(description=f"{code} {name} 报考费", amount=fee, reference=code)
             for code, name in DEMO_COURSES[:max(1, min(courses, len(DEMO_COURSES)))]]
    return order_create(user=user, purpose=Order.Purpose.DEMO, reference=f"demo-{secrets.token_hex(4)}",
                        items=items, actor=user, title=f"{sitting}自学考试报考费（演示）")
