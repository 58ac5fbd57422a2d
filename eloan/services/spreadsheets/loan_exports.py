"""Programme loans as .xlsx (第六、七、八条): the loan list with its filters, one row per loan.

Read through loans.search_statement, so the role rule and the bank scoping are the loan list's own: a
bank user's file holds their bank's loans and nothing else. Written in write-only mode, row by row, as
the whole programme can be hundreds of thousands of loans.
"""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy.orm import joinedload

from eloan.domain.eligibility import ALLOWED_GUARANTEES
from eloan.domain.states import LOAN_STATUSES
from eloan.extensions import db
from eloan.models import Loan
from eloan.services import loans
from eloan.services.spreadsheets import layout

LOAN_EXPORT_HEADERS = (
    "合同编号",
    "合作银行",
    "借款企业名称",
    "统一社会信用代码",
    "贷款金额（元）",
    "年利率（%）",
    "合同签订日",
    "提款日",
    "到期日",
    "担保方式",
    "贷款余额（元）",
    "贷款状态",
    "逾期日期",
    "不良认定日期",
    "不予补偿",
    "不予补偿原因",
)
_WIDTHS = (22, 30, 36, 22, 16, 11, 12, 12, 12, 26, 16, 10, 12, 12, 10, 36)
RATE = "0.00##"  # rates keep up to four places; 3.6 shows as 3.60


def guarantee_text(codes) -> str:
    """法定代表人、配偶 — an unknown code prints as itself rather than vanish."""
    return "、".join(ALLOWED_GUARANTEES.get(code, code) for code in (codes or ()))


def _row(sheet, loan: Loan) -> list:
    enterprise = loan.enterprise
    return [
        layout.cell(sheet, loan.contract_no, layout.TEXT),
        loan.bank.name,
        enterprise.name,
        layout.cell(sheet, enterprise.uscc, layout.TEXT),
        layout.cell(sheet, loan.amount, layout.MONEY),  # Decimal: written as the exact number
        layout.cell(sheet, loan.rate_percent, RATE),
        layout.cell(sheet, loan.contract_date, layout.DATE),
        layout.cell(sheet, loan.drawdown_date, layout.DATE),
        layout.cell(sheet, loan.maturity_date, layout.DATE),
        guarantee_text(loan.guarantees),
        layout.cell(sheet, loan.outstanding_principal, layout.MONEY),
        LOAN_STATUSES.get(loan.status, loan.status),
        layout.cell(sheet, loan.overdue_since, layout.DATE),
        layout.cell(sheet, loan.npl_recognised_on, layout.DATE),
        "是" if loan.not_compensable else "否",
        loan.not_compensable_reason or None,
    ]


def export_loans(actor, **filters) -> bytes:
    """The loans the loan list shows for these filters (q, status, bank_code), oldest first."""
    stmt = (
        loans.search_statement(actor, **filters)
        .options(joinedload(Loan.bank), joinedload(Loan.enterprise))
        .order_by(Loan.id)
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("贷款明细")
    layout.set_widths(sheet, _WIDTHS)
    sheet.freeze_panes = "A2"
    sheet.append([layout.cell(sheet, h, header=True) for h in LOAN_EXPORT_HEADERS])
    for loan in db.session.scalars(stmt.execution_options(yield_per=1000)):
        sheet.append(layout.row(sheet, _row(sheet, loan)))
    return layout.to_bytes(workbook)
