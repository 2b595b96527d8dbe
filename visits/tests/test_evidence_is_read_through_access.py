"""Evidence is read only through `opendoors/access.py`, where the rule of who may read it lives.

The capture write path (visits/capture.py stores entries, answers a phone with what it
stored, and logs reads) may touch `Evidence` too; so may migrations and tests.
Any other module that fetches evidence itself (`Evidence.objects`, a reverse `.evidence`
relation, or an `evidence__…` lookup) fails here, however well it means.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"opendoors/access.py", "visits/capture.py"}
# Not application code: the virtualenv, front-end packages, and the sync benchmark, which
# counts what reached the database from outside the app.
SKIPPED_DIRS = {".venv", "node_modules", "bench", "migrations", "tests", "__pycache__"}


def app_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts[:-1])
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def evidence_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for each place a module fetches evidence itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            owner = node.value
            owner_name = getattr(owner, "id", None) or getattr(owner, "attr", None)
            if owner_name == "Evidence" and node.attr in {"objects", "_default_manager"}:
                found.append((node.lineno, f"Evidence.{node.attr}"))
            elif node.attr == "evidence":
                found.append((node.lineno, ".evidence"))
        elif isinstance(node, ast.keyword) and (node.arg or "").startswith("evidence__"):
            found.append((node.value.lineno, f"{node.arg}="))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("evidence__")
        ):
            found.append((node.lineno, repr(node.value)))
    return sorted(found)


def test_the_check_finds_each_way_of_reading_evidence():
    source = (
        "Evidence.objects.all()\n"
        "models.Evidence._default_manager.count()\n"
        "room.evidence.all()\n"
        "VisitClassroom.objects.filter(evidence__text='x')\n"
        "rooms.values_list('evidence__text')\n"
        "cycle.evidence_tool\n"
    )
    assert [line for line, _ in evidence_reads(source)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("path", app_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_but_access_reads_evidence(path):
    relative = str(path.relative_to(ROOT))
    if relative in ALLOWED:
        return
    reads = evidence_reads(path.read_text(encoding="utf-8"))
    assert reads == [], f"{relative} reads evidence itself at {reads}: use opendoors.access"
