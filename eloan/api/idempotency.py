"""Idempotency-Key for writes (API.md): the same key and request returns the first answer and changes
nothing; the same key with another request is refused.

The key is written in the same transaction as the change it guards: inserted (not committed) before
the handler runs, it is committed by the handler's own commit. So a crash or a database that drops
mid-write leaves no trace of the key, and the client's retry simply goes through. The unique index
on (user, key) also keeps two identical requests racing each other from both writing: the second
one's insert waits for the first transaction and then finds the key taken.

"The same request" is the same method, path, query and body — the body as parsed JSON (whitespace
and key order do not matter) or, for a form or upload, its fields and the files' contents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from flask import Response, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from eloan import clock
from eloan.api.problems import error, problem
from eloan.domain.calendar import in_shanghai
from eloan.extensions import db
from eloan.models import IdempotencyRecord

PENDING = 0
# A key still without its answer after this long was committed with its change by a process that died
# before it could record the answer: the change happened, the answer is lost.
ANSWER_LOST_AFTER = timedelta(minutes=1)


def _number(text: str) -> str:
    # 1, 1.0 and 1.00 are one number; the NUL marks it as a number, not the string "1".
    return "\0" + str(Decimal(text).normalize())


def _canonical_body() -> bytes:
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        files = []
        for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
            content = upload.stream.read()
            upload.stream.seek(0)  # the handler reads it again
            files.append([name, upload.filename or "", hashlib.sha256(content).hexdigest()])
        return json.dumps([sorted(request.form.items(multi=True)), files], ensure_ascii=False).encode()
    raw = request.get_data(cache=True) or b""
    if request.is_json:
        try:
            parsed = json.loads(raw, parse_float=_number, parse_int=_number)
        except (ValueError, RecursionError, ArithmeticError):  # ArithmeticError: 1e999999999999999999
            return raw  # not JSON we can read: the handler refuses it; the bytes identify it
        return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return raw


def _request_hash() -> str:
    digest = hashlib.sha256()
    query = json.dumps(sorted(request.args.items(multi=True)), ensure_ascii=False)
    for part in (request.method.encode(), request.path.encode(), query.encode(), _canonical_body()):
        digest.update(hashlib.sha256(part).digest())  # each part hashed alone: no two splits give one text
    return digest.hexdigest()


def _find(user, key: str) -> IdempotencyRecord | None:
    return db.session.scalars(
        select(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user.id, IdempotencyRecord.key == key)
        .execution_options(populate_existing=True)
    ).first()


def idempotent(user, key: str, run: Callable[[], Response]) -> Response:
    key = key.strip()
    if not key or len(key) > 200:
        return problem(400, [error("invalid_idempotency_key", "Idempotency-Key 须为 1–200 个字符。")])
    request_hash = _request_hash()
    record = _find(user, key)
    if record is None:
        record = IdempotencyRecord(
            user_id=user.id,
            key=key,
            method=request.method,
            path=request.path[:300],
            request_hash=request_hash,
            status_code=PENDING,
            response_body="",
        )
        db.session.add(record)
        try:
            db.session.flush()  # holds the key until the handler's transaction ends
        except IntegrityError:  # an identical request got there first and has committed
            db.session.rollback()
            record = _find(user, key)
        else:
            return _execute(user, key, record.id, request_hash, run)
    return _earlier_answer(record, request_hash)


def _earlier_answer(record: IdempotencyRecord | None, request_hash: str) -> Response:
    if record is not None and record.request_hash != request_hash:
        return problem(
            422, [error("idempotency_key_reused", "此 Idempotency-Key 已用于另一个请求，请为新请求使用新的键。")]
        )
    if record is None or record.status_code == PENDING:
        created = in_shanghai(record.created_at) if record is not None and record.created_at else None
        if created is not None and clock.now() - created > ANSWER_LOST_AFTER:
            return problem(
                409,
                [
                    error(
                        "idempotency_answer_lost",
                        "使用此 Idempotency-Key 的请求已执行，但服务中断使其结果未能保存。"
                        "请先查询相关记录确认结果；不要用新的键重复提交同一请求。",
                    )
                ],
            )
        return problem(
            409, [error("idempotency_request_in_progress", "相同 Idempotency-Key 的请求正在处理中，请稍后重试。")]
        )
    response = Response(
        record.response_body,
        status=record.status_code,
        mimetype="application/problem+json" if record.status_code >= 400 else "application/json",
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _forget(record_id: int) -> None:
    db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id).execution_options(synchronize_session=False)
    )
    db.session.commit()


def _execute(user, key: str, record_id: int, request_hash: str, run: Callable[[], Response]) -> Response:
    try:
        response = run()
    except Exception:
        db.session.rollback()
        _forget(record_id)  # committed with a change and then failed: a retry may run again
        raise
    db.session.rollback()  # whatever the handler left uncommitted is not ours to keep
    record = db.session.get(IdempotencyRecord, record_id, populate_existing=True)
    if response.status_code >= 500:
        if record is not None:
            _forget(record_id)  # a server error may be retried with the same key
        return response
    body = response.get_data(as_text=True)
    if record is None:
        # The handler changed nothing it committed (a refusal rolls back, the key with it): record its answer now.
        db.session.add(
            IdempotencyRecord(
                user_id=user.id,
                key=key,
                method=request.method,
                path=request.path[:300],
                request_hash=request_hash,
                status_code=response.status_code,
                response_body=body,
            )
        )
        try:
            db.session.commit()
        except IntegrityError:  # an identical request recorded its own answer meanwhile
            db.session.rollback()
        return response
    record.status_code = response.status_code
    record.response_body = body
    db.session.commit()
    return response
