"""The hash of an audit entry: one byte format whatever database gave the values back."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from eloan.domain.audit_chain import GENESIS, ChainWalk, canonical_at, entry_hash

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _entry(**kw):
    entry = {"id": 1, "seq": 1, "at": datetime(2024, 9, 27, 10, 0, 0, 123456, tzinfo=SHANGHAI), "actor_id": 3,
             "actor_name": "zhao", "action": "loan.register", "object_type": "loans", "object_id": "7",
             "changes": {"amount": "500000.00", "企业": "甲"}, "channel": "web"}
    entry.update(kw)
    return entry


def test_sqlite_naive_wall_time_and_postgresql_aware_utc_name_the_same_instant():
    stored_by_sqlite = datetime(2024, 9, 27, 10, 0, 0, 123456)
    read_from_postgresql = datetime(2024, 9, 27, 2, 0, 0, 123456, tzinfo=timezone.utc)

    assert canonical_at(stored_by_sqlite) == canonical_at(read_from_postgresql) == "2024-09-27T02:00:00.123456+00:00"


def test_the_hash_depends_on_every_content_field_and_on_the_previous_hash():
    base = entry_hash(_entry(), GENESIS)
    changed = [_entry(id=2), _entry(seq=2), _entry(actor_id=4), _entry(actor_name="qian"), _entry(action="x"),
               _entry(object_type="claims"), _entry(object_id="8"), _entry(changes={"amount": "500000.01"}),
               _entry(channel="api"), _entry(at=datetime(2024, 9, 27, 10, 0, 0, 123457, tzinfo=SHANGHAI))]

    assert all(entry_hash(e, GENESIS) != base for e in changed)
    assert entry_hash(_entry(), "1" * 64) != base
    assert entry_hash(_entry(changes={"企业": "甲", "amount": "500000.00"}), GENESIS) == base  # key order is not content


def test_a_walk_stops_at_the_first_entry_that_does_not_link():
    first = dict(_entry(), prev_hash=GENESIS)
    first["hash"] = entry_hash(first, GENESIS)
    second = dict(_entry(id=2, seq=2), prev_hash="e" * 64)
    second["hash"] = entry_hash(second, second["prev_hash"])
    walk = ChainWalk()

    assert walk.feed([first, second]) is False
    assert (walk.checked, walk.bad_id, walk.reason) == (1, 2, "link_broken")
