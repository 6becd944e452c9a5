from kaowu.core.errors import UserFacingError


class PaymentError(UserFacingError):
    """Something a candidate or staff member caused or can act on; the message is shown as is."""


class OrderAlreadyPaid(PaymentError):
    """The order (or the unpaid order about to be replaced) turned out to be paid at the gateway."""
