"""Account use cases. One module per area: registration, login, codes, passwords, security."""


class AccountError(Exception):
    """A problem the user can fix; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
