"""A clause: one article or paragraph of one draft, bound to its (vectorised) check.

A clause is data (id, draft, article, title, the operative words, whom it binds, which
deployment kinds it applies to; kept in ``geodata/clauses.json``, see
:mod:`deployguard.treaty.clauses.records`) plus a check function
``check(rows, context) -> Outcome`` that judges every row at once. A row is one deployment
on one host: a point has one row, an area or route one per state it touches (the engine then
keeps the worst). The :class:`~deployguard.treaty.context.Context` carries the placement, the
weapons and the distance table, so that a check never loads data itself.

Examples
--------
>>> from deployguard.treaty.clauses import get_clause
>>> get_clause("US-6").article
'US draft Art. 6'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from deployguard.data.deployments import Deployment
from deployguard.treaty.findings import Status

if TYPE_CHECKING:
    from deployguard.treaty.context import Context

__all__ = ["GEOM_REACH", "GEOM_SITE", "MISSING", "CheckFunction", "Clause", "Outcome", "Rows"]

#: How a finding's evidence geometry is made on demand: none, the deployment's own geometry,
#: or the reached part of the states reached (range ring x territory).
GEOM_NONE, GEOM_SITE, GEOM_REACH = 0, 1, 2


class _Missing:
    """Evidence a branch did not compute (dropped from the finding's evidence)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True, eq=False)
class Rows:
    """The rows a clause judges: deployment index and host, with the deployments' columns."""

    dep: NDArray[np.intp]
    host: NDArray[np.object_]
    ctx: Context

    def __len__(self) -> int:
        return len(self.dep)

    @cached_property
    def deployments(self) -> list[Deployment]:
        deps = self.ctx.frame.deployments
        return [deps[i] for i in self.dep]

    @cached_property
    def by(self) -> NDArray[np.object_]:
        out: NDArray[np.object_] = self.ctx.frame.by[self.dep]
        return out

    @cached_property
    def kind(self) -> NDArray[np.object_]:
        out: NDArray[np.object_] = self.ctx.frame.kind[self.dep]
        return out

    @cached_property
    def dates(self) -> list[_dt.date]:
        return [self.ctx.date(int(i)) for i in self.dep]

    @cached_property
    def inside_own(self) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = self.ctx.placement.inside_own[self.dep]
        return out

    def gather(self, values: Sequence[Any]) -> list[Any]:
        """``values`` (one per deployment) for each row."""
        return [values[i] for i in self.dep]


class Outcome:
    """What a check decides for its rows: status, reason, evidence, evidence geometry.

    Rows start as ``not_applicable`` with no reason; :meth:`put` decides a subset.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.status = np.full(n, Status.NOT_APPLICABLE.severity, dtype=np.int8)
        self.reason: list[str] = [""] * n
        self.evidence: dict[str, list[Any]] = {}
        self.geometry = np.zeros(n, dtype=np.int8)
        self.open = np.ones(n, dtype=bool)

    def put(
        self, mask: NDArray[np.bool_], status: Status, reason: Callable[[int], str],
        geometry: int = GEOM_NONE,
    ) -> None:
        """Decide the still open rows of ``mask``: ``status``, ``reason(row)``, geometry."""
        sel = np.flatnonzero(mask & self.open)
        if not sel.size:
            return
        self.status[sel] = status.severity
        self.geometry[sel] = geometry
        for i in sel:
            self.reason[i] = reason(int(i))
        self.open[sel] = False

    def ev(self, name: str, values: Any, mask: NDArray[np.bool_] | None = None) -> None:
        """Set evidence ``name`` (a sequence with one value per row, or one value for all)."""
        col = self.evidence.setdefault(name, [MISSING] * self.n)
        seq = _as_list(values, self.n)
        if mask is None:
            col[:] = seq
            return
        for i in np.flatnonzero(mask):
            col[i] = seq[i]


def _as_list(values: Any, n: int) -> list[Any]:
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "f":
            return [None if v != v else v for v in values.tolist()]  # NaN: not known
        return list(values.tolist())
    if isinstance(values, list | tuple) and len(values) == n:
        return list(values)
    return [values] * n


CheckFunction = Callable[[Rows, "Context"], Outcome]


@dataclass(frozen=True)
class Clause:
    """One article or paragraph of one draft, with its check.

    Attributes
    ----------
    id : str
        ``"US-6"``, ``"NATO-7.1"``, ...
    draft : {"us", "nato"}
    article : str
        Human citation, e.g. ``"US draft Art. 6"``.
    title : str
        A few words on what it restricts.
    quote : str
        The operative words, as the cited outlet reproduces them.
    wording : str
        Verification status and source of ``quote``.
    binds : str
        Which parties it binds, in words (the check applies it).
    applies_to : frozenset of str
        Deployment kinds (:data:`deployguard.data.deployments.KINDS`) it concerns; others get no
        finding.
    check_fn : callable
        ``check_fn(rows, context) -> Outcome``, over every row at once.
    facts : dict
        The clause's own facts from ``clauses.json`` (named states, party sets, sources).
    """

    id: str
    draft: str
    article: str
    title: str
    quote: str
    wording: str
    binds: str
    applies_to: frozenset[str]
    check_fn: CheckFunction = field(repr=False)
    facts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)
