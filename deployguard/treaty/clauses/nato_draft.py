"""The geographically checkable articles of the NATO draft (Agreement on security measures).

Quotes are the MFA's unofficial English translation of 17 Dec 2021 as recorded in facts.md
§1.3; they and the other facts of each clause live in ``geodata/clauses.json``, and
:data:`CHECKS` binds each clause id to its check. The Parties are Russia and the NATO member
States; membership is taken on the date of evaluation (the deployment's date, or ``on=``),
except for Art. 4, which names the members of 27 May 1997.

Examples
--------
>>> from deployguard.treaty.clauses.nato_draft import NATO_CLAUSES
>>> [c.id for c in NATO_CLAUSES]
['NATO-4', 'NATO-5', 'NATO-6', 'NATO-7.1', 'NATO-7.2']
"""

from __future__ import annotations

import datetime as _dt

from deployguard.data.baseline1997 import Baseline1997
from deployguard.data.deployments import Deployment
from deployguard.geography.groups import art7_regions, nato, states_in_europe
from deployguard.treaty.clauses._common import (
    Result,
    classify_missile,
    km,
    names,
    not_bound,
    split_reach,
)
from deployguard.treaty.clauses.base import CheckFunction, Clause
from deployguard.treaty.clauses.records import build_clauses
from deployguard.treaty.context import Context
from deployguard.treaty.findings import Status

__all__ = ["CHECKS", "NATO_CLAUSES"]



def _parties(dep: Deployment, ctx: Context) -> frozenset[str]:
    return ctx.nato_members(dep) | {"RUS"}


# ---------------------------------------------------------------------------- Art. 4
def _nato4(dep: Deployment, ctx: Context) -> Result:
    deployers = ctx.nato_parties_1997() | {"RUS"}
    if dep.by not in deployers:
        return not_bound(dep, "Russia and the 16 NATO members of 27 May 1997 (later members "
                         "are not named as deploying states)")
    host = ctx.host(dep)
    europe = states_in_europe(ctx.readings.europe)
    ev: dict = {"host": host, "deploying_states_1997": sorted(deployers),
                "europe_reading": ctx.readings.europe, "host_in_europe": host in europe,
                "personnel": dep.personnel}
    if not host:
        return (Status.NOT_APPLICABLE, "not on the territory of any State", ev, None)
    if host == dep.by:
        return (Status.NOT_APPLICABLE, f"on {dep.by}'s own territory, not 'the other States'",
                ev, None)
    if host not in europe:
        return (Status.NOT_APPLICABLE, f"{host} is not a State in Europe under the "
                f"{ctx.readings.europe!r} reading", ev, None)
    parties = _parties(dep, ctx)
    if "ALL" in dep.consent or parties <= dep.consent:
        return (Status.COMPLIANT, "deployed with the consent of all the Parties (the "
                "exception for 'exceptional cases to eliminate a threat')", ev, None)
    lvl = Baseline1997.load().level(host, dep.by, black_sea_fleet=ctx.readings.black_sea_fleet)
    ev["baseline_1997"] = {
        "personnel": lvl.personnel, "low": lvl.low, "high": lvl.high, "known": lvl.known,
        "recorded": lvl.recorded, "present": lvl.present, "note": lvl.note,
        "sources": sorted({e.source for e in lvl.entries}),
    }
    level_txt = (f"{lvl.personnel:,} (spread {lvl.low:,}-{lvl.high:,})"
                 if lvl.known and lvl.low is not None and lvl.high is not None
                 else "unknown")
    p = dep.personnel
    if p is None:
        return (Status.DEPENDS, f"no personnel given: the 27 May 1997 baseline of {dep.by} in "
                f"{host} ({level_txt}) counts personnel, so added weaponry cannot be compared",
                ev, dep.geometry)
    # The deployment's personnel is read as the sender's whole presence in the host.
    if lvl.high is not None and p > lvl.high:
        return (Status.VIOLATION, f"{p:,} personnel exceed {dep.by}'s 27 May 1997 level in "
                f"{host}: {level_txt}", ev, dep.geometry)
    if lvl.low is not None and p <= lvl.low:
        return (Status.COMPLIANT, f"{p:,} personnel are within {dep.by}'s 27 May 1997 level "
                f"in {host}: {level_txt}", ev, None)
    if lvl.low is not None:
        return (Status.DEPENDS, f"{p:,} personnel lie inside the spread of the 27 May 1997 "
                f"estimate ({level_txt}): the interpolation decides", ev, dep.geometry)
    return (Status.DEPENDS, f"{dep.by}'s 27 May 1997 level in {host} is unknown (not zero: "
            f"{lvl.note}), so {p:,} personnel cannot be compared", ev, dep.geometry)


# ---------------------------------------------------------------------------- Art. 5
def _nato5(dep: Deployment, ctx: Context) -> Result:
    parties = _parties(dep, ctx)
    if dep.by not in parties:
        return not_bound(dep, f"the Parties (Russia and the NATO members on {ctx.date(dep)})")
    early, choice, ev, cls = classify_missile(
        dep, ctx, launched="land-based", classes="short-range"
    )
    if early is not None:
        return early
    w = choice.weapon
    if ctx.readings.nato5_other_parties == "all":
        others = parties - {dep.by}
    else:
        others = ctx.nato_members(dep) if dep.by == "RUS" else frozenset({"RUS"})
    ev["other_parties"] = sorted(others)
    ev["other_parties_reading"] = ctx.readings.nato5_other_parties
    extra, geom = split_reach(ctx.reach(dep, sorted(others), choice.range_km,
                                        choice.min_range_km))
    ev.update(extra)
    ev["host"] = ctx.host(dep)
    reached = extra["states_reached"]
    if reached:
        return (Status.VIOLATION, f"{w.name} ({cls}, {km(choice.range_km)}) can reach the "
                f"territory of {names(reached)}; nearest {extra['nearest_state']} at "
                f"{km(extra['distance_km'])}", ev, geom)
    return (Status.COMPLIANT, f"no other Party within {km(choice.range_km)}: nearest "
            f"{extra['nearest_state']} at {km(extra['distance_km'])}", ev, None)


# ---------------------------------------------------------------------------- Art. 6
def _nato6(dep: Deployment, ctx: Context) -> Result:
    state = dep.host or dep.by
    day = ctx.date(dep)
    before = nato.members(on=day - _dt.timedelta(days=1))
    ev = {"acceding_state": state, "nato_members_before": sorted(before)}
    if state in before:
        return (Status.NOT_APPLICABLE, f"{state} was already a NATO member on {day}", ev, None)
    named = " (Ukraine is named in the article)" if state == "UKR" else ""
    return (Status.VIOLATION, f"the accession of {state} is a 'further enlargement of NATO'"
            f"{named}", ev, None)


# ---------------------------------------------------------------------------- Art. 7
def _nato71(dep: Deployment, ctx: Context) -> Result:
    members = ctx.nato_members(dep)
    if dep.by not in members:
        return not_bound(dep, f"the NATO member States only (on {ctx.date(dep)}), not Russia")
    host = ctx.host(dep)
    regions = art7_regions(ctx.readings.art7_reading)
    region = "Ukraine" if host == "UKR" else next(
        (r for r, codes in regions.items() if host in codes), None
    )
    ev = {"host": host, "art7_reading": ctx.readings.art7_reading, "region": region,
          "region_states": {r: sorted(c) for r, c in regions.items()}}
    if region is None:
        return (Status.COMPLIANT, f"the host ({host or 'none'}) is not Ukraine or a State in "
                f"Eastern Europe, the South Caucasus or Central Asia under the "
                f"{ctx.readings.art7_reading!r} reading", ev, None)
    if host == dep.by:
        return (Status.DEPENDS, f"{host} is in {region} under the {ctx.readings.art7_reading!r}"
                " reading, but the activity is on the deploying member's own territory: whether "
                "the article reaches a member's own soil is not settled by its words", ev, None)
    return (Status.VIOLATION, f"military activity ({dep.kind}) on the territory of {host}, "
            f"in {region} under the {ctx.readings.art7_reading!r} reading", ev, dep.geometry)


def _nato72(dep: Deployment, ctx: Context) -> Result:
    members = ctx.nato_members(dep)
    if dep.by not in members | {"RUS"}:
        return not_bound(dep, "Russia and the NATO member States")
    allies = ctx.russia_allies(dep)
    other_side = members if dep.by == "RUS" else ({"RUS"} | allies) - members
    threshold = ctx.readings.brigade_threshold
    ev: dict = {"host": ctx.host(dep), "personnel": dep.personnel,
                "brigade_threshold": threshold, "russia_allies": sorted(allies),
                "other_side": sorted(other_side)}
    if dep.personnel is None:
        return (Status.DEPENDS, "the size is not given, so 'above the brigade level' cannot "
                "be decided", ev, None)
    if dep.personnel <= threshold:
        return (Status.COMPLIANT, f"{dep.personnel:,} personnel: not above the brigade level "
                f"(threshold {threshold:,})", ev, None)
    dist = ctx.distances(dep, sorted(other_side))
    nearest = min(dist, key=lambda c: dist[c])
    ev.update({"distances_km": {c: round(v, 3) for c, v in dist.items()},
               "nearest_state": nearest, "distance_km": round(dist[nearest], 3),
               "zone_km": ctx.readings.nato72_zone_km})
    d_txt = f"{km(dist[nearest])} from {nearest} across the border line"
    zone = ctx.readings.nato72_zone_km
    if zone is None:
        return (Status.DEPENDS, f"above the brigade level ({dep.personnel:,} > {threshold:,}) "
                f"and {d_txt}; the zone's width is left to agreement (set "
                "Readings(nato72_zone_km=...))", ev, dep.geometry)
    if dist[nearest] <= zone:
        return (Status.VIOLATION, f"above the brigade level and {d_txt}, inside the "
                f"{km(zone)} zone", ev, dep.geometry)
    return (Status.COMPLIANT, f"above the brigade level but {d_txt}, outside the {km(zone)} "
            "zone", ev, None)


# clause id -> check; the clause's facts are the record of that id in geodata/clauses.json
CHECKS: dict[str, CheckFunction] = {
    "NATO-4": _nato4,
    "NATO-5": _nato5,
    "NATO-6": _nato6,
    "NATO-7.1": _nato71,
    "NATO-7.2": _nato72,
}

NATO_CLAUSES: tuple[Clause, ...] = build_clauses("nato", CHECKS)
