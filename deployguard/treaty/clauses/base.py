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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, overload

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from deployguard.data.deployments import Deployment
from deployguard.treaty.findings import Status

if TYPE_CHECKING:
    from deployguard.treaty.context import Context
    from deployguard.treaty.reach import ReachAnswer
    from deployguard.treaty.readings import Readings
    from deployguard.treaty.weapons import Weapons

__all__ = ["GEOM_REACH", "GEOM_SITE", "MISSING", "CheckFunction", "Clause", "ClauseContext",
           "Outcome", "Reasons", "Rows", "SiteCheckFunction"]

#: How a finding's evidence geometry is made on demand: none, the deployment's own geometry,
#: or the reached part of the states reached (range ring x territory).
GEOM_NONE, GEOM_SITE, GEOM_REACH = 0, 1, 2


class _Missing:
    """Evidence a branch did not compute (dropped from the finding's evidence)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


# ---------------------------------------------------------------------------- the context
class FrameColumns(Protocol):
    """The columns of what is judged: check()'s deployments, or a sweep's sites x systems."""

    @property
    def by(self) -> NDArray[np.object_]: ...
    @property
    def kind(self) -> NDArray[np.object_]: ...
    @property
    def system_class(self) -> NDArray[np.object_]: ...
    @property
    def system_name(self) -> NDArray[np.object_]: ...
    @property
    def dates(self) -> Sequence[_dt.date]: ...
    @property
    def deployments(self) -> Sequence[Deployment]: ...


class PlacementColumns(Protocol):
    """Where each deployment is (see :class:`~deployguard.treaty.placement.Placement`)."""

    @property
    def inside_own(self) -> NDArray[np.bool_]: ...
    @property
    def inside_own_sea(self) -> NDArray[np.bool_]: ...


class ClauseContext(Protocol):
    """What the reach clauses (US-5.2, US-6, NATO-5) read besides their rows.

    :class:`~deployguard.treaty.context.Context` (check) and a sweep's site context both
    provide it, so one clause function decides for both faces.
    """

    @property
    def frame(self) -> FrameColumns: ...
    @property
    def placement(self) -> PlacementColumns: ...
    @property
    def weapons(self) -> Weapons: ...
    @property
    def readings(self) -> Readings: ...
    @property
    def range_estimate(self) -> str: ...
    @property
    def on(self) -> _dt.date | None: ...
    @property
    def keeps_evidence(self) -> bool:
        """False where only statuses are read (a sweep): checks then skip the evidence."""
        ...

    def date(self, i: int) -> _dt.date: ...

    def km_to_sea(self, dep: NDArray[np.intp]) -> NDArray[np.float64]:
        """Geodesic km from each of deployments ``dep`` (points) to the nearest territorial
        sea, inf beyond the coast tolerance or for an area
        (:func:`deployguard.treaty.placement.km_to_sea`).
        """
        ...

    def reach(
        self, rows: Rows, sel: NDArray[np.intp], targets: Sequence[tuple[str, ...]],
        target_of: NDArray[np.intp], range_km: NDArray[np.float64],
        min_range_km: NDArray[np.float64], detail: bool,
    ) -> ReachAnswer:
        """Reach of rows ``sel`` to ``targets[target_of[r]]`` (one entry per selected row)."""
        ...


# ---------------------------------------------------------------------------- rows
@dataclass(frozen=True, eq=False)
class Rows:
    """The rows a clause judges: deployment index and host, with the deployments' columns."""

    dep: NDArray[np.intp]
    host: NDArray[np.object_]
    ctx: ClauseContext

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
    def system_class(self) -> NDArray[np.object_]:
        """The class of each row's system ("" without one)."""
        out: NDArray[np.object_] = self.ctx.frame.system_class[self.dep]
        return out

    @cached_property
    def system_name(self) -> NDArray[np.object_]:
        """The name of each row's system ("" without one)."""
        out: NDArray[np.object_] = self.ctx.frame.system_name[self.dep]
        return out

    @cached_property
    def dates(self) -> list[_dt.date]:
        return [self.ctx.date(int(i)) for i in self.dep]

    @cached_property
    def day_groups(self) -> tuple[tuple[_dt.date, NDArray[np.intp]], ...]:
        """The rows of each distinct date memberships are taken on (vectorised clauses)."""
        on = self.ctx.on
        if on is not None:
            return ((on, np.arange(len(self))),)
        codes, days = pd.factorize(np.array(self.ctx.frame.dates, dtype=object)[self.dep])
        order = np.argsort(codes, kind="stable")
        cuts = np.searchsorted(codes[order], np.arange(len(days) + 1))
        return tuple((days[k], order[cuts[k]:cuts[k + 1]]) for k in range(len(days)))

    @cached_property
    def by_codes(self) -> tuple[NDArray[np.intp], list[str]]:
        """``by`` as codes into its distinct values (decisions per state, not per row)."""
        codes, uniques = pd.factorize(self.by)
        return codes.astype(np.intp), [str(u) for u in uniques]

    @cached_property
    def inside_own(self) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = self.ctx.placement.inside_own[self.dep]
        return out

    @cached_property
    def inside_own_sea(self) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = self.ctx.placement.inside_own_sea[self.dep]
        return out

    def fact_codes(self, role: str) -> NDArray[np.intp]:
        """Per row, the index of its reach fact in ``ctx.weapons.facts`` for ``role``."""
        out: NDArray[np.intp] = self.ctx.weapons.codes[role][self.dep]
        return out

    def gather(self, values: Sequence[Any]) -> list[Any]:
        """``values`` (one per deployment) for each row."""
        return [values[i] for i in self.dep]


# ---------------------------------------------------------------------------- reasons
class Reasons(Sequence[str]):
    """Reason strings formatted when read: per row, a template (a callable) and its argument.

    Deciding millions of rows stores two integers per row; only the reasons a reader asks for
    are formatted, with the same words as an eager string.
    """

    def __init__(self, makers: Sequence[Callable[[int], str] | str],
                 which: NDArray[np.intp], arg: NDArray[np.intp]) -> None:
        self._makers = makers
        self._which = which
        self._arg = arg

    def __len__(self) -> int:
        return len(self._which)

    @overload
    def __getitem__(self, k: int) -> str: ...
    @overload
    def __getitem__(self, k: slice) -> list[str]: ...
    def __getitem__(self, k: int | slice) -> str | list[str]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        m = int(self._which[k])
        if m < 0:
            return ""
        maker = self._makers[m]
        return maker if isinstance(maker, str) else maker(int(self._arg[k]))

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def take(self, idx: NDArray[np.intp]) -> Reasons:
        """The reasons of rows ``idx``, still unformatted."""
        return Reasons(self._makers, self._which[idx], self._arg[idx])

    @classmethod
    def of(cls, texts: Sequence[str]) -> Reasons:
        """Reasons already formatted."""
        return cls(list(texts), np.arange(len(texts), dtype=np.intp),
                   np.zeros(len(texts), dtype=np.intp))

    @classmethod
    def concat(cls, parts: Sequence[Reasons]) -> Reasons:
        """One sequence of ``parts`` after one another."""
        makers: list[Callable[[int], str] | str] = []
        which, arg = [], []
        for p in parts:
            which.append(np.where(p._which >= 0, p._which + len(makers), -1))
            arg.append(p._arg)
            makers.extend(p._makers)
        if not parts:
            return cls([], np.zeros(0, np.intp), np.zeros(0, np.intp))
        return cls(makers, np.concatenate(which).astype(np.intp), np.concatenate(arg))


class Outcome:
    """What a check decides for its rows: status, reason, evidence, evidence geometry.

    Rows start as ``not_applicable`` with no reason; :meth:`put` decides a subset. Reasons are
    formatted when read (:class:`Reasons`). With ``evidence=False`` (a sweep, which reports
    only statuses) :meth:`ev` keeps nothing and :attr:`keeps_evidence` tells a check to skip
    building evidence.
    """

    def __init__(self, n: int, evidence: bool = True) -> None:
        self.n = n
        self.status = np.full(n, Status.NOT_APPLICABLE.severity, dtype=np.int8)
        self._makers: list[Callable[[int], str] | str] = []
        self._which = np.full(n, -1, dtype=np.intp)
        self.evidence: dict[str, list[Any]] = {}
        self.geometry = np.zeros(n, dtype=np.int8)
        self.open = np.ones(n, dtype=bool)
        self.keeps_evidence = evidence

    @property
    def reason(self) -> Reasons:
        """Each row's reason ("" where undecided), formatted when read."""
        return Reasons(list(self._makers), self._which.copy(), np.arange(self.n, dtype=np.intp))

    def put(
        self, mask: NDArray[np.bool_], status: Status, reason: Callable[[int], str],
        geometry: int = GEOM_NONE,
    ) -> None:
        """Decide the still open rows of ``mask``: ``status``, ``reason(row)``, geometry.

        ``reason`` is called only when the reason is read: it must read values that do not
        change afterwards.
        """
        sel = np.flatnonzero(mask & self.open)
        if not sel.size:
            return
        self.status[sel] = status.severity
        self.geometry[sel] = geometry
        self._which[sel] = len(self._makers)
        self._makers.append(reason)
        self.open[sel] = False

    def ev(self, name: str, values: Any, mask: NDArray[np.bool_] | None = None) -> None:
        """Set evidence ``name`` (a sequence with one value per row, or one value for all)."""
        if not self.keeps_evidence:
            return
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
#: A check that reads only what :class:`ClauseContext` gives: it runs on check()'s
#: deployments and on a sweep's sites alike (US-5.2, US-6, NATO-5).
SiteCheckFunction = Callable[[Rows, ClauseContext], Outcome]


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
    reach_role : {"any", "ground"}
        Which reach fact measures the clause's reach
        (:data:`deployguard.treaty.weapons.ROLES`): ``"ground"`` for the clauses on
        ground-launched missiles, ``"any"`` for the others (``reach_role`` in
        ``clauses.json``; every face reads it from here).
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
    reach_role: str = "any"
