"""Uploaded documents: recognised by their content (not their name), size-limited, stored outside
static/ under their SHA-256, served only through services that check who may see them.

A file is written whole or not at all (a unique temporary name beside it, renamed into place, removed
on any error), so a full disk leaves nothing behind to trip the next upload; the uploader is told
the storage is full and the administrators are notified.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import logging
import os
import tempfile
from contextlib import suppress
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from eloan import clock
from eloan.domain.errors import FileMissing, RuleViolation, StorageFull, Violation
from eloan.extensions import db
from eloan.models import StoredFile
from eloan.services import notifications

log = logging.getLogger(__name__)
_FULL = (errno.ENOSPC, errno.EDQUOT)

MAX_BYTES = 20 * 1024 * 1024
# Magic numbers of the formats the programme accepts (PDF scans and photos of stamped papers).
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff(content: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if content.startswith(magic)), None)


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored: StoredFile) -> Path:
    return upload_dir() / stored.sha256[:2] / stored.sha256


def store(actor, content: bytes, filename: str, *, field: str = "file", bank_id: int | None = None) -> StoredFile:
    """Keep an upload; added to the session, committed by the caller's transaction."""
    if not content:
        raise RuleViolation([Violation("file_empty", "上传的文件是空的，请重新选择文件。", None, field)])
    if len(content) > MAX_BYTES:
        raise RuleViolation(
            [
                Violation(
                    "file_too_large", f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请压缩或拆分后上传。", None, field
                )
            ]
        )
    kind = sniff(content)
    if kind is None:
        raise RuleViolation(
            [
                Violation(
                    "file_type_not_allowed", "只接受 PDF、JPEG 或 PNG 文件（按文件内容识别，不看扩展名）。", None, field
                )
            ]
        )
    digest = hashlib.sha256(content).hexdigest()
    target = upload_dir() / digest[:2] / digest
    if not target.exists():
        write_whole(target, content, field=field)
    stored = StoredFile(
        sha256=digest,
        filename=Path(filename or "upload").name[:255],
        content_type=kind,
        size=len(content),
        uploaded_by_id=getattr(actor, "id", None),
        bank_id=bank_id,
    )
    db.session.add(stored)
    return stored


def _storage_full(field: str, path: Path, exc: OSError) -> StorageFull:
    """Give up the use case, tell the administrators (once a day), and say so beside the field."""
    log.error("storage full writing %s: %s", path, exc)
    db.session.rollback()  # the upload's use case fails as a whole: nothing else it did is kept
    try:
        notifications.notify(
            notifications.users_with_roles("admin"),
            "storage_full",
            "服务器存储空间不足",
            f"{clock.now():%Y-%m-%d %H:%M} 保存上传文件失败：{path.parent} 所在磁盘已满。"
            "用户的上传均被拒绝，请尽快清理或扩容。",
            None,
            dedupe_key=f"storage_full:{clock.today()}",
        )
        db.session.commit()
    except Exception:  # the database may share the full disk; the log has the error
        db.session.rollback()
        log.exception("could not notify the administrators that the storage is full")
    return StorageFull(field)


def write_whole(path: Path, data: bytes, *, field: str = "file") -> None:
    """Write `data` as `path`, whole or not at all; a full disk is StorageFull (the caller's work is undone)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)  # never a half-written file under the final name
    except BaseException as exc:
        if temporary is not None:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
        if isinstance(exc, OSError) and exc.errno in _FULL:
            raise _storage_full(field, path, exc) from exc
        raise


def read(stored: StoredFile) -> bytes:
    path = path_of(stored)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        log.error("stored file %s (%s, sha256 %s) is missing from %s", stored.id, stored.filename, stored.sha256, path)
        raise FileMissing(stored.filename) from None


@dataclasses.dataclass(frozen=True)
class FileProblem:
    sha256: str
    path: Path
    record_ids: list[int]  # the stored_files rows naming this content
    filenames: list[str]


@dataclasses.dataclass
class FileCheck:
    """`eloan check-files`: the table of stored files against the upload folder."""

    rows: int = 0  # stored_files rows read
    contents: int = 0  # distinct contents (one file on disk each) checked
    missing: list[FileProblem] = dataclasses.field(default_factory=list)
    # On disk but not the content its name promises.
    corrupt: list[FileProblem] = dataclasses.field(default_factory=list)
    # On disk, named by no row (listed, never deleted by the check).
    orphans: list[Path] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file on disk, read in 1 MB pieces (uploads and backups may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_files() -> FileCheck:
    """Every row's file exists with the content its SHA-256 names; lists files no row names."""
    folder = upload_dir()
    by_content: dict[str, list[tuple[int, str]]] = {}
    for row_id, sha256, filename in db.session.execute(
        select(StoredFile.id, StoredFile.sha256, StoredFile.filename).order_by(StoredFile.id)
    ):
        by_content.setdefault(sha256, []).append((row_id, filename))
    result = FileCheck(rows=sum(len(rows) for rows in by_content.values()), contents=len(by_content))
    for sha256, rows in by_content.items():
        path = folder / sha256[:2] / sha256
        problem = FileProblem(sha256, path, [r for r, _ in rows], [f for _, f in rows])
        if not path.is_file():
            result.missing.append(problem)
        elif sha256_of(path) != sha256:
            result.corrupt.append(problem)
    result.orphans = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in by_content)
    return result
