"""Reference data an administrator keeps, by API as on the admin pages."""
from __future__ import annotations

from decimal import Decimal

from flask import g

from eloan.api.registry import endpoint
from eloan.api.schemas import CalendarDayIn, CalendarDayOut, Lpr, LprIn
from eloan.services import reference


@endpoint("/calendar/days", "POST", summary="登记一天的节假日安排（国务院公布新年度安排时）", tag="admin",
          roles=("admin",), body=CalendarDayIn, response=CalendarDayOut, status=201, errors=(422,))
def set_calendar_day(body: CalendarDayIn):
    row = reference.set_calendar_day(g.api_user, body.date, body.workday, body.note)
    return CalendarDayOut(date=row.day, workday=row.is_workday, note=row.note).model_dump(mode="json"), 201


@endpoint("/lpr", "POST", summary="登记一年期LPR（自该日起适用）", tag="admin", roles=("admin",),
          body=LprIn, response=Lpr, status=201, errors=(422,))
def save_lpr(body: LprIn):
    row = reference.save_lpr(g.api_user, body.effective_from, Decimal(body.lpr_1y_percent), body.note)
    return Lpr(date=row.effective_from, lpr_1y_percent=f"{row.rate_1y_percent:.2f}",
               published=row.effective_from).model_dump(mode="json"), 201
