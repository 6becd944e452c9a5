"""转考: 省内转考 (seed 001) and 考籍转出 (seeds 000, 002, 003) — application types of the workflow engine,
registered here — and 考籍转入 (seeds 000, 003; its own model and flow, `incoming.py`) with the
two-province electronic transfer (`package.py`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "kaowu.transfers"
    label = "transfers"
    verbose_name = _("转考")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kaowu.workflow.types import register

        from .out import TransferOut
        from .within import TransferWithinProvince

        user_logged_in.connect(match_incoming_transfers, dispatch_uid="transfers.match_incoming_transfers")
        register(TransferWithinProvince)
        register(TransferOut)


def match_incoming_transfers(sender, request, user, **kwargs) -> None:
    """A 考籍转入 that arrived before the person had an account (待匹配) becomes theirs when they log
    in (registration logs in too); the candidate is told then."""
    candidate = getattr(user, "candidate", None) if getattr(user, "is_candidate", False) else None
    if candidate is not None:
        from .services_in import incoming_transfers_match

        incoming_transfers_match(candidate=candidate)
