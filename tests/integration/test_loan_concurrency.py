"""Two banks registering for the same enterprise at the same moment cannot together pass the ¥5M cap
(第六条): the enterprise row is locked while the cap is checked and the loan written."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from eloan.domain.errors import RuleViolation
from eloan.extensions import db as _db
from eloan.models import Loan, User
from eloan.services import loans
from tests.fixtures.loans import loan_body


def test_simultaneous_registrations_at_two_banks_cannot_pass_the_cap_together(app, programme, monkeypatch):
    real_sum = loans.outstanding_at_all_banks

    def slow_sum(enterprise_id):
        # Widen the window between reading the balance and writing the loan, as a busy server would.
        total = real_sum(enterprise_id)
        time.sleep(0.5)
        return total

    monkeypatch.setattr(loans, "outstanding_at_all_banks", slow_sum)
    tellers = {name: programme[name].id for name in ("teller", "teller2")}
    _db.session.commit()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def register(name: str, contract_no: str):
        with app.app_context():
            actor = _db.session.get(User, tellers[name])
            start.wait()
            try:
                loans.register(actor, loan_body(contract_no=contract_no, amount="3000000.00"))
                outcomes[name] = "registered"
            except RuleViolation as exc:
                outcomes[name] = ",".join(exc.codes)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=register, args=(name, f"{name}-1")) for name in tellers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["enterprise_cap_exceeded", "registered"]
    assert _db.session.scalar(select(func.count()).select_from(Loan)) == 1
