"""Uploaded files between preview and commit, and what the two steps return.

The preview stores the file under <INSTANCE_DIR>/imports/<sha256>.xlsx and hands back the sha256
as the token; the commit reads that same file again, so what is committed is byte for byte what
was previewed. A sidecar <sha256>.json keeps the original filename and the kind of import.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from flask import current_app

from eloan import clock
from eloan.domain.errors import NotFound, Violation
from eloan.services.files import write_whole

# A preview nobody committed is personal data lying about; it goes after two days.
KEEP_SECONDS = 2 * 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel shows it
    uscc: str  # as written in the row (may be empty or invalid)
    violations: tuple[Violation, ...]

    @property
    def reasons(self) -> list[str]:
        return [v.message for v in self.violations]

    @property
    def place(self) -> str:
        """The row as a refusal names it."""
        return f"第 {self.row} 行（{self.uscc or '未填代码'}）"


@dataclass(frozen=True)
class ImportPreview:
    token: str
    filename: str
    kind: str  # enterprises | mu_ratings | loans
    rows: int  # non-empty data rows read (the template's example row not counted)
    good: int  # rows that would be imported
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    token: str
    filename: str
    kind: str
    rows: int  # data rows written
    enterprises: int  # enterprises created (registry import) or whose ratings changed (亩产效益 import)
    ratings_created: int
    ratings_updated: int


def _folder() -> Path:
    folder = Path(current_app.config["INSTANCE_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # another worker pruned it first
            pass


def clean_filename(filename: str | None) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return name[:200] or "未命名.xlsx"


def store(content: bytes, filename: str, kind: str, actor) -> str:
    folder = _folder()
    _prune(folder)
    token = hashlib.sha256(content).hexdigest()
    # Whole or not at all (a commit never reads a half-written file); a full disk says so beside the field.
    write_whole(folder / f"{token}.xlsx", content, field="file")
    meta = {
        "kind": kind,
        "filename": clean_filename(filename),
        "uploaded_by": getattr(actor, "username", None),
        "uploaded_at": clock.now().isoformat(),
    }
    try:
        write_whole(folder / f"{token}.json", json.dumps(meta, ensure_ascii=False).encode(), field="file")
    except BaseException:
        discard(token)
        raise
    return token


def load(token: str, kind: str) -> tuple[bytes, dict]:
    """The stored file and its sidecar, or NotFound (unknown, expired, committed, or another kind)."""
    missing = NotFound("导入文件不存在或已过期（预览后 2 天内有效，导入后即删除），请重新上传。")
    if not isinstance(token, str) or not _TOKEN.match(token):
        raise missing
    folder = _folder()
    try:
        content = (folder / f"{token}.xlsx").read_bytes()
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        raise missing from None
    if meta.get("kind") != kind or hashlib.sha256(content).hexdigest() != token:
        raise missing
    return content, meta


def discard(token: str) -> None:
    folder = _folder()
    for suffix in (".xlsx", ".json"):
        with contextlib.suppress(FileNotFoundError):
            (folder / f"{token}{suffix}").unlink()


def as_violations(errors: list[RowError]) -> list[Violation]:
    """Row errors as one RuleViolation's list, each message naming its row."""
    return [Violation(v.code, f"{e.place}：{v.message}", v.article, v.field) for e in errors for v in e.violations]
