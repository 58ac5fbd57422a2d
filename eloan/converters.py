"""URL converters: `<int:...>` in every route (pages and API) only matches an id that can exist."""

from __future__ import annotations

from werkzeug.routing.converters import IntegerConverter

from eloan.domain.limits import MAX_ID


class IdConverter(IntegerConverter):
    """ASCII digits up to the id columns' maximum; anything larger is 404 like any missing id
    (instead of an integer overflow in PostgreSQL). \\d would also match full-width digits."""

    regex = r"[0-9]+"

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def register_converters(app) -> None:
    """Before any blueprint: rules take their converter when they are added."""
    app.url_map.converters["int"] = IdConverter
