"""Pydantic models of the API's inputs and outputs: they validate requests and feed /openapi.json."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from eloan.api.fields import RatePercent, Text, Time, column_length, text
from eloan.domain.limits import MAX_PAGE, MAX_PER_PAGE
from eloan.models import AuditEntry, CalendarDay, LprRate

T = TypeVar("T")

Amount = str  # in answers: "864197.52", two decimals, as a string (API.md); inputs use fields.Amount
RatioStr = str  # "0.7000": four decimals


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageQuery(Strict):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


class BankRef(BaseModel):
    code: str
    name: str


class Me(BaseModel):
    username: str
    display_name: str
    roles: list[str]
    bank: BankRef | None


class DateQuery(Strict):
    date: dt.date | None = Field(None, description="默认今天（Asia/Shanghai）")


class Policy(BaseModel):
    code: str
    name: str
    effective_from: date
    effective_to: date | None
    max_compensation_ratio: RatioStr
    min_bank_share: RatioStr
    rate_spread_bp: int
    max_term_months: int
    max_outstanding_per_enterprise: Amount
    filing_working_days: int
    opinion_days: int
    payout_days: int
    npl_ratio_threshold: RatioStr
    overdue_ratio_threshold: RatioStr
    fund_scale: Amount
    first_tranche: Amount
    eligible_industries: list[str]


class DeadlineQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: date = Field(alias="from", description="起算日（不计入）")
    working_days: int | None = Field(None, ge=1, le=366, description="N 个工作日后")
    days: int | None = Field(None, ge=1, le=3660, description="N 日后，遇非工作日顺延")

    @model_validator(mode="after")
    def exactly_one_period(self):
        if (self.working_days is None) == (self.days is None):
            raise ValueError("须且只能给出 working_days 或 days 之一")
        return self


class DeadlineOut(BaseModel):
    deadline: date
    provisional: bool = Field(description="期限落在尚未载入节假日安排的年份，按周一至周五暂计")
    end_of_day: Time


class Lpr(BaseModel):
    date: dt.date
    lpr_1y_percent: str
    published: date


class AuditQuery(PageQuery):
    object: Text | None = text(
        column_length(AuditEntry.object_type) + 1 + column_length(AuditEntry.object_id),
        default=None,
        description="对象类型，或“类型:编号”，如 users:3",
    )
    actor: Text | None = text(column_length(AuditEntry.actor_name), default=None, description="操作人用户名")


class AuditEntryOut(BaseModel):
    id: int
    at: Time
    actor: str
    action: str
    object_type: str
    object_id: str
    changes: dict
    channel: str | None


class AuditVerifyOut(BaseModel):
    entries: int = Field(description="审计日志的记录总数")
    chain_ok: bool = Field(description="哈希链完整：没有记录被修改、删除、插入或调换")
    first_bad_id: int | None = Field(description="第一条不符合哈希链的记录编号；链完整时为 null")
    reason: str | None = Field(
        None,
        description="断裂原因代码：hash_mismatch、link_broken、seq_gap、unchained、"
        "beyond_head、tail_missing、head_mismatch、head_missing",
    )
    message: str | None = Field(None, description="断裂原因的中文说明")


class CalendarDayIn(Strict):
    date: dt.date
    workday: bool = Field(description="true 调休上班 / 工作日；false 节假日")
    note: Text | None = text(column_length(CalendarDay.note), default=None)


class CalendarDayOut(BaseModel):
    date: dt.date
    workday: bool
    note: str | None


class LprIn(Strict):
    effective_from: dt.date
    lpr_1y_percent: RatePercent = Field(description="如 3.00")
    note: Text | None = text(column_length(LprRate.note), default=None)
