"""Who may do what, and the ONE place that scopes data for bank users.

Every query that can return bank-owned rows goes through `scope()` or `get_scoped()`: a bank user
gets their own bank's rows only, and another bank's object is NotFound — never Forbidden, so its
existence is not revealed (API.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select

from eloan.domain.errors import Forbidden, NotFound
from eloan.domain.roles import PERMISSIONS
from eloan.extensions import db

# model → function(stmt, bank_id) adding the bank filter. Models with a bank_id column need no entry.
_SCOPERS: dict[type, Callable[[Select, int], Select]] = {}


def register_scoper(model: type, fn: Callable[[Select, int], Select]) -> None:
    _SCOPERS[model] = fn


NOT_PERMITTED = "您没有执行此操作的权限。"


def can(actor, action: str) -> bool:
    """Whether `actor` may do `action` of the permissions table (domain/roles.py)."""
    return actor is not None and actor.has_role(*PERMISSIONS[action])


def require(actor, action: str) -> None:
    """Forbidden unless `actor` may do `action` (domain/roles.py)."""
    if not can(actor, action):
        raise Forbidden(message=NOT_PERMITTED)


def is_bank_user(actor) -> bool:
    return bool(actor is not None and actor.has_role("bank"))


def scope(actor, model: type, stmt: Select | None = None) -> Select:
    """`stmt` (default: select(model)) restricted to what `actor` may see."""
    stmt = stmt if stmt is not None else select(model)
    if not is_bank_user(actor):
        return stmt
    bank_id = actor.bank_id
    if bank_id is None:  # a bank user without a bank sees nothing at all
        return stmt.where(False)
    if model in _SCOPERS:
        return _SCOPERS[model](stmt, bank_id)
    if model.__tablename__ == "banks":
        return stmt.where(model.id == bank_id)
    if hasattr(model, "bank_id"):
        return stmt.where(model.bank_id == bank_id)
    # A model with no route to a bank is not for bank users at all.
    return stmt.where(False)


def get_scoped(actor, model: type, ident: Any, *, column=None, for_update: bool = False):
    """One object by id (or by `column`), or NotFound if it does not exist or is not visible."""
    col = column if column is not None else model.id
    stmt = scope(actor, model).where(col == ident)
    if for_update:
        stmt = stmt.with_for_update()
    obj = db.session.scalars(stmt).first()
    if obj is None:
        raise NotFound(f"{model.__tablename__}:{ident}")
    return obj
