"""Mutation testing of the policy code: how many logic-changing mutants of eloan/domain/ tests/unit kills.

Runs mutmut (pinned in requirements-dev.txt, configured under [tool.mutmut] in pyproject.toml) and prints,
per domain module and in total, the mutants killed and survived. Run it from the repository root:

    .venv/bin/python bench/mutation.py                  # fresh run (deletes mutants/ first), then the table
    .venv/bin/python bench/mutation.py --no-run         # the table for the last run's results
    .venv/bin/python bench/mutation.py --only "eloan.domain.loans.*"   # re-run one module's mutants after a change
    .venv/bin/python bench/mutation.py --no-run --survivors   # ... and the diff of every surviving mutant

Message-text mutants are counted apart, not in the score. A mutant is message text when the only thing it
changes is string literals (f-strings included), each turned into another string or None, and each changed
literal is a message for people: it holds a Chinese character (every Violation, StateConflict and page message
is Chinese, and so is an article reference such as 第十五条), or it is part of a `raise` statement (an exception's
text). A mutant that changes a code, a status name, a field name or a key is logic, whatever its language; so is
one that drops an argument, even a message.

Surviving mutants listed in bench/mutation_equivalent.txt (one mutant name a line, `#` starts a comment) are
equivalent: no input tells them from the original (bench/README.md says why for each). They still count as
survived in the score; the table shows them apart so the rest are the ones a test should kill.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = Path("eloan/domain")
EQUIVALENT_LIST = ROOT / "bench" / "mutation_equivalent.txt"
# Ideographs, CJK and full-width punctuation (“，。、”): text written for people reading Chinese.
_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d]")
# mutmut's exit codes (mutmut/stats.py): a failing test run is a kill, a hanging one too.
_KILLED = {1, 3, 36, -24, 24, 152, 255}


@dataclass
class Mutant:
    name: str
    module: str
    exit_code: int | None
    message_text: bool
    diff: str

    @property
    def killed(self) -> bool:
        return self.exit_code in _KILLED


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            found.update({n.name: n for n in node.body if isinstance(n, ast.FunctionDef)})
    return found


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _changed_strings(orig: ast.AST, mutant: ast.AST, in_raise: bool = False):
    """(original text, inside a raise) for each string literal (f-strings too) that the mutant changed into another
    string or None; None if the mutant changed anything else."""
    if _is_text(orig) and ast.dump(orig) != ast.dump(mutant):
        replaced = _is_text(mutant) or (isinstance(mutant, ast.Constant) and mutant.value is None)
        return [(ast.unparse(orig), in_raise)] if replaced else None
    if type(orig) is not type(mutant):
        return None
    if isinstance(orig, ast.Constant):
        same = orig.value == mutant.value and type(orig.value) is type(mutant.value)
        return [] if same else None
    in_raise = in_raise or isinstance(orig, ast.Raise)
    changed = []
    for field in orig._fields:
        a, b = getattr(orig, field), getattr(mutant, field)
        if isinstance(a, list) != isinstance(b, list) or (isinstance(a, list) and len(a) != len(b)):
            return None
        for x, y in zip(a, b, strict=False) if isinstance(a, list) else [(a, b)]:
            if isinstance(x, ast.AST):
                sub = _changed_strings(x, y, in_raise)
                if sub is None:
                    return None
                changed += sub
            elif x != y:
                return None
    return changed


def _renamed(function: ast.FunctionDef, name: str) -> ast.FunctionDef:
    """The function under the original's name: mutmut names each copy apart, the signature and body are compared."""
    renamed = copy.copy(function)
    renamed.name = name
    return renamed


def is_message_text(orig: ast.FunctionDef, mutant: ast.FunctionDef) -> bool:
    changed = _changed_strings(orig, _renamed(mutant, orig.name))
    return bool(changed) and all(_CJK.search(text) or in_raise for text, in_raise in changed)


def load_mutants(root: Path = ROOT) -> list[Mutant]:
    mutants = []
    for meta in sorted((root / "mutants" / DOMAIN).glob("*.py.meta")):
        source = meta.with_suffix("")
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not exit_codes:
            continue
        functions = _functions(ast.parse(source.read_text(encoding="utf-8")))
        for name, exit_code in exit_codes.items():
            generated = name.rpartition(".")[2]
            orig = functions[generated.rpartition("__mutmut_")[0] + "__mutmut_orig"]
            mutant = functions[generated]
            diff = "\n".join(
                difflib.unified_diff(
                    ast.unparse(orig).splitlines(),
                    ast.unparse(_renamed(mutant, orig.name)).splitlines(),
                    n=1,
                    lineterm="",
                )
            )
            mutants.append(Mutant(name, source.stem, exit_code, is_message_text(orig, mutant), diff))
    return mutants


def equivalent_names() -> set[str]:
    if not EQUIVALENT_LIST.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in EQUIVALENT_LIST.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def summarise(mutants: list[Mutant], equivalent: set[str]) -> list[str]:
    rows = []
    header = f"{'module':<14}{'mutants':>8}{'message':>8}{'logic':>7}{'killed':>7}{'survived':>9}{'equiv':>6}  killed %"
    rows.append(header)
    rows.append("-" * len(header))
    modules = sorted({m.module for m in mutants})
    for module in modules + ["TOTAL"]:
        group = [m for m in mutants if module in ("TOTAL", m.module)]
        logic = [m for m in group if not m.message_text]
        killed = sum(m.killed for m in logic)
        equiv = sum(1 for m in logic if not m.killed and m.name in equivalent)
        share = f"{100 * killed / len(logic):6.1f} %" if logic else "     –"
        if module == "TOTAL":
            rows.append("-" * len(header))
        rows.append(
            f"{module:<14}{len(group):>8}{len(group) - len(logic):>8}{len(logic):>7}{killed:>7}"
            f"{len(logic) - killed:>9}{equiv:>6}  {share}"
        )
    return rows


def _status(m: Mutant) -> str:
    if m.killed:
        return "killed"
    return {0: "survived", None: "not checked", 5: "no tests", 33: "no tests"}.get(m.exit_code, f"exit {m.exit_code}")


def _mutmut(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    executable = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
    return subprocess.run([executable, *args], cwd=ROOT, check=False, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-run", action="store_true", help="summarise the results already in mutants/")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="PATTERN",
        help='re-run these mutants only (e.g. "eloan.domain.loans.*"), keeping the other results in mutants/',
    )
    parser.add_argument("--max-children", type=int, default=2, help="parallel test processes (default 2)")
    parser.add_argument("--survivors", action="store_true", help="print the diff of each surviving logic mutant")
    args = parser.parse_args()

    if not args.no_run:
        if args.only:
            # mutmut re-reads which tests call which function only for tests it has not seen: after editing tests,
            # forget them all, or an edited test is still charged with what it called before.
            (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        else:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        started = time.monotonic()
        command = ["run", "--max-children", str(args.max_children), *(args.only or [])]
        done = _mutmut(command, stdout=subprocess.DEVNULL)
        print(f"mutmut run: {time.monotonic() - started:.0f} s, exit code {done.returncode}")
        if done.returncode != 0:
            return done.returncode

    mutants = load_mutants()
    if not mutants:
        print("no results in mutants/: run without --no-run first")
        return 1
    equivalent = equivalent_names()
    print("\n".join(summarise(mutants, equivalent)))
    statuses = Counter(_status(m) for m in mutants)
    print(f"by mutmut status: {dict(statuses)}")

    survivors = [m for m in mutants if not m.message_text and not m.killed and m.name not in equivalent]
    stale = equivalent - {m.name for m in mutants if not m.killed}
    if stale:
        print(f"listed as equivalent but killed or gone: {', '.join(sorted(stale))}")
    if args.survivors:
        for m in survivors:
            print(f"\n# {m.name}: {_status(m)}\n{m.diff}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
