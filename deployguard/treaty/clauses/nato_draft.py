"""The geographically checkable articles of the NATO draft (Agreement on security measures).

Quotes are the MFA's unofficial English translation of 17 Dec 2021; they and the other facts
of each clause (named states, sources) live in ``geodata/clauses.json``, and :data:`CHECKS`
binds each clause id to its check. The Parties are Russia and the NATO member States;
membership is taken on the date of evaluation (the deployment's date, or ``on=``), except for
Art. 4, which names the members of 27 May 1997 (:mod:`~deployguard.treaty.clauses.nato4`).

Examples
--------
>>> from deployguard.treaty.clauses.nato_draft import NATO_CLAUSES
>>> [c.id for c in NATO_CLAUSES]
['NATO-4', 'NATO-5', 'NATO-6', 'NATO-7.1', 'NATO-7.2']
"""

from __future__ import annotations

import datetime as _dt
import functools

import numpy as np

from deployguard.geography.groups import art7_regions
from deployguard.geography.world import World
from deployguard.treaty.borderline import shared_boundary
from deployguard.treaty.clauses._common import (
    bound,
    classify_missile,
    km,
    names,
    not_bound,
    reach_evidence,
    reach_targets,
    sorted_codes,
    targets_of,
)
from deployguard.treaty.clauses.base import (
    GEOM_REACH,
    GEOM_SITE,
    CheckFunction,
    Clause,
    ClauseContext,
    Outcome,
    Rows,
    SiteCheckFunction,
)
from deployguard.treaty.clauses.nato4 import nato4
from deployguard.treaty.clauses.records import build_clauses, clause_facts
from deployguard.treaty.context import Context, nato_members_on
from deployguard.treaty.distances import Target
from deployguard.treaty.findings import Status
from deployguard.treaty.weapons import ReachFact

__all__ = ["CHECKS", "SITE_CHECKS", "NATO_CLAUSES"]


# ---------------------------------------------------------------------------- Art. 5
def _nato5(rows: Rows, ctx: ClauseContext) -> Outcome:
    out = Outcome(len(rows), evidence=ctx.keeps_evidence)
    not_bound(out, rows, ~bound(rows, "NATO-5"),
              "the Parties (Russia and the NATO members on the date)")
    live, cls = classify_missile(out, rows, ctx, out.open.copy(), launched="land-based",
                                 classes="short-range")
    reading = ctx.readings.nato5_other_parties
    targets, target_of = targets_of(rows, "NATO-5", ctx.readings)
    if out.keeps_evidence:
        out.ev("other_parties", [targets[j] if j >= 0 else () for j in target_of.tolist()],
               live)
    out.ev("other_parties_reading", reading, live)
    out.ev("host", rows.host, live)
    sel = np.flatnonzero(live)
    if not sel.size:
        return out
    w = ctx.weapons
    facts = w.facts
    code = rows.fact_codes("ground")
    rng, rmin = w.column("range_km")[code], w.column("min_range_km")[code]
    hit, dist, r = reach_targets(out, rows, ctx, sel, targets, target_of, rng, rmin)
    nearest = np.full(len(rows), None, dtype=object)
    nearest[sel] = list(r.nearest)
    detail = r.detail
    at = np.full(len(rows), -1, dtype=np.intp)
    at[sel] = np.arange(sel.size)

    def reached(i: int) -> str:
        return names(detail.reached[at[i]]) if detail is not None else "the other Parties"

    out.put(live & hit, Status.VIOLATION, lambda i: (
        f"{_weapon(facts[code[i]])} ({cls[i]}, {km(rng[i])}) can reach the territory of "
        f"{reached(i)}; nearest {nearest[i]} at {km(dist[i])}"), GEOM_REACH)
    out.put(live, Status.COMPLIANT, lambda i: (
        f"no other Party within {km(rng[i])}: nearest {nearest[i]} at {km(dist[i])}"))
    return out


def _weapon(fact: ReachFact) -> str:
    return fact.weapon.name if fact.weapon is not None else "its weapon"


# ---------------------------------------------------------------------------- Art. 6
def _nato6(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    named = clause_facts("NATO-6")["named_states"]
    state = [h or b for h, b in zip(rows.host, rows.by, strict=True)]
    days = rows.dates
    before = [nato_members_on(d - _dt.timedelta(days=1)) for d in days]
    out.ev("acceding_state", state)
    out.ev("nato_members_before", [sorted_codes(m) for m in before])
    member = np.array([s in m for s, m in zip(state, before, strict=True)])
    out.put(member, Status.NOT_APPLICABLE,
            lambda i: f"{state[i]} was already a NATO member on {days[i]}")
    out.put(out.open, Status.VIOLATION, lambda i: (
        f"the accession of {state[i]} is a 'further enlargement of NATO'"
        + (f" ({named[state[i]]} is named in the article)" if state[i] in named else "")))
    return out


# ---------------------------------------------------------------------------- Art. 7
def _nato71(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    days = rows.dates
    by, host = rows.by, rows.host
    member = bound(rows, "NATO-7.1")
    out.ev("by", by, ~member)
    out.put(~member, Status.NOT_APPLICABLE, lambda i: (
        f"{by[i]} is not bound: the clause binds the NATO member States only (on {days[i]}), "
        "not Russia"))
    reading = ctx.readings.art7_reading
    regions = art7_regions(reading)
    named = clause_facts("NATO-7.1")["named_states"]
    region = [named.get(h) or next((r for r, codes in regions.items() if h in codes), None)
              for h in host]
    live = out.open.copy()
    out.ev("host", host, live)
    out.ev("art7_reading", reading, live)
    out.ev("region", region, live)
    out.ev("region_states", {r: sorted_codes(c) for r, c in regions.items()}, live)
    out.put(live & np.array([r is None for r in region]), Status.COMPLIANT, lambda i: (
        f"the host ({host[i] or 'none'}) is not Ukraine or a State in Eastern Europe, the "
        f"South Caucasus or Central Asia under the {reading!r} reading"))
    out.put(host == by, Status.DEPENDS, lambda i: (
        f"{host[i]} is in {region[i]} under the {reading!r} reading, but the activity is on "
        "the deploying member's own territory: whether the article reaches a member's own "
        "soil is not settled by its words"))
    out.put(out.open, Status.VIOLATION, lambda i: (
        f"military activity ({rows.kind[i]}) on the territory of {host[i]}, in {region[i]} "
        f"under the {reading!r} reading"), GEOM_SITE)
    return out


@functools.lru_cache(maxsize=64)
def _pairs(
    world: World, side_a: frozenset[str], side_b: frozenset[str], sea: bool
) -> tuple[tuple[str, str], ...]:
    """The (Russian side, NATO side) pairs of states whose border is on the line."""
    out = []
    for a in sorted(side_a):
        for b in sorted(side_b - {a}):
            line = shared_boundary(world.territory(a, sea=sea), world.territory(b, sea=sea))
            if not line.is_empty:
                out.append((a, b))
    return tuple(out)


def _nato72(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    days = rows.dates
    by = rows.by
    members = [nato_members_on(d) for d in days]
    not_bound(out, rows, ~bound(rows, "NATO-7.2"), "Russia and the NATO member States")
    allies = [ctx.russia_allies(d) for d in days]
    russian = [frozenset(({"RUS"} | a) - m) for a, m in zip(allies, members, strict=True)]
    threshold = ctx.readings.brigade_threshold
    personnel = [d.personnel for d in rows.deployments]
    live = out.open.copy()
    out.ev("host", rows.host, live)
    out.ev("personnel", personnel, live)
    out.ev("brigade_threshold", threshold, live)
    out.ev("russia_allies", [sorted_codes(a) for a in allies], live)
    out.ev("other_side", [sorted_codes(m) if b == "RUS" else sorted_codes(r)
                          for b, m, r in zip(by, members, russian, strict=True)], live)
    out.put(live & np.array([p is None for p in personnel]), Status.DEPENDS, lambda i: (
        "the size is not given, so 'above the brigade level' cannot be decided"))
    out.put(np.array([p is not None and p <= threshold for p in personnel]), Status.COMPLIANT,
            lambda i: f"{personnel[i]:,} personnel: not above the brigade level (threshold "
            f"{threshold:,})")
    sel = np.flatnonzero(out.open)
    if not sel.size:
        return out
    sea = ctx.readings.territorial_sea
    world = ctx.world
    targets: dict[str, Target | None] = {}
    wanted = []
    names: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = {}
    for i in sel:
        pairs = _pairs(world, russian[i], frozenset(members[i]), sea)
        if pairs not in names:
            names[pairs] = tuple(f"{a}-{b}" for a, b in pairs)
        wanted.append(names[pairs])
        for a, b in pairs:
            key = f"{a}-{b}"
            if key not in targets:
                line = shared_boundary(world.territory(a, sea=sea), world.territory(b, sea=sea))
                targets[key] = ctx.table.geometry_target(f"border {key}", line)
    r = ctx.table.reach(world, rows.dep[sel], wanted, np.full(sel.size, np.nan),
                        np.full(sel.size, np.nan), sea, resolve=targets.get)
    reach_evidence(out, sel, r)
    for name in ("states_reached", "margin_km"):  # no range: only the distance matters
        del out.evidence[name]
    nearest_line: list[str | None] = [None] * len(rows)
    dist = np.full(len(rows), np.nan)
    for k, i in enumerate(sel):
        nearest_line[i], dist[i] = r.nearest[k], r.distance_km[k]
    # the nearest state across the line: the other side's end of the nearest segment
    across = [None if s is None else (s.split("-")[1] if by[i] == "RUS" or by[i] in russian[i]
                                      else s.split("-")[0]) for i, s in enumerate(nearest_line)]
    open_ = out.open.copy()
    out.ev("nearest_border", nearest_line, open_)
    out.ev("nearest_state", across, open_)
    out.ev("border_line", "segments of boundary (land and, with the territorial sea, the "
           "lateral limits of the 12-nmi belts) shared by Russia and its allies and the NATO "
           "members on the date", open_)
    zone = ctx.readings.nato72_zone_km
    out.ev("zone_km", zone, open_)
    out.put(open_ & np.isnan(dist), Status.COMPLIANT, lambda i: (
        "above the brigade level, but Russia and its allies share no border with a NATO "
        "member on the date"))

    def d_txt(i: int) -> str:
        return f"{km(dist[i])} from {across[i]} across the border line ({nearest_line[i]})"

    if zone is None:
        out.put(out.open, Status.DEPENDS, lambda i: (
            f"above the brigade level ({personnel[i]:,} > {threshold:,}) and {d_txt(i)}; the "
            "zone's width is left to agreement (set Readings(nato72_zone_km=...))"), GEOM_SITE)
        return out
    out.put(out.open & (dist <= zone), Status.VIOLATION, lambda i: (
        f"above the brigade level and {d_txt(i)}, inside the {km(zone)} zone"), GEOM_SITE)
    out.put(out.open, Status.COMPLIANT, lambda i: (
        f"above the brigade level but {d_txt(i)}, outside the {km(zone)} zone"))
    return out


# the checks that read only a ClauseContext: sweeps run these very functions on sites
SITE_CHECKS: dict[str, SiteCheckFunction] = {
    "NATO-5": _nato5,
}

# clause id -> check; the clause's facts are the record of that id in geodata/clauses.json
CHECKS: dict[str, CheckFunction] = {
    "NATO-4": nato4,
    "NATO-5": _nato5,
    "NATO-6": _nato6,
    "NATO-7.1": _nato71,
    "NATO-7.2": _nato72,
}

NATO_CLAUSES: tuple[Clause, ...] = build_clauses("nato", CHECKS)
