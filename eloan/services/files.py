"""Uploaded documents: recognised by their content (not their name), size-limited, stored outside
static/ under their SHA-256, served only through services that check who may see them."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from eloan.domain.errors import RuleViolation, Violation
from eloan.extensions import db
from eloan.models import StoredFile

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
        raise RuleViolation([Violation("file_too_large", f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请压缩或拆分后上传。",
                                       None, field)])
    kind = sniff(content)
    if kind is None:
        raise RuleViolation([Violation("file_type_not_allowed", "只接受 PDF、JPEG 或 PNG 文件（按文件内容识别，不看扩展名）。",
                                       None, field)])
    digest = hashlib.sha256(content).hexdigest()
    target = upload_dir() / digest[:2] / digest
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".part")
        temporary.write_bytes(content)
        temporary.replace(target)  # never a half-written file under the final name
    stored = StoredFile(sha256=digest, filename=Path(filename or "upload").name[:255], content_type=kind,
                        size=len(content), uploaded_by_id=getattr(actor, "id", None), bank_id=bank_id)
    db.session.add(stored)
    return stored


def read(stored: StoredFile) -> bytes:
    return path_of(stored).read_bytes()
