"""Apps use the engine through its public API only: no module outside kaowu/workflow imports a
private name (`_move`, `_lock_for_staff` …) from kaowu.workflow, nor reaches one through a module it
imported (`engine._move(...)`). A type that needs more adds a public hook to the engine."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "kaowu" / "workflow"


def _python_files():
    for base in (ROOT / "kaowu", ROOT / "tests", ROOT / "bench"):
        for path in base.rglob("*.py"):
            if ENGINE not in path.parents and "migrations" not in path.parts:
                yield path


def private_uses(source: str) -> list[str]:
    """Every private engine name a module's source imports or reaches, as `line: name`."""
    tree = ast.parse(source)
    found, engine_modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kaowu.workflow"):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.lineno}: {node.module}.{alias.name}")
                else:  # `from kaowu.workflow import services as engine`: a module that may be reached into
                    engine_modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kaowu.workflow"):
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        found.append(f"{node.lineno}: {alias.name}")
                    engine_modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            target = ast.unparse(node.value)
            if target in engine_modules:
                found.append(f"{node.lineno}: {target}.{node.attr}")
    return found


def test_the_check_finds_a_private_import_and_a_private_attribute():
    source = ("from kaowu.workflow.services import _move, application_submit\n"
              "from kaowu.workflow import services as engine\n"
              "engine._lock_for_staff(None, None)\n"
              "engine.application_submit()\n")
    assert private_uses(source) == ["1: kaowu.workflow.services._move", "3: engine._lock_for_staff"]


def test_no_app_uses_a_private_name_of_the_engine():
    offenders = {}
    for path in _python_files():
        uses = private_uses(path.read_text(encoding="utf-8"))
        if uses:
            offenders[str(path.relative_to(ROOT))] = uses
    assert offenders == {}
