"""The two steps every spreadsheet import takes, written once; each import supplies only what differs.

Preview: the role check, the sheet read and every row checked (reading only: the transaction is rolled
back), the file kept under its token. Commit: the role check, the kept file read back by its token, every
row checked again — now under the import's locks, as the data may have changed since the preview — then
the rows written with their audit entries and one entry for the whole file, in one transaction; any bad
row or failure rolls all of it back, so a file is imported whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError

from eloan.domain.errors import RuleViolation, Violation
from eloan.domain.uscc import normalise_uscc
from eloan.extensions import db
from eloan.services import audit
from eloan.services.spreadsheets import reading, storage
from eloan.services.spreadsheets.columns import EXAMPLE_USCC, Sheet
from eloan.services.spreadsheets.storage import ImportPreview, RowError

Result = TypeVar("Result")


# ---- reading and sorting the rows ------------------------------------------------------------------


@dataclass
class Cells:
    """One data row as read from the sheet, before the import's own parser."""

    number: int  # as Excel shows it
    uscc: str  # the credit code, normalised; "" when the cell holds no text
    values: dict[str, Any]  # field → the cell's value as the parsers take it
    problems: list[Violation]  # the cells refused as they stood

    @property
    def refused(self) -> set[str]:
        return {p.field for p in self.problems}

    def problems_with(self, more: list[Violation]) -> list[Violation]:
        """The refused cells' problems and the parser's, a refused cell not also reported as empty."""
        refused = self.refused
        return self.problems + [v for v in more if v.field not in refused]


def data_rows(content: bytes, sheet: Sheet) -> list[Cells]:
    """The sheet's data rows, the template's example row left out; a file with none is refused."""
    found = []
    for sheet_row in reading.read_rows(content, sheet.labels, sheet.required):
        values, problems = reading.convert(sheet_row, sheet.kinds, sheet.labels)
        code = values.get(sheet.uscc_field)
        uscc = normalise_uscc(code) if isinstance(code, str) else ""
        if uscc != EXAMPLE_USCC:
            found.append(Cells(sheet_row.number, uscc, values, problems))
    if not found:
        raise reading.file_error(
            "no_rows", f"表头下面没有{sheet.rows_are}数据（模板中的示例行不导入），请填写后再上传。"
        )
    return found


class Row(Protocol):
    number: int
    uscc: str
    problems: list[Violation]


Checkable = TypeVar("Checkable", bound=Row)


def mark_repeats(
    rows: list[Checkable], key: Callable[[Checkable], Hashable | None], problem: Callable[[Checkable, int], Violation]
) -> dict[Hashable, int]:
    """A row whose key an earlier row of the file has is the later row's mistake: it gets problem(row,
    the earlier row's number); the earlier row still stands on its own. A key of None is not compared.
    Returns each key's first row."""
    first: dict[Hashable, int] = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            row.problems.append(problem(row, first[value]))
        else:
            first[value] = row.number
    return first


@dataclass(frozen=True)
class Checked(Generic[Checkable]):
    rows: int  # data rows read
    good: list[Checkable]  # rows without a problem, in file order
    errors: list[RowError]  # one per row with a problem


def sort_out(rows: list[Checkable], error: Callable[[Checkable], RowError] | None = None) -> Checked[Checkable]:
    """The checked rows split into the good and the errors (by default named by row number and credit code)."""
    error = error or (lambda row: RowError(row.number, row.uscc, tuple(row.problems)))
    return Checked(len(rows), [r for r in rows if not r.problems], [error(r) for r in rows if r.problems])


# ---- the two steps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpreadsheetImport(Generic[Result]):
    """What one import does its own way; preview() and commit() do the rest."""

    kind: str  # the kept file's kind: one import's token is no token for another
    allowed: Callable[[Any], None]  # (actor): the role check, before anything is read; raises if not allowed
    check: Callable[..., Checked]  # (actor, content, *, lock): every row's problems; lock=True in the commit
    write: Callable[[Any, str, str, Checked], Result]  # (actor, token, filename, checked): rows and their audit
    batch_action: str  # the audit action of the entry for the whole file
    summary: Callable[[Result], dict[str, Any]]  # that entry's counts (after filename and token)
    conflict: Violation  # a unique constraint hit while writing: someone else wrote the same meanwhile


def preview(spec: SpreadsheetImport, actor, content: bytes, filename: str) -> ImportPreview:
    """Check an upload and keep it for the commit; nothing is written but the kept file."""
    spec.allowed(actor)
    try:
        checked = spec.check(actor, content, lock=False)
    finally:
        db.session.rollback()  # the check only reads
    token = storage.store(content, filename, spec.kind, actor)
    return ImportPreview(
        token=token,
        filename=storage.clean_filename(filename),
        kind=spec.kind,
        rows=checked.rows,
        good=len(checked.good),
        errors=checked.errors,
    )


def commit(spec: SpreadsheetImport[Result], actor, token: str) -> Result:
    """Import the previewed file: all its rows, or — if any row is bad now — none of them."""
    spec.allowed(actor)
    content, meta = storage.load(token, spec.kind)
    try:
        checked = spec.check(actor, content, lock=True)
        if checked.errors:
            raise RuleViolation(storage.as_violations(checked.errors))
        result = spec.write(actor, token, meta["filename"], checked)
        # object_id holds 60 characters: the token's first 16 find the entry, the whole token is in changes.
        audit.record(
            actor,
            spec.batch_action,
            object_type="imports",
            object_id=token[:16],
            changes={"filename": meta["filename"], "token": token, **spec.summary(result)},
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation([spec.conflict]) from None
    except BaseException:
        db.session.rollback()
        raise
    storage.discard(token)
    return result
