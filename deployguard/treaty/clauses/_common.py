"""Helpers shared by the clause modules (not public): parties, weapons, reach, wording."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from deployguard.data.systems import INF_INTERMEDIATE_MAX_KM, inf_class_of
from deployguard.errors import DataError
from deployguard.geography.groups import nato
from deployguard.treaty.clauses._not_inf import interceptor_rows, sea_type_ashore_rows
from deployguard.treaty.clauses.base import Outcome, Rows
from deployguard.treaty.clauses.records import clause_facts
from deployguard.treaty.distances import ReachColumns
from deployguard.treaty.findings import Status
from deployguard.treaty.frame import GEOM_NONE

if TYPE_CHECKING:
    from deployguard.treaty.context import Context



_WEAPON_KEYS = ("weapon", "range_estimate", "range_km", "range_spread_km", "min_range_km",
                "range_source", "range_confidence", "weapon_choice", "launch_mode",
                "launch_mode_basis")


@functools.lru_cache(maxsize=4096)
def parties_on(clause_id: str, day: _dt.date) -> frozenset[str]:
    """The states a clause binds on ``day``, from its record in ``geodata/clauses.json``:
    the states it names plus the members of its group (on the record's ``group_date`` if it
    gives one, else on ``day``).
    """
    parties = clause_facts(clause_id)["parties"]
    out = set(parties.get("states", ()))
    group = parties.get("group")
    if group is not None:
        if group != "NATO":
            raise DataError(f"clauses.json: {clause_id} names an unknown group {group!r}")
        on = parties.get("group_date")
        out |= nato.members(on=_dt.date.fromisoformat(on) if on else day)
    return frozenset(out)


def bound(rows: Rows, clause_id: str) -> NDArray[np.bool_]:
    """Per row: whether the clause binds the deploying state on the row's date."""
    return np.array([b in parties_on(clause_id, d) for b, d in zip(rows.by, rows.dates,
                                                                   strict=True)], dtype=bool)


def other_us_party(by: str) -> str:
    return "RUS" if by == "USA" else "USA"


def km(value: float | None) -> str:
    """A distance for prose: '1,234.5 km' or 'unknown'."""
    return "unknown" if value is None or value != value else f"{value:,.1f} km"


@functools.lru_cache(maxsize=4096)
def sorted_codes(codes: frozenset[str]) -> tuple[str, ...]:
    """``codes`` sorted, one shared tuple per set (evidence that many rows share)."""
    return tuple(sorted(codes))


def names(codes: Sequence[str] | frozenset[str]) -> str:
    return ", ".join(sorted(codes)) or "none"


def not_bound(out: Outcome, rows: Rows, mask: NDArray[np.bool_], binds: str) -> None:
    """Rows whose deploying state the clause does not bind: not applicable."""
    by = rows.by
    out.ev("by", by, mask & out.open)
    out.put(mask, Status.NOT_APPLICABLE, lambda i: f"{by[i]} is not bound: the clause binds "
            f"{binds}")


def weapon_evidence(
    out: Outcome, rows: Rows, ctx: Context, mask: NDArray[np.bool_], ground: bool = False
) -> None:
    """The weapon's facts (name, km at the estimate, source, launch mode) as evidence."""
    sel = np.flatnonzero(mask)
    if not sel.size:
        return
    w = ctx.weapons
    chosen = w.ground if ground else w.any
    cols: dict[str, list[Any]] = {k: [None] * out.n for k in _WEAPON_KEYS}
    # one dict of facts per distinct choice: rows share its values (cheap to encode)
    memo: dict[tuple[int, str], dict[str, Any]] = {}
    for r in sel:
        i = int(rows.dep[r])
        c = chosen[i]
        key = (id(c), w.launch_basis[i])
        info = memo.get(key)
        if info is None:
            info = memo[key] = w.as_dict(i)
            info["weapon"] = None if c.weapon is None else c.weapon.name
            info["range_km"], info["min_range_km"] = c.range_km, c.min_range_km
            info["range_spread_km"] = None if c.weapon is None else c.weapon.range_km
            info["range_confidence"] = None if c.weapon is None else c.weapon.confidence
            info["range_source"] = None if c.weapon is None else "; ".join(
                filter(None, (c.weapon.range_basis, *c.weapon.source)))
            info["weapon_choice"] = c.note
        for k in _WEAPON_KEYS:
            cols[k][r] = info.get(k)
    for k in _WEAPON_KEYS:
        out.ev(k, cols[k], mask)


def missile_class(range_km: float, readings_missile_classes: str) -> str | None:
    """The "intermediate/shorter-range" class of a ground-launched missile under the reading."""
    if readings_missile_classes == "inf":
        return inf_class_of(range_km)
    return "ground-launched up to 5,500 km" if range_km <= INF_INTERMEDIATE_MAX_KM else None


def classify_missile(
    out: Outcome, rows: Rows, ctx: Context, mask: NDArray[np.bool_], *, launched: str,
    classes: str, unknown_suffix: str = "",
) -> tuple[NDArray[np.bool_], list[str | None]]:
    """Weapon, evidence and INF class of ground-launched missile rows (US Art. 6, NATO Art. 5).

    Decides the rows that stop here: not a ground-launched missile here, an unknown range, or
    a range outside the classes. Returns the rows still open and their class. ``launched``
    and ``classes`` keep each draft's own words ("land-based" and "short-range" in the NATO
    draft, "ground-launched" and "shorter-range" in the US draft).
    """
    w = ctx.weapons
    dep = rows.dep
    choice = [w.ground[i] for i in dep]
    glaunch = w.ground_launched[dep]
    live = mask & out.open
    weapon_evidence(out, rows, ctx, live, ground=True)
    est = ctx.range_estimate
    basis = [w.launch_basis[i] for i in dep]
    out.put(live & ~glaunch, Status.NOT_APPLICABLE, lambda i: f"not a {launched} missile"
            + (f" ({basis[i]})" if basis[i] else ""))
    # not INF missiles (interceptors), or not surely ground-launched (a ship's missile in port)
    interceptor_rows(out, rows, ctx, live & out.open, choice, launched)
    sea_type_ashore_rows(out, rows, ctx, live & out.open, choice, launched)
    rng = np.array([np.nan if c.range_km is None else c.range_km for c in choice])
    unknown = live & glaunch & np.isnan(rng)
    out.put(unknown, Status.DEPENDS, lambda i: f"the {est} range of {_name(choice[i])} is "
            f"unknown{unknown_suffix}")
    cls: list[str | None] = [None] * len(rows)
    reading = ctx.readings.missile_classes
    for i in np.flatnonzero(live & out.open):
        cls[i] = missile_class(float(rng[i]), reading)
    out.ev("missile_class", cls, live & out.open)
    outside = live & np.array([c is None for c in cls])
    out.put(outside, Status.NOT_APPLICABLE, lambda i: f"{_name(choice[i])} at {km(rng[i])} "
            f"({est}) is outside the intermediate/{classes} classes (INF: 500-5,500 km)")
    return live & out.open, cls


def _name(choice: Any) -> str:
    return "its weapon" if choice.weapon is None else str(choice.weapon.name)


def reach_evidence(out: Outcome, sel: NDArray[np.intp], r: ReachColumns) -> None:
    """Write the reach of rows ``sel`` (``r`` has one entry per selected row)."""
    mask = np.zeros(out.n, dtype=bool)
    mask[sel] = True
    for name, values in (("distances_km", r.distances_km), ("states_reached", r.reached),
                         ("nearest_state", r.nearest)):
        col: list[Any] = [None] * out.n
        for k, i in enumerate(sel):
            col[i] = values[k]
        out.ev(name, col, mask)
    for name, arr in (("distance_km", r.distance_km), ("margin_km", r.margin_km)):
        full = np.full(out.n, np.nan)
        full[sel] = arr
        out.ev(name, full, mask)


def reach_rows(
    rows: Rows, ctx: Context, sel: NDArray[np.intp], targets: Sequence[tuple[str, ...]],
    range_km: NDArray[np.float64], min_range_km: NDArray[np.float64],
) -> ReachColumns:
    """Reach of rows ``sel`` to ``targets`` (one tuple per selected row), at the reading's sea."""
    return ctx.table.reach(ctx.world, rows.dep[sel], targets, range_km, min_range_km,
                           sea=ctx.readings.territorial_sea)


def reach_other(
    out: Outcome, rows: Rows, ctx: Context, sel: NDArray[np.intp], other: Sequence[str],
    range_km: NDArray[np.float64], min_range_km: NDArray[np.float64],
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Reach of rows ``sel`` to the other Party, as evidence; (reached, distance km) per row."""
    r = reach_rows(rows, ctx, sel, [(other[int(i)],) for i in sel], range_km[sel],
                   min_range_km[sel])
    reach_evidence(out, sel, r)
    hit = np.zeros(out.n, dtype=bool)
    hit[sel] = [other[int(i)] in h for i, h in zip(sel, r.reached, strict=True)]
    dist = np.full(out.n, np.nan)
    dist[sel] = r.distance_km
    return hit, dist


def optional_reach(
    out: Outcome, rows: Rows, ctx: Context, mask: NDArray[np.bool_], other: Sequence[str]
) -> NDArray[np.bool_]:
    """Reach of the other Party as extra evidence where the deployment has a location.

    With a known range the reach evidence; without one, ``distance_to_other_party_km``.
    Returns whether the other Party is reached, per row.
    """
    w = ctx.weapons
    located = ctx.frame.geom_kind[rows.dep] != GEOM_NONE
    rng = np.array([np.nan if w.any[i].range_km is None else w.any[i].range_km
                    for i in rows.dep])
    rmin = np.array([np.nan if w.any[i].min_range_km is None else w.any[i].min_range_km
                     for i in rows.dep])
    reached = np.zeros(len(rows), dtype=bool)
    known = np.flatnonzero(mask & located & ~np.isnan(rng))
    if known.size:
        r = reach_rows(rows, ctx, known, [(other[int(i)],) for i in known], rng[known],
                       rmin[known])
        reach_evidence(out, known, r)
        reached[known] = [other[int(i)] in hit for i, hit in zip(known, r.reached, strict=True)]
    unknown = np.flatnonzero(mask & located & np.isnan(rng))
    if unknown.size:
        r = reach_rows(rows, ctx, unknown, [(other[int(i)],) for i in unknown],
                       np.full(unknown.size, np.nan), np.full(unknown.size, np.nan))
        full = np.full(out.n, np.nan)
        full[unknown] = r.distance_km
        sel = np.zeros(out.n, dtype=bool)
        sel[unknown] = True
        out.ev("distance_to_other_party_km", full, sel)
    return reached
