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
from deployguard.treaty.clauses.base import ClauseContext, Outcome, Rows
from deployguard.treaty.clauses.records import clause_facts
from deployguard.treaty.distances import ReachColumns
from deployguard.treaty.findings import Status
from deployguard.treaty.frame import GEOM_NONE
from deployguard.treaty.reach import ReachAnswer
from deployguard.treaty.readings import Readings

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
    codes, states = rows.by_codes
    out = np.zeros(len(rows), dtype=bool)
    for day, sel in rows.day_groups:  # a loop over dates and states, not rows
        parties = parties_on(clause_id, day)
        out[sel] = np.array([b in parties for b in states], dtype=bool)[codes[sel]]
    return out


@functools.lru_cache(maxsize=4096)
def protected(clause_id: str, by: str, day: _dt.date, readings: Readings
              ) -> frozenset[str] | None:
    """The states whose territory ``clause_id`` protects from ``by``'s weapons on ``day``
    (None when the clause does not bind ``by``), from the clause's record in clauses.json.

    The other Parties: for a clause between named states (US-5.2, US-6) the other named
    state; for a clause with a group (NATO-5) every other Party under
    ``Readings(nato5_other_parties="all")``, or the other side under ``"adversary"`` (the
    group's members for a named state, the named states for a member). Check, sweep and
    permitted zones all read it here.

    Examples
    --------
    >>> import datetime
    >>> day = datetime.date(2021, 12, 17)
    >>> sorted(protected("US-6", "RUS", day, Readings()))
    ['USA']
    >>> sorted(protected("NATO-5", "POL", day, Readings())), protected("US-6", "POL", day,
    ...                                                             Readings())
    (['RUS'], None)
    """
    parties = parties_on(clause_id, day)
    if by not in parties:
        return None
    record = clause_facts(clause_id)["parties"]
    named = frozenset(record.get("states", ()))
    if record.get("group") is None or readings.nato5_other_parties == "all":
        return parties - {by}
    return parties - named if by in named else named


def targets_of(rows: Rows, clause_id: str, readings: Readings
               ) -> tuple[list[tuple[str, ...]], NDArray[np.intp]]:
    """The protected states of each row, as distinct sorted tuples and per row an index into
    them (-1 where the clause does not bind the row's deploying state).
    """
    codes, states = rows.by_codes
    targets: list[tuple[str, ...]] = []
    seen: dict[tuple[str, ...], int] = {}
    out = np.full(len(rows), -1, dtype=np.intp)
    for day, sel in rows.day_groups:  # a loop over dates and states, not rows
        per_state = np.full(len(states), -1, dtype=np.intp)
        for k, b in enumerate(states):
            p = protected(clause_id, b, day, readings)
            if p is not None:
                per_state[k] = seen.setdefault(sorted_codes(p), len(seen))
        out[sel] = per_state[codes[sel]]
    targets = list(seen)
    return targets, out


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
    if out.keeps_evidence:
        out.ev("by", by, mask & out.open)
    out.put(mask, Status.NOT_APPLICABLE, lambda i: f"{by[i]} is not bound: the clause binds "
            f"{binds}")


def weapon_evidence(
    out: Outcome, rows: Rows, ctx: ClauseContext, mask: NDArray[np.bool_], role: str = "any"
) -> None:
    """The facts of the weapon in ``role`` (name, km at the estimate, source, launch mode)."""
    if not out.keeps_evidence:
        return
    sel = np.flatnonzero(mask)
    if not sel.size:
        return
    w = ctx.weapons
    code = rows.fact_codes(role)
    infos = [w.as_fact_dict(f) for f in w.facts]  # one dict per distinct fact, shared by rows
    cols: dict[str, list[Any]] = {k: [None] * out.n for k in _WEAPON_KEYS}
    for r in sel.tolist():
        info = infos[code[r]]
        for k in _WEAPON_KEYS:
            cols[k][r] = info.get(k)
    for k in _WEAPON_KEYS:
        out.ev(k, cols[k], mask)


def missile_class(range_km: float, readings_missile_classes: str) -> str | None:
    """The "intermediate/shorter-range" class of a ground-launched missile under the reading.

    Examples
    --------
    >>> missile_class(500.0, "inf"), missile_class(499.0, "inf")
    ('shorter-range', None)
    """
    if readings_missile_classes == "inf":
        return inf_class_of(range_km)
    return "ground-launched up to 5,500 km" if range_km <= INF_INTERMEDIATE_MAX_KM else None


def classify_missile(
    out: Outcome, rows: Rows, ctx: ClauseContext, mask: NDArray[np.bool_], *, launched: str,
    classes: str, unknown_suffix: str = "",
) -> tuple[NDArray[np.bool_], NDArray[np.object_]]:
    """Weapon, evidence and INF class of ground-launched missile rows (US Art. 6, NATO Art. 5).

    Decides the rows that stop here: not a ground-launched missile here, an unknown range, or
    a range outside the classes. Returns the rows still open and their class. ``launched``
    and ``classes`` keep each draft's own words ("land-based" and "short-range" in the NATO
    draft, "ground-launched" and "shorter-range" in the US draft). Vectorised: the class is
    taken once per distinct reach fact.
    """
    w = ctx.weapons
    facts = w.facts
    code = rows.fact_codes("ground")
    glaunch = w.column("ground_launched")[code]
    rng = w.column("range_km")[code]
    live = mask & out.open
    weapon_evidence(out, rows, ctx, live, role="ground")
    est = ctx.range_estimate

    def not_ground(i: int) -> str:
        basis = facts[code[i]].launch_basis
        return f"not a {launched} missile" + (f" ({basis})" if basis else "")

    out.put(live & ~glaunch, Status.NOT_APPLICABLE, not_ground)
    # not INF missiles (interceptors), or not surely ground-launched (a ship's missile in port)
    interceptor_rows(out, rows, ctx, live & out.open, code, launched)
    sea_type_ashore_rows(out, rows, ctx, live & out.open, code, launched)
    unknown = live & glaunch & np.isnan(rng)
    out.put(unknown, Status.DEPENDS, lambda i: f"the {est} range of {_name(facts[code[i]])} is "
            f"unknown{unknown_suffix}")
    reading = ctx.readings.missile_classes
    by_fact = np.empty(len(facts), dtype=object)
    by_fact[:] = [None if f.range_km is None else missile_class(float(f.range_km), reading)
                  for f in facts]
    cls: NDArray[np.object_] = by_fact[code]
    cls[~(live & out.open)] = None
    out.ev("missile_class", cls, live & out.open)
    outside = live & np.array([c is None for c in by_fact])[code]
    out.put(outside, Status.NOT_APPLICABLE, lambda i: f"{_name(facts[code[i]])} at "
            f"{km(rng[i])} ({est}) is outside the intermediate/{classes} classes (INF: "
            "500-5,500 km)")
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


def reach_targets(
    out: Outcome, rows: Rows, ctx: ClauseContext, sel: NDArray[np.intp],
    targets: Sequence[tuple[str, ...]], target_of: NDArray[np.intp],
    range_km: NDArray[np.float64], min_range_km: NDArray[np.float64],
) -> tuple[NDArray[np.bool_], NDArray[np.float64], ReachAnswer]:
    """Reach of rows ``sel`` to their protected states, through the context's reach oracle
    (check()'s distance table, or a sweep's site-set table), with the reach evidence.

    Returns, per row (all rows), whether a target is reached and the distance to the nearest,
    and the oracle's answer (one entry per selected row).
    """
    r = ctx.reach(rows, sel, targets, target_of, range_km, min_range_km,
                  detail=out.keeps_evidence)
    if r.detail is not None:
        reach_evidence(out, sel, r.detail)
    hit = np.zeros(out.n, dtype=bool)
    hit[sel] = r.hit
    dist = np.full(out.n, np.nan)
    dist[sel] = r.distance_km
    return hit, dist, r


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
