"""A realistic demo: one user per role, banks (one tie in loss share), enterprises.

Later capabilities add their own demo rows here, so the demo always shows every feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from eloan import clock
from eloan.demo import book as demo_book
from eloan.demo.claims import seed_claims
from eloan.domain.sme import size_class
from eloan.domain.uscc import check_character
from eloan.extensions import db
from eloan.models import Bank, BankStatusChange, Enterprise, MuRating, User
from eloan.pdf.render import render_pdf
from eloan.services import audit, lists, loans
from eloan.services.passwords import generate
from eloan.services.users import create_user

BANKS = (
    # code, name, loss share, agreement from, to, product
    ("TZRCB", "台儿庄农村商业银行股份有限公司", "0.3000", "2023-12-15", "2025-11-29", "园区E贷·农商快贷"),
    ("ICBC-TZ", "中国工商银行台儿庄支行", "0.2500", "2023-12-20", "2025-11-29", "经营快贷（园区版）"),
    ("CCB-TZ", "中国建设银行台儿庄支行", "0.2500", "2024-01-10", "2025-11-29", "善新贷·园区E贷"),
    ("QLB-TZ", "齐鲁银行台儿庄支行", "0.2000", "2024-03-01", "2025-11-29", "园区科创贷"),
)

# name, industry, employees, revenue (yuan), tax sales, mu class, legal rep, in zone
ENTERPRISES = (
    ("枣庄鑫源精密机械有限公司", "high_end_equipment", 180, "68000000.00", "61200000.00", "A", "王建国", True),
    ("台儿庄华宇新材料科技有限公司", "new_materials", 95, "42000000.00", "39800000.00", "A", "李红梅", True),
    ("山东运河新能源装备有限公司", "new_energy", 260, "150000000.00", "142000000.00", "B", "张伟", True),
    ("枣庄康宁生物医药有限公司", "new_medicine", 70, "26000000.00", "24100000.00", "B", "刘洋", True),
    ("台儿庄智联信息技术有限公司", "next_gen_it", 45, "9000000.00", "8600000.00", "C", "陈静", True),
    ("枣庄恒通电子材料有限公司", "new_materials", 18, "2500000.00", "2300000.00", "C", "赵磊", True),
    ("山东鲁南重工机械有限公司", "high_end_equipment", 1500, "520000000.00", "498000000.00", "A", "孙志强", True),
    ("台儿庄古城文旅发展有限公司", "other", 60, "15000000.00", "14000000.00", "B", "周敏", True),
    ("枣庄宏达化工有限公司", "new_materials", 120, "33000000.00", "30500000.00", "D", "吴刚", True),
    ("峄城精工光电科技有限公司", "next_gen_it", 88, "21000000.00", "19900000.00", "A", "郑晓", False),
)

ROLE_USERS = (
    ("admin", "系统管理员", ["admin"], None),
    ("zone", "开发区 王科长", ["zone"], None),
    ("industry", "工信局 李科长", ["industry"], None),
    ("fsc", "金融服务中心 张主任", ["fsc"], None),
    ("finance", "财政局 赵科长", ["finance"], None),
    ("finance2", "财政局 钱会计", ["finance"], None),
    ("auditor", "审计局 孙审计", ["auditor"], None),
    ("bank", "农商行 客户经理", ["bank"], "TZRCB"),
    ("bank2", "工商银行 客户经理", ["bank"], "ICBC-TZ"),
    ("bank3", "建设银行 客户经理", ["bank"], "CCB-TZ"),
    ("bank4", "齐鲁银行 客户经理", ["bank"], "QLB-TZ"),
)


def demo_uscc(serial: int) -> str:
    """A well-formed 统一社会信用代码 for demo data (region 370405, 台儿庄区)."""
    body = f"91370405MA{serial:07d}"
    return body + check_character(body)


@dataclass
class DemoResult:
    created: bool
    password: str | None
    users: list[str]


def seed_demo(password: str | None = None) -> DemoResult:
    """Create the demo once; a second run changes nothing and says so."""
    if db.session.scalars(select(User).where(User.username == "admin")).first() is not None:
        return DemoResult(False, None, [])
    password = password or generate("Demo", tuple(user[0] for user in ROLE_USERS))
    for code, name, share, start, end, product in BANKS:
        bank = Bank(
            code=code,
            name=name,
            loss_share=Decimal(share),
            branch_in_district=True,
            agreement_no=f"园区E贷合作协议-{code}",
            agreement_from=date.fromisoformat(start),
            agreement_to=date.fromisoformat(end),
            product_name=product,
            product_recognised=True,
            status="active",
            contact_person="客户经理",
            contact_phone="0632-6611000",
        )
        db.session.add(bank)
        db.session.flush()
        db.session.add(
            BankStatusChange(
                bank_id=bank.id,
                from_status=None,
                to_status="active",
                effective_on=bank.agreement_from,
                reason="签订合作协议，准入",
                source="admission",
            )
        )
        audit.record(None, "bank.create", bank, {"code": code, "loss_share": share})
    for serial, (name, industry, staff, revenue, tax, mu, rep, in_zone) in enumerate(ENTERPRISES, start=1):
        enterprise = Enterprise(
            uscc=demo_uscc(serial),
            name=name,
            industry=industry,
            size_class=size_class(staff, Decimal(revenue)),
            size_class_given=False,
            in_zone=in_zone,
            special_approval_note=None if in_zone else "经区政府研究，作为特别优质企业纳入（2024年第3次常务会议）",
            established_on=date(2010 + serial % 10, 3, 1),
            employees=staff,
            revenue=Decimal(revenue),
            tax_sales=Decimal(tax),
            mu_class=mu,
            mu_year=2023,
            legal_rep=rep,
            phone=f"1390632{serial:04d}",
            address="枣庄市台儿庄区经济开发区",
        )
        enterprise.mu_ratings = [MuRating(year=2023, mu_class=mu)]
        db.session.add(enterprise)
        audit.record(None, "enterprise.create", enterprise, {"uscc": enterprise.uscc, "name": name})
    db.session.commit()
    demo_book.enterprises(demo_uscc)
    users = {}
    for username, display, roles, bank in ROLE_USERS:
        users[username] = create_user(
            None, username, roles=roles, password=password, display_name=display, bank_code=bank
        )
    _seed_lists(users)
    return DemoResult(True, password, list(users))


def _seed_lists(users: dict) -> None:
    """An issued batch in force since 2024-01-15, a draft awaiting confirmation, and one sanction."""
    zone, industry, fsc = users["zone"], users["industry"], users["fsc"]
    amounts = ("3000000.00", "2000000.00", "5000000.00", "1500000.00", "800000.00")
    with clock.fixed_today(date(2024, 1, 12)):
        first = lists.create_batch(zone, number="2024年第1批")
        for serial, amount in zip((1, 2, 3, 4, 5), amounts, strict=False):
            lists.add_entry(zone, first.id, demo_uscc(serial), amount)
        lists.add_entry(zone, first.id, demo_uscc(10), "1000000.00", "区外特别优质企业")
        demo_book.list_entries(zone, first.id, demo_uscc)
        for actor in (zone, industry, fsc):
            lists.confirm(actor, first.id)
        lists.issue(zone, first.id, date(2024, 1, 15))
    seed_claims(users, _seed_loans(users))
    demo_book.register_loans(users, demo_uscc)
    with clock.fixed_today(date(2025, 10, 10)):
        # The next batch leaves out the enterprises that defaulted (sanctioned by their loans' events).
        draft = lists.create_batch(zone, number="2025年第1批")
        for serial, amount in zip((1, 6), amounts, strict=False):
            lists.add_entry(zone, draft.id, demo_uscc(serial), amount)
        lists.confirm(zone, draft.id)
    demo_book.run_monitoring()


# key: (bank user, enterprise, contract no, amount, rate %, contract date, maturity, story, NPL date)
# Contract dates fall in policy TZ-2023-9 and the 2024 batch; rates stay within LPR + 60 bp of their date.
LOANS = {
    "ent1_a": ("bank", 1, "TZRCB-2024-0301", "3000000.00", "3.85", "2024-03-01", "2025-02-28", "partly_repaid", None),
    "ent1_b": ("bank", 1, "TZRCB-2025-0701", "1200000.00", "3.50", "2025-07-01", "2026-06-30", "normal", None),
    "ent2_a": ("bank", 2, "TZRCB-2024-0410", "1500000.00", "3.95", "2024-04-10", "2025-04-10", "npl", "2025-10-09"),
    "ent2_b": ("bank", 2, "TZRCB-2024-1202", "600000.00", "3.60", "2024-12-02", "2025-12-01", "overdue", None),
    "ent3_a": ("bank2", 3, "ICBC-2024-0520", "2000000.00", "3.90", "2024-05-20", "2025-05-20", "npl", "2025-08-20"),
    "ent3_b": ("bank2", 3, "ICBC-2024-0801", "800000.00", "3.90", "2024-08-01", "2025-07-31", "npl", "2025-09-01"),
    "ent3_c": ("bank2", 3, "ICBC-2024-0701", "1000000.00", "3.95", "2024-07-01", "2025-06-30", "npl", "2025-09-26"),
    "ent4_a": ("bank2", 4, "ICBC-2024-0201", "800000.00", "3.60", "2024-02-01", "2025-01-20", "repaid", None),
    "ent4_b": ("bank3", 4, "CCB-2024-0610", "1000000.00", "3.95", "2024-06-10", "2025-06-10", "npl", "2025-07-15"),
    "ent5_a": (
        "bank",
        5,
        "TZRCB-2024-0315",
        "500000.00",
        "4.05",
        "2024-03-15",
        "2025-03-15",
        "written_off",
        "2025-06-16",
    ),
    "ent5_b": ("bank", 5, "TZRCB-2024-0401", "300000.00", "4.00", "2024-04-01", "2025-03-31", "npl", "2025-10-13"),
    "ent10_a": (
        "bank2",
        10,
        "ICBC-2025-0601",
        "1000000.00",
        "3.45",
        "2025-06-01",
        "2026-05-29",
        "not_compensable",
        None,
    ),
    "ent10_b": ("bank4", 10, "QLB-2024-0902", "4000000.00", "3.80", "2024-09-02", "2025-09-01", "npl", "2025-09-10"),
}


def _proof_pdf(contract_no: str) -> bytes:
    return render_pdf(
        "demo_proof.html",
        doc_title="不良贷款认定书",
        watermark="演示",
        contract_no=contract_no,
        text="经本行贷款审查委员会审议，上述贷款逾期90天以上，认定为不良贷款。（演示数据）",
    )


def _seed_loans(users: dict) -> dict:
    """Loans in every state, registered and followed up through the same services a bank uses."""
    made = {}
    with clock.fixed_today(date(2025, 10, 14)):
        for key, (username, serial, contract_no, amount, rate, signed, maturity, _, _) in LOANS.items():
            teller = users[username]
            loan = loans.register(
                teller,
                {
                    "contract_no": contract_no,
                    "enterprise_uscc": demo_uscc(serial),
                    "amount": amount,
                    "rate_percent": rate,
                    "contract_date": signed,
                    "drawdown_date": signed,
                    "maturity_date": maturity,
                    "guarantees": ["legal_rep", "spouse"],
                },
            )
            made[key] = loan
        for key, (username, _, contract_no, amount, _, _, maturity, story, npl_on) in LOANS.items():
            teller, loan, due = users[username], made[key], date.fromisoformat(maturity)
            if story == "partly_repaid":
                loans.record_repayment(teller, loan.id, date(2024, 9, 1), "1000000.00", "57750.00", "还款-0901")
            elif story == "repaid":
                loans.record_repayment(teller, loan.id, due, amount, "28800.00", "到期结清")
            elif story == "overdue":
                loans.record_event(teller, loan.id, "overdue", date(2025, 10, 1), "利息逾期未付")
            elif story in ("npl", "written_off"):
                loans.record_event(teller, loan.id, "overdue", due + timedelta(days=1), "到期未还本金")
                loans.record_event(
                    teller,
                    loan.id,
                    "npl",
                    date.fromisoformat(npl_on),
                    "经贷审会认定为不良",
                    proof=(_proof_pdf(contract_no), "不良认定书.pdf"),
                )
                if story == "written_off":
                    loans.record_event(teller, loan.id, "written_off", date(2025, 9, 30), "按规定核销")
            elif story == "not_compensable":
                loans.mark_not_compensable(users["finance"], loan.id, "贷款资金用于购置理财产品，违反第八条（演示）")
    return made
