class UserFacingError(Exception):
    """A problem the user caused or can fix. Services raise a subclass named after their domain;
    views show `message` as is (on `field` of the form when it names one), never a 500."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
