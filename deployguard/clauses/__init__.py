"""The clauses of Russia's two draft treaties of 17 December 2021, one rule per paragraph.

:data:`CLAUSES` lists them in order (US draft, then NATO draft); :func:`get_clause` looks one up
by id. Each :class:`Clause` quotes its operative words and says whom it binds and which
deployment kinds it concerns; ``clause.check(deployment, context)`` returns a :class:`Finding`.
Most users call :func:`deployguard.check` instead.

Examples
--------
>>> from deployguard.clauses import CLAUSES, get_clause
>>> len(CLAUSES), get_clause("nato-5").article
(13, 'NATO draft Art. 5')
"""

from __future__ import annotations

from deployguard.errors import InvalidInputError

from .base import Clause, Finding, Readings, Status
from .nato_draft import NATO_CLAUSES
from .us_draft import US_CLAUSES

__all__ = ["CLAUSES", "Clause", "Finding", "Readings", "Status", "get_clause"]

CLAUSES: tuple[Clause, ...] = US_CLAUSES + NATO_CLAUSES


def get_clause(clause_id: str) -> Clause:
    """The clause with ``clause_id`` ("US-6", "nato-7.2", ...; case-insensitive)."""
    key = str(clause_id).strip().upper()
    for c in CLAUSES:
        if c.id == key:
            return c
    raise InvalidInputError(
        f"unknown clause id {clause_id!r}; known: {', '.join(c.id for c in CLAUSES)}"
    )
