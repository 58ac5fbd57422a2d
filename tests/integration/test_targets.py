"""年度目标 (POLICY.md §15): set by finance or fsc, measured as at a date, 存在问题 / 下步打算 by the
responsible unit only. Figures from tests/fixtures/targets.py, worked by hand there and below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from eloan.domain.errors import Forbidden, RuleViolation
from eloan.extensions import db
from eloan.models import AuditEntry, TargetItem
from eloan.services import targets
from tests.fixtures.targets import TABLE


@pytest.fixture()
def table(targets_programme):
    targets.set_targets(targets_programme["finance"], 2024, TABLE)
    return targets_programme


def _by_metric(year_targets):
    return {line.item.metric: line for line in year_targets.lines}


def test_set_keeps_the_order_units_and_units_responsible(table):
    items = db.session.scalars(db.select(TargetItem).order_by(TargetItem.position)).all()
    assert [(i.position, i.metric, i.responsible) for i in items][:2] == [
        (1, "new_loan_amount", "fsc"),
        (2, "new_loan_count", "fsc"),
    ]
    assert items[0].target == Decimal("3000000.0000")  # 300 万元
    assert items[5].target == Decimal("0.0300")  # 3 %
    assert items[7].target is None and items[7].work_text == "各合作银行按月报送贷后月报"
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "targets.set")).one()
    assert entry.object_id == "2024" and len(entry.changes["after"]) == 8


def test_measured_at_the_end_of_march(table):
    # 1 Jan–31 Mar 2024: L1 1,000,000 + L4 300,000 + L2 500,000 (L5 was drawn in 2023), three borrowers;
    # nothing NPL; B1, B2, B3 active; ¥3,000,000 appropriated (the 2023 tranche is not this year's);
    # no opinion given yet.
    lines = _by_metric(targets.year_targets(table["auditor"], 2024, date(2024, 3, 31)))
    actual = {m: (line.actual, line.achieved) for m, line in lines.items()}
    assert actual == {
        "new_loan_amount": (Decimal("1800000.00"), False),
        "new_loan_count": (3, False),
        "enterprises_served": (3, False),
        "active_banks": (3, True),
        "fund_appropriated": (Decimal("3000000.00"), False),
        "npl_ratio_max": (Decimal("0"), True),
        "claims_on_time_share": (None, None),
        "text": (None, None),
    }
    assert lines["new_loan_amount"].progress == "新增贷款 180 万元，完成目标 300 万元的 60.0%（截至2024年3月31日）"
    assert lines["enterprises_served"].progress == "服务企业 3 户，完成目标 4 户的 75.0%（截至2024年3月31日）"
    assert lines["claims_on_time_share"].progress == "尚无出具意见的补偿申请，目标不低于 90.00%（截至2024年3月31日）"
    assert lines["text"].progress == ""


def test_measured_at_the_end_of_the_year(table):
    # L3 800,000 added (4 loans, 2,600,000; e1 borrowed twice: 3 enterprises); NPL 500,000 of 1,000,000;
    # 3,000,000 + 2,000,000 + 500,000 − 500,000 reversed = 5,000,000; opinions: L4's on time, L2's late.
    lines = _by_metric(targets.year_targets(table["zone"], 2024, date(2024, 12, 31)))
    actual = {m: (line.actual, line.achieved) for m, line in lines.items()}
    assert actual == {
        "new_loan_amount": (Decimal("2600000.00"), False),
        "new_loan_count": (4, False),
        "enterprises_served": (3, False),
        "active_banks": (3, True),
        "fund_appropriated": (Decimal("5000000.00"), True),
        "npl_ratio_max": (Decimal("0.5"), False),
        "claims_on_time_share": (Decimal("0.5"), False),
        "text": (None, None),
    }
    assert lines["new_loan_amount"].progress == "新增贷款 260 万元，完成目标 300 万元的 86.7%（截至2024年12月31日）"
    assert (
        lines["fund_appropriated"].progress
        == "财政拨入风险补偿资金 500 万元，完成目标 500 万元的 100.0%（截至2024年12月31日）"
    )
    assert lines["npl_ratio_max"].progress == "不良率 50.00%，目标不高于 3.00%，未达到目标（截至2024年12月31日）"


def test_a_suspended_bank_is_not_in_cooperation(table):
    # B2 was suspended from 2024-05-10 to 08-01.
    lines = _by_metric(targets.year_targets(table["fsc"], 2024, date(2024, 6, 30)))
    assert (lines["active_banks"].actual, lines["active_banks"].achieved) == (2, False)


def test_the_responsible_unit_types_problems_and_next_steps(table):
    item = db.session.scalars(db.select(TargetItem).where(TargetItem.metric == "enterprises_served")).one()
    targets.report_progress(table["zone"], 2024, item.id, "  新能源企业需求不足 ", "走访园区企业")
    db.session.refresh(item)
    assert (item.problems, item.next_steps, item.report_by_id) == (
        "新能源企业需求不足",
        "走访园区企业",
        table["zone"].id,
    )
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "targets.report")).one()
    assert entry.changes["problems"] == [None, "新能源企业需求不足"]


def test_another_unit_may_not_type_them(table):
    item = db.session.scalars(db.select(TargetItem).where(TargetItem.metric == "enterprises_served")).one()
    with pytest.raises(Forbidden) as refused:
        targets.report_progress(table["finance"], 2024, item.id, "越权", None)
    assert refused.value.code == "not_responsible_unit" and "经济开发区" in refused.value.message
    db.session.refresh(item)
    assert item.problems is None


def test_setting_again_keeps_the_units_notes_of_kept_lines_and_drops_the_rest(table):
    items = db.session.scalars(db.select(TargetItem).order_by(TargetItem.position)).all()
    targets.report_progress(table["industry"], 2024, items[7].id, "两家银行迟报", "约谈")
    again = [dict(TABLE[7], id=items[7].id), dict(TABLE[0], target="400")]  # reordered, one changed
    targets.set_targets(table["fsc"], 2024, again)
    now = db.session.scalars(db.select(TargetItem).order_by(TargetItem.position)).all()
    assert [(i.position, i.metric, i.problems) for i in now] == [
        (1, "text", "两家银行迟报"),
        (2, "new_loan_amount", None),
    ]
    assert now[0].id == items[7].id and now[1].target == Decimal("4000000.0000")


def test_bad_rows_are_all_reported_and_nothing_changes(table):
    bad = [
        {"metric": "loans_galore", "target": "1", "goal_text": "x", "responsible": "fsc"},
        {"metric": "new_loan_count", "goal_text": "新增贷款", "responsible": "fsc"},
        {"metric": "text", "goal_text": "", "responsible": "bank"},
    ]
    with pytest.raises(RuleViolation) as refused:
        targets.set_targets(table["finance"], 2024, bad)
    assert refused.value.codes == ["unknown_metric", "target_required", "invalid_responsible", "text_required"]
    assert [v.field for v in refused.value.violations] == [
        "items.0.metric",
        "items.1.target",
        "items.2.responsible",
        "items.2.goal_text",
    ]
    assert db.session.scalar(db.select(db.func.count(TargetItem.id))) == 8


@pytest.mark.parametrize("who", ["zone", "industry", "auditor", "teller"])
def test_only_finance_and_fsc_set_targets(table, who):
    with pytest.raises(Forbidden):
        targets.set_targets(table[who], 2024, TABLE)


def test_a_bank_may_not_read_the_targets(table):
    with pytest.raises(Forbidden):
        targets.year_targets(table["teller"], 2024, date(2024, 12, 31))


def test_the_as_of_date_must_be_in_the_year(table):
    with pytest.raises(RuleViolation) as refused:
        targets.year_targets(table["finance"], 2024, date(2025, 1, 1))
    assert refused.value.codes == ["invalid_as_of"]


def test_the_statement_count_does_not_grow_with_the_lines(table, make_bank):
    def count():
        seen = []

        def listener(*args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            targets.year_targets(table["finance"], 2024, date(2024, 12, 31))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = count()
    targets.set_targets(table["finance"], 2024, TABLE * 3)
    make_bank("B4", name="B4银行")
    assert count() == before
