"""Excel (.xlsx) doors into the registry: templates, the two-step imports, and the exports.

Service functions like the others: they take the actor and bytes or ids and return data; the web
page, the API and the CLI wrap them. Imports are two steps — a preview that lists every bad row,
then a commit that writes all rows in one transaction or nothing — so a half-imported file cannot
happen.
"""

from eloan.services.spreadsheets.columns import LOAN_COLUMNS
from eloan.services.spreadsheets.enterprise_import import commit_enterprise_import, preview_enterprise_import
from eloan.services.spreadsheets.exports import export_batch, export_registry, export_sanctions
from eloan.services.spreadsheets.loan_exports import LOAN_EXPORT_HEADERS, export_loans
from eloan.services.spreadsheets.loan_import import (
    LoanImportResult,
    LoanRowError,
    commit_loan_import,
    preview_loan_import,
)
from eloan.services.spreadsheets.mu_import import commit_mu_import, preview_mu_import
from eloan.services.spreadsheets.reading import MAX_BYTES, MAX_ROWS
from eloan.services.spreadsheets.storage import ImportPreview, ImportResult, RowError
from eloan.services.spreadsheets.templates import (
    ENTERPRISE_COLUMNS,
    MU_COLUMNS,
    enterprise_template,
    loan_template,
    mu_template,
)

__all__ = [
    "ENTERPRISE_COLUMNS",
    # programme loans, for a bank's own loans
    "LOAN_COLUMNS",
    "LOAN_EXPORT_HEADERS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MU_COLUMNS",
    "ImportPreview",
    "ImportResult",
    "LoanImportResult",
    "LoanRowError",
    "RowError",
    "commit_enterprise_import",
    "commit_loan_import",
    "commit_mu_import",
    "enterprise_template",
    "export_batch",
    "export_loans",
    "export_registry",
    "export_sanctions",
    "loan_template",
    "mu_template",
    "preview_enterprise_import",
    "preview_loan_import",
    "preview_mu_import",
]
