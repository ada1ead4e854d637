"""The geographically checkable articles of the US draft (Treaty on security guarantees).

Quotes are the MFA's unofficial English translation of 17 Dec 2021 as recorded in facts.md
§1.2, with the verification status of each. The treaty binds only the USA and Russia; a
deployment by anyone else gets ``not_applicable`` from these clauses.

Examples
--------
>>> from deployguard.clauses.us_draft import US_CLAUSES
>>> [c.id for c in US_CLAUSES]
['US-3', 'US-4.1', 'US-4.2', 'US-5.1', 'US-5.2', 'US-6', 'US-7.1', 'US-7.2']
"""

from __future__ import annotations

import datetime as _dt

from deployguard.alliances import FORMER_USSR, nato
from deployguard.deployments import Deployment
from deployguard.errors import DataError

from ._common import (
    LOCATED_KINDS,
    US_PARTIES,
    Result,
    km,
    missile_class,
    not_bound,
    other_us_party,
    split_reach,
)
from .base import Clause, Status
from .context import Context

__all__ = ["US_CLAUSES"]

_BOTH = "the USA and Russia (each as deploying party)"
_SRPSKA = "verbatim (seen), confidence H: The Srpska Times, 21 Dec 2021 (MFA text)"
_SPUT = "verbatim (seen), confidence H: Sputnik via UrduPoint, 17 Dec 2021"


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
    choice = ctx.weapon(dep, ground_launched_only=True)
    w = choice.weapon
    ev: dict = choice.as_dict()
    if w is None or not w.is_ground_launched:
        return (Status.NOT_APPLICABLE, "not a ground-launched missile", ev, None)
    if choice.range_km is None:
        return (Status.DEPENDS, f"the {ctx.range_estimate} range of {w.name} is unknown, so "
                "its class cannot be decided", ev, None)
    cls = missile_class(w, choice.range_km, ctx.readings)
    ev["missile_class"] = cls
    if cls is None:
        return (Status.NOT_APPLICABLE, f"{w.name} at {km(choice.range_km)} ({ctx.range_estimate}"
                ") is outside the intermediate/shorter-range classes (INF: 500-5,500 km)",
                ev, None)
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


US_CLAUSES: tuple[Clause, ...] = (
    Clause(
        "US-3", "us", "US draft Art. 3", "no use of third States' territory",
        "The Parties shall not use the territories of other States with a view to preparing or "
        "carrying out an armed attack against the other Party or other actions affecting core "
        "security interests of the other Party.",
        _SRPSKA, _BOTH, LOCATED_KINDS, _us3,
    ),
    Clause(
        "US-4.1", "us", "US draft Art. 4 para 1", "no NATO expansion to former-USSR States",
        "The United States of America shall undertake to prevent further eastward expansion of "
        "the North Atlantic Treaty Organization and deny accession to the Alliance to the States "
        "of the former Union of Soviet Socialist Republics.",
        _SRPSKA, "the USA only", frozenset({"accession"}), _us41,
    ),
    Clause(
        "US-4.2", "us", "US draft Art. 4 para 2", "no US bases in non-NATO former-USSR States",
        "The United States of America shall not establish military bases in the territory of "
        "the States of the former Union of Soviet Socialist Republics that are not members of "
        "the North Atlantic Treaty Organization, use their infrastructure for any military "
        "activities or develop bilateral military cooperation with them.",
        _SRPSKA, "the USA only", LOCATED_KINDS | {"cooperation"}, _us42,
    ),
    Clause(
        "US-5.1", "us", "US draft Art. 5 para 1", "no threatening deployments abroad",
        "The Parties shall refrain from deploying their armed forces and armaments, including "
        "in the framework of international organizations, military alliances or coalitions, in "
        "the areas where such deployment could be perceived by the other Party as a threat to "
        "its national security, with the exception of such deployment within the national "
        "territories of the Parties.",
        _SRPSKA, _BOTH, LOCATED_KINDS, _us51,
    ),
    Clause(
        "US-5.2", "us", "US draft Art. 5 para 2", "heavy bombers and warships stay home",
        "The Parties shall refrain from flying heavy bombers equipped for nuclear or non-nuclear "
        "armaments or deploying surface warships of any type, including in the framework of "
        "international organizations, military alliances or coalitions, in the areas outside "
        "national airspace and national territorial waters respectively, from where they can "
        "attack targets in the territory of the other Party.",
        _SPUT, _BOTH, frozenset({"patrol"}), _us52,
    ),
    Clause(
        "US-6", "us", "US draft Art. 6", "no INF-range ground-launched missiles within reach",
        "The Parties shall undertake not to deploy ground-launched intermediate-range and "
        "shorter-range missiles outside their national territories, as well as in the areas of "
        "their national territories, from which such weapons can attack targets in the national "
        "territory of the other Party.",
        _SPUT, _BOTH, frozenset({"missile"}), _us6,
    ),
    Clause(
        "US-7.1", "us", "US draft Art. 7 para 1", "no nuclear weapons abroad",
        "The Parties shall refrain from deploying nuclear weapons outside their national "
        "territories and return such weapons already deployed outside their national "
        "territories at the time of the entry into force of the Treaty to their national "
        "territories.",
        "wording recalled, not checked word for word (confidence M; substance H: ANSA, 17 Dec "
        "2021, quoting the MFA)",
        _BOTH, frozenset({"nuclear"}), _us71,
    ),
    Clause(
        "US-7.2", "us", "US draft Art. 7 para 2", "no nuclear infrastructure abroad",
        "The Parties shall eliminate all existing infrastructure for deployment of nuclear "
        "weapons outside their national territories.",
        _SPUT, _BOTH, frozenset({"nuclear", "base"}), _us72,
    ),
)
