"""The clause records of ``geodata/clauses.json``, bound to their check functions by id.

The facts of each clause (id, draft, article, title, the operative words quoted, how sure the
quote is and its source, the source URLs, whom it binds, which deployment kinds it concerns)
live in the bundled ``clauses.json`` (installed as ``deployguard.geodata``); the checks live in
:mod:`~deployguard.treaty.clauses.us_draft` and :mod:`~deployguard.treaty.clauses.nato_draft`,
each of which
keeps a registry ``CHECKS`` from clause id to check function and calls :func:`build_clauses`.

A record may carry ``reach_role`` (which reach fact measures the clause's reach: ``"ground"``,
the weapon launched from the ground, or ``"any"``, the default), ``parties`` (the states a
clause names, and a group with the date its membership is taken on) and ``facts`` (named
states, the states of a list with its source): the checks read them through
:func:`clause_facts` instead of keeping them in Python.

In ``applies_to`` a name of :data:`KIND_GROUPS` stands for a set of kinds: ``"located"`` is every
kind that puts forces or arms on the map (:data:`LOCATED_KINDS`).
Other entries are kinds of :data:`deployguard.data.deployments.KINDS`.

Examples
--------
>>> from deployguard.treaty.clauses.records import clause_records, expand_kinds
>>> [r["id"] for r in clause_records()][:3]
['US-3', 'US-4.1', 'US-4.2']
>>> sorted(expand_kinds(["located", "cooperation"]))[:3]
['base', 'cooperation', 'exercise']
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

from deployguard.data.deployments import KINDS
from deployguard.data.files import data_file
from deployguard.errors import DataError
from deployguard.treaty.clauses.base import CheckFunction, Clause

__all__ = [
    "CLAUSES_FILE",
    "LOCATED_KINDS",
    "KIND_GROUPS",
    "build_clauses",
    "clause_facts",
    "clause_records",
    "expand_kinds",
]

CLAUSES_FILE = "clauses.json"

#: Every kind that puts forces or arms somewhere on the map ("located" in clauses.json).
LOCATED_KINDS = frozenset({"missile", "forces", "patrol", "nuclear", "base", "exercise"})

# names usable in a record's "applies_to" for a whole set of kinds
KIND_GROUPS: dict[str, frozenset[str]] = {"located": LOCATED_KINDS}

#: The reach facts a clause may read (deployguard.treaty.weapons.ROLES): "ground" for the
#: clauses on ground-launched missiles, "any" (the default) for the others.
REACH_ROLES = ("any", "ground")

_TEXT_FIELDS = ("id", "draft", "article", "title", "quote", "wording", "binds")
_LIST_FIELDS = ("source_urls", "applies_to")


def expand_kinds(names: Iterable[str]) -> frozenset[str]:
    """The deployment kinds that ``names`` (kinds or :data:`KIND_GROUPS` names) stand for.

    Raises
    ------
    DataError
        If a name is neither a kind nor a group.

    Examples
    --------
    >>> sorted(expand_kinds(["nuclear", "base"]))
    ['base', 'nuclear']
    """
    kinds: set[str] = set()
    for name in names:
        if name in KIND_GROUPS:
            kinds |= KIND_GROUPS[name]
        elif name in KINDS:
            kinds.add(name)
        else:
            raise DataError(
                f"{CLAUSES_FILE}: unknown kind {name!r} in applies_to; use one of "
                f"{list(KINDS)} or a group {sorted(KIND_GROUPS)}"
            )
    return frozenset(kinds)


def _check_record(i: int, rec: Any) -> None:
    if not isinstance(rec, dict):
        raise DataError(f"{CLAUSES_FILE}: record {i} is not an object")
    where = f"{CLAUSES_FILE}: record {i} ({rec.get('id', '?')!r})"
    missing = [f for f in _TEXT_FIELDS + _LIST_FIELDS if f not in rec]
    if missing:
        raise DataError(f"{where} lacks {missing}")
    for f in _TEXT_FIELDS:
        if not isinstance(rec[f], str) or not rec[f].strip():
            raise DataError(f"{where}: {f!r} must be a non-empty string")
    for f in _LIST_FIELDS:
        value = rec[f]
        if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v for v in value
        ):
            raise DataError(f"{where}: {f!r} must be a non-empty list of strings")
    expand_kinds(rec["applies_to"])
    for f in ("facts", "parties"):
        if f in rec and not isinstance(rec[f], dict):
            raise DataError(f"{where}: {f!r} must be an object")
    if rec.get("reach_role", "any") not in REACH_ROLES:
        raise DataError(f"{where}: 'reach_role' must be one of {list(REACH_ROLES)}, got "
                        f"{rec['reach_role']!r}")


@functools.cache
def clause_records() -> tuple[dict[str, Any], ...]:
    """The records of ``clauses.json`` in file order (US draft, then NATO draft), validated.

    Cached and shared: do not change them.

    Raises
    ------
    DataError
        If the file is missing or malformed, a field is missing or empty, a kind is unknown or
        an id repeats.
    """
    text = data_file(CLAUSES_FILE).read_text(encoding="utf-8")
    try:
        records = json.loads(text)["clauses"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DataError(f"bundled {CLAUSES_FILE} is malformed: {exc}") from exc
    if not isinstance(records, list):
        raise DataError(f"{CLAUSES_FILE}: 'clauses' must be a list of records")
    for i, rec in enumerate(records):
        _check_record(i, rec)
    ids = [r["id"] for r in records]
    repeated = sorted({x for x in ids if ids.count(x) > 1})
    if repeated:
        raise DataError(f"{CLAUSES_FILE}: repeated clause ids {repeated}")
    return tuple(records)


def clause_facts(clause_id: str) -> dict[str, Any]:
    """The ``facts`` and ``parties`` of a clause's record (shared; do not change them).

    Examples
    --------
    >>> clause_facts("NATO-6")["named_states"]
    {'UKR': 'Ukraine'}
    >>> clause_facts("US-6")["parties"]["states"]
    ['USA', 'RUS']
    """
    for r in clause_records():
        if r["id"] == clause_id:
            return {**r.get("facts", {}), "parties": r.get("parties", {})}
    raise DataError(f"{CLAUSES_FILE}: no clause {clause_id!r}")


def build_clauses(draft: str, checks: Mapping[str, CheckFunction]) -> tuple[Clause, ...]:
    """The clauses of ``draft`` ("us" or "nato") in file order, each with ``checks[id]``.

    Raises
    ------
    DataError
        If a record of the draft has no check function, or a check function no record.

    Examples
    --------
    >>> build_clauses("us", {})
    Traceback (most recent call last):
    ...
    deployguard.errors.DataError: clauses.json: clauses of draft 'us' without a check function: ...
    """
    records = [r for r in clause_records() if r["draft"] == draft]
    ids = {r["id"] for r in records}
    unbound = sorted(ids - set(checks))
    if unbound:
        raise DataError(
            f"{CLAUSES_FILE}: clauses of draft {draft!r} without a check function: {unbound}"
        )
    orphans = sorted(set(checks) - ids)
    if orphans:
        raise DataError(
            f"check functions without a {CLAUSES_FILE} record of draft {draft!r}: {orphans}"
        )
    return tuple(
        Clause(
            r["id"],
            r["draft"],
            r["article"],
            r["title"],
            r["quote"],
            r["wording"],
            r["binds"],
            expand_kinds(r["applies_to"]),
            checks[r["id"]],
            clause_facts(r["id"]),
            r.get("reach_role", "any"),
        )
        for r in records
    )
