"""亩产效益 classes from Excel (the evaluation's yearly A/B/C/D result, mu-benefit-evaluation.txt).

Each row is one enterprise's class for one year. The commit adds or corrects those years' ratings
and sets each enterprise's current class to its latest year, as services.enterprises.set_mu_rating
does for one — all rows in one transaction, or none.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from eloan import clock
from eloan.domain.errors import RuleViolation, Violation
from eloan.domain.registry import MU_CLASSES
from eloan.domain.uscc import normalise_uscc, uscc_problem
from eloan.extensions import db
from eloan.models import Enterprise, MuRating
from eloan.services import audit
from eloan.services.access import require
from eloan.services.spreadsheets import reading, storage
from eloan.services.spreadsheets.columns import EXAMPLE_USCC, MU_KINDS, MU_LABELS, MU_REQUIRED
from eloan.services.spreadsheets.storage import ImportPreview, ImportResult, RowError

KIND = "mu_ratings"
_NOTE_LENGTH = MuRating.__table__.c.note.type.length


@dataclass
class _Row:
    number: int
    uscc: str
    year: int | None
    mu_class: str | None
    note: str | None
    problems: list[Violation]


@dataclass(frozen=True)
class _Current:
    id: int
    mu_class: str | None
    mu_year: int | None


@dataclass(frozen=True)
class _Checked:
    rows: int
    good: list[_Row]
    errors: list[RowError]
    enterprises: dict[str, _Current]


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        year = value if isinstance(value, int) else int(str(value).strip().removesuffix("年"))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _parse(sheet_row: reading.SheetRow) -> _Row:
    values, problems = reading.convert(sheet_row, MU_KINDS, MU_LABELS)
    refused = {p.field for p in problems}
    uscc = normalise_uscc(values["uscc"]) if isinstance(values.get("uscc"), str) else ""
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
    return _Row(sheet_row.number, uscc, year, mu_class, note, problems)


def _check(content: bytes, *, lock: bool = False) -> _Checked:
    rows = [row for row in map(_parse, reading.read_rows(content, MU_LABELS, MU_REQUIRED))
            if row.uscc != EXAMPLE_USCC]
    if not rows:
        raise reading.file_error("no_rows", "表头下面没有评价数据（模板中的示例行不导入），请填写后再上传。")
    valid = [r for r in rows if r.uscc and not any(p.field == "uscc" for p in r.problems)]
    first: dict[tuple[str, int], int] = {}
    for row in valid:
        if row.year is None:
            continue
        key = (row.uscc, row.year)
        if key in first:
            row.problems.append(Violation("duplicate_in_file", f"{row.uscc} 的 {row.year} 年度评价与第 {first[key]} 行重复",
                                          None, "year"))
        else:
            first[key] = row.number
    codes = sorted({r.uscc for r in valid})
    stmt = select(Enterprise.id, Enterprise.uscc, Enterprise.mu_class, Enterprise.mu_year).where(
        Enterprise.uscc.in_(codes))
    if lock:  # the commit: no one else changes these enterprises' classes meanwhile
        stmt = stmt.with_for_update()
    known = {uscc: _Current(ident, cls, year) for ident, uscc, cls, year in db.session.execute(stmt)} if codes else {}
    for row in valid:
        if row.uscc not in known:
            row.problems.append(Violation("unknown_enterprise", f"统一社会信用代码 {row.uscc} 的企业尚未登记，请先导入企业信息",
                                          None, "uscc"))
    errors = [RowError(r.number, r.uscc, tuple(r.problems)) for r in rows if r.problems]
    return _Checked(len(rows), [r for r in rows if not r.problems], errors, known)


def preview_mu_import(actor, content: bytes, filename: str) -> ImportPreview:
    """Check an uploaded 亩产效益 sheet and keep it for the commit; nothing is written yet."""
    require(actor, "enterprises.write")
    checked = _check(content)
    return storage.kept_preview(actor, content, filename, KIND, checked)


def commit_mu_import(actor, token: str) -> ImportResult:
    """Write the previewed ratings — all, or if any row is bad now, none — and refresh current classes."""
    require(actor, "enterprises.write")
    content, meta = storage.load(token, KIND)
    try:
        checked = _check(content, lock=True)
        if checked.errors:
            raise RuleViolation(storage.as_violations(checked.errors))
        created, updated, touched = _write(actor, token, checked)
        # object_id holds 60 characters: the token's first 16 find the entry, the whole token is in changes.
        audit.record(actor, "enterprise.mu_import_batch", object_type="imports", object_id=token[:16],
                     changes={"filename": meta["filename"], "token": token, "rows": len(checked.good),
                              "enterprises": touched, "created": created, "updated": updated})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation([Violation("mu_rating_conflict", "导入过程中有评价被他人同时录入，本次未导入任何评价；请重新上传预览。",
                                       None, "file")]) from None
    except BaseException:
        db.session.rollback()
        raise
    storage.discard(token)
    return ImportResult(token=token, filename=meta["filename"], kind=KIND, rows=len(checked.good),
                        enterprises=touched, ratings_created=created, ratings_updated=updated)


def _write(actor, token: str, checked: _Checked) -> tuple[int, int, int]:
    """Insert new years, correct changed ones, move current classes; (created, updated, enterprises)."""
    now = clock.now()
    ratings = MuRating.__table__
    ids = sorted({checked.enterprises[r.uscc].id for r in checked.good})
    existing = {(eid, year): (rid, cls, note) for rid, eid, year, cls, note in db.session.execute(
        select(ratings.c.id, ratings.c.enterprise_id, ratings.c.year, ratings.c.mu_class, ratings.c.note)
        .where(ratings.c.enterprise_id.in_(ids)))}
    classes: dict[int, dict[int, str]] = {}  # enterprise → year → class, after this import
    for (eid, year), (_, cls, _) in existing.items():
        classes.setdefault(eid, {})[year] = cls

    inserts, updates = [], []
    changes: dict[int, dict[str, Any]] = {}
    rows_of: dict[int, list[int]] = {}
    for row in checked.good:
        eid = checked.enterprises[row.uscc].id
        rows_of.setdefault(eid, []).append(row.number)
        before = existing.get((eid, row.year))
        old_class, old_note = (before[1], before[2]) if before else (None, None)
        if before and (old_class, old_note) == (row.mu_class, row.note):
            continue  # the same evaluation again: nothing to write or audit
        if before:
            updates.append({"rating_id": before[0], "new_class": row.mu_class, "new_note": row.note})
        else:
            inserts.append({"enterprise_id": eid, "year": row.year, "mu_class": row.mu_class, "note": row.note,
                            "created_at": now})
        change = changes.setdefault(eid, {})
        if old_class != row.mu_class:
            change[f"mu_class_{row.year}"] = [old_class, row.mu_class]
        if old_note != row.note:
            change[f"note_{row.year}"] = [old_note, row.note]
        classes.setdefault(eid, {})[row.year] = row.mu_class

    if inserts:
        db.session.execute(insert(ratings), inserts)
    if updates:
        db.session.execute(update(ratings).where(ratings.c.id == bindparam("rating_id"))
                           .values(mu_class=bindparam("new_class"), note=bindparam("new_note")), updates)

    # The current class is the latest year's (as services.enterprises._refresh_current_mu).
    moved = []
    current_by_id = {c.id: c for c in checked.enterprises.values()}
    for eid in changes:
        year = max(classes[eid])
        current = current_by_id[eid]
        if (current.mu_class, current.mu_year) != (classes[eid][year], year):
            moved.append({"enterprise_id": eid, "new_class": classes[eid][year], "new_year": year, "now": now})
            changes[eid]["mu_class"] = [current.mu_class, classes[eid][year]]
            changes[eid]["mu_year"] = [current.mu_year, year]
    if moved:
        table = Enterprise.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("enterprise_id"))
                           .values(mu_class=bindparam("new_class"), mu_year=bindparam("new_year"),
                                   updated_at=bindparam("now")), moved)

    audit.record_many(actor, "enterprise.mu_rating", "enterprises", (
        (eid, {**change, "import_token": token, "import_rows": rows_of[eid]}) for eid, change in changes.items()))
    return len(inserts), len(updates), len(changes)
