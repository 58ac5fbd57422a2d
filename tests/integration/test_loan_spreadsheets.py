"""A bank's loans from and to Excel (第六、七、八、十条): every registration rule per row, the rows against
each other, all or nothing; and an export that holds the bank's own loans only."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from eloan.domain.eligibility import ALLOWED_GUARANTEES
from eloan.domain.errors import Forbidden, NotFound, RuleViolation
from eloan.domain.loan_input import parse_loan_input
from eloan.models import AuditEntry, Loan
from eloan.services import banks, enterprises, loans, sanctions, spreadsheets
from eloan.services.spreadsheets.columns import EXAMPLE_USCC
from tests.fixtures.loans import HEADERS, loan_body, row, xlsx
from tests.fixtures.registry import uscc


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def by_row(preview) -> dict[int, set[str]]:
    return {e.row: {v.code for v in e.violations} for e in preview.errors}


# --- the template ---------------------------------------------------------------------------------


def test_the_template_has_the_headers_an_example_row_and_the_guide(programme):
    book = openpyxl.load_workbook(io.BytesIO(spreadsheets.loan_template()))
    sheet, guide = book.worksheets[0], book["填写说明"]

    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["B2"].value == EXAMPLE_USCC and sheet["H2"].value == "法定代表人、配偶"
    text = "\n".join(str(c.value) for line in guide.iter_rows() for c in line if c.value)
    for expected in (
        "YYYY-MM-DD",
        "单位为元",
        "单位为 %",
        "“、”分隔",
        "法定代表人、控股股东、配偶、实际控制人",
        "60 个基点",
        "500 万元",
        "12 个月",
    ):
        assert expected in text


def test_the_template_as_downloaded_holds_nothing_to_import(programme):
    with pytest.raises(RuleViolation) as caught:
        spreadsheets.preview_loan_import(programme["teller"], spreadsheets.loan_template(), "模板.xlsx")
    assert caught.value.codes == ["no_rows"]


# --- a good file ----------------------------------------------------------------------------------


def test_a_good_file_registers_every_loan_with_its_audit_entries(programme, db):
    teller = programme["teller"]
    content = xlsx(
        [
            row(1, amount=1234567.89),
            row(2, contract_no="HT-2024-002", rate_percent="4.05%"),
            row(1, contract_no="HT-2024-003", amount="2000000", guarantees=None),
        ]
    )

    preview = spreadsheets.preview_loan_import(teller, content, "六月放款.xlsx")
    assert preview.ok and (preview.rows, preview.good) == (3, 3)
    assert count(db, Loan) == 0  # the preview writes nothing

    result = spreadsheets.commit_loan_import(teller, preview.token)

    assert (result.rows, result.enterprises, result.amount) == (3, 2, Decimal("4234567.89"))
    stored = {loan.contract_no: loan for loan in db.session.scalars(select(Loan))}
    first = stored["HT-2024-001"]
    assert first.amount == Decimal("1234567.89") and first.rate_percent == Decimal("3.6000")
    assert first.guarantees == ["legal_rep", "spouse"] and first.bank.code == "B1"
    assert (first.policy_code, first.lpr_percent, first.status) == ("TZ-2023-9", Decimal("3.45"), "normal")
    assert first.outstanding_principal == first.amount and first.list_batch_id is not None
    assert stored["HT-2024-002"].rate_percent == Decimal("4.05") and stored["HT-2024-003"].guarantees == []
    assert count(db, AuditEntry, AuditEntry.action == "loan.import") == 3
    assert count(db, AuditEntry, AuditEntry.action == "loan.import_batch") == 1


def test_rows_for_one_enterprise_may_reach_the_cap_exactly(programme, db):
    loans.register(programme["teller2"], loan_body(1, contract_no="B2-1", amount="1000000.00"))
    content = xlsx([row(1, amount="3000000.00"), row(1, contract_no="HT-2", amount="1000000.00")])

    preview = spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx")
    spreadsheets.commit_loan_import(programme["teller"], preview.token)

    enterprise_id = db.session.scalars(select(Loan.enterprise_id)).first()
    assert loans.outstanding_at_all_banks(enterprise_id) == Decimal("5000000.00")


# --- a bad file -----------------------------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_row_and_reason_and_nothing_is_imported(programme, db):
    teller = programme["teller"]
    content = xlsx(
        [
            row(1, amount="3000000.00"),  # row 2: good on its own
            row(2, contract_no="HT-2024-002", rate_percent=4.06),  # row 3: above LPR 3.45 % + 60 bp
            row(3, contract_no="HT-2024-003"),  # row 4: enterprise 3 is not listed
            row(2, contract_no="HT-2024-001", amount="100000.00"),  # row 5: contract number of row 2
            row(1, contract_no="HT-2024-005", amount="2000000.01"),  # row 6: with row 2, past ¥5M
        ]
    )

    preview = spreadsheets.preview_loan_import(teller, content, "bad.xlsx")

    assert (preview.rows, preview.good) == (5, 1)
    assert by_row(preview) == {
        3: {"rate_above_cap"},
        4: {"not_on_list"},
        5: {"duplicate_in_file"},
        6: {"enterprise_cap_exceeded"},
    }
    errors = {e.row: e for e in preview.errors}
    assert errors[3].contract_no == "HT-2024-002" and errors[4].uscc == uscc(3)
    assert "4.06%" in errors[3].reasons[0] and "4.05%" in errors[3].reasons[0]
    assert "第 2 行" in errors[5].reasons[0]
    assert "第 2 行的 ¥3,000,000.00" in errors[6].reasons[0] and "可用额度 ¥2,000,000.00" in errors[6].reasons[0]
    assert count(db, Loan) == 0

    with pytest.raises(RuleViolation) as caught:
        spreadsheets.commit_loan_import(teller, preview.token)

    messages = [v.message for v in caught.value.violations]
    assert [m.split("（")[0] for m in messages] == ["第 3 行", "第 4 行", "第 5 行", "第 6 行"]
    assert set(caught.value.codes) == {"rate_above_cap", "not_on_list", "duplicate_in_file", "enterprise_cap_exceeded"}
    assert count(db, Loan) == 0 and count(db, AuditEntry, AuditEntry.action.like("loan.import%")) == 0


def test_a_bad_row_does_not_count_towards_the_cap(programme):
    content = xlsx([row(1, amount="4000000.00", rate_percent=4.06), row(1, contract_no="HT-2", amount="4000000.00")])

    preview = spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx")

    assert by_row(preview) == {2: {"rate_above_cap"}}


def test_the_preview_releases_the_enterprise_locks(programme):
    spreadsheets.preview_loan_import(programme["teller"], xlsx([row(1)]), "a.xlsx")

    assert loans.register(programme["teller2"], loan_body(1, contract_no="B2-1")).id


def test_the_commit_checks_again_and_refuses_what_changed_since_the_preview(programme, db):
    preview = spreadsheets.preview_loan_import(programme["teller"], xlsx([row(1, amount="3000000.00")]), "a.xlsx")
    assert preview.ok
    loans.register(programme["teller2"], loan_body(1, contract_no="B2-1", amount="2500000.00"))

    with pytest.raises(RuleViolation) as caught:
        spreadsheets.commit_loan_import(programme["teller"], preview.token)

    assert caught.value.codes == ["enterprise_cap_exceeded"]
    assert count(db, Loan, Loan.bank.has(code="B1")) == 0


def test_a_contract_already_registered_by_the_bank_is_refused(programme):
    loans.register(programme["teller"], loan_body(1))

    preview = spreadsheets.preview_loan_import(programme["teller"], xlsx([row(2)]), "a.xlsx")

    assert by_row(preview) == {2: {"duplicate_contract_no"}}


def test_the_same_file_uploaded_again_is_refused_row_by_row(programme, db):
    content = xlsx([row(1), row(2, contract_no="HT-2024-002")])
    spreadsheets.commit_loan_import(
        programme["teller"], spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx").token
    )

    again = spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx")

    assert by_row(again) == {2: {"duplicate_contract_no"}, 3: {"duplicate_contract_no"}}
    assert count(db, Loan) == 2


def test_cells_excel_may_have_altered_are_refused_not_guessed(programme):
    content = xlsx(
        [
            row(1, rate_percent=0.036),  # "3.6%" typed into a general cell
            row(2, contract_no="HT-2", amount=1000000.005),
            row(1, contract_no="HT-3", enterprise_uscc=9.13704050000001e17),
        ]
    )  # Excel took it for a number

    preview = spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx")

    assert by_row(preview) == {2: {"invalid_field"}, 3: {"invalid_field"}, 4: {"invalid_field"}}
    reasons = {e.row: e.reasons[0] for e in preview.errors}
    assert reasons[2].startswith("年利率（%）：") and "百分比格式" in reasons[2]
    assert reasons[3].startswith("贷款金额（元）：") and "后几位已丢失" in reasons[4]


# --- the file judges a row as registration does ----------------------------------------------------


def _as_row(body: dict) -> dict:
    """A form/API body as a sheet row: the guarantees as the Chinese labels a person types."""
    return dict(body, guarantees="、".join(ALLOWED_GUARANTEES.get(g, g) for g in body["guarantees"]))


def _set_up(db, case, people):
    if case == "existing_balance":
        loans.register(people["teller2"], loan_body(1, contract_no="B2-1", amount="4500000.00"))
    elif case == "contract_taken":
        loans.register(people["teller"], loan_body(2))
    elif case == "bank_suspended":
        banks.change_status(
            people["finance"], "B1", "suspended", "不良率超过 3%（第十八条）", effective_on=date(2024, 6, 1)
        )
    elif case == "sanctioned":
        enterprise = enterprises.get(people["zone"], uscc(1))
        sanctions.flag(people["zone"], enterprise, "他行贷款逾期", date(2024, 6, 1))
        db.session.commit()  # flag() leaves the commit to its caller


SAME_AS_REGISTRATION = {
    "good": ({}, None),
    "rate_one_bp_above": (loan_body(rate_percent="4.06"), None),
    "term_and_dates": (loan_body(drawdown_date="2024-06-01", maturity_date="2025-06-06"), None),
    "guarantee": (loan_body(guarantees=["legal_rep", "房产抵押"]), None),
    "unlisted": (loan_body(3), None),
    "not_in_registry": (loan_body(enterprise_uscc=uscc(9)), None),
    "no_policy": (loan_body(contract_date="2023-06-01", drawdown_date="2023-06-02", maturity_date="2024-06-01"), None),
    "existing_balance": (loan_body(amount="500000.01"), "existing_balance"),
    "contract_taken": (loan_body(1, rate_percent="4.06"), "contract_taken"),
    "bank_suspended": (loan_body(), "bank_suspended"),
    "sanctioned": (loan_body(), "sanctioned"),
}


@pytest.mark.parametrize("case", list(SAME_AS_REGISTRATION))
def test_a_row_gets_exactly_the_verdict_registration_gives(programme, db, case):
    body, setup = SAME_AS_REGISTRATION[case]
    body = body or loan_body()
    _set_up(db, setup, programme)
    teller = programme["teller"]

    preview = spreadsheets.preview_loan_import(teller, xlsx([_as_row(body)]), "a.xlsx")
    data, problems = parse_loan_input(body)
    assert problems == []
    expected, _ = loans.check_registration(teller, data)
    db.session.rollback()

    found = [v for e in preview.errors for v in e.violations]
    assert found == expected
    assert (case == "good") == (expected == [])


# --- who may import -------------------------------------------------------------------------------


def test_a_government_user_cannot_import_loans(programme, db):
    content = xlsx([row(1)])
    with pytest.raises(Forbidden):
        spreadsheets.preview_loan_import(programme["fsc"], content, "a.xlsx")
    token = spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx").token
    with pytest.raises(Forbidden):
        spreadsheets.commit_loan_import(programme["finance"], token)
    assert count(db, Loan) == 0


def test_a_loan_import_token_is_not_an_enterprise_import_token(programme):
    token = spreadsheets.preview_loan_import(programme["teller"], xlsx([row(1)]), "a.xlsx").token
    with pytest.raises(NotFound):
        spreadsheets.commit_enterprise_import(programme["zone"], token)


def test_the_imported_loans_belong_to_the_importing_bank(programme, db):
    preview = spreadsheets.preview_loan_import(programme["teller2"], xlsx([row(1)]), "a.xlsx")
    spreadsheets.commit_loan_import(programme["teller2"], preview.token)

    (loan,) = db.session.scalars(select(Loan)).all()
    assert loan.bank.code == "B2"


# --- the export -----------------------------------------------------------------------------------


def _export_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(c.value for c in line) for line in sheet.iter_rows()]


def test_a_banks_export_holds_none_of_the_other_banks_loans(programme):
    loans.register(programme["teller"], loan_body(1, contract_no="B1-OWN"))
    loans.register(programme["teller2"], loan_body(2, contract_no="B2-OTHER"))

    own = _export_rows(spreadsheets.export_loans(programme["teller"]))
    everything = _export_rows(spreadsheets.export_loans(programme["auditor"]))

    assert [r[0] for r in own[1:]] == ["B1-OWN"]
    assert not any("B2" in str(cell) for r in own for cell in r)
    assert sorted(r[0] for r in everything[1:]) == ["B1-OWN", "B2-OTHER"]
    # Asking for the other bank by its code gives an empty sheet, not its loans.
    assert _export_rows(spreadsheets.export_loans(programme["teller2"], bank_code="B1"))[1:] == []


def test_the_export_prints_labels_exact_amounts_and_the_loans_history(programme, db):
    loan = loans.register(programme["teller"], loan_body(1, amount="1234567.89", rate_percent="3.655"))
    loans.record_repayment(programme["teller"], loan.id, date(2024, 6, 10), "234567.89", "0.00")
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 15))
    loans.mark_not_compensable(programme["finance"], loan.id, "借款用途与合同约定不符（第八条）")

    header, line = _export_rows(spreadsheets.export_loans(programme["finance"], status="overdue"))

    values = dict(zip(header, line, strict=False))
    assert header == spreadsheets.LOAN_EXPORT_HEADERS
    assert values["合作银行"] == "B1银行台儿庄支行" and values["统一社会信用代码"] == uscc(1)
    assert Decimal(str(values["贷款金额（元）"])) == Decimal("1234567.89")
    assert Decimal(str(values["贷款余额（元）"])) == Decimal("1000000.00")
    assert Decimal(str(values["年利率（%）"])) == Decimal("3.655")
    assert values["担保方式"] == "法定代表人、配偶" and values["贷款状态"] == "逾期"
    assert values["逾期日期"].date() == date(2024, 6, 15) and values["不良认定日期"] is None
    assert (values["不予补偿"], values["不予补偿原因"]) == ("是", "借款用途与合同约定不符（第八条）")
    assert values["提款日"].date() == date(2024, 6, 5)


def test_a_government_users_export_follows_the_search_filters(programme):
    loans.register(programme["teller"], loan_body(1, contract_no="B1-A"))
    loans.register(programme["teller2"], loan_body(2, contract_no="B2-B"))

    by_bank = _export_rows(spreadsheets.export_loans(programme["zone"], bank_code="B2"))
    by_name = _export_rows(spreadsheets.export_loans(programme["zone"], q="枣庄测试1号"))

    assert [r[0] for r in by_bank[1:]] == ["B2-B"]
    assert [r[0] for r in by_name[1:]] == ["B1-A"]


# --- an import and a registration at the same moment -------------------------------------------------


def test_an_import_and_a_registration_at_the_same_moment_cannot_pass_the_cap_together(app, programme, monkeypatch):
    import threading
    import time

    from eloan.extensions import db as _db
    from eloan.models import User

    token = spreadsheets.preview_loan_import(programme["teller"], xlsx([row(1, amount="3000000.00")]), "a.xlsx").token
    real_sum = loans.outstanding_at_all_banks

    def slow_sum(enterprise_id):
        # Widen the window between reading the balance and writing the loans, as a busy server would.
        total = real_sum(enterprise_id)
        time.sleep(0.5)
        return total

    monkeypatch.setattr(loans, "outstanding_at_all_banks", slow_sum)
    ids = {name: programme[name].id for name in ("teller", "teller2")}
    _db.session.commit()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(name: str, action):
        with app.app_context():
            actor = _db.session.get(User, ids[name])
            start.wait()
            try:
                action(actor)
                outcomes[name] = "registered"
            except RuleViolation as exc:
                outcomes[name] = ",".join(exc.codes)
            finally:
                _db.session.remove()

    threads = [
        threading.Thread(target=attempt, args=("teller", lambda actor: spreadsheets.commit_loan_import(actor, token))),
        threading.Thread(
            target=attempt,
            args=(
                "teller2",
                lambda actor: loans.register(actor, loan_body(1, contract_no="B2-1", amount="3000000.00")),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["enterprise_cap_exceeded", "registered"]
    assert _db.session.scalar(select(func.count()).select_from(Loan)) == 1


def test_an_imported_rows_cap_refusal_does_not_reveal_other_banks_balances(programme):
    loans.register(programme["teller2"], loan_body(1, contract_no="B2-1", amount="3200000.00"))
    content = xlsx([row(1, amount="1000000.00"), row(1, contract_no="HT-2024-002", amount="1000000.00")])

    preview = spreadsheets.preview_loan_import(programme["teller"], content, "a.xlsx")

    (error,) = preview.errors
    (reason,) = error.reasons
    assert error.row == 3 and "可用额度 ¥800,000.00" in reason and "第 2 行的 ¥1,000,000.00" in reason
    assert "3,200,000.00" not in reason and "4,200,000.00" not in reason and "5,200,000.00" not in reason
