"""Payment tests play the candidate (pages, the development cashier) and the gateway (signed
notifications, bills). Background jobs run in-process, after the transaction commits, as in the
embedded site: `committed` runs a block and then its on_commit callbacks."""

import pytest

from kaowu.payments.models import DevGatewayTransaction, Order
from kaowu.payments.services import order_create
from kaowu.testing.factories import CandidateFactory, UserFactory

from .helpers import COURSES


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` — run the block, then the jobs it enqueued on commit (and theirs)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def user(db):
    return UserFactory(real_name="李梦瑶")


@pytest.fixture
def make_order(committed):
    def make(user, *, reference: str = "reg-1", items=None, purpose=Order.Purpose.COURSE_REGISTRATION) -> Order:
        with committed():
            return order_create(user=user, purpose=purpose, reference=reference, items=items or COURSES, actor=user,
                                title="2027年4月自学考试报考费")

    return make


@pytest.fixture
def candidate(gansu, client):
    """A signed-in candidate (兰州市城关区)."""
    candidate = CandidateFactory(user__real_name="李梦瑶")
    client.force_login(candidate.user)
    return candidate


@pytest.fixture
def pay_on_gateway(client, committed):
    """The candidate: 去缴费 with a channel on the order page, then a choice on the cashier page.
    Returns (cashier response or redirect, trade)."""

    def pay(order: Order, *, channel: str = "wechat", action: str = "pay", notify_mode: str = "normal",
            delay_seconds: int = 60):
        response = client.post(f"/payments/orders/{order.number}/pay/", {"channel": channel})
        assert response.status_code == 302, response.content.decode()[:500]
        cashier_url = response["Location"]
        assert "/payments/dev-gateway/cashier/" in cashier_url
        assert client.get(cashier_url).status_code == 200
        with committed():
            result = client.post(cashier_url, {"action": action, "notify_mode": notify_mode,
                                               "delay_seconds": delay_seconds})
        trade = DevGatewayTransaction.objects.get(channel=channel, out_trade_no=order.number)
        return result, trade

    return pay


@pytest.fixture(autouse=True)
def _callbacks_restored():
    """Tests register their own callbacks and clear them; the apps' own (报考's) come back after."""
    from kaowu.payments.services import callbacks

    saved = {name: {k: list(v) for k, v in getattr(callbacks, name).items()}
             for name in ("_paid_callbacks", "_refund_callbacks")}
    yield
    for name, value in saved.items():
        registry = getattr(callbacks, name)
        registry.clear()
        registry.update(value)
