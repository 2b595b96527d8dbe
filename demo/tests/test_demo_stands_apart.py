"""The demo stands on every app and no app stands on it: the product runs without it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_OURS = {"demo", ".venv", "node_modules"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_other_app_imports_the_demo():
    ours = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in NOT_OURS]
    importers = [
        str(path.relative_to(ROOT))
        for folder in ours
        for path in folder.rglob("*.py")
        if any(name == "demo" or name.startswith("demo.") for name in imported_modules(path))
    ]
    assert importers == []


def test_the_check_would_see_an_import_of_the_demo(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("from demo.district import demo_schools\nimport demo.load\n")
    assert imported_modules(module) == {"demo.district", "demo.load"}
