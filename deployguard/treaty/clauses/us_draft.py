"""The geographically checkable articles of the US draft (Treaty on security guarantees).

Quotes are the MFA's unofficial English translation of 17 Dec 2021, with the verification
status and source of each; they and the other facts of each clause live in
``geodata/clauses.json``, and :data:`CHECKS` binds each clause id to its check. The treaty
binds only the USA and Russia; a deployment by anyone else gets ``not_applicable``.

Every check judges all its rows at once (see :mod:`deployguard.treaty.clauses.base`).

Examples
--------
>>> from deployguard.treaty.clauses.us_draft import US_CLAUSES
>>> [c.id for c in US_CLAUSES]
['US-3', 'US-4.1', 'US-4.2', 'US-5.1', 'US-5.2', 'US-6', 'US-7.1', 'US-7.2', 'US-7.3']
"""

from __future__ import annotations

import datetime as _dt
import functools

import numpy as np

from deployguard.geography import groups
from deployguard.treaty.clauses._common import (
    bound,
    classify_missile,
    km,
    names,
    not_bound,
    optional_reach,
    other_us_party,
    reach_targets,
    sorted_codes,
    targets_of,
    weapon_evidence,
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
from deployguard.treaty.clauses.records import build_clauses, clause_facts
from deployguard.treaty.context import Context, nato_members_on
from deployguard.treaty.findings import Status
from deployguard.treaty.frame import GEOM_NONE
from deployguard.treaty.weapons import ReachFact

__all__ = ["CHECKS", "SITE_CHECKS", "US_CLAUSES"]


def _former_ussr() -> frozenset[str]:
    # read once: groups.FORMER_USSR is rebuilt from the data file on every access
    global _FORMER_USSR
    if _FORMER_USSR is None:
        _FORMER_USSR = frozenset(groups.FORMER_USSR)
    return _FORMER_USSR


_FORMER_USSR: frozenset[str] | None = None

_BOTH = "the USA and Russia (each as deploying party)"
_SEA_PLATFORMS = frozenset({"surface_warship", "submarine"})


def _parties(rows: Rows, clause_id: str = "US-3") -> np.ndarray:
    """Bound by the clause (the Parties its record in clauses.json names)."""
    return bound(rows, clause_id)


def _others(rows: Rows) -> list[str]:
    return [other_us_party(b) for b in rows.by]


# ---------------------------------------------------------------------------- Art. 3
def _us3(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    not_bound(out, rows, ~_parties(rows), _BOTH)
    host, by, other = rows.host, rows.by, _others(rows)
    live = out.open.copy()
    out.ev("host", host, live)
    home = live & ((host == "") | (host == by))
    land = ctx.placement.on_land[rows.dep]  # land of no State (Antarctica) has no host either
    out.put(home, Status.COMPLIANT, lambda i: "the deployment is on " + (
        "its own national territory" if host[i] else "no State's territory (" + (
            "land of no State, e.g. Antarctica, whose claims the Antarctic Treaty freezes"
            if land[i] else "high seas") + ")")
        + ", not on the territory of another State")
    abroad = out.open.copy()
    reached = optional_reach(out, rows, ctx, abroad, other)
    out.put(abroad, Status.DEPENDS, lambda i: (
        f"{by[i]} uses the territory of {host[i]}; whether that is 'with a view to preparing "
        "or carrying out an armed attack ... or other actions affecting core security "
        f"interests' of {other[i]} is a question of intent the geography cannot settle"
        + (f" (its weapon can reach {other[i]})" if reached[i] else "")),
        geometry=GEOM_REACH)
    return out


# ---------------------------------------------------------------------------- Art. 4
def _us41(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    state = [h or b for h, b in zip(rows.host, rows.by, strict=True)]
    days = rows.dates
    before = [nato_members_on(d - _dt.timedelta(days=1)) for d in days]
    out.ev("acceding_state", state)
    soviet_states = _former_ussr()
    out.ev("former_ussr", [s in soviet_states for s in state])
    out.ev("nato_members_before", [sorted_codes(m) for m in before])
    member = np.array([s in m for s, m in zip(state, before, strict=True)])
    out.put(member, Status.NOT_APPLICABLE,
            lambda i: f"{state[i]} was already a NATO member on {days[i]}")
    soviet = np.array([s in soviet_states for s in state])
    out.put(soviet, Status.VIOLATION, lambda i: (
        f"{state[i]} is a State of the former USSR: the USA undertook to 'deny accession to "
        "the Alliance' to such States"))
    out.put(out.open, Status.DEPENDS, lambda i: (
        f"{state[i]} is not a former-USSR State; whether its accession is 'further eastward "
        "expansion' is not defined by the draft"))
    return out


@functools.lru_cache(maxsize=256)
def _outside_nato(states: frozenset[str], members: frozenset[str]) -> frozenset[str]:
    return states - members


def _us42(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    not_bound(out, rows, ~_parties(rows, "US-4.2"), "the USA only")
    host, kind, days = rows.host, rows.kind, rows.dates
    soviet_states = _former_ussr()
    covered = [_outside_nato(soviet_states, nato_members_on(d)) for d in days]
    live = out.open.copy()
    out.ev("host", host, live)
    out.ev("former_ussr_not_nato", [sorted_codes(c) for c in covered], live)
    inside = np.array([h in c for h, c in zip(host, covered, strict=True)])
    out.put(live & ~inside, Status.COMPLIANT, lambda i: (
        f"the host ({host[i] or 'none'}) is not a former-USSR State outside NATO on {days[i]}"))
    out.put(kind == "base", Status.VIOLATION, lambda i: (
        f"a US military base in {host[i]}, a former-USSR State outside NATO ('shall not "
        "establish military bases')"), GEOM_SITE)
    out.put(kind == "cooperation", Status.VIOLATION, lambda i: (
        f"bilateral military cooperation with {host[i]} ('or develop bilateral military "
        "cooperation with them')"), GEOM_SITE)
    out.put(kind == "patrol", Status.DEPENDS, lambda i: (
        f"a patrol in the waters or airspace of {host[i]}: whether it 'uses their "
        "infrastructure' is not settled by position"), GEOM_SITE)
    out.put(out.open, Status.VIOLATION, lambda i: (
        f"US {kind[i]} on the territory of {host[i]}, a former-USSR State outside NATO: "
        "stationing forces there uses its infrastructure 'for any military activities' (our "
        "reading)"), GEOM_SITE)
    return out


# ---------------------------------------------------------------------------- Art. 5
def _us51(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    not_bound(out, rows, ~_parties(rows), _BOTH)
    host, by, other = rows.host, rows.by, _others(rows)
    inside = rows.inside_own
    live = out.open.copy()
    out.ev("host", host, live)
    out.ev("inside_own_territory", inside, live)
    out.put(live & inside, Status.COMPLIANT, lambda i: (
        "within the deploying Party's national territory (the paragraph's exception)"))
    abroad = out.open.copy()
    reached = optional_reach(out, rows, ctx, abroad, other)
    out.put(abroad, Status.DEPENDS, lambda i: (
        f"outside {by[i]}'s national territory (host: {host[i] or 'none'}); whether the area "
        f"is one where it 'could be perceived by the other Party as a threat' is {other[i]}'s "
        "perception" + (f"; its weapon can reach {other[i]}" if reached[i] else "")),
        geometry=GEOM_REACH)
    return out


def _us52(rows: Rows, ctx: ClauseContext) -> Outcome:
    out = Outcome(len(rows), evidence=ctx.keeps_evidence)
    not_bound(out, rows, ~_parties(rows, "US-5.2"), _BOTH)
    cls, system_names = rows.system_class, rows.system_name
    bombers = {"heavy_bomber"} | (
        {"medium_bomber"} if ctx.readings.heavy_bombers == "include_medium" else set()
    )
    live = out.open.copy()
    covered = np.isin(cls, sorted(bombers | {"surface_warship"}))
    if out.keeps_evidence:
        out.ev("system_class", [c or None for c in cls.tolist()], live)
    out.put(live & ~covered, Status.NOT_APPLICABLE, lambda i: (
        f"{system_names[i]} is a {cls[i]}, not a heavy bomber under the New START reading"
        if cls[i] == "medium_bomber" else
        f"the paragraph covers heavy bombers and surface warships, not {cls[i] or 'this'}"))
    live = out.open.copy()
    inside = rows.inside_own_sea
    host, by = rows.host, rows.by
    targets, target_of = targets_of(rows, "US-5.2", ctx.readings)
    out.ev("inside_national_airspace_or_waters", inside, live)
    out.ev("host", host, live)
    warship = cls == "surface_warship"

    def space(i: int) -> str:
        return "national territorial waters" if warship[i] else "national airspace"

    def other(i: int) -> str:
        return names(targets[target_of[i]])

    out.put(live & inside, Status.COMPLIANT, lambda i: f"inside {by[i]}'s {space(i)} (12 nmi)")
    live = out.open.copy()
    weapon_evidence(out, rows, ctx, live, role="any")
    w = ctx.weapons
    facts = w.facts
    code = rows.fact_codes("any")
    rng, rmin = w.column("range_km")[code], w.column("min_range_km")[code]
    unknown = np.flatnonzero(live & np.isnan(rng))
    if unknown.size and out.keeps_evidence:
        _, dist_u, _ = reach_targets(Outcome(out.n, evidence=False), rows, ctx, unknown,
                                     targets, target_of, rng, rmin)
        out.ev("distance_to_other_party_km", dist_u, np.isin(np.arange(out.n), unknown))
    est = ctx.range_estimate
    out.put(live & np.isnan(rng), Status.DEPENDS, lambda i: (
        f"outside {space(i)}, but the {est} range of {_weapon(facts[code[i]])} is unknown "
        f"({facts[code[i]].note})"))
    known = np.flatnonzero(out.open)
    if not known.size:
        return out
    hit, dist, _ = reach_targets(out, rows, ctx, known, targets, target_of, rng, rmin)
    out.put(hit, Status.VIOLATION, lambda i: (
        f"outside {by[i]}'s {space(i)}, and {_weapon(facts[code[i]])} ({km(rng[i])}) reaches "
        f"{other(i)} territory {km(dist[i])} away"), GEOM_REACH)
    out.put(out.open, Status.COMPLIANT, lambda i: (
        f"outside {space(i)}, but {other(i)} territory is {km(dist[i])} away, beyond "
        f"{_weapon(facts[code[i]])} ({km(rng[i])})"))
    return out


def _weapon(fact: ReachFact) -> str:
    return fact.weapon.name if fact.weapon is not None else "its weapon"


# ---------------------------------------------------------------------------- Art. 6
def _us6(rows: Rows, ctx: ClauseContext) -> Outcome:
    out = Outcome(len(rows), evidence=ctx.keeps_evidence)
    not_bound(out, rows, ~_parties(rows, "US-6"), _BOTH)
    live, cls = classify_missile(out, rows, ctx, out.open.copy(), launched="ground-launched",
                                 classes="shorter-range",
                                 unknown_suffix=", so its class cannot be decided")
    host, by = rows.host, rows.by
    inside = rows.inside_own
    out.ev("host", host, live)
    out.ev("inside_own_territory", inside, live)
    sel = np.flatnonzero(live)
    if not sel.size:
        return out
    targets, target_of = targets_of(rows, "US-6", ctx.readings)
    w = ctx.weapons
    facts = w.facts
    code = rows.fact_codes("ground")
    rng, rmin = w.column("range_km")[code], w.column("min_range_km")[code]
    hit, dist, _ = reach_targets(out, rows, ctx, sel, targets, target_of, rng, rmin)

    def other(i: int) -> str:
        return names(targets[target_of[i]])

    def first_limb(i: int) -> str:
        return (f"a ground-launched {cls[i]} missile outside {by[i]}'s national territory "
                f"(host: {host[i] or 'none'})")

    out.put(live & ~inside & hit, Status.VIOLATION, first_limb, GEOM_REACH)
    out.put(live & ~inside, Status.VIOLATION, first_limb, GEOM_SITE)
    out.put(hit, Status.VIOLATION, lambda i: (
        f"inside {by[i]}'s territory, but {_weapon(facts[code[i]])} ({km(rng[i])}) reaches "
        f"{other(i)} territory {km(dist[i])} away"), GEOM_REACH)
    out.put(out.open, Status.COMPLIANT, lambda i: (
        f"inside {by[i]}'s territory and {other(i)} territory is {km(dist[i])} away, beyond "
        f"{km(rng[i])}"))
    return out


# ---------------------------------------------------------------------------- Art. 7
def _nuclear_rows(rows: Rows, ctx: Context, out: Outcome) -> np.ndarray:
    """Common start of Art. 7 paras 1 and 2: binding, bases without nuclear category."""
    not_bound(out, rows, ~_parties(rows), _BOTH)
    cats = [d.category for d in rows.deployments]
    no_nuke = (rows.kind == "base") & np.array([c != "nuclear_weapons" for c in cats])
    out.ev("category", cats, no_nuke & out.open)
    out.put(no_nuke, Status.NOT_APPLICABLE, lambda i: (
        "a base without nuclear-weapons infrastructure (category is not 'nuclear_weapons')"))
    live = out.open.copy()
    out.ev("host", rows.host, live)
    out.ev("inside_own_territory", rows.inside_own, live)
    return live


def _us71(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    live = _nuclear_rows(rows, ctx, out)
    host, by, inside = rows.host, rows.by, rows.inside_own
    out.put(live & inside, Status.COMPLIANT,
            lambda i: f"nuclear weapons inside {by[i]}'s national territory")
    reading = ctx.readings.nuclear_at_sea
    at_sea = (out.open & (host == "") & (ctx.frame.geom_kind[rows.dep] != GEOM_NONE)
              & ~ctx.placement.on_land[rows.dep])  # land of no State is not the high seas
    out.ev("nuclear_at_sea_reading", reading, at_sea)
    if reading == "not_deploying":
        out.put(at_sea, Status.NOT_APPLICABLE, lambda i: (
            "on or over the high seas, which are no State's territory: under "
            "Readings(nuclear_at_sea='not_deploying') the paragraph concerns nuclear weapons "
            "stationed on the territory of other States (it returns weapons 'already "
            "deployed' abroad home), and ships and bombers at sea are the subject of Art. 5 "
            "para 2"))
    out.put(out.open, Status.VIOLATION, lambda i: (
        f"nuclear weapons outside {by[i]}'s national territory (host: {host[i] or 'none'})"
        + (" (Readings(nuclear_at_sea='deploying'): the high seas are outside it)"
           if not host[i] else "")), GEOM_SITE)
    return out


def _us72(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    live = _nuclear_rows(rows, ctx, out)
    host, by, inside = rows.host, rows.by, rows.inside_own
    systems = [d.system for d in rows.deployments]
    cls = [getattr(s, "system_class", None) for s in systems]
    moving = np.array([c in _SEA_PLATFORMS for c in cls])
    on_land = ctx.placement.on_land[rows.dep]
    fixed = on_land & ~moving
    out.ev("fixed_site_on_land", fixed, live)
    out.put(live & ~fixed, Status.NOT_APPLICABLE, lambda i: (
        "'existing infrastructure for deployment of nuclear weapons' is fixed, on land: "
        + (f"a {str(cls[i]).replace('_', ' ')} is a moving platform"
           if moving[i] else "the deployment is not on land")))
    out.put(out.open & inside, Status.COMPLIANT, lambda i: (
        f"infrastructure for deploying nuclear weapons inside {by[i]}'s national territory"))
    out.put(out.open, Status.VIOLATION, lambda i: (
        f"infrastructure for deploying nuclear weapons outside {by[i]}'s national territory "
        f"(host: {host[i] or 'none'})"), GEOM_SITE)
    return out


def _us73(rows: Rows, ctx: Context) -> Outcome:
    out = Outcome(len(rows))
    not_bound(out, rows, ~_parties(rows, "US-7.3"), _BOTH)
    facts = clause_facts("US-7.3")
    nuclear = frozenset(facts["nuclear_weapon_states"])
    sharing = frozenset(facts["nuclear_sharing_states"])
    trainees = [d.trainees or "" for d in rows.deployments]
    live = out.open.copy()
    out.ev("trainees", trainees, live)
    out.ev("trainees_nuclear_weapon_state", [t in nuclear for t in trainees], live)
    out.ev("trainees_nuclear_sharing", [t in sharing for t in trainees], live)
    out.ev("nuclear_weapon_states", sorted_codes(nuclear), live)
    out.ev("nuclear_weapon_states_source", facts["nuclear_weapon_states_source"], live)
    nws = np.array([t in nuclear for t in trainees])
    out.put(live & nws, Status.COMPLIANT, lambda i: (
        f"{trainees[i]} is a nuclear-weapon State under the NPT (Art. IX para 3), not one of "
        "the 'non-nuclear countries'"))
    out.put(out.open, Status.VIOLATION, lambda i: (
        f"{rows.by[i]} trains personnel of {trainees[i]}, a non-nuclear country, to use "
        "nuclear weapons" + (
            f" ({trainees[i]} is one of NATO's nuclear-sharing States: "
            f"{facts['nuclear_sharing_source']})" if trainees[i] in sharing else "")))
    return out


# the checks that read only a ClauseContext: sweeps run these very functions on sites
SITE_CHECKS: dict[str, SiteCheckFunction] = {
    "US-5.2": _us52,
    "US-6": _us6,
}

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
    "US-7.3": _us73,
}

US_CLAUSES: tuple[Clause, ...] = build_clauses("us", CHECKS)
