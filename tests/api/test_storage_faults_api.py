"""A full disk over the API is 507 storage_full with nothing changed; a stored file gone from the disk is
410 file_missing; a spreadsheet preview on a full disk is refused the same way and leaves nothing."""

from __future__ import annotations

import io
import uuid
from datetime import date
from pathlib import Path

import pytest

from eloan.domain.errors import StorageFull
from eloan.extensions import db
from eloan.models import StoredFile
from eloan.services import files, loans
from eloan.services.spreadsheets import storage
from tests.fixtures.disk import files_under, fill_disk
from tests.fixtures.loans import loan_body

# Uploads are kept by content hash in one folder for the whole run: bytes no other test uploads, so the
# write (and the full disk) really happens here.
PDF = b"%PDF-1.4 npl recognition notice " + uuid.uuid4().hex.encode()


@pytest.fixture()
def overdue_loan(programme):
    loan = loans.register(programme["teller"], loan_body())
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 12))
    return loan


def test_a_full_disk_is_507_storage_full_and_changes_nothing(app, client, overdue_loan, token_for, monkeypatch):
    folder = Path(app.config["UPLOAD_DIR"])
    before = files_under(folder)
    fill_disk(monkeypatch, folder)

    response = client.post(
        f"/api/v1/loans/{overdue_loan.id}/events",
        headers=token_for("teller"),
        content_type="multipart/form-data",
        data={"type": "npl", "date": "2024-06-19", "proof": (io.BytesIO(PDF), "npl.pdf")},
    )

    assert response.status_code == 507 and response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["code"] == "storage_full"
    assert "存储空间不足" in response.json["errors"][0]["message"]
    assert files_under(folder) == before
    db.session.expire_all()
    assert overdue_loan.status == "overdue" and db.session.query(StoredFile).count() == 0


def test_a_proof_missing_from_the_disk_is_410_file_missing(client, programme, overdue_loan, token_for, caplog):
    event = loans.record_event(programme["teller"], overdue_loan.id, "npl", date(2024, 6, 19), proof=(PDF, "证明.pdf"))
    files.path_of(db.session.get(StoredFile, event.document_id)).unlink()

    response = client.get(f"/api/v1/loans/{overdue_loan.id}/events/{event.id}/proof", headers=token_for("finance"))

    assert response.status_code == 410 and response.json["errors"][0]["code"] == "file_missing"
    assert "is missing" in caplog.text


def test_a_spreadsheet_preview_on_a_full_disk_is_refused_and_leaves_nothing(app, db, monkeypatch):
    folder = Path(app.config["INSTANCE_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    before = files_under(folder)
    fill_disk(monkeypatch, folder)

    with pytest.raises(StorageFull) as refused:
        storage.store(b"PK\x03\x04 an xlsx", "企业名录.xlsx", "enterprises", None)

    assert refused.value.violations[0].field == "file"
    assert files_under(folder) == before
