from kaowu.core.errors import UserFacingError

"""Account use cases. One module per area: registration, login, codes, passwords, security."""


class AccountError(UserFacingError):
    """A problem the user can fix; `field` names the form field it belongs to, if any."""
