"""The audit log proves itself: every entry joins a hash chain when its transaction commits, and
`verify()` walks the chain to find the first entry that was changed, removed, inserted or moved.

Why at commit, not in record(): services record mid-transaction and lock fund and claim rows later. Taking
the chain's lock in record() would let two transactions each hold what the other waits for. Here the chain
lock is the last thing a transaction takes, just before COMMIT, so the lock order is always "business rows,
then the chain", and the lock is held only for the few statements that extend the chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import bindparam, event, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from eloan import clock
from eloan.domain.audit_chain import GENESIS, ChainReport, ChainWalk, entry_hash
from eloan.extensions import db
from eloan.models import AuditChainHead, AuditEntry

_LOG = AuditEntry.__table__
_HEAD = AuditChainHead.__table__
_HEAD_ID = 1

# One transaction-scoped PostgreSQL advisory lock serialises the chain's writers. Unlike a row lock on the
# head it also works while the head row does not exist yet (a new or emptied database). The key is
# arbitrary but fixed: ASCII "eloanAUD".
_CHAIN_LOCK_KEY = 0x656C6F616E415544

# Ids of this session's audit rows inserted in the current transaction and not yet chained.
_UNCHAINED = "eloan.audit_unchained"

_CONTENT = [
    _LOG.c[name]
    for name in (
        "id",
        "seq",
        "at",
        "actor_id",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "changes",
        "channel",
        "prev_hash",
        "hash",
    )
]
_IDS_PER_STATEMENT = 500  # well under SQLite's and PostgreSQL's limits on bound parameters
VERIFY_BATCH = 5000


def track(session: Session, ids: Iterable[int]) -> None:
    """Mark rows inserted outside the ORM unit of work (bulk inserts) for chaining at commit."""
    ids = list(ids)
    if ids:
        session.info.setdefault(_UNCHAINED, set()).update(ids)


@event.listens_for(db.session, "after_flush")
def _collect_new_entries(session: Session, _flush_context) -> None:
    # After a flush the new objects have their ids and `session.new` still lists them.
    track(session, [obj.id for obj in session.new if isinstance(obj, AuditEntry)])


@event.listens_for(db.session, "before_commit")
def _chain_before_commit(session: Session) -> None:
    # Releasing a savepoint also fires before_commit; the chain is extended only by the real commit.
    if session.in_nested_transaction():
        return
    session.flush()  # every pending entry gets its row and id now, so none can slip in after the chain
    ids = session.info.pop(_UNCHAINED, None)
    if ids:
        chain_entries(session, ids)


@event.listens_for(db.session, "after_transaction_end")
def _forget_at_transaction_end(session: Session, transaction) -> None:
    # Rolled back or closed without commit: those rows are gone, nothing of theirs may reach the next commit.
    if transaction.parent is None:
        session.info.pop(_UNCHAINED, None)


def chain_entries(session: Session, ids: Iterable[int]) -> int:
    """Append the given unchained entries to the chain, in id order (the order they were written)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    # On SQLite this transaction has already inserted the entries, so it holds the database's write lock:
    # no other writer can move the head between the read below and this commit.
    head = _read_head(session)
    seq, prev = (head["last_seq"], head["last_hash"]) if head else _end_of_chain(session)
    rows = []
    wanted = sorted(ids)
    for start in range(0, len(wanted), _IDS_PER_STATEMENT):
        part = wanted[start : start + _IDS_PER_STATEMENT]
        # Read back exactly what the database will give a verifier (JSON parsed, timestamps as stored), so
        # the hash is computed over the same values verification will see. A rolled-back savepoint's rows
        # are simply gone.
        rows += (
            session.execute(select(*_CONTENT).where(_LOG.c.id.in_(part), _LOG.c.seq.is_(None)).order_by(_LOG.c.id))
            .mappings()
            .all()
        )
    if not rows:
        return 0
    links = []
    for row in rows:
        seq += 1
        entry = dict(row, seq=seq)
        digest = entry_hash(entry, prev)
        links.append({"b_id": row["id"], "b_seq": seq, "b_prev": prev, "b_hash": digest})
        prev = digest
    session.execute(
        update(_LOG)
        .where(_LOG.c.id == bindparam("b_id"))
        .values(seq=bindparam("b_seq"), prev_hash=bindparam("b_prev"), hash=bindparam("b_hash")),
        links,
    )
    values = {"last_seq": seq, "last_hash": prev, "last_entry_id": rows[-1]["id"], "updated_at": clock.now()}
    if head:
        session.execute(update(_HEAD).where(_HEAD.c.id == _HEAD_ID).values(**values))
    else:
        session.execute(insert(_HEAD).values(id=_HEAD_ID, **values))
    return len(rows)


def _read_head(conn: Session | Connection) -> dict[str, Any] | None:
    row = (
        conn.execute(select(_HEAD.c.last_seq, _HEAD.c.last_hash, _HEAD.c.last_entry_id).where(_HEAD.c.id == _HEAD_ID))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _end_of_chain(session: Session) -> tuple[int, str]:
    """Without a head row (a new or emptied database) the chain continues from its highest entry."""
    row = session.execute(
        select(_LOG.c.seq, _LOG.c.hash).where(_LOG.c.seq.is_not(None)).order_by(_LOG.c.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def verify(actor=None) -> ChainReport:
    """Walk the whole log in chain order, in batches, over one consistent snapshot.

    `actor` None is the operator at the CLI; otherwise `auditor` or `admin`."""
    if actor is not None:
        from eloan.services.access import require

        require(actor, "audit.read")
    with _snapshot() as conn:
        total = conn.scalar(select(func.count()).select_from(_LOG))
        head = _read_head(conn)
        walk = ChainWalk()
        for batch in _batches(conn):
            if not walk.feed(batch):
                return ChainReport(total, False, walk.bad_id, walk.reason)
        unchained = conn.scalar(select(func.min(_LOG.c.id)).where(_LOG.c.seq.is_(None)))
        if unchained is not None:
            return ChainReport(total, False, unchained, "unchained")
        bad_id, reason = walk.against_head(head, lambda seq: conn.scalar(select(_LOG.c.id).where(_LOG.c.seq == seq)))
    return ChainReport(total, reason is None, bad_id, reason)


def _batches(conn: Connection) -> Iterator[list]:
    """Keyset pages by seq: constant memory and an index range scan per page, however long the log."""
    after = 0
    while True:
        rows = (
            conn.execute(select(*_CONTENT).where(_LOG.c.seq > after).order_by(_LOG.c.seq).limit(VERIFY_BATCH))
            .mappings()
            .all()
        )
        if not rows:
            return
        yield rows
        after = rows[-1]["seq"]


class _snapshot:
    """A read-only connection that sees the log as of one moment, so entries committed by writers while
    the walk runs are neither half seen nor mistaken for tampering.

    PostgreSQL: a REPEATABLE READ transaction (MVCC, blocks nobody). SQLite: an explicit BEGIN whose shared
    lock keeps the snapshot; writers wait for the walk (SQLite has one writer at a time anyway)."""

    def __enter__(self) -> Connection:
        self.conn = db.engine.connect()
        if self.conn.dialect.name == "postgresql":
            self.conn = self.conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            self.conn = self.conn.execution_options(isolation_level="AUTOCOMMIT")
            self.conn.exec_driver_sql("BEGIN")
        return self.conn

    def __exit__(self, *exc) -> None:
        try:
            if self.conn.dialect.name == "postgresql":
                self.conn.rollback()
            else:
                self.conn.exec_driver_sql("ROLLBACK")
        finally:
            self.conn.close()
