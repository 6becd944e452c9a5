"""Audit actions come from one enum (kaowu.audit.events.AuditAction): a typo cannot invent an action,
and every action has its Chinese name on the audit log."""

import ast
import pathlib

import pytest

from kaowu.audit.events import AuditAction
from kaowu.audit.models import AuditEvent
from kaowu.audit.selectors import audit_action_label
from kaowu.audit.services import audit_record

KAOWU = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("action", ["candidate.veiw", "candidate.view", ""])
def test_a_string_is_refused_and_nothing_is_written(db, action):
    with pytest.raises(TypeError, match="AuditAction"):
        audit_record(actor=None, action=action)
    assert not AuditEvent.objects.exists()


def test_a_member_is_stored_as_its_code(db):
    event = audit_record(actor=None, action=AuditAction.CANDIDATE_VIEW)
    assert AuditEvent.objects.get(pk=event.pk).action == "candidate.view"


def test_every_action_has_a_chinese_name():
    assert len(AuditAction) > 100
    for action in AuditAction:
        label = audit_action_label(action.value)
        assert label != action.value and any("\u4e00" <= ch <= "\u9fff" for ch in label), action


def _audit_calls():
    """(file, line, source of the action argument) of every audit_record call in the application code."""
    for path in sorted(KAOWU.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_record":
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        yield path.relative_to(KAOWU.parent), node.lineno, keyword.value


def test_every_caller_passes_a_member_never_a_string():
    calls = list(_audit_calls())
    assert len(calls) > 70
    for path, line, value in calls:
        # A string literal or an f-string would only fail when that line runs; a member (or a name
        # holding one, or AuditAction(...) of a computed code, checked by the enum) is checked at once.
        strings = [n for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and not _inside_audit_action_call(value, n)]
        assert not strings, f"{path}:{line}: audit_record(action=...) must be an AuditAction member"


def _inside_audit_action_call(root, node) -> bool:
    for call in ast.walk(root):
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "AuditAction" and any(
                n is node for n in ast.walk(call)):
            return True
    return False


def test_the_computed_codes_are_members():
    """The workflow and catalog build codes from a verb: each one they build exists."""
    for verb in ("draft_saved", "submitted", "withdrawn", "deleted", "approved", "rejected", "returned",
                 "advanced", "score_review_result"):
        AuditAction(f"application.{verb}")
    for entity in ("major", "plan_course", "course", "sitting", "session", "sitting_course", "window",
                   "announcement"):
        AuditAction(f"catalog.{entity}.created")
        AuditAction(f"catalog.{entity}.updated")
