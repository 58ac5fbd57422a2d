"""schemathesis against /api/v1/openapi.json, in-process: for every operation, as a bank and as finance,
requests built from the description never answer 500 and every answer
matches the schema it is described with. A small programme is seeded so ids, codes and credit codes exist.

The examples are bounded and derandomized (the same requests every run) so the module runs in well
under a minute per role on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from eloan.services import claims, lists, recoveries
from tests.fixtures.claims import approved_claim, fund_with
from tests.fixtures.registry import uscc

EXAMPLES = 10
# Rendering a PDF takes a second; a few examples say enough about their ids.
FEW = {
    "/claims/{claim_id}/attachment-2.pdf",
    "/list-batches/{batch_id}/attachment-1.pdf",
    "/banks/{code}/attachment-3.pdf",
    "/reports/statistics",  # format=pdf renders 附件4
}


@pytest.fixture()
def seeded(npl, make_user, token_for):
    """The NPL programme with a paid claim and a recovery, an admin; a token per role, and the objects' ids
    so that half of the requests name objects that exist."""
    people = dict(npl)
    people["admin"] = make_user("root", roles=("admin",))
    fund_with(people, "5000000.00")
    claim = approved_claim(people)
    claims.pay(people["finance2"], claim.id, claim.opinion_on, "GK-1")
    recovery = recoveries.report_recovery(people["teller"], claim.id, claim.opinion_on, "1000.00")
    loan, batch = people["loan"], lists.list_batches(people["zone"])[0]
    ids = {
        "loan_id": loan.id,
        "event_id": loan.events[-1].id,
        "claim_id": claim.id,
        "document_id": claim.documents[0].id,
        "recovery_id": recovery.id,
        "batch_id": batch.id,
        "entry_id": batch.entries[0].id,
        "code": "B1",
        "uscc": uscc(1),
    }
    tokens = {who: token_for(user.username) for who, user in people.items() if who in ("teller", "finance")}
    return tokens, ids


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation, headers: dict, path_parameters: dict | None = None) -> None:
    examples = 3 if operation.path in FEW else EXAMPLES

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def run(case):
        if case.headers and "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = uuid.uuid4().hex  # a generated key reused for another body is a 422
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


@pytest.mark.parametrize("who", ["teller", "finance"])
def test_no_request_the_description_allows_answers_500_or_off_schema(app, seeded, who):
    tokens, ids = seeded
    failures = []
    for operation in _operations(app):
        named = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
        for path_parameters in [None, named] if named else [None]:  # random ids, then the seeded objects
            try:
                _fuzz(operation, tokens[who], path_parameters)
            except Exception as exc:  # collect every operation's failure, not only the first
                failures.append(f"{operation.method.upper()} {operation.path} {path_parameters or ''}: {exc}")
    assert not failures, "\n\n".join(failures)
