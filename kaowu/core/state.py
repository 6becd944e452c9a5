"""Explicit state machines: the allowed transitions of a status field, written down in one place.

    VERIFICATION_FLOW = StateMachine({
        Status.UNVERIFIED: {Status.VERIFYING},
        Status.VERIFYING: {Status.PASSED, Status.FAILED},
        ...
    })
    VERIFICATION_FLOW.require(current, target)   # raises IllegalTransition

Each service that changes a status calls `require` and writes a history row in the same transaction.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext


class IllegalTransition(Exception):
    def __init__(self, current, target, message: str | None = None):
        self.current, self.target = current, target
        super().__init__(message or gettext("不能从“%(current)s”变为“%(target)s”")
                         % {"current": _label(current), "target": _label(target)})


def _label(value) -> str:
    return str(getattr(value, "label", value))


@dataclass(frozen=True)
class StateMachine:
    transitions: dict = field(default_factory=dict)

    def allowed(self, current, target) -> bool:
        return target in self.transitions.get(current, ())

    def require(self, current, target) -> None:
        if not self.allowed(current, target):
            raise IllegalTransition(current, target)

    def targets(self, current) -> set:
        return set(self.transitions.get(current, ()))
