"""domain/ imports nothing of the app but itself, and no web or database library (ARCHITECTURE.md)."""

import ast
import sys
from pathlib import Path

import eloan.domain

ALLOWED_THIRD_PARTY = {"cn2an", "chinese_calendar"}
# mutmut 3 runs the tests on a mutated copy of the tree in <repo>/mutants/, whose domain files import its
# trampoline (mutmut.mutation.trampoline) and carry this marker on every generated line.
_MUTMUT_MARKER = "# mutmut generated"


def _domain_sources() -> Path:
    """The eloan/domain folder as written, also when the tests import the mutated copy under mutants/."""
    imported = Path(eloan.domain.__file__).resolve().parent
    for folder in imported.parents:
        if folder.name == "mutants":
            original = folder.parent / imported.relative_to(folder)
            if original.is_dir():
                return original
    return imported


DOMAIN = _domain_sources()


def _imported_top_levels(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_the_checked_folder_holds_the_domain_as_written():
    sources = sorted(p.name for p in DOMAIN.glob("*.py"))
    assert {"__init__.py", "money.py", "loans.py", "states.py"} <= set(sources), DOMAIN
    for path in DOMAIN.glob("*.py"):
        assert _MUTMUT_MARKER not in path.read_text(encoding="utf-8"), path


def test_domain_imports_only_the_standard_library_and_its_pinned_helpers():
    for path in DOMAIN.glob("*.py"):
        for name in _imported_top_levels(path):
            assert name in sys.stdlib_module_names or name in ALLOWED_THIRD_PARTY, (path.name, name)


def test_domain_never_uses_float():
    for path in DOMAIN.glob("*.py"):
        assert "float(" not in path.read_text(encoding="utf-8"), path.name
