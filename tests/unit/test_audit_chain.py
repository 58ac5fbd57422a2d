"""The hash of an audit entry: one byte format whatever database gave the values back."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from eloan.domain.audit_chain import GENESIS, ChainReport, ChainWalk, canonical_at, canonical_bytes, entry_hash

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _entry(**kw):
    entry = {
        "id": 1,
        "seq": 1,
        "at": datetime(2024, 9, 27, 10, 0, 0, 123456, tzinfo=SHANGHAI),
        "actor_id": 3,
        "actor_name": "zhao",
        "action": "loan.register",
        "object_type": "loans",
        "object_id": "7",
        "changes": {"amount": "500000.00", "企业": "甲"},
        "channel": "web",
    }
    entry.update(kw)
    return entry


def test_sqlite_naive_wall_time_and_postgresql_aware_utc_name_the_same_instant():
    stored_by_sqlite = datetime(2024, 9, 27, 10, 0, 0, 123456)
    read_from_postgresql = datetime(2024, 9, 27, 2, 0, 0, 123456, tzinfo=UTC)

    assert canonical_at(stored_by_sqlite) == canonical_at(read_from_postgresql) == "2024-09-27T02:00:00.123456+00:00"


def test_the_hash_depends_on_every_content_field_and_on_the_previous_hash():
    base = entry_hash(_entry(), GENESIS)
    changed = [
        _entry(id=2),
        _entry(seq=2),
        _entry(actor_id=4),
        _entry(actor_name="qian"),
        _entry(action="x"),
        _entry(object_type="claims"),
        _entry(object_id="8"),
        _entry(changes={"amount": "500000.01"}),
        _entry(channel="api"),
        _entry(at=datetime(2024, 9, 27, 10, 0, 0, 123457, tzinfo=SHANGHAI)),
    ]

    assert all(entry_hash(e, GENESIS) != base for e in changed)
    assert entry_hash(_entry(), "1" * 64) != base
    assert (
        entry_hash(_entry(changes={"企业": "甲", "amount": "500000.00"}), GENESIS) == base
    )  # key order is not content


def test_a_walk_stops_at_the_first_entry_that_does_not_link():
    first = dict(_entry(), prev_hash=GENESIS)
    first["hash"] = entry_hash(first, GENESIS)
    second = dict(_entry(id=2, seq=2), prev_hash="e" * 64)
    second["hash"] = entry_hash(second, second["prev_hash"])
    walk = ChainWalk()

    assert walk.feed([first, second]) is False
    assert (walk.checked, walk.bad_id, walk.reason) == (1, 2, "link_broken")


def _chain(n):
    """n entries chained as the audit log stores them (ids 11, 12, … so an id is never taken for a seq)."""
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = dict(_entry(id=10 + seq, seq=seq), prev_hash=prev)
        entry["hash"] = prev = entry_hash(entry, prev)
        entries.append(entry)
    return entries


def test_the_byte_format_is_frozen():
    # Every stored hash depends on these bytes: sorted keys, no spaces, Chinese as UTF-8, no changes as {}.
    assert (
        canonical_bytes(_entry(changes=None), GENESIS)
        == (
            '{"action":"loan.register","actor_id":3,"actor_name":"zhao","at":"2024-09-27T02:00:00.123456+00:00",'
            '"changes":{},"channel":"web","id":1,"object_id":"7","object_type":"loans",'
            f'"prev_hash":"{GENESIS}","seq":1}}'
        ).encode()
    )
    assert '"changes":{"amount":"500000.00","企业":"甲"}'.encode() in canonical_bytes(_entry(), GENESIS)


def test_the_hash_does_not_depend_on_the_servers_time_zone(monkeypatch):
    expected = "2024-09-27T02:00:00.123456+00:00"
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert canonical_at(datetime(2024, 9, 27, 10, 0, 0, 123456)) == expected
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_unbroken_walk_checks_every_entry_and_ends_where_the_head_says():
    entries = _chain(3)
    walk = ChainWalk()
    assert walk.feed(entries[:2]) is True
    assert walk.feed(entries[2:]) is True
    assert (walk.checked, walk.last_id, walk.last_hash, walk.broken) == (3, 13, entries[2]["hash"], False)
    head = {"last_seq": 3, "last_entry_id": 13, "last_hash": entries[2]["hash"]}
    assert walk.against_head(head, lambda seq: None) == (None, None)


def test_a_broken_walk_keeps_its_first_fault_and_reads_no_further():
    entries = _chain(4)
    entries[1] = dict(entries[1], seq=3)
    walk = ChainWalk()
    assert walk.feed(entries) is False
    assert walk.feed(_chain(1)) is False
    assert (walk.checked, walk.bad_id, walk.reason) == (1, 12, "seq_gap")


def test_a_rewritten_entry_no_longer_matches_its_hash():
    entries = _chain(2)
    entries[1] = dict(entries[1], action="loan.delete")
    walk = ChainWalk()
    walk.feed(entries)
    assert (walk.bad_id, walk.reason) == (12, "hash_mismatch")
    assert ChainReport(2, False, 12, "hash_mismatch").reason_text == "记录内容或哈希值与链不符（记录被修改）"
    assert ChainReport(2, True).reason_text is None


def test_the_head_guards_the_last_entries():
    entries = _chain(3)
    walk = ChainWalk()
    walk.feed(entries[:2])  # the last entry was deleted
    head = {"last_seq": 3, "last_entry_id": 13, "last_hash": entries[2]["hash"]}
    assert walk.against_head(head, lambda seq: None) == (13, "tail_missing")

    walk = ChainWalk()
    walk.feed(entries)  # an entry was chained after the head, outside the system
    head = {"last_seq": 2, "last_entry_id": 12, "last_hash": entries[1]["hash"]}
    assert walk.against_head(head, lambda seq: {3: 13}.get(seq)) == (13, "beyond_head")

    walk = ChainWalk()
    walk.feed(entries)  # the last entry was rewritten together with its hash
    head = {"last_seq": 3, "last_entry_id": 13, "last_hash": "f" * 64}
    assert walk.against_head(head, lambda seq: None) == (13, "head_mismatch")


def test_a_missing_head_is_a_fault_only_when_there_are_entries():
    walk = ChainWalk()
    assert walk.against_head(None, lambda seq: None) == (None, None)
    assert walk.against_head({"last_seq": 0, "last_entry_id": None, "last_hash": GENESIS}, lambda seq: None) == (
        None,
        None,
    )
    walk.feed(_chain(1))
    assert walk.against_head(None, lambda seq: None) == (None, "head_missing")
