"""The one audit mechanism: every write a service makes is recorded here, in the same transaction.

Services call `record(...)`; nothing else writes to the audit log. Each entry joins the log's hash chain
when the transaction commits (services/audit_chain.py); `verify()` checks the chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from eloan import clock
from eloan.extensions import db
from eloan.models import AuditEntry
from eloan.services import audit_chain
from eloan.services.context import current_channel


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    actor,
    action: str,
    obj: Any = None,
    changes: dict | None = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
) -> AuditEntry:
    """Add an audit entry to the current session; the caller's commit makes it permanent."""
    if obj is not None:
        db.session.flush()  # so a new object has its id
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "system",
        action=action,
        object_type=object_type or "-",
        object_id=str(object_id if object_id is not None else "-"),
        changes=_plain(changes or {}),
        channel=current_channel(),
    )
    db.session.add(entry)
    return entry


def record_many(actor, action: str, object_type: str, items: Iterable[tuple[Any, dict]]) -> int:
    """The same entries record() writes, for many objects at once (bulk imports); one executemany, whose
    returned ids mark the rows for the chain at commit (they bypass the ORM's flush)."""
    from sqlalchemy import insert

    now = clock.now()
    rows = [
        {
            "at": now,
            "actor_id": getattr(actor, "id", None),
            "actor_name": getattr(actor, "username", None) or "system",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "changes": _plain(changes or {}),
            "channel": current_channel(),
        }
        for object_id, changes in items
    ]
    if rows:
        table = AuditEntry.__table__
        ids = db.session.execute(insert(table).returning(table.c.id), rows).scalars().all()
        audit_chain.track(db.session, ids)
    return len(rows)


def search(
    actor,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    actor_name: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEntry], int]:
    """The audit trail, newest first, for `auditor` and `admin` (one page and the total)."""
    from eloan.services.access import require

    require(actor, "audit.read")
    stmt = select(AuditEntry)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id not in (None, ""):
        stmt = stmt.where(AuditEntry.object_id == str(object_id))
    if actor_name:
        stmt = stmt.where(func.lower(AuditEntry.actor_name) == actor_name.lower())
    page = max(page, 1)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(per_page).offset((page - 1) * per_page)).all()
    return items, total


def page_of_entry(actor, entry_id: int, per_page: int = 50) -> int:
    """The page of the unfiltered trail (newest first) on which entry `entry_id` appears."""
    from eloan.services.access import require

    require(actor, "audit.read")
    newer = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id > entry_id))
    return newer // per_page + 1


def object_types(actor) -> list[str]:
    """The kinds of object the trail holds, for the auditor's filter."""
    from eloan.services.access import require

    require(actor, "audit.read")
    return list(db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)))
