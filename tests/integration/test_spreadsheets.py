"""Excel import and export of the registry, the 亩产效益 classes, the list and the sanctions (第三、四、十、十七条)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from eloan.domain.errors import Forbidden, NotFound, RuleViolation
from eloan.models import AuditEntry, Enterprise, ListBatch, ListEntry, MuRating
from eloan.services import enterprises, sanctions, spreadsheets
from tests.fixtures.registry import HEADERS, MU_HEADERS, row, uscc, xlsx


def with_raw_number(content: bytes, written: str, raw: str) -> bytes:
    """The file with one number cell's XML text replaced, as Excel writes a formula's 17-digit result."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f"<v>{written}</v>".encode(), f"<v>{raw}</v>".encode())
            out.writestr(item, data)
    return target.getvalue()


def read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def zone(make_user):
    return make_user("zone-officer", roles=("zone",))


@pytest.fixture()
def teller(make_user, make_bank):
    make_bank("B001")
    return make_user("teller", roles=("bank",), bank_code="B001")


def register(actor, n: int, **changes):
    values = {
        "uscc": uscc(n),
        "name": f"已登记{n}号企业",
        "industry": "new_materials",
        "employees": 50,
        "revenue": "5000000.00",
    }
    values.update(changes)
    return enterprises.create(actor, values)


# ---- template --------------------------------------------------------------------------------------


def test_template_headers_are_the_registry_labels_in_the_fixed_order():
    sheet = read(spreadsheets.enterprise_template())
    assert [c.value for c in sheet[1]] == HEADERS
    assert HEADERS[:3] == ["统一社会信用代码", "企业名称", "所属行业"] and HEADERS[-1] == "地址"


def test_template_explains_each_column_and_offers_drop_downs_and_text_codes():
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.enterprise_template()))
    sheet, guide = workbook.worksheets[0], workbook["填写说明"]
    lists = {
        str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
    }
    assert set(lists) == {"C", "D", "E", "K"}  # 所属行业, 企业规模, 是否在开发区内, 亩产效益类别
    assert "新一代信息技术" in lists["C"] and "是,否" in lists["E"] and "A,B,C,D" in lists["K"]
    assert sheet.column_dimensions["A"].number_format == "@" and sheet.column_dimensions["N"].number_format == "@"
    guide_text = "\n".join(str(v) for r in guide.iter_rows(values_only=True) for v in r if v)
    assert all(label in guide_text for label in HEADERS)
    assert "工信部联企业〔2011〕300号" in guide_text and "YYYY-MM-DD" in guide_text


def test_filled_in_template_imports_its_enterprises_and_not_the_example(db, zone):
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.enterprise_template()))
    sheet = workbook.worksheets[0]
    for n in (1, 2):
        values = row(n)
        sheet.append([values.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = spreadsheets.preview_enterprise_import(zone, buffer.getvalue(), "企业信息.xlsx")
    assert (preview.rows, preview.good, preview.errors) == (2, 2, [])
    spreadsheets.commit_enterprise_import(zone, preview.token)
    assert sorted(db.session.scalars(select(Enterprise.uscc))) == [uscc(1), uscc(2)]


def test_mu_template_has_its_four_columns():
    assert [c.value for c in read(spreadsheets.mu_template())[1]] == MU_HEADERS


# ---- enterprise import: refusals -------------------------------------------------------------------


def test_preview_lists_every_bad_row_with_its_row_number_code_and_reason(db, zone):
    register(zone, 9)
    bad_code = uscc(3)[:-1] + ("0" if uscc(3)[-1] != "0" else "1")
    content = xlsx(
        [
            row(1),
            row(2),
            {**row(3), "统一社会信用代码": bad_code},
            row(9),
            row(1, name="重复企业"),
            row(6, industry="纺织"),
            row(7, revenue="-100.00"),
        ]
    )
    preview = spreadsheets.preview_enterprise_import(zone, content, "bad.xlsx")

    by_row = {e.row: e for e in preview.errors}
    assert sorted(by_row) == [4, 5, 6, 7, 8]
    assert by_row[4].uscc == bad_code and "校验码" in by_row[4].reasons[0]
    assert "已登记" in by_row[5].reasons[0]
    assert "与第 2 行重复" in by_row[6].reasons[0]
    assert by_row[7].reasons[0].startswith("所属行业")
    assert by_row[8].reasons[0].startswith("营业收入（元）")
    assert [v.code for e in preview.errors for v in e.violations] == [
        "invalid_uscc",
        "duplicate_uscc",
        "duplicate_in_file",
        "invalid_field",
        "invalid_field",
    ]
    assert (preview.rows, preview.good, preview.bad) == (7, 2, 5)


def test_commit_of_a_file_with_bad_rows_imports_nothing(db, zone):
    register(zone, 9)
    content = xlsx([row(1), row(2), row(9), row(1), row(6, industry="纺织"), row(7, revenue="-100.00")])
    preview = spreadsheets.preview_enterprise_import(zone, content, "bad.xlsx")
    before = (count(db, Enterprise), count(db, MuRating), count(db, AuditEntry))

    with pytest.raises(RuleViolation) as refused:
        spreadsheets.commit_enterprise_import(zone, preview.token)
    assert (count(db, Enterprise), count(db, MuRating), count(db, AuditEntry)) == before
    assert any(v.message.startswith("第 4 行") and "已登记" in v.message for v in refused.value.violations)


def test_commit_refuses_a_file_that_the_registry_overtook_since_the_preview(db, zone):
    preview = spreadsheets.preview_enterprise_import(zone, xlsx([row(1), row(2)]), "ok.xlsx")
    assert preview.ok
    register(zone, 2)

    with pytest.raises(RuleViolation, match="已登记"):
        spreadsheets.commit_enterprise_import(zone, preview.token)
    assert count(db, Enterprise) == 1


def test_missing_required_header_is_a_file_level_error(db, zone):
    headers = [h for h in HEADERS if h != "所属行业"]
    with pytest.raises(RuleViolation) as refused:
        spreadsheets.preview_enterprise_import(zone, xlsx([row(1)], headers=headers), "x.xlsx")
    assert refused.value.codes == ["header_missing"] and "所属行业" in str(refused.value)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\xef\xbb\xbf\xe7\xbb\x9f\xe4\xb8\x80,name\n1,2\n", "不是 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls"),
        (b"PK\x03\x04 this is no zip at all", "无法读取"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(db, zone, content, words):
    with pytest.raises(RuleViolation) as refused:
        spreadsheets.preview_enterprise_import(zone, content, "企业.csv")
    assert refused.value.codes == ["not_xlsx"] and words in str(refused.value)


def test_a_file_over_10_mb_is_refused(db, zone):
    with pytest.raises(RuleViolation) as refused:
        spreadsheets.preview_enterprise_import(zone, b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), "big.xlsx")
    assert refused.value.codes == ["file_too_large"]


def test_an_unknown_token_is_not_found(db, zone):
    with pytest.raises(NotFound):
        spreadsheets.commit_enterprise_import(zone, "0" * 64)
    with pytest.raises(NotFound):
        spreadsheets.commit_enterprise_import(zone, "../../etc/passwd")


def test_only_the_development_zone_imports(db, make_user):
    industry = make_user("gxj", roles=("industry",))
    with pytest.raises(Forbidden):
        spreadsheets.preview_enterprise_import(industry, xlsx([row(1)]), "x.xlsx")


# ---- enterprise import: reading cells --------------------------------------------------------------


def test_header_row_may_sit_below_a_title_with_blanks_and_unknown_columns(db, zone):
    headers = [f" {h} " for h in HEADERS] + ["内部编号"]
    rows = [{f" {k} ": v for k, v in row(1).items()}, {}, {f" {k} ": v for k, v in row(2, name=None).items()}]
    content = xlsx(rows, headers=headers, above=[["2024年企业摸底表"], []])
    preview = spreadsheets.preview_enterprise_import(zone, content, "摸底.xlsx")
    # Title, blank, header in row 3; the empty row 5 is skipped; the nameless enterprise is row 6.
    assert (preview.rows, preview.good) == (2, 1)
    assert [(e.row, e.reasons) for e in preview.errors] == [(6, ["企业名称：不能为空"])]


def test_numeric_money_cells_are_read_exactly_or_refused(db, zone):
    content = xlsx(
        [
            row(1, revenue=1234.56, tax_sales=36800000.1),
            row(2, revenue=0.3),
            row(3, revenue=1234.567),
            row(4, employees=25.5),
            row(5, employees=30.0),
        ]
    )
    content = with_raw_number(content, "0.3", "0.30000000000000004")  # =0.1+0.2 as Excel stores it
    preview = spreadsheets.preview_enterprise_import(zone, content, "numbers.xlsx")
    assert {e.row: e.reasons[0].split("：")[0] for e in preview.errors} == {
        3: "营业收入（元）",
        4: "营业收入（元）",
        5: "从业人员（人）",
    }

    content = xlsx([row(1, revenue=1234.56, tax_sales=36800000.1), row(5, employees=30.0)])
    spreadsheets.commit_enterprise_import(zone, spreadsheets.preview_enterprise_import(zone, content, "n.xlsx").token)
    first = enterprises.get(zone, uscc(1))
    assert (first.revenue, first.tax_sales) == (Decimal("1234.56"), Decimal("36800000.10"))
    assert enterprises.get(zone, uscc(5)).employees == 30


def test_a_credit_code_that_excel_turned_into_a_number_is_refused(db, zone):
    content = xlsx([row(1, uscc=9.137040512345679e17)])
    preview = spreadsheets.preview_enterprise_import(zone, content, "x.xlsx")
    assert "文本" in preview.errors[0].reasons[0]


def test_values_too_long_or_too_large_for_the_registry_are_row_errors(db, zone):
    content = xlsx([row(1, legal_rep="张" * 51), row(2, revenue="10000000000000000.00"), row(3)])
    preview = spreadsheets.preview_enterprise_import(zone, content, "x.xlsx")
    assert [(e.row, e.reasons) for e in preview.errors] == [
        (2, ["法定代表人：不超过 50 个字符"]),
        (3, ["营业收入（元）：金额超出范围"]),
    ]


# ---- enterprise import: success --------------------------------------------------------------------


def test_commit_imports_every_row_with_sizes_ratings_and_audit(db, zone):
    content = xlsx(
        [
            row(1),
            row(2, employees=400, revenue="30000000.00"),
            row(3, size_class="微型"),
            row(4, mu_class=None, mu_year=None, established_on=date(2020, 1, 2)),
        ]
    )
    preview = spreadsheets.preview_enterprise_import(zone, content, "企业信息.xlsx")
    result = spreadsheets.commit_enterprise_import(zone, preview.token)

    assert (result.rows, result.enterprises, result.ratings_created) == (4, 4, 3)
    sizes = {e.uscc: (e.size_class, e.size_class_given) for e in db.session.scalars(select(Enterprise))}
    assert sizes == {
        uscc(1): ("small", False),
        uscc(2): ("medium", False),
        uscc(3): ("micro", True),
        uscc(4): ("small", False),
    }
    first = enterprises.get(zone, uscc(1))
    assert [(r.year, r.mu_class) for r in first.mu_ratings] == [(2024, "B")]
    assert (first.revenue, first.established_on) == (Decimal("36800000.00"), date(2018, 5, 20))
    assert enterprises.get(zone, uscc(4)).established_on == date(2020, 1, 2)

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "enterprise.import").order_by(AuditEntry.id)
    ).all()
    assert [(e.object_id, e.changes["import_row"]) for e in entries] == [
        (str(enterprises.get(zone, uscc(n)).id), n + 1) for n in (1, 2, 3, 4)
    ]
    assert all(e.changes["import_token"] == preview.token and e.actor_name == "zone-officer" for e in entries)
    summary = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "enterprise.import_batch")).one()
    assert summary.changes["filename"] == "企业信息.xlsx" and summary.changes["enterprises"] == 4


def test_a_committed_import_cannot_be_committed_again(db, zone):
    preview = spreadsheets.preview_enterprise_import(zone, xlsx([row(1)]), "x.xlsx")
    spreadsheets.commit_enterprise_import(zone, preview.token)
    with pytest.raises(NotFound):
        spreadsheets.commit_enterprise_import(zone, preview.token)


# ---- 亩产效益 import --------------------------------------------------------------------------------


def mu_file(rows) -> bytes:
    return xlsx([dict(zip(MU_HEADERS, r, strict=False)) for r in rows], headers=MU_HEADERS)


def test_mu_import_records_the_year_and_moves_the_current_class(db, zone):
    register(zone, 1, mu_class="B", mu_year=2023)
    register(zone, 2, mu_class="A", mu_year=2024)
    content = mu_file([(uscc(1), 2024, "A", "枣庄市2024年度评价"), (uscc(2), 2022, "C类", None)])
    preview = spreadsheets.preview_mu_import(zone, content, "亩产效益.xlsx")
    assert (preview.good, preview.errors) == (2, [])
    result = spreadsheets.commit_mu_import(zone, preview.token)

    db.session.expire_all()
    first, second = enterprises.get(zone, uscc(1)), enterprises.get(zone, uscc(2))
    assert (first.mu_class, first.mu_year) == ("A", 2024)
    assert [(r.year, r.mu_class, r.note) for r in first.mu_ratings] == [
        (2023, "B", None),
        (2024, "A", "枣庄市2024年度评价"),
    ]
    assert (second.mu_class, second.mu_year) == ("A", 2024)  # an older year does not replace the current class
    assert (result.ratings_created, result.ratings_updated, result.enterprises) == (2, 0, 2)
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "enterprise.mu_rating", AuditEntry.object_id == str(first.id))
    ).one()
    assert audited.changes["mu_class_2024"] == [None, "A"] and audited.changes["mu_class"] == ["B", "A"]


def test_mu_import_corrects_an_existing_year(db, zone):
    register(zone, 1, mu_class="B", mu_year=2024)
    preview = spreadsheets.preview_mu_import(zone, mu_file([(uscc(1), 2024, "D", "复核更正")]), "x.xlsx")
    result = spreadsheets.commit_mu_import(zone, preview.token)
    db.session.expire_all()
    assert (result.ratings_created, result.ratings_updated) == (0, 1)
    assert enterprises.get(zone, uscc(1)).mu_class == "D"


def test_mu_preview_refuses_unknown_codes_bad_classes_and_bad_years(db, zone):
    register(zone, 1)
    content = mu_file(
        [
            (uscc(1), 2024, "A", None),
            (uscc(2), 2024, "A", None),
            (uscc(1), 2023, "E", None),
            (uscc(1), 1999, "B", None),
            (uscc(1), 2024, "B", None),
        ]
    )
    preview = spreadsheets.preview_mu_import(zone, content, "x.xlsx")
    assert {e.row: [v.code for v in e.violations] for e in preview.errors} == {
        3: ["unknown_enterprise"],
        4: ["invalid_field"],
        5: ["invalid_field"],
        6: ["duplicate_in_file"],
    }
    with pytest.raises(RuleViolation):
        spreadsheets.commit_mu_import(zone, preview.token)
    assert count(db, MuRating) == 0


# ---- exports ---------------------------------------------------------------------------------------


def test_registry_export_has_chinese_headers_labels_and_amounts_as_numbers(db, zone):
    register(zone, 1, name="甲企业", revenue="1234567.89", phone="0632-6612345", mu_class="A", mu_year=2024)
    register(zone, 2, name="乙企业", industry="other", in_zone=False)
    sheet = read(spreadsheets.export_registry(zone))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:15]) == HEADERS and rows[0][15] == "是否被惩戒"
    by_name = {r[1]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}
    first = by_name["甲企业"]
    assert (first["统一社会信用代码"], first["所属行业"], first["企业规模"]) == (uscc(1), "新材料", "微型")
    assert first["营业收入（元）"] == pytest.approx(1234567.89)
    assert (first["联系电话"], first["亩产效益类别"], first["是否被惩戒"]) == ("0632-6612345", "A", "否")
    assert sheet.cell(row=[r[1] for r in rows].index("甲企业") + 1, column=9).number_format == "#,##0.00"
    assert (by_name["乙企业"]["所属行业"], by_name["乙企业"]["是否在开发区内"]) == ("其他", "否")


def test_registry_export_applies_the_search_filters(db, zone):
    register(zone, 1, name="甲企业")
    register(zone, 2, name="乙企业", industry="other")
    rows = list(read(spreadsheets.export_registry(zone, industry="other")).iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["乙企业"]


def test_a_bank_user_cannot_export_the_registry(db, teller):
    with pytest.raises(Forbidden):
        spreadsheets.export_registry(teller)


def make_batch(db, zone, number, status, effective_from=None, effective_to=None, amounts=()):
    batch = ListBatch(
        number=number,
        title="台儿庄区“园区E贷”推荐企业名单",
        status=status,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    db.session.add(batch)
    db.session.flush()
    for position, (n, amount) in enumerate(amounts, start=1):
        enterprise = register(zone, n, mu_class="A", mu_year=2024, legal_rep="李四", phone="13900000000")
        db.session.add(
            ListEntry(
                batch_id=batch.id,
                enterprise_id=enterprise.id,
                position=position,
                recommended_amount=Decimal(amount),
                note="首贷" if n == 1 else None,
            )
        )
    db.session.commit()
    return batch


def test_batch_export_has_attachment_1_columns_under_a_title_naming_the_batch(db, zone, today):
    today("2024-10-08")
    batch = make_batch(
        db, zone, "2024年第1批", "issued", date(2024, 10, 1), amounts=[(1, "5000000.00"), (2, "1234567.89")]
    )
    sheet = read(spreadsheets.export_batch(zone, batch.id))
    rows = list(sheet.iter_rows(values_only=True))
    assert "2024年第1批" in rows[0][0] and "已下发" in rows[1][0] and "2024-10-01" in rows[1][0]
    assert list(rows[2]) == [
        "序号",
        "企业名称",
        "统一社会信用代码",
        "所属行业",
        "企业规模",
        "亩产效益类别",
        "法定代表人",
        "联系电话",
        "推荐额度(万元)",
        "备注",
    ]
    assert rows[3] == (1, "已登记1号企业", uscc(1), "新材料", "小型", "A（2024）", "李四", "13900000000", 500, "首贷")
    assert rows[4][8] == pytest.approx(123.456789)
    assert rows[5][:2] == ("合计", "共 2 户")


def test_a_bank_user_exports_the_batch_in_force_and_no_other(db, zone, teller, today):
    today("2024-10-08")
    old = make_batch(db, zone, "2024年第1批", "superseded", date(2024, 3, 1), date(2024, 9, 30), [(1, "100000.00")])
    current = make_batch(db, zone, "2024年第2批", "issued", date(2024, 10, 1), amounts=[(2, "200000.00")])
    rows = list(read(spreadsheets.export_batch(teller, current.id)).iter_rows(values_only=True))
    assert rows[3][2] == uscc(2)
    with pytest.raises(NotFound):
        spreadsheets.export_batch(teller, old.id)


def test_sanctions_export_lists_flagged_enterprises_with_the_measures(db, zone, make_user):
    finance = make_user("finance-officer", roles=("finance",))
    flagged = register(zone, 1, name="违约企业")
    register(zone, 2, name="守信企业")
    sanctions.flag(finance, flagged, "贷款逾期（合同 JK-2024-001）", date(2024, 9, 1))
    db.session.commit()
    rows = list(read(spreadsheets.export_sanctions(finance)).iter_rows(values_only=True))
    assert list(rows[2]) == ["序号", "企业名称", "统一社会信用代码", "惩戒原因", "惩戒起始日期", "惩戒措施"]
    assert rows[3][:4] == (1, "违约企业", uscc(1), "贷款逾期（合同 JK-2024-001）")
    assert rows[3][4].date() == date(2024, 9, 1)
    assert rows[3][5] == "取消评优评先资格；停发奖补资金；暂停优惠政策"
    assert len(rows) == 4
