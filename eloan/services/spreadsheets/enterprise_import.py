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
from sqlalchemy.exc import IntegrityError

from eloan import clock
from eloan.domain.errors import RuleViolation, Violation
from eloan.domain.registry import EnterpriseData, parse_enterprise_data
from eloan.domain.uscc import is_valid_uscc, normalise_uscc
from eloan.extensions import db
from eloan.models import Enterprise, MuRating
from eloan.services import audit
from eloan.services.access import require
from eloan.services.enterprises import AUDITED
from eloan.services.spreadsheets import reading, storage
from eloan.services.spreadsheets.columns import (ENTERPRISE_KINDS, ENTERPRISE_LABELS, ENTERPRISE_REQUIRED,
                                                 EXAMPLE_USCC)
from eloan.services.spreadsheets.storage import ImportPreview, ImportResult, RowError

KIND = "enterprises"


@dataclass
class _Row:
    number: int
    uscc: str
    data: EnterpriseData | None
    problems: list[Violation]


@dataclass(frozen=True)
class _Checked:
    rows: int
    good: list[_Row]
    errors: list[RowError]


def _read(content: bytes) -> list[_Row]:
    found = []
    for sheet_row in reading.read_rows(content, ENTERPRISE_LABELS, ENTERPRISE_REQUIRED):
        values, problems = reading.convert(sheet_row, ENTERPRISE_KINDS, ENTERPRISE_LABELS)
        uscc = normalise_uscc(values["uscc"]) if isinstance(values.get("uscc"), str) else ""
        if uscc == EXAMPLE_USCC:
            continue
        data, more = parse_enterprise_data(values)
        refused = {p.field for p in problems}  # a refused cell is not also reported as empty
        problems += [v for v in more if v.field not in refused]
        found.append(_Row(sheet_row.number, uscc, data, problems))
    if not found:
        raise reading.file_error("no_rows", "表头下面没有企业数据（模板中的示例行不导入），请填写后再上传。")
    return found


def _check(content: bytes) -> _Checked:
    """Every row's problems: the parser's, a code twice in the file, a code already registered."""
    rows = _read(content)
    first: dict[str, int] = {}
    for row in rows:
        if not is_valid_uscc(row.uscc):
            continue
        if row.uscc in first:
            row.problems.append(Violation("duplicate_in_file", f"统一社会信用代码 {row.uscc} 与第 {first[row.uscc]} 行重复",
                                          None, "uscc"))
        else:
            first[row.uscc] = row.number
    # One query for the whole file (see reading.MAX_ROWS for why it fits in one statement).
    taken = set(db.session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.in_(list(first))))) if first else set()
    for row in rows:
        if row.uscc in taken:
            row.problems.append(Violation("duplicate_uscc", f"统一社会信用代码 {row.uscc} 已登记，不能重复登记",
                                          None, "uscc"))
    errors = [RowError(r.number, r.uscc, tuple(r.problems)) for r in rows if r.problems]
    return _Checked(len(rows), [r for r in rows if not r.problems], errors)


def preview_enterprise_import(actor, content: bytes, filename: str) -> ImportPreview:
    """Check an uploaded registry sheet and keep it for the commit; nothing is written to the registry."""
    require(actor, "enterprises.write")
    checked = _check(content)
    return storage.kept_preview(actor, content, filename, KIND, checked)


def commit_enterprise_import(actor, token: str) -> ImportResult:
    """Import the previewed file: all its enterprises, or — if any row is bad now — none of them."""
    require(actor, "enterprises.write")
    content, meta = storage.load(token, KIND)
    checked = _check(content)  # again: the registry may have changed since the preview
    if checked.errors:
        raise RuleViolation(storage.as_violations(checked.errors))
    try:
        ratings = _insert(actor, token, checked.good)
        # object_id holds 60 characters: the token's first 16 find the entry, the whole token is in changes.
        audit.record(actor, "enterprise.import_batch", object_type="imports", object_id=token[:16],
                     changes={"filename": meta["filename"], "token": token, "enterprises": len(checked.good),
                              "mu_ratings": ratings})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation([Violation("duplicate_uscc", "导入过程中有企业已被他人登记，本次未导入任何企业；请重新上传预览。",
                                       None, "file")]) from None
    except BaseException:
        db.session.rollback()
        raise
    storage.discard(token)
    return ImportResult(token=token, filename=meta["filename"], kind=KIND, rows=len(checked.good),
                        enterprises=len(checked.good), ratings_created=ratings, ratings_updated=0)


def _insert(actor, token: str, rows: list[_Row]) -> int:
    """Enterprises, their ratings and one audit entry each, as executemany inserts; the rating count."""
    now = clock.now()
    enterprises = Enterprise.__table__
    records: list[dict[str, Any]] = [
        {**asdict(row.data), "sanctioned": False, "created_at": now, "updated_at": None} for row in rows
    ]
    inserted = db.session.execute(insert(enterprises).returning(enterprises.c.id, enterprises.c.uscc), records)
    ids = {uscc: ident for ident, uscc in inserted}

    # As services.enterprises._apply: a class with its year is that year's evaluation.
    ratings = [{"enterprise_id": ids[r.data.uscc], "year": r.data.mu_year, "mu_class": r.data.mu_class,
                "note": None, "created_at": now}
               for r in rows if r.data.mu_class and r.data.mu_year]
    if ratings:
        db.session.execute(insert(MuRating.__table__), ratings)

    audit.record_many(actor, "enterprise.import", "enterprises", (
        (ids[r.data.uscc], {"import_token": token, "import_row": r.number,
                            **audit.diff({}, audit.snapshot(r.data, AUDITED))}) for r in rows))
    return len(ratings)
