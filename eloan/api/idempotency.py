"""Idempotency-Key for writes (API.md): the same key and body returns the first answer and changes
nothing; the same key with another body is refused.

The key is reserved (committed) before the write runs, so two identical requests racing each other
cannot both write: the second sees the reservation and is told to retry.
"""
from __future__ import annotations

import hashlib
from typing import Callable

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eloan.api.problems import error, problem
from eloan.extensions import db
from eloan.models import IdempotencyRecord

PENDING = 0


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.get_data() or b"")
    return digest.hexdigest()


def idempotent(user, key: str, run: Callable[[], Response]) -> Response:
    key = key.strip()
    if not key or len(key) > 200:
        return problem(400, [error("invalid_idempotency_key", "Idempotency-Key 须为 1–200 个字符。")])
    request_hash = _request_hash()
    record = db.session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.user_id == user.id, IdempotencyRecord.key == key)).first()
    if record is None:
        record = IdempotencyRecord(user_id=user.id, key=key, method=request.method, path=request.path,
                                   request_hash=request_hash, status_code=PENDING, response_body="")
        db.session.add(record)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            record = db.session.scalars(select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == user.id, IdempotencyRecord.key == key)).one()
        else:
            return _execute(record, run)
    if record.request_hash != request_hash:
        return problem(422, [error("idempotency_key_reused",
                                   "此 Idempotency-Key 已用于另一个请求，请为新请求使用新的键。")])
    if record.status_code == PENDING:
        return problem(409, [error("idempotency_request_in_progress",
                                   "相同 Idempotency-Key 的请求正在处理中，请稍后重试。")])
    response = Response(record.response_body, status=record.status_code,
                        mimetype="application/problem+json" if record.status_code >= 400 else "application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _execute(record: IdempotencyRecord, run: Callable[[], Response]) -> Response:
    record_id = record.id
    try:
        response = run()
    except Exception:
        db.session.rollback()
        db.session.delete(db.session.get(IdempotencyRecord, record_id))
        db.session.commit()
        raise
    db.session.rollback()  # whatever the handler left uncommitted is not ours to keep
    record = db.session.get(IdempotencyRecord, record_id)
    if response.status_code >= 500:
        db.session.delete(record)  # a server error may be retried with the same key
    else:
        record.status_code = response.status_code
        record.response_body = response.get_data(as_text=True)
    db.session.commit()
    return response
