"""The audit log's hash chain, as pure rules: how one entry is hashed, and how a walk over the log in
chain order finds the first entry that does not fit.

Each entry's hash covers its content and the previous entry's hash, so rewriting, removing, inserting or
reordering any entry changes a hash that every later entry depends on. The byte format below is frozen:
the migration that backfilled existing logs and every stored hash depend on it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .calendar import in_shanghai

GENESIS = "0" * 64  # the "previous hash" of the first entry

# The content the hash covers, in the names of the audit_log columns.
CONTENT_FIELDS = (
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
)


def canonical_at(at: datetime) -> str:
    """The instant in UTC to the microsecond. SQLite gives back the naive Shanghai wall time it stored,
    PostgreSQL an aware value in the session's zone: both name the same instant, so both hash alike."""
    return in_shanghai(at).astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(entry: Mapping[str, Any], prev_hash: str) -> bytes:
    """One serialisation for every database: sorted keys, no spaces, UTF-8 text as is."""
    content = {name: entry[name] for name in CONTENT_FIELDS}
    content["at"] = canonical_at(content["at"])
    content["changes"] = content["changes"] if content["changes"] is not None else {}
    content["prev_hash"] = prev_hash
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    """Hex SHA-256 of the entry's content (as read back from the database) chained to `prev_hash`."""
    return hashlib.sha256(canonical_bytes(entry, prev_hash)).hexdigest()


# Why a verification failed, stable codes for the API and the CLI.
REASONS = {
    "hash_mismatch": "记录内容或哈希值与链不符（记录被修改）",
    "link_broken": "记录未接续上一条记录的哈希（前后有记录被删除、插入或调换）",
    "seq_gap": "链序号不连续（有记录被删除或调换）",
    "unchained": "存在未入链的记录（在系统之外插入）",
    "beyond_head": "链头之后出现了多余的记录（在系统之外插入）",
    "tail_missing": "链尾的记录缺失（最近的记录被删除）",
    "head_mismatch": "最后一条记录的哈希与链头不符（链尾被改写）",
    "head_missing": "链头记录缺失",
}


@dataclass(frozen=True)
class ChainReport:
    entries: int
    chain_ok: bool
    first_bad_id: int | None = None
    reason: str | None = None  # a key of REASONS when the chain is broken

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None


@dataclass
class ChainWalk:
    """Consumes the chained entries in seq order; remembers the first one that breaks the chain."""

    checked: int = 0
    last_hash: str = GENESIS
    last_id: int | None = None
    bad_id: int | None = None
    reason: str | None = None

    @property
    def broken(self) -> bool:
        return self.bad_id is not None

    def feed(self, entries: Iterable[Mapping[str, Any]]) -> bool:
        """Check the next entries; False once the chain is broken (the caller may stop reading)."""
        for entry in entries:
            if self.broken:
                return False
            reason = self._check(entry)
            if reason:
                self.bad_id, self.reason = entry["id"], reason
                return False
            self.checked += 1
            self.last_hash, self.last_id = entry["hash"], entry["id"]
        return not self.broken

    def _check(self, entry: Mapping[str, Any]) -> str | None:
        if entry["seq"] != self.checked + 1:
            return "seq_gap"
        if entry["prev_hash"] != self.last_hash:
            return "link_broken"
        if entry["hash"] != entry_hash(entry, entry["prev_hash"]):
            return "hash_mismatch"
        return None

    def against_head(
        self, head: Mapping[str, Any] | None, id_at_seq: Callable[[int], int | None]
    ) -> tuple[int | None, str | None]:
        """After an unbroken walk: does the chain end where its head says? The head is written in the same
        transaction as the entries, so it guards the last entries, which no later entry links to."""
        if head is None:
            return (None, "head_missing") if self.checked else (None, None)
        if self.checked < head["last_seq"]:
            return head["last_entry_id"], "tail_missing"
        if self.checked > head["last_seq"]:
            return id_at_seq(head["last_seq"] + 1), "beyond_head"
        if self.checked and self.last_hash != head["last_hash"]:
            return self.last_id, "head_mismatch"
        return None, None
