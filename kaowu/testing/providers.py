"""A payment provider class that is not a development one, for tests of production settings (no real
channel's provider is part of kaowu yet): every call to its gateway fails."""

from kaowu.payments.providers.base import PaymentProvider, ProviderError


class StubPaymentProvider(PaymentProvider):
    name = "stub"
    development = False

    def create_payment(self, order, *, return_url: str, notify_url: str):
        raise ProviderError("stub gateway")

    def query(self, order):
        raise ProviderError("stub gateway")
