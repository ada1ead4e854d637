"""geodata/clauses.json and the check functions bound to it by clause id."""

from __future__ import annotations

import pytest

from deployguard.data.deployments import KINDS
from deployguard.errors import DataError
from deployguard.treaty.clauses import CLAUSES, get_clause, nato_draft, us_draft
from deployguard.treaty.clauses.records import KIND_GROUPS, build_clauses, clause_records

RECORDS = clause_records()
CHECKS = {**us_draft.CHECKS, **nato_draft.CHECKS}


def test_clause_records__every_record_has_a_check_and_every_check_a_record():
    assert {r["id"] for r in RECORDS} == set(CHECKS)
    assert len(CHECKS) == len(us_draft.CHECKS) + len(nato_draft.CHECKS)


def test_clause_records__ids_unique_and_in_clauses_order():
    ids = [r["id"] for r in RECORDS]
    assert len(ids) == len(set(ids)) == 14  # US-7.3 added by issue 8
    assert ids == [c.id for c in CLAUSES]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
def test_clause_records__quote_and_source_present(record):
    assert record["quote"].strip()
    assert record["wording"].strip()
    assert record["source_urls"]
    assert all(u.startswith(("https://", "http://")) for u in record["source_urls"])


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
def test_clause_records__draft_and_kinds_known(record):
    assert record["draft"] in ("us", "nato")
    assert record["id"].lower().startswith(record["draft"] + "-")
    for name in record["applies_to"]:
        assert name in KINDS or name in KIND_GROUPS


def test_kind_groups__names_are_not_kinds():
    assert not set(KIND_GROUPS) & set(KINDS)
    for kinds in KIND_GROUPS.values():
        assert kinds <= set(KINDS)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
def test_clauses__built_from_the_record(record):
    clause = get_clause(record["id"])
    for field in ("draft", "article", "title", "quote", "wording", "binds"):
        assert getattr(clause, field) == record[field]
    assert clause.check_fn is CHECKS[record["id"]]


def test_build_clauses__unbound_record_is_an_error():
    checks = dict(us_draft.CHECKS)
    del checks["US-6"]
    with pytest.raises(DataError, match="US-6"):
        build_clauses("us", checks)


def test_build_clauses__check_without_record_is_an_error():
    checks = {**nato_draft.CHECKS, "NATO-9": nato_draft.CHECKS["NATO-6"]}
    with pytest.raises(DataError, match="NATO-9"):
        build_clauses("nato", checks)
