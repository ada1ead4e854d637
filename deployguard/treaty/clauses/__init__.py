"""The clauses of Russia's two draft treaties of 17 December 2021, one rule per paragraph.

:data:`CLAUSES` lists them in order (US draft, then NATO draft); :func:`get_clause` looks one up
by id. Each :class:`Clause` quotes its operative words and says whom it binds and which
deployment kinds it concerns; ``clause.check_fn(rows, context)`` judges rows of deployments at
once (see :mod:`deployguard.treaty.engine`). Users call :func:`deployguard.check`.

Examples
--------
>>> from deployguard.treaty.clauses import CLAUSES, get_clause
>>> len(CLAUSES), get_clause("nato-5").article
(14, 'NATO draft Art. 5')
"""

from __future__ import annotations

from deployguard._names import NameIndex
from deployguard.errors import UnknownClauseError
from deployguard.treaty.clauses import nato_draft, us_draft
from deployguard.treaty.clauses.base import Clause, SiteCheckFunction
from deployguard.treaty.clauses.nato_draft import NATO_CLAUSES
from deployguard.treaty.clauses.us_draft import US_CLAUSES
from deployguard.treaty.findings import Finding, Status
from deployguard.treaty.readings import Readings

__all__ = ["CLAUSES", "SITE_CHECKS", "Clause", "Finding", "Readings", "Status", "get_clause"]

CLAUSES: tuple[Clause, ...] = US_CLAUSES + NATO_CLAUSES

#: The clauses decided from position, system, range and date alone, with their check
#: functions (the very ones of :data:`CLAUSES`): sweeps and permitted zones run these.
SITE_CHECKS: dict[str, SiteCheckFunction] = {**us_draft.SITE_CHECKS, **nato_draft.SITE_CHECKS}

_BY_ID: NameIndex[Clause] = NameIndex("clause id", UnknownClauseError)
for _clause in CLAUSES:
    _BY_ID.add(_clause.id, _clause)


def get_clause(clause_id: str) -> Clause:
    """The clause with ``clause_id`` ("US-6", "nato-7.2", ...; case and punctuation ignored).

    Raises
    ------
    UnknownClauseError
        For an unknown id, naming the closest ones.

    Examples
    --------
    >>> get_clause("us 6").id
    'US-6'
    """
    return _BY_ID.get(clause_id)
