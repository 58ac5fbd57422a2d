"""The columns of the import sheets: order, Chinese headers, and how each cell is read."""
from __future__ import annotations

from eloan.domain.registry import FIELD_LABELS
from eloan.domain.uscc import check_character
from eloan.services.spreadsheets import reading

# The template's order: identity first, then what eligibility looks at (第三、四条), then contacts.
ENTERPRISE_COLUMNS = (
    "uscc", "name", "industry", "size_class", "in_zone", "special_approval_note", "established_on",
    "employees", "revenue", "tax_sales", "mu_class", "mu_year", "legal_rep", "phone", "address",
)
ENTERPRISE_LABELS = {field: FIELD_LABELS[field] for field in ENTERPRISE_COLUMNS}
ENTERPRISE_REQUIRED = ("uscc", "name", "industry")
ENTERPRISE_KINDS = {
    "uscc": reading.code, "name": reading.text, "industry": reading.text, "size_class": reading.text,
    "in_zone": reading.flag, "special_approval_note": reading.text, "established_on": reading.day,
    "employees": reading.integer, "revenue": reading.money, "tax_sales": reading.money,
    "mu_class": reading.text, "mu_year": reading.integer, "legal_rep": reading.text, "phone": reading.text,
    "address": reading.text,
}

MU_COLUMNS = ("uscc", "year", "mu_class", "note")
MU_LABELS = {"uscc": "统一社会信用代码", "year": "评价年度", "mu_class": "亩产效益类别", "note": "备注"}
MU_REQUIRED = ("uscc", "year", "mu_class")
MU_KINDS = {"uscc": reading.code, "year": reading.integer, "mu_class": reading.text, "note": reading.text}


def _example_code() -> str:
    body = "91370405MA0000000"
    return body + check_character(body)


# The templates' example row carries this (valid but unissued) code; an import skips that row, so
# a template filled in below the example imports only the real enterprises.
EXAMPLE_USCC = _example_code()
