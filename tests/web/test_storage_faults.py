"""A full disk on upload: the form comes back with "存储空间不足" beside the file, nothing half-written stays
behind, the administrators are told, and the next upload works once there is room. A stored file gone
from the disk is a clear 410 page, not a 500."""

from __future__ import annotations

import io
import uuid
from datetime import date
from pathlib import Path

import pytest

from eloan.extensions import db
from eloan.models import Notification, StoredFile, User
from eloan.services import files, loans
from tests.fixtures.disk import files_under, fill_disk
from tests.fixtures.loans import loan_body
from tests.fixtures.web import flash_text

# Uploads are kept by content hash in one folder for the whole run: bytes no other test uploads, so the
# write (and the full disk) really happens here.
PDF = b"%PDF-1.4 npl recognition notice " + uuid.uuid4().hex.encode()


@pytest.fixture()
def overdue_loan(programme, make_user):
    make_user("admin", roles=("admin",))
    loan = loans.register(programme["teller"], loan_body())
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 12))
    return loan


def _npl(client, loan):
    return client.post(
        f"/loans/{loan.id}/events",
        data={"ev-type": "npl", "ev-date": "2024-06-19", "ev-proof": (io.BytesIO(PDF), "不良认定.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_a_full_disk_says_so_beside_the_upload_and_leaves_nothing_behind(
    app, client, overdue_loan, as_user, beside, monkeypatch
):
    folder = Path(app.config["UPLOAD_DIR"])
    before = files_under(folder)
    fill_disk(monkeypatch, folder)
    as_user("teller")

    response = _npl(client, overdue_loan)

    assert response.status_code == 200
    assert beside(response.get_data(as_text=True), "ev-proof") == ["存储空间不足，文件未保存，请联系系统管理员。"]
    assert files_under(folder) == before  # no partial file under any name
    db.session.expire_all()
    assert overdue_loan.status == "overdue" and db.session.query(StoredFile).count() == 0
    admin = db.session.query(User).filter_by(username="admin").one()
    assert db.session.query(Notification).filter_by(user_id=admin.id, kind="storage_full").count() == 1

    monkeypatch.undo()  # room again: the same upload goes through
    assert "已登记“认定为不良”" in flash_text(_npl(client, overdue_loan).get_data(as_text=True))


def test_a_proof_missing_from_the_disk_is_a_clear_410_page(app, client, programme, overdue_loan, as_user):
    event = loans.record_event(programme["teller"], overdue_loan.id, "npl", date(2024, 6, 19), proof=(PDF, "证明.pdf"))
    stored = db.session.get(StoredFile, event.document_id)
    files.path_of(stored).unlink()
    as_user("finance")

    response = client.get(f"/loans/{overdue_loan.id}/events/{event.id}/proof")

    assert response.status_code == 410
    assert "在服务器上已找不到" in response.get_data(as_text=True)
