"""The geographically checkable articles of the US draft (Treaty on security guarantees).

Quotes are the MFA's unofficial English translation of 17 Dec 2021 as recorded in facts.md
§1.2, with the verification status of each; they and the other facts of each clause live in
``geodata/clauses.json``, and :data:`CHECKS` binds each clause id to its check. The treaty
binds only the USA and Russia; a deployment by anyone else gets ``not_applicable`` from these
clauses.

Examples
--------
>>> from deployguard.treaty.clauses.us_draft import US_CLAUSES
>>> [c.id for c in US_CLAUSES]
['US-3', 'US-4.1', 'US-4.2', 'US-5.1', 'US-5.2', 'US-6', 'US-7.1', 'US-7.2']
"""

from __future__ import annotations

import datetime as _dt

from deployguard.data.deployments import Deployment
from deployguard.errors import DataError
from deployguard.geography.groups import FORMER_USSR, nato
from deployguard.treaty.clauses._common import (
    US_PARTIES,
    Result,
    classify_missile,
    km,
    not_bound,
    other_us_party,
    split_reach,
)
from deployguard.treaty.clauses.base import CheckFunction, Clause
from deployguard.treaty.clauses.records import build_clauses
from deployguard.treaty.context import Context
from deployguard.treaty.findings import Status

__all__ = ["CHECKS", "US_CLAUSES"]

_BOTH = "the USA and Russia (each as deploying party)"


def _optional_reach(dep: Deployment, ctx: Context, other: str) -> tuple[dict, object]:
    """Reach of the other Party as extra evidence when the weapon's range is known."""
    if dep.geometry is None:
        return {}, None
    choice = ctx.weapon(dep)
    if choice.range_km is None:
        return {"distance_to_other_party_km": ctx.distances(dep, [other])[other]}, None
    ev, geom = split_reach(ctx.reach(dep, [other], choice.range_km, choice.min_range_km))
    return ev, geom


# ---------------------------------------------------------------------------- Art. 3
def _us3(dep: Deployment, ctx: Context) -> Result:
    if dep.by not in US_PARTIES:
        return not_bound(dep, _BOTH)
    host = ctx.host(dep)
    other = other_us_party(dep.by)
    ev: dict = {"host": host}
    if host in ("", dep.by):
        where = "its own national territory" if host else "no State's territory (high seas)"
        return (
            Status.COMPLIANT,
            f"the deployment is on {where}, not on the territory of another State",
            ev,
            None,
        )
    extra, geom = _optional_reach(dep, ctx, other)
    ev.update(extra)
    reached = other in extra.get("states_reached", [])
    return (
        Status.DEPENDS,
        f"{dep.by} uses the territory of {host}; whether that is 'with a view to preparing or "
        "carrying out an armed attack ... or other actions affecting core security interests' "
        f"of {other} is a question of intent the geography cannot settle"
        + (f" (its weapon can reach {other})" if reached else ""),
        ev,
        geom,
    )


# ---------------------------------------------------------------------------- Art. 4
def _us41(dep: Deployment, ctx: Context) -> Result:
    state = dep.host or dep.by
    day = ctx.date(dep)
    members_before = nato.members(on=day - _dt.timedelta(days=1))
    ev = {"acceding_state": state, "former_ussr": state in FORMER_USSR,
          "nato_members_before": sorted(members_before)}
    if state in members_before:
        return (Status.NOT_APPLICABLE, f"{state} was already a NATO member on {day}", ev, None)
    if state in FORMER_USSR:
        return (
            Status.VIOLATION,
            f"{state} is a State of the former USSR: the USA undertook to 'deny accession to "
            "the Alliance' to such States",
            ev,
            None,
        )
    return (
        Status.DEPENDS,
        f"{state} is not a former-USSR State; whether its accession is 'further eastward "
        "expansion' is not defined by the draft",
        ev,
        None,
    )


def _us42(dep: Deployment, ctx: Context) -> Result:
    if dep.by != "USA":
        return not_bound(dep, "the USA only")
    host = ctx.host(dep)
    members = ctx.nato_members(dep)
    covered = FORMER_USSR - members
    ev = {"host": host, "former_ussr_not_nato": sorted(covered)}
    if host not in covered:
        return (
            Status.COMPLIANT,
            f"the host ({host or 'none'}) is not a former-USSR State outside NATO on "
            f"{ctx.date(dep)}",
            ev,
            None,
        )
    if dep.kind == "base":
        return (Status.VIOLATION, f"a US military base in {host}, a former-USSR State "
                "outside NATO ('shall not establish military bases')", ev, dep.geometry)
    if dep.kind == "cooperation":
        return (Status.VIOLATION, f"bilateral military cooperation with {host} ('or develop "
                "bilateral military cooperation with them')", ev, dep.geometry)
    if dep.kind == "patrol":
        return (Status.DEPENDS, f"a patrol in the waters or airspace of {host}: whether it "
                "'uses their infrastructure' is not settled by position", ev, dep.geometry)
    return (Status.VIOLATION, f"US {dep.kind} on the territory of {host}, a former-USSR State "
            "outside NATO: stationing forces there uses its infrastructure 'for any military "
            "activities' (our reading)", ev, dep.geometry)


# ---------------------------------------------------------------------------- Art. 5
def _us51(dep: Deployment, ctx: Context) -> Result:
    if dep.by not in US_PARTIES:
        return not_bound(dep, _BOTH)
    host = ctx.host(dep)
    ev: dict = {"host": host, "inside_own_territory": ctx.inside_own(dep)}
    if ev["inside_own_territory"]:
        return (Status.COMPLIANT, "within the deploying Party's national territory (the "
                "paragraph's exception)", ev, None)
    other = other_us_party(dep.by)
    extra, geom = _optional_reach(dep, ctx, other)
    ev.update(extra)
    reached = other in extra.get("states_reached", [])
    return (
        Status.DEPENDS,
        f"outside {dep.by}'s national territory (host: {host or 'none'}); whether the area is "
        f"one where it 'could be perceived by the other Party as a threat' is {other}'s "
        "perception" + (f"; its weapon can reach {other}" if reached else ""),
        ev,
        geom,
    )


def _us52(dep: Deployment, ctx: Context) -> Result:
    if dep.by not in US_PARTIES:
        return not_bound(dep, _BOTH)
    system = dep.system
    cls = getattr(system, "system_class", None)
    bombers = {"heavy_bomber"} | (
        {"medium_bomber"} if ctx.readings.heavy_bombers == "include_medium" else set()
    )
    if cls not in bombers | {"surface_warship"}:
        why = (
            f"{system.name} is a {cls}, not a heavy bomber under the New START reading"
            if cls == "medium_bomber"
            else f"the paragraph covers heavy bombers and surface warships, not {cls or 'this'}"
        )
        return (Status.NOT_APPLICABLE, why, {"system_class": cls}, None)
    try:
        inside = ctx.inside_own(dep, sea=True)
    except DataError as exc:
        # the paragraph names territorial waters, so land alone cannot answer it
        return (Status.DEPENDS, f"whether it is inside national territorial waters cannot be "
                f"decided: {exc}", {"system_class": cls}, None)
    ev: dict = {"system_class": cls, "inside_national_airspace_or_waters": inside,
                "host": ctx.host(dep)}
    space = "national airspace" if cls != "surface_warship" else "national territorial waters"
    if inside:
        return (Status.COMPLIANT, f"inside {dep.by}'s {space} (12 nmi)", ev, None)
    choice = ctx.weapon(dep)
    ev.update(choice.as_dict())
    other = other_us_party(dep.by)
    if choice.range_km is None:
        ev["distance_to_other_party_km"] = ctx.distances(dep, [other])[other]
        return (Status.DEPENDS, f"outside {space}, but the {ctx.range_estimate} range of "
                f"{choice.weapon.name if choice.weapon else 'its weapon'} is unknown "
                f"({choice.note})", ev, None)
    extra, geom = split_reach(ctx.reach(dep, [other], choice.range_km, choice.min_range_km))
    ev.update(extra)
    if other in extra["states_reached"]:
        return (Status.VIOLATION, f"outside {dep.by}'s {space}, and {choice.weapon.name} "
                f"({km(choice.range_km)}) reaches {other} territory "
                f"{km(extra['distance_km'])} away", ev, geom)
    return (Status.COMPLIANT, f"outside {space}, but {other} territory is "
            f"{km(extra['distance_km'])} away, beyond {choice.weapon.name} "
            f"({km(choice.range_km)})", ev, None)


# ---------------------------------------------------------------------------- Art. 6
def _us6(dep: Deployment, ctx: Context) -> Result:
    if dep.by not in US_PARTIES:
        return not_bound(dep, _BOTH)
    early, choice, ev, cls = classify_missile(
        dep, ctx, launched="ground-launched", classes="shorter-range",
        unknown_suffix=", so its class cannot be decided",
    )
    if early is not None:
        return early
    w = choice.weapon
    other = other_us_party(dep.by)
    inside = ctx.inside_own(dep)
    ev.update({"host": ctx.host(dep), "inside_own_territory": inside})
    extra, geom = split_reach(ctx.reach(dep, [other], choice.range_km, choice.min_range_km))
    ev.update(extra)
    if not inside:
        return (Status.VIOLATION, f"a ground-launched {cls} missile outside {dep.by}'s "
                f"national territory (host: {ev['host'] or 'none'})", ev, geom or dep.geometry)
    if other in extra["states_reached"]:
        return (Status.VIOLATION, f"inside {dep.by}'s territory, but {w.name} "
                f"({km(choice.range_km)}) reaches {other} territory {km(extra['distance_km'])} "
                "away", ev, geom)
    return (Status.COMPLIANT, f"inside {dep.by}'s territory and {other} territory is "
            f"{km(extra['distance_km'])} away, beyond {km(choice.range_km)}", ev, None)


# ---------------------------------------------------------------------------- Art. 7
def _nuclear_abroad(dep: Deployment, ctx: Context, what: str) -> Result:
    if dep.by not in US_PARTIES:
        return not_bound(dep, _BOTH)
    if dep.kind == "base" and dep.category != "nuclear_weapons":
        return (Status.NOT_APPLICABLE, "a base without nuclear-weapons infrastructure "
                "(category is not 'nuclear_weapons')", {"category": dep.category}, None)
    inside = ctx.inside_own(dep)
    ev = {"host": ctx.host(dep), "inside_own_territory": inside}
    if inside:
        return (Status.COMPLIANT, f"{what} inside {dep.by}'s national territory", ev, None)
    return (Status.VIOLATION, f"{what} outside {dep.by}'s national territory (host: "
            f"{ev['host'] or 'none'})", ev, dep.geometry)


def _us71(dep: Deployment, ctx: Context) -> Result:
    return _nuclear_abroad(dep, ctx, "nuclear weapons")


def _us72(dep: Deployment, ctx: Context) -> Result:
    return _nuclear_abroad(dep, ctx, "infrastructure for deploying nuclear weapons")


# clause id -> check; the clause's facts are the record of that id in geodata/clauses.json
CHECKS: dict[str, CheckFunction] = {
    "US-3": _us3,
    "US-4.1": _us41,
    "US-4.2": _us42,
    "US-5.1": _us51,
    "US-5.2": _us52,
    "US-6": _us6,
    "US-7.1": _us71,
    "US-7.2": _us72,
}

US_CLAUSES: tuple[Clause, ...] = build_clauses("us", CHECKS)
