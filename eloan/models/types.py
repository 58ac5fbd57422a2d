"""Exact decimal column types.

PostgreSQL stores NUMERIC(p, s) exactly. SQLite has no exact decimal type (it would go through
float), so there the same column is an integer count of the smallest unit (fen for money) and is
converted back on the way out. SUM() keeps the column's type, so aggregates stay exact on both.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator):
    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 2):
        super().__init__()
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)
        self._factor = Decimal(10) ** scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("float is not accepted for an exact decimal column")
        value = Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return int(value * self._factor)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            if isinstance(value, float):  # a SQL expression such as AVG() on SQLite
                return (Decimal(repr(value)) / self._factor).quantize(self._quantum, ROUND_HALF_UP)
            return (Decimal(int(value)) / self._factor).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)

    def __repr__(self) -> str:  # Alembic renders the type with this in migrations
        return f"ExactDecimal(precision={self.precision}, scale={self.scale})"

    @property
    def python_type(self):
        return Decimal


def Money():
    """CNY amount, exact to the fen."""
    return ExactDecimal(18, 2)


def Ratio():
    """Share or ratio such as 0.3000 or a computed 0.031234."""
    return ExactDecimal(9, 6)


def Rate():
    """Interest rate in percent, e.g. 3.4500."""
    return ExactDecimal(7, 4)
