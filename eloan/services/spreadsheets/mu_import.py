"""亩产效益 classes from Excel (the evaluation's yearly A/B/C/D result, mu-benefit-evaluation.txt).

Each row is one enterprise's class for one year. The commit adds or corrects those years' ratings
and sets each enterprise's current class to its latest year, as services.enterprises.set_mu_rating
does for one — all rows in one transaction, or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from eloan import clock
from eloan.domain.errors import Violation
from eloan.domain.registry import MU_CLASSES
from eloan.domain.uscc import uscc_problem
from eloan.extensions import db
from eloan.models import Enterprise, MuRating
from eloan.services import audit
from eloan.services.access import require
from eloan.services.spreadsheets import flow
from eloan.services.spreadsheets.columns import MU_SHEET
from eloan.services.spreadsheets.storage import ImportPreview, ImportResult

KIND = "mu_ratings"
_NOTE_LENGTH = MuRating.__table__.c.note.type.length


@dataclass(frozen=True)
class _Current:
    id: int
    mu_class: str | None
    mu_year: int | None


@dataclass
class _Row:
    number: int
    uscc: str
    year: int | None
    mu_class: str | None
    note: str | None
    problems: list[Violation]
    enterprise: _Current | None = None  # as the check found it registered


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        year = value if isinstance(value, int) else int(str(value).strip().removesuffix("年"))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _parse(cells: flow.Cells) -> _Row:
    values, problems, refused, uscc = cells.values, cells.problems, cells.refused, cells.uscc
    if "uscc" not in refused:
        problem = uscc_problem(uscc) if uscc else "不能为空"
        if problem:
            problems.append(Violation("invalid_uscc", f"统一社会信用代码“{uscc}”无效：{problem}", "第三条", "uscc"))
    year = None
    if "year" not in refused:
        year = _year(values.get("year")) if values.get("year") is not None else None
        if year is None:
            problems.append(Violation("invalid_field", "评价年度：须为年份，如 2024", None, "year"))
    mu_class = None
    if "mu_class" not in refused:
        text = str(values.get("mu_class") or "").strip().upper().removesuffix("类")
        mu_class = text if text in MU_CLASSES else None
        if mu_class is None:
            problems.append(Violation("invalid_field", "亩产效益类别：请填写 A、B、C 或 D", None, "mu_class"))
    note = values.get("note")
    note = (note.strip() or None) if isinstance(note, str) else None
    if note and len(note) > _NOTE_LENGTH:
        problems.append(Violation("invalid_field", f"备注：不超过 {_NOTE_LENGTH} 个字符", None, "note"))
    return _Row(cells.number, uscc, year, mu_class, note, problems)


def _check(actor, content: bytes, *, lock: bool) -> flow.Checked[_Row]:
    rows = [_parse(cells) for cells in flow.data_rows(content, MU_SHEET)]
    valid = [r for r in rows if r.uscc and not any(p.field == "uscc" for p in r.problems)]
    flow.mark_repeats(
        valid,
        lambda row: (row.uscc, row.year) if row.year is not None else None,
        lambda row, earlier: Violation(
            "duplicate_in_file", f"{row.uscc} 的 {row.year} 年度评价与第 {earlier} 行重复", None, "year"
        ),
    )
    codes = sorted({r.uscc for r in valid})
    stmt = select(Enterprise.id, Enterprise.uscc, Enterprise.mu_class, Enterprise.mu_year).where(
        Enterprise.uscc.in_(codes)
    )
    if lock:  # the commit: no one else changes these enterprises' classes meanwhile
        stmt = stmt.with_for_update()
    known = {uscc: _Current(ident, cls, year) for ident, uscc, cls, year in db.session.execute(stmt)} if codes else {}
    for row in valid:
        row.enterprise = known.get(row.uscc)
        if row.enterprise is None:
            row.problems.append(
                Violation(
                    "unknown_enterprise", f"统一社会信用代码 {row.uscc} 的企业尚未登记，请先导入企业信息", None, "uscc"
                )
            )
    return flow.sort_out(rows)


def _write(actor, token: str, filename: str, checked: flow.Checked[_Row]) -> ImportResult:
    """Insert new years, correct changed ones, move current classes."""
    now = clock.now()
    ratings = MuRating.__table__
    ids = sorted({r.enterprise.id for r in checked.good})
    existing = {
        (eid, year): (rid, cls, note)
        for rid, eid, year, cls, note in db.session.execute(
            select(ratings.c.id, ratings.c.enterprise_id, ratings.c.year, ratings.c.mu_class, ratings.c.note).where(
                ratings.c.enterprise_id.in_(ids)
            )
        )
    }
    classes: dict[int, dict[int, str]] = {}  # enterprise → year → class, after this import
    for (eid, year), (_, cls, _) in existing.items():
        classes.setdefault(eid, {})[year] = cls

    inserts, updates = [], []
    changes: dict[int, dict[str, Any]] = {}
    rows_of: dict[int, list[int]] = {}
    for row in checked.good:
        eid = row.enterprise.id
        rows_of.setdefault(eid, []).append(row.number)
        before = existing.get((eid, row.year))
        old_class, old_note = (before[1], before[2]) if before else (None, None)
        if before and (old_class, old_note) == (row.mu_class, row.note):
            continue  # the same evaluation again: nothing to write or audit
        if before:
            updates.append({"rating_id": before[0], "new_class": row.mu_class, "new_note": row.note})
        else:
            inserts.append(
                {"enterprise_id": eid, "year": row.year, "mu_class": row.mu_class, "note": row.note, "created_at": now}
            )
        change = changes.setdefault(eid, {})
        if old_class != row.mu_class:
            change[f"mu_class_{row.year}"] = [old_class, row.mu_class]
        if old_note != row.note:
            change[f"note_{row.year}"] = [old_note, row.note]
        classes.setdefault(eid, {})[row.year] = row.mu_class

    if inserts:
        db.session.execute(insert(ratings), inserts)
    if updates:
        db.session.execute(
            update(ratings)
            .where(ratings.c.id == bindparam("rating_id"))
            .values(mu_class=bindparam("new_class"), note=bindparam("new_note")),
            updates,
        )

    # The current class is the latest year's (as services.enterprises._refresh_current_mu).
    moved = []
    current_by_id = {r.enterprise.id: r.enterprise for r in checked.good}
    for eid in changes:
        year = max(classes[eid])
        current = current_by_id[eid]
        if (current.mu_class, current.mu_year) != (classes[eid][year], year):
            moved.append({"enterprise_id": eid, "new_class": classes[eid][year], "new_year": year, "now": now})
            changes[eid]["mu_class"] = [current.mu_class, classes[eid][year]]
            changes[eid]["mu_year"] = [current.mu_year, year]
    if moved:
        table = Enterprise.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("enterprise_id"))
            .values(mu_class=bindparam("new_class"), mu_year=bindparam("new_year"), updated_at=bindparam("now")),
            moved,
        )

    audit.record_many(
        actor,
        "enterprise.mu_rating",
        "enterprises",
        ((eid, {**change, "import_token": token, "import_rows": rows_of[eid]}) for eid, change in changes.items()),
    )
    return ImportResult(
        token=token,
        filename=filename,
        kind=KIND,
        rows=len(checked.good),
        enterprises=len(changes),
        ratings_created=len(inserts),
        ratings_updated=len(updates),
    )


IMPORT = flow.SpreadsheetImport(
    kind=KIND,
    allowed=lambda actor: require(actor, "enterprises.write"),
    check=_check,
    write=_write,
    batch_action="enterprise.mu_import_batch",
    summary=lambda result: {
        "rows": result.rows,
        "enterprises": result.enterprises,
        "created": result.ratings_created,
        "updated": result.ratings_updated,
    },
    conflict=Violation(
        "mu_rating_conflict", "导入过程中有评价被他人同时录入，本次未导入任何评价；请重新上传预览。", None, "file"
    ),
)


def preview_mu_import(actor, content: bytes, filename: str) -> ImportPreview:
    """Check an uploaded 亩产效益 sheet and keep it for the commit; nothing is written yet."""
    return flow.preview(IMPORT, actor, content, filename)


def commit_mu_import(actor, token: str) -> ImportResult:
    """Write the previewed ratings — all, or if any row is bad now, none — and refresh current classes."""
    return flow.commit(IMPORT, actor, token)
