"""What a report keeps of a run: the findings as columns and the facts of the run they cite.

A :class:`RunFacts` is taken from the engine's context when :func:`deployguard.check` ends:
the deployments, the world and the weapons the run used, its assumptions. The distance tables
and the rest of the context are not kept. :class:`FindingRecords` adds the engine's finding
table and the sensitivity results, and gives every finding as the columns of
:data:`deployguard.treaty.schema.FINDING_COLUMNS` (:meth:`FindingRecords.columns`), the one
source of every export format.

Examples
--------
>>> import deployguard as dg
>>> from deployguard.treaty.schema import FINDING_COLUMNS
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> cols = dg.check(d).records.columns()
>>> list(cols) == [c.name for c in FINDING_COLUMNS]
True
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from deployguard._encode import jsonable
from deployguard.treaty.clauses.base import GEOM_REACH, GEOM_SITE, MISSING
from deployguard.treaty.findings import STATUS_BY_CODE, Status
from deployguard.treaty.frame import GEOM_NONE, GEOM_POINT
from deployguard.treaty.reach_places import places_of, reach_of

if TYPE_CHECKING:
    from deployguard.geography.world import World
    from deployguard.treaty.context import Context
    from deployguard.treaty.engine import FindingTable
    from deployguard.treaty.frame import DeploymentFrame
    from deployguard.treaty.weapons import ReachFact, Weapons

__all__ = ["FindingRecords", "RunFacts", "status_counts"]


def _dumps(value: Any) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False)


@dataclass(frozen=True, eq=False)
class RunFacts:
    """The facts of one run that its findings cite (not the engine's working state).

    Attributes
    ----------
    frame : DeploymentFrame
        The deployments as columns (ids, labels, points, geometries).
    world : World
        The borders the run used (worldview and resolution).
    range_estimate : str
    territorial_sea : bool
        Whether territory included the 12-nmi sea (the reading).
    weapons : Weapons
        The weapon each deployment's clauses used, with its range.
    run_assumptions : dict
        The assumptions every finding shares.
    on : datetime.date or None
        The date memberships were taken on, if the run fixed one.
    host_source : tuple of str
        What the placement says about each deployment's host ("" for nothing to say).
    """

    frame: DeploymentFrame
    world: World
    range_estimate: str
    territorial_sea: bool
    weapons: Weapons
    run_assumptions: dict[str, Any]
    on: _dt.date | None
    host_source: tuple[str, ...]

    @classmethod
    def of(cls, ctx: Context) -> RunFacts:
        """The facts of the run ``ctx`` evaluated."""
        return cls(ctx.frame, ctx.world, ctx.range_estimate, ctx.readings.territorial_sea,
                   ctx.weapons, ctx.run_assumptions(), ctx.on, ctx.placement.host_source)

    def date(self, i: int) -> _dt.date:
        """The date deployment ``i`` is judged on."""
        return self.on if self.on is not None else self.frame.dates[i]

    def assumptions(self, i: int) -> dict[str, Any]:
        """The assumptions behind every finding about deployment ``i``."""
        out = dict(self.run_assumptions)
        out["date"] = self.date(i).isoformat()
        out["date_source"] = "on= argument" if self.on is not None else "deployment date"
        out.update(self.weapons.as_dict(i))
        if self.host_source[i]:
            out["host_source"] = self.host_source[i]
        return out

    def choice(self, i: int, reach_role: str) -> ReachFact:
        """The weapon a clause with ``reach_role`` (``Clause.reach_role``, from clauses.json)
        measured deployment ``i``'s reach with.
        """
        return self.weapons.for_clause(reach_role, i)


@dataclass(frozen=True, eq=False)
class FindingRecords:
    """Every finding of one run as columns, with the facts they cite.

    ``status`` and ``reason`` are the final ones (after sensitivity); ``flipped`` and ``grid``
    are the sensitivity results (None without sensitivity).
    """

    table: FindingTable
    run: RunFacts
    status: NDArray[np.int8]
    reason: Sequence[str]
    flipped: Sequence[tuple[str, ...]] | None = None
    grid: Sequence[dict[str, str] | None] | None = None

    def __len__(self) -> int:
        return len(self.table)

    def bounds(self) -> NDArray[np.intp]:
        """``bounds[i]:bounds[i + 1]`` are the findings about deployment ``i``."""
        return np.searchsorted(self.table.dep, np.arange(len(self.run.frame) + 1))

    def evidence(self, k: int) -> dict[str, Any]:
        """The evidence of finding ``k``: the clause's, the places within reach, the grid."""
        ev = self.table.evidence(k)
        reach = self._reach(k, ev.get("states_reached"))
        if reach is not None:
            d = places_of(self.run.world, reach)[0]
            ev["capitals_reached"] = list(d["capitals"])
            ev["places_in_range"] = dict(d)
        if self.grid is not None and self.grid[k] is not None:
            ev["sensitivity"] = dict(self.grid[k])  # type: ignore[arg-type]
        return ev

    def _reach(self, k: int, states: Any) -> tuple[float, float, float, float] | None:
        i = int(self.table.dep[k])
        role = self.table.clause(k).reach_role
        return reach_of(self.run, i, role, self.table.geometry_kind(k), states)

    def statuses(self, i: int, bounds: NDArray[np.intp] | None = None) -> dict[str, Status]:
        """The status of each clause about deployment ``i``."""
        b = self.bounds() if bounds is None else bounds
        return {self.table.clause(k).id: STATUS_BY_CODE[int(self.status[k])]
                for k in range(int(b[i]), int(b[i + 1]))}

    # ------------------------------------------------------------------ the schema's columns
    def columns(self, k: NDArray[np.intp] | None = None) -> dict[str, list[Any]]:
        """Findings ``k`` (default all) as the columns of the finding schema, in its order.

        Values: text as str (None if missing), numbers as float (NaN if missing), lists as
        lists of str, objects as their JSON text (None if missing).
        """
        t, run = self.table, self.run
        f = run.frame
        k = np.arange(len(t)) if k is None else np.asarray(k, dtype=np.intp)
        dep = t.dep[k].tolist()
        blocks = [t.blocks[b] for b in t.block[k].tolist()]
        clauses = [b.clause for b in blocks]
        pos = t.pos[k].tolist()
        gkind = [int(b.geometry[p]) for b, p in zip(blocks, pos, strict=True)]

        def ev(name: str) -> list[Any]:
            out = []
            for b, p in zip(blocks, pos, strict=True):
                col = b.evidence.get(name)
                v = MISSING if col is None else col[p]
                out.append(None if v is MISSING else v)
            return out

        states = ev("states_reached")
        reaches = [reach_of(run, i, c.reach_role, g, s)
                   for i, c, g, s in zip(dep, clauses, gkind, states, strict=True)]
        places = [None if r is None else places_of(run.world, r) for r in reaches]
        choices = [run.choice(i, c.reach_role) for i, c in zip(dep, clauses, strict=True)]
        lon, lat = f.lon[dep].tolist(), f.lat[dep].tolist()
        flipped = self.flipped
        return {
            "deployment_id": [f.ids[i] for i in dep],
            "deployment_index": dep,
            "label": [f.labels[i] for i in dep],
            "deployment": [f.labels[i] for i in dep],
            "lon": lon,
            "lat": lat,
            "by": [str(f.by[i]) for i in dep],
            "kind": [str(f.kind[i]) for i in dep],
            "date": [f.dates[i].isoformat() for i in dep],
            "clause": [c.id for c in clauses],
            "draft": [c.draft for c in clauses],
            "article": [c.article for c in clauses],
            "status": [STATUS_BY_CODE[s].value for s in self.status[k].tolist()],
            "reason": [self.reason[j] for j in k.tolist()],
            "host": [None if v is None else str(v) for v in ev("host")],
            "distance_km": _numbers(ev("distance_km")),
            "margin_km": _numbers(ev("margin_km")),
            "states_reached": [list(s or ()) for s in states],
            "capitals_reached": [None if p is None else p[2] for p in places],
            "weapon": [None if c.weapon is None else c.weapon.name for c in choices],
            "range_km": _numbers([c.range_km for c in choices]),
            "min_range_km": _numbers([c.min_range_km for c in choices]),
            "range_estimate": [run.range_estimate] * len(dep),
            "worldview": [run.world.worldview] * len(dep),
            "flipped_by": [[] if flipped is None else list(flipped[j]) for j in k.tolist()],
            "quote": [c.quote for c in clauses],
            "wording": [c.wording for c in clauses],
            "evidence": self._evidence_json(blocks, pos, places, k),
            "assumptions": self._assumptions_json(dep),
            "has_geometry": [(g == GEOM_SITE and f.geom_kind[i] != GEOM_NONE)
                             or (g == GEOM_REACH and f.geom_kind[i] == GEOM_POINT and bool(s))
                             for i, g, s in zip(dep, gkind, states, strict=True)],
        }

    def _evidence_json(self, blocks: list[Any], pos: list[int],
                       places: list[tuple[dict[str, Any], str, str] | None],
                       k: NDArray[np.intp]) -> list[str]:
        memo: dict[Any, str] = {}
        out = []
        grid = self.grid
        for b, p, pl, j in zip(blocks, pos, places, k.tolist(), strict=True):
            parts = []
            for name, col in b.evidence.items():
                v = col[p]
                if v is MISSING:
                    continue
                # member lists and weapon facts are one object shared by many rows
                key = ((name, type(v), v) if isinstance(v, str | int | float | type(None))
                       else (name, id(v)))
                text = memo.get(key)
                if text is None:
                    text = memo[key] = json.dumps(name) + ": " + _encode(v)
                parts.append(text)
            if pl is not None:
                parts.append(pl[1])
            if grid is not None and grid[j] is not None:
                parts.append('"sensitivity": ' + _dumps(grid[j]))
            out.append("{" + ", ".join(parts) + "}")
        return out

    def _assumptions_json(self, dep: list[int]) -> list[str]:
        run = self.run
        w = run.weapons
        memo: dict[tuple[Any, ...], str] = {}
        out = []
        for i in dep:
            # what RunFacts.assumptions(i) reads: deployments that share it share the text
            key = (run.date(i), int(w.codes["any"][i]), run.host_source[i])
            text = memo.get(key)
            if text is None:
                text = memo[key] = _dumps(run.assumptions(i))
            out.append(text)
        return out


def _encode(v: Any) -> str:
    """``v`` as JSON text, the common shapes of evidence without a generic walk."""
    t = type(v)
    if t is float:
        return repr(v) if math.isfinite(v) else "null"
    if t is tuple and all(type(x) is str and x.isalnum() for x in v):
        return "[" + ", ".join(f'"{x}"' for x in v) + "]"  # state codes: nothing to escape
    if t is dict and all(type(x) is str and x.replace("-", "").isalnum() and type(y) is float
                         for x, y in v.items()):
        return "{" + ", ".join(f'"{x}": {y!r}' if math.isfinite(y) else f'"{x}": null'
                               for x, y in v.items()) + "}"
    return _dumps(v)


def _numbers(values: Sequence[Any]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def status_counts(status: NDArray[np.int8]) -> dict[str, int]:
    """How many findings have each status (every status, worst first)."""
    codes = np.bincount(status.astype(np.intp), minlength=len(STATUS_BY_CODE))
    return {s.value: int(codes[s.severity]) for s in STATUS_BY_CODE}
