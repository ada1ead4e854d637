"""A sweep as the engine run on a frame of sites x systems: the context the clauses read.

:func:`deployguard.sweep` measures each site against each protected set of states once (the
site-set numbers of :mod:`deployguard.treaty.sweep`); the verdicts are then made by the very
clause functions :func:`deployguard.check` runs (:data:`deployguard.treaty.clauses.SITE_CHECKS`)
on rows = sites x systems, through :class:`SiteContext`:

- its frame and placement are columns tiled from the sites (who deploys, host, national
  territory with and without the sea);
- its weapons are the reach facts of :mod:`deployguard.treaty.weapons` (one
  :func:`~deployguard.treaty.weapons.reach_facts` call per system and land/sea);
- its reach oracle (:meth:`SiteContext.reach`) answers from the site-set numbers: a point
  reaches a set of states within [min, max] exactly when it reaches one of them.

Nothing here decides a status: the order of tests, the readings, the launch mode, the classes
and who is bound are the clause code's.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from deployguard.data.deployments import Deployment
from deployguard.data.systems import WeaponSystem
from deployguard.geography.state_sets import StateSetIndex
from deployguard.treaty.clauses import SITE_CHECKS
from deployguard.treaty.clauses.base import Rows
from deployguard.treaty.findings import Status
from deployguard.treaty.placement import km_to_sea
from deployguard.treaty.reach import ReachAnswer
from deployguard.treaty.readings import Readings
from deployguard.treaty.weapons import Key, Weapons, reach_facts, weapons_of

__all__ = ["STATUS_VALUES", "SiteContext", "SiteFrame", "SitePlacement", "decide",
           "ranges_in_play"]

STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in Status)
# a clause's severity code -> the sweep's categorical code (into STATUS_VALUES)
_SEVERITY_TO_CODE = np.array(
    [STATUS_VALUES.index(s.value) for s in sorted(Status, key=lambda s: s.severity)],
    dtype=np.int8)


@dataclass(frozen=True, eq=False)
class SiteFrame:
    """Rows = systems x sites (system-major): row ``r`` is site ``r % n_sites``.

    A sweep row has no :class:`~deployguard.data.deployments.Deployment` object
    (``deployments`` is empty): only the clauses of ``SITE_CHECKS`` run on it.
    """

    by: NDArray[np.object_]
    kind: NDArray[np.object_]
    system_class: NDArray[np.object_]
    system_name: NDArray[np.object_]
    day: _dt.date
    deployments: tuple[Deployment, ...] = ()

    @cached_property
    def dates(self) -> list[_dt.date]:
        return [self.day] * len(self.by)


@dataclass(frozen=True, eq=False)
class SitePlacement:
    """Where each row's site is: host, in the deployer's national territory (reading / sea)."""

    host: NDArray[np.object_]
    inside_own: NDArray[np.bool_]
    inside_own_sea: NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class SiteContext:
    """The :class:`~deployguard.treaty.clauses.base.ClauseContext` of a sweep at one estimate.

    ``numbers`` are the site-set distances or deciding bounds (``lo|k``, ``hi|k``,
    ``ann|k|min|max``, ``near|k``) of the protected sets ``keys`` (sorted state tuples).
    """

    frame: SiteFrame
    placement: SitePlacement
    weapons: Weapons
    readings: Readings
    range_estimate: str
    on: _dt.date
    n_sites: int
    keys: tuple[tuple[str, ...], ...]
    numbers: dict[str, NDArray[Any]]
    sets: dict[int, StateSetIndex]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    sea_gap: NDArray[np.float64]
    _key_index: dict[tuple[str, ...], int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key_index", {k: i for i, k in enumerate(self.keys)})

    @property
    def keeps_evidence(self) -> bool:
        """A sweep reports statuses and its own reach columns, not the clauses' evidence."""
        return False

    def date(self, i: int) -> _dt.date:
        return self.on

    def km_to_sea(self, dep: NDArray[np.intp]) -> NDArray[np.float64]:
        """Km from each row's site to the nearest territorial sea, measured once per site
        (``sea_gap`` is shared by the estimates of a sweep; NaN: not measured yet).
        """
        site = dep % self.n_sites
        todo = np.unique(site[np.isnan(self.sea_gap[site])])
        if todo.size:
            self.sea_gap[todo] = km_to_sea(self.lon[todo], self.lat[todo])
        out: NDArray[np.float64] = self.sea_gap[site]
        return out

    def reach(
        self, rows: Rows, sel: NDArray[np.intp], targets: Sequence[tuple[str, ...]],
        target_of: NDArray[np.intp], range_km: NDArray[np.float64],
        min_range_km: NDArray[np.float64], detail: bool,
    ) -> ReachAnswer:
        """Reach of rows ``sel`` to ``targets[target_of[r]]`` from the site-set numbers."""
        site = rows.dep[sel] % self.n_sites
        set_of = np.array([self._key_index[t] for t in targets], dtype=np.intp)[target_of[sel]]
        rmax = range_km[sel]
        rmin = np.nan_to_num(min_range_km[sel], nan=0.0)
        hit = np.zeros(sel.size, dtype=bool)
        dist = np.full(sel.size, np.nan)
        nearest = np.full(sel.size, None, dtype=object)
        # one group per protected set and (min, max) range: a few dozen, not one per row
        min_code, mins = pd.factorize(rmin)
        max_code, maxs = pd.factorize(rmax, use_na_sentinel=False)
        groups = (set_of * len(mins) + min_code) * len(maxs) + max_code
        order = np.argsort(groups, kind="stable")
        cuts = np.flatnonzero(np.r_[True, np.diff(groups[order]) != 0, True])
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            idx = order[a:b]
            key, lo_km, hi_km = int(set_of[idx[0]]), float(rmin[idx[0]]), float(rmax[idx[0]])
            s = site[idx]
            lo, hi = self.numbers[f"lo|{key}"][s], self.numbers[f"hi|{key}"][s]
            dist[idx] = np.where(lo == hi, lo, np.nan)
            near = self.numbers.get(f"near|{key}")
            if near is not None:
                nearest[idx] = near[s]
            if hi_km != hi_km:  # no range: only the distance is asked for
                continue
            unsure = np.flatnonzero((lo <= hi_km) & (hi > hi_km))
            if unsure.size:  # bounds that do not decide this range: measure exactly
                d = self.sets[key].distance_km(self.lon[s[unsure]], self.lat[s[unsure]])
                lo, hi = lo.copy(), hi.copy()
                lo[unsure] = hi[unsure] = d
            got = hi <= hi_km
            if lo_km > 0:
                close = lo < lo_km  # the nearest part may be inside the minimum range
                ann = self.numbers.get(f"ann|{key}|{lo_km}|{hi_km}")
                if ann is None:
                    ann = np.zeros(self.n_sites, dtype=bool)
                    todo = np.unique(s[close])
                    ann[todo] = self.sets[key].in_annulus(self.lon[todo], self.lat[todo],
                                                          lo_km, hi_km)
                got = np.where(close, ann[s], got)
            hit[idx] = got
        return ReachAnswer(hit, dist, nearest.tolist())


def ranges_in_play(systems: list[WeaponSystem], estimates: list[str], reading: str
            ) -> list[tuple[float, float]]:
    """Every (min, max) range a threshold may be asked of: the reach facts of each system on
    land and at sea, in both roles (:func:`~deployguard.treaty.weapons.reach_facts`).
    """
    out = set()
    for s in systems:
        for e in estimates:
            for land in (True, False):
                for fact in reach_facts(s, None, e, land, True, reading):
                    if fact.range_km is not None:
                        out.add((fact.min_range_km or 0.0, fact.range_km))
    return sorted(out)


def decide(
    sites: dict[str, NDArray[Any]], systems: list[WeaponSystem], estimate: str,
    clauses: tuple[str, ...], day: _dt.date, readings: Readings,
    keys: list[tuple[str, ...]], numbers: dict[str, NDArray[Any]],
    sets: dict[int, StateSetIndex], sea_gap: NDArray[np.float64],
) -> dict[str, Any]:
    """Run the clause functions on the rows systems x sites at ``estimate``.

    ``sites`` holds per site: ``lon``, ``lat``, ``by``, ``host``, ``inside_own``,
    ``inside_own_sea``, ``on_land`` (or on the coast) and ``report`` (the index into ``keys``
    of the union of the sets the chosen clauses protect; -1 for none); ``sea_gap`` caches the
    km from each site to the sea (NaN until a clause asks).

    Returns per system (lists in ``systems`` order) the "any" weapon and its km, and over all
    rows (system-major) ``reaches`` / ``reaches_known`` and one status code column per clause
    (into :data:`STATUS_VALUES`).
    """
    n, k = sites["lon"].size, len(systems)

    def tile(a: NDArray[Any]) -> NDArray[Any]:
        return np.tile(a, k)

    def per_system(values: list[Any]) -> NDArray[np.object_]:
        arr = np.empty(k, dtype=object)
        arr[:] = values
        return np.repeat(arr, n)

    frame = SiteFrame(
        by=tile(sites["by"]), kind=per_system(["missile" if s.is_missile else "" for s in systems]),
        system_class=per_system([s.system_class for s in systems]),
        system_name=per_system([s.name for s in systems]), day=day)
    placement = SitePlacement(tile(sites["host"]), tile(sites["inside_own"]),
                              tile(sites["inside_own_sea"]))
    distinct: list[Key | None] = [(s, None, land, True) for s in systems for land in (True, False)]
    inverse = np.repeat(2 * np.arange(k), n) + tile(~sites["on_land"]).astype(np.intp)
    weapons = weapons_of(distinct, inverse, estimate, readings.launch_mode)
    ctx = SiteContext(frame, placement, weapons, readings, estimate, day, n, tuple(keys),
                      numbers, sets, sites["lon"], sites["lat"], sea_gap)
    rows = Rows(np.arange(n * k), placement.host, ctx)
    out: dict[str, Any] = {}
    for clause in clauses:
        outcome = SITE_CHECKS[clause](rows, ctx)
        out[clause] = _SEVERITY_TO_CODE[outcome.status]
    # the sweep's own reach columns: the "any" weapon against the union of the protected sets
    facts = [weapons.fact("any", j * n) for j in range(k)] if n else []
    code = rows.fact_codes("any")
    rng, rmin = weapons.column("range_km")[code], weapons.column("min_range_km")[code]
    report = tile(sites["report"])
    known = (report >= 0) & ~np.isnan(rng)
    sel = np.flatnonzero(known)
    reaches = np.zeros(n * k, dtype=bool)
    if sel.size:
        target_of = np.where(report >= 0, report, 0)
        reaches[sel] = ctx.reach(rows, sel, keys, target_of, rng, rmin, detail=False).hit
    out["weapon"] = [None if f.weapon is None else f.weapon.name for f in facts]
    out["range_km"] = [np.nan if f.range_km is None else f.range_km for f in facts]
    out["reaches"], out["reaches_known"] = reaches, known
    return out
