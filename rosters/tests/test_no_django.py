"""The readers and the scheduler run without Django: a command-line tool, a benchmark or
another project can use them with neither the web app nor its settings."""

import subprocess
import sys

PROGRAM = """
import importlib, pkgutil, sys
import rosters, scheduler
for package in (rosters, scheduler):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".tests" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
print(sorted(name for name in sys.modules if name.split(".")[0] == "django"))
"""


def test_neither_rosters_nor_scheduler_imports_django():
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
