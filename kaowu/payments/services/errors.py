class PaymentError(Exception):
    """Something a candidate or staff member caused or can act on; the message is shown as is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class OrderAlreadyPaid(PaymentError):
    """The order (or the unpaid order about to be replaced) turned out to be paid at the gateway."""
