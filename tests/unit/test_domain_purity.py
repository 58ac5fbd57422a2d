"""domain/ imports nothing of the app but itself, and no web or database library (ARCHITECTURE.md)."""

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "eloan" / "domain"
ALLOWED_THIRD_PARTY = {"cn2an", "chinese_calendar"}


def _imported_top_levels(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_domain_imports_only_the_standard_library_and_its_pinned_helpers():
    for path in DOMAIN.glob("*.py"):
        for name in _imported_top_levels(path):
            assert name in sys.stdlib_module_names or name in ALLOWED_THIRD_PARTY, (path.name, name)


def test_domain_never_uses_float():
    for path in DOMAIN.glob("*.py"):
        assert "float(" not in path.read_text(encoding="utf-8"), path.name
