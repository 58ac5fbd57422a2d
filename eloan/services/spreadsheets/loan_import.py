"""A bank's programme loans from Excel (第六、七、八、十条): every row through the registration rules, and
the rows against each other; then all loans in one transaction, or none.

A row is judged as loans.register judges a loan: parse_loan_input, then the rules of
domain.eligibility.check_loan on the facts loans.check_registration reads (policy and LPR on the contract
date, the list in force, the enterprise, the bank, the balance at all banks, the bank's contract numbers).
For 10,000 rows those facts are read once for the whole file instead of nine queries a row (which took
minutes); a row whose enterprise is not in the registry goes to loans.check_registration itself.

What one row cannot see is the rest of the file: a contract number written twice, and the ¥5M cap of
第六条 passed only by several rows together. Both are checked here, in file order: a row counts towards
the cap once it is itself good, on top of the enterprise's balance at all banks.

The preview reads without locks and rolls back. The commit locks every enterprise of the file (in id
order, so two imports cannot deadlock), checks again and inserts in the same transaction, so no other
registration can slip under the cap in between. No lock is taken row by row: on SQLite, locks.lock_row's
ORM update scans the session's identity map, which made 10,000 rows quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from eloan.domain.eligibility import LoanFacts, check_loan
from eloan.domain.errors import NoPolicyInForce, RuleViolation, Violation
from eloan.domain.loan_input import LoanInput, parse_loan_input
from eloan.domain.money import format_money
from eloan.extensions import db
from eloan.models import Enterprise, ListEntry, Loan
from eloan.services import audit, banks, enterprises, lists, loans
from eloan.services.access import require
from eloan.services.reference import lpr_on, policy_on
from eloan.services.spreadsheets import flow
from eloan.services.spreadsheets.columns import LOAN_SHEET
from eloan.services.spreadsheets.storage import ImportPreview, RowError

KIND = "loans"
CAP = "enterprise_cap_exceeded"
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LoanRowError(RowError):
    """A bad row, named as a bank names a loan: by its contract number as well as the enterprise."""

    contract_no: str = ""

    @property
    def place(self) -> str:
        return f"第 {self.row} 行（合同 {self.contract_no or '未填编号'}，{self.uscc or '未填代码'}）"


@dataclass(frozen=True)
class LoanImportResult:
    token: str
    filename: str
    kind: str
    rows: int  # loans registered
    amount: Decimal  # their total
    enterprises: int  # distinct borrowers


@dataclass
class _Row:
    number: int
    uscc: str
    contract_no: str
    data: LoanInput | None
    problems: list[Violation]
    context: loans.RegistrationContext | None = None  # as check_registration's: what new_loan needs


# ---- reading ---------------------------------------------------------------------------------------


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _read(content: bytes) -> list[_Row]:
    rows = []
    for cells in flow.data_rows(content, LOAN_SHEET):
        data, more = parse_loan_input(cells.values)
        rows.append(
            _Row(cells.number, cells.uscc, _text(cells.values.get("contract_no")), data, cells.problems_with(more))
        )
    return rows


# ---- the facts of registration, read once for the whole file -------------------------------------


class _Facts:
    """What check_registration reads for one loan, for all loans of a file: one query per kind of fact
    (or per contract date, of which a file has few), through the same service functions where they exist."""

    def __init__(self, bank, datas: list[LoanInput], *, lock: bool):
        self.bank = bank
        self._bank_facts: dict[date, object] = {}
        self.enterprises = self._enterprises({d.enterprise_uscc for d in datas}, lock)
        self.taken = self._taken({d.contract_no for d in datas})
        self.balances = {e.id: loans.outstanding_at_all_banks(e.id) for e in self.enterprises.values()}
        self._policies: dict[date, object] = {}
        self._lprs: dict[date, object] = {}
        self._batches: dict[date, object] = {}
        self._listed: dict[int, set[int]] = {}  # batch → the file's enterprises on it
        self._enterprise_facts: dict[int, object] = {}

    def bank_facts(self, drawdown: date):
        """The bank as it stood on the drawdown date (第十八条), once per date in the file."""
        if drawdown not in self._bank_facts:
            self._bank_facts[drawdown] = banks.facts_on(self.bank, drawdown)
        return self._bank_facts[drawdown]

    @staticmethod
    def _enterprises(codes: set[str], lock: bool) -> dict[str, Enterprise]:
        if not codes:
            return {}
        if lock and db.engine.dialect.name == "sqlite":
            # SQLite has no row locks: a no-op write takes the database write lock (as locks.lock_row does),
            # and holds it to the commit. A Core statement, so the session does not scan its identity map.
            db.session.execute(
                update(Enterprise.__table__)
                .where(Enterprise.__table__.c.uscc.in_(codes))
                .values(id=Enterprise.__table__.c.id)
            )
        stmt = select(Enterprise).where(Enterprise.uscc.in_(codes)).order_by(Enterprise.id)
        if lock:
            stmt = stmt.with_for_update()
        return {e.uscc: e for e in db.session.scalars(stmt.execution_options(populate_existing=True))}

    def _taken(self, numbers: set[str]) -> set[str]:
        if not numbers:
            return set()
        return set(
            db.session.scalars(
                select(Loan.contract_no).where(Loan.bank_id == self.bank.id, Loan.contract_no.in_(numbers))
            )
        )

    def policy(self, on: date):
        """The policy in force on the date, or the NoPolicyInForce that says there is none."""
        if on not in self._policies:
            try:
                self._policies[on] = policy_on(on)
            except NoPolicyInForce as exc:
                self._policies[on] = exc
        return self._policies[on]

    def lpr(self, on: date):
        """The LPR row in force on the date, or the RuleViolation lpr_on raises when there is none."""
        if on not in self._lprs:
            try:
                self._lprs[on] = lpr_on(on)
            except RuleViolation as exc:
                self._lprs[on] = exc
        return self._lprs[on]

    def batch(self, on: date):
        if on not in self._batches:
            self._batches[on] = lists.batch_in_force(on)
        return self._batches[on]

    def on_list(self, enterprise_id: int, on: date) -> bool:
        """As lists.on_list: the enterprise is on the batch in force on the date."""
        batch = self.batch(on)
        if batch is None:
            return False
        if batch.id not in self._listed:  # one query per batch, for all enterprises of the file
            ids = [e.id for e in self.enterprises.values()]
            self._listed[batch.id] = set(
                db.session.scalars(
                    select(ListEntry.enterprise_id).where(
                        ListEntry.batch_id == batch.id, ListEntry.enterprise_id.in_(ids)
                    )
                )
            )
        return enterprise_id in self._listed[batch.id]

    def enterprise_facts(self, enterprise: Enterprise):
        if enterprise.id not in self._enterprise_facts:
            self._enterprise_facts[enterprise.id] = enterprises.facts(enterprise)
        return self._enterprise_facts[enterprise.id]


# ---- checking --------------------------------------------------------------------------------------


@dataclass
class _Borrower:
    """An enterprise's earlier good rows in the file: they count under the cap for its later rows."""

    rows: list[int] = field(default_factory=list)
    amount: Decimal = _ZERO


def _with_earlier_rows(violation: Violation, earlier: _Borrower) -> Violation:
    """The bank's own earlier rows may be named; the registered balance may not (other banks' loans)."""
    rows = "、".join(map(str, earlier.rows))
    return Violation(
        violation.code,
        f"{violation.message}（可用额度已扣除本文件第 {rows} 行的 {format_money(earlier.amount)}）",
        violation.article,
        violation.field,
    )


def _judge(actor, row: _Row, facts: _Facts, earlier: _Borrower) -> list[Violation]:
    """Every violated registration rule of the row, in check_registration's order and words, with the
    enterprise's earlier good rows counted under the cap."""
    data = row.data
    policy = facts.policy(data.contract_date)
    if isinstance(policy, NoPolicyInForce):
        return list(policy.violations)  # as check_registration: without a policy nothing else is judged
    enterprise = facts.enterprises.get(data.enterprise_uscc)
    if enterprise is None:
        # check_registration words this case itself, before it takes any lock: it judges the row.
        violations, _ = loans.check_registration(actor, data)
        return violations
    lpr = facts.lpr(data.contract_date)
    if isinstance(lpr, RuleViolation):
        return list(lpr.violations)
    balance = facts.balances[enterprise.id]
    found = check_loan(
        LoanFacts(
            data.contract_no,
            data.amount,
            data.rate_percent,
            data.contract_date,
            data.drawdown_date,
            data.maturity_date,
            data.guarantees,
        ),
        policy=policy,
        lpr_percent=lpr.rate_1y_percent,
        on_list=facts.on_list(enterprise.id, data.contract_date),
        enterprise=facts.enterprise_facts(enterprise),
        bank=facts.bank_facts(data.drawdown_date),
        outstanding_at_all_banks=balance + earlier.amount,
    )
    found = [_with_earlier_rows(v, earlier) if v.code == CAP and earlier.rows else v for v in found]
    if data.contract_no in facts.taken:
        found.append(loans.duplicate_contract(data.contract_no))
    batch = facts.batch(data.contract_date)
    row.context = loans.RegistrationContext(facts.bank, enterprise, policy, lpr, batch.id if batch else None)
    return found


def _check(actor, content: bytes, *, lock: bool) -> flow.Checked[_Row]:
    """Every row's problems, in file order; the caller ends the transaction (and with it any locks)."""
    rows = _read(content)
    parsed = [r for r in rows if r.data is not None]
    facts = _Facts(actor.bank, [r.data for r in parsed], lock=lock)
    flow.mark_repeats(
        parsed,
        lambda row: row.data.contract_no,
        lambda row, earlier: Violation(
            "duplicate_in_file", f"合同编号 {row.data.contract_no} 与第 {earlier} 行重复", None, "contract_no"
        ),
    )
    borrowers: dict[str, _Borrower] = {}
    for row in parsed:
        earlier = borrowers.setdefault(row.data.enterprise_uscc, _Borrower())
        row.problems.extend(_judge(actor, row, facts, earlier))
        if not row.problems:
            earlier.rows.append(row.number)
            earlier.amount += row.data.amount
    return flow.sort_out(rows, lambda r: LoanRowError(r.number, r.uscc, tuple(r.problems), r.contract_no))


def _bank_user(actor) -> None:
    require(actor, "loans.register")
    if actor.bank is None:
        raise RuleViolation([Violation("no_bank", "您的账户没有绑定合作银行，请联系管理员。")])


def _write(actor, token: str, filename: str, checked: flow.Checked[_Row]) -> LoanImportResult:
    """The loans, each with its audit entry."""
    made = [loans.new_loan(actor, row.data, row.context) for row in checked.good]
    db.session.flush()  # one batched INSERT … RETURNING for all loans
    audit.record_many(
        actor,
        "loan.import",
        "loans",
        (
            (
                loan.id,
                {
                    "import_token": token,
                    "import_row": row.number,
                    "contract_no": row.data.contract_no,
                    "enterprise": row.data.enterprise_uscc,
                    "amount": row.data.amount,
                    "rate_percent": row.data.rate_percent,
                },
            )
            for loan, row in zip(made, checked.good, strict=True)
        ),
    )
    return LoanImportResult(
        token=token,
        filename=filename,
        kind=KIND,
        rows=len(made),
        amount=sum((row.data.amount for row in checked.good), _ZERO),
        enterprises=len({row.data.enterprise_uscc for row in checked.good}),
    )


IMPORT = flow.SpreadsheetImport(
    kind=KIND,
    allowed=_bank_user,
    check=_check,
    write=_write,
    batch_action="loan.import_batch",
    summary=lambda result: {"loans": result.rows, "amount": result.amount, "enterprises": result.enterprises},
    conflict=Violation(
        "duplicate_contract_no", "导入过程中有合同编号已被同时登记，本次未导入任何贷款；请重新上传预览。", None, "file"
    ),
)


# ---- the two steps ---------------------------------------------------------------------------------


def preview_loan_import(actor, content: bytes, filename: str) -> ImportPreview:
    """Check an uploaded loan sheet against every registration rule and keep it for the commit.

    Nothing is written: the checks only read, and their transaction is rolled back.
    """
    return flow.preview(IMPORT, actor, content, filename)


def commit_loan_import(actor, token: str) -> LoanImportResult:
    """Register every loan of the previewed file — or, if any row is bad now, none of them.

    The check runs again, now with every enterprise of the file locked: other banks may have lent since the
    preview."""
    return flow.commit(IMPORT, actor, token)
