"""The registry from Excel (第三、四条): each row checked by the registry's own parser, and all rows
inserted in one transaction or none at all.

A district's first import can hold its whole registry (the bench: 20,000 rows), so the commit
writes with Core executemany inserts — enterprises, their 亩产效益 ratings, one audit entry each —
instead of 20,000 ORM objects and flushes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import insert, select

from eloan import clock
from eloan.domain.errors import Violation
from eloan.domain.registry import EnterpriseData, parse_enterprise_data
from eloan.domain.uscc import is_valid_uscc
from eloan.extensions import db
from eloan.models import Enterprise, MuRating
from eloan.services import audit
from eloan.services.access import require
from eloan.services.enterprises import AUDITED
from eloan.services.spreadsheets import flow
from eloan.services.spreadsheets.columns import ENTERPRISE_SHEET
from eloan.services.spreadsheets.storage import ImportPreview, ImportResult

KIND = "enterprises"


@dataclass
class _Row:
    number: int
    uscc: str
    data: EnterpriseData | None
    problems: list[Violation]


def _read(content: bytes) -> list[_Row]:
    rows = []
    for cells in flow.data_rows(content, ENTERPRISE_SHEET):
        data, more = parse_enterprise_data(cells.values)
        rows.append(_Row(cells.number, cells.uscc, data, cells.problems_with(more)))
    return rows


def _check(actor, content: bytes, *, lock: bool) -> flow.Checked[_Row]:
    """Every row's problems: the parser's, a code twice in the file, a code already registered.

    Nothing is locked, in the commit either: a code registered meanwhile is caught by its unique
    constraint (the import's conflict)."""
    rows = _read(content)
    first = flow.mark_repeats(
        rows,
        lambda row: row.uscc if is_valid_uscc(row.uscc) else None,
        lambda row, earlier: Violation(
            "duplicate_in_file", f"统一社会信用代码 {row.uscc} 与第 {earlier} 行重复", None, "uscc"
        ),
    )
    # One query for the whole file (see reading.MAX_ROWS for why it fits in one statement).
    taken = set(db.session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(list(first))))) if first else set()
    for row in rows:
        if row.uscc in taken:
            row.problems.append(
                Violation("duplicate_uscc", f"统一社会信用代码 {row.uscc} 已登记，不能重复登记", None, "uscc")
            )
    return flow.sort_out(rows)


def _write(actor, token: str, filename: str, checked: flow.Checked[_Row]) -> ImportResult:
    """Enterprises, their ratings and one audit entry each, as executemany inserts."""
    now = clock.now()
    rows = checked.good
    enterprises = Enterprise.__table__
    records: list[dict[str, Any]] = [
        {**asdict(row.data), "sanctioned": False, "created_at": now, "updated_at": None} for row in rows
    ]
    inserted = db.session.execute(insert(enterprises).returning(enterprises.c.id, enterprises.c.uscc), records)
    ids = {uscc: ident for ident, uscc in inserted}

    # As services.enterprises._apply: a class with its year is that year's evaluation.
    ratings = [
        {
            "enterprise_id": ids[r.data.uscc],
            "year": r.data.mu_year,
            "mu_class": r.data.mu_class,
            "note": None,
            "created_at": now,
        }
        for r in rows
        if r.data.mu_class and r.data.mu_year
    ]
    if ratings:
        db.session.execute(insert(MuRating.__table__), ratings)

    audit.record_many(
        actor,
        "enterprise.import",
        "enterprises",
        (
            (
                ids[r.data.uscc],
                {"import_token": token, "import_row": r.number, **audit.diff({}, audit.snapshot(r.data, AUDITED))},
            )
            for r in rows
        ),
    )
    return ImportResult(
        token=token,
        filename=filename,
        kind=KIND,
        rows=len(rows),
        enterprises=len(rows),
        ratings_created=len(ratings),
        ratings_updated=0,
    )


IMPORT = flow.SpreadsheetImport(
    kind=KIND,
    allowed=lambda actor: require(actor, "enterprises.write"),
    check=_check,
    write=_write,
    batch_action="enterprise.import_batch",
    summary=lambda result: {"enterprises": result.enterprises, "mu_ratings": result.ratings_created},
    conflict=Violation(
        "duplicate_uscc", "导入过程中有企业已被他人登记，本次未导入任何企业；请重新上传预览。", None, "file"
    ),
)


def preview_enterprise_import(actor, content: bytes, filename: str) -> ImportPreview:
    """Check an uploaded registry sheet and keep it for the commit; nothing is written to the registry."""
    return flow.preview(IMPORT, actor, content, filename)


def commit_enterprise_import(actor, token: str) -> ImportResult:
    """Import the previewed file: all its enterprises, or — if any row is bad now — none of them."""
    return flow.commit(IMPORT, actor, token)
