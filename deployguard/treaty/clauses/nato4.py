"""NATO draft Art. 4: no forces beyond those stationed on a host's territory on 27 May 1997.

Reading, row by row:

1. Only Russia and the 16 NATO members of 27 May 1997 are named as deploying states.
2. The host must be another State "in Europe" (``Readings.europe``).
3. The consent of all the Parties (``consent={"ALL"}`` or every Party) is the exception.
4. The 1997 level is looked up for the unit the placement gives: a dependency where the
   baseline lists it separately (Greenland), else the sovereign.
5. The comparison is per category where the baseline has one: nuclear weapons only against
   nuclear weapons (presence; the counts are unknown), ground/air/naval personnel against that
   category's rows. Where the baseline gives only an all-services total (the DMDC counts), a
   category is compared with the total (``Readings.nato4_unsplit_baseline="total"``) or the
   total only bounds it (``"upper_bound"``).
6. No row: a **sourced zero** where an authoritative list shows no forces of the sender (the
   coverage table, with its source), else **unknown** (``depends``), never zero.
7. A successor State whose 1997 figure was counted for its predecessor (Kosovo and Montenegro
   within the DMDC's "Yugoslavia"): the predecessor's whole figure bounds it from above, so a
   level above it is a violation and one within it ``depends``.

The deployment's personnel is read as the sender's whole presence in the host.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from deployguard.data.baseline1997 import Baseline1997, BaselineLevel
from deployguard.geography.groups import states_in_europe
from deployguard.treaty.clauses._common import not_bound, parties_on, sorted_codes
from deployguard.treaty.clauses.base import GEOM_SITE, Outcome, Rows
from deployguard.treaty.context import Context
from deployguard.treaty.findings import Status

__all__ = ["nato4"]


@functools.lru_cache(maxsize=8192)
def _level(host: str, sender: str, category: str | None, bsf: str) -> BaselineLevel:
    return Baseline1997.load().level(host, sender, category, black_sea_fleet=bsf)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=8192)
def _categories(host: str, sender: str) -> frozenset[str]:
    return frozenset(e.category for e in Baseline1997.load().stationed(host, sender))


def _unit_for(unit: str, host: str, sender: str) -> str:
    """The baseline's unit: the dependency where it has rows or coverage of its own."""
    if unit and unit != host and Baseline1997.load().lists(unit, sender):
        return unit
    return host


def _compare(
    unit: str, sender: str, category: str | None, kind: str, ctx: Context
) -> tuple[BaselineLevel, str, str]:
    """(level, category compared, how) for one deployment."""
    bsf = ctx.readings.black_sea_fleet
    if category == "nuclear_weapons" or kind == "nuclear":
        return _level(unit, sender, "nuclear_weapons", bsf), "nuclear_weapons", (
            "nuclear weapons compared with the nuclear weapons stationed in 1997")
    if category in ("ground", "air", "naval"):
        have = _categories(unit, sender)
        if category in have or ctx.readings.nato4_unsplit_baseline == "upper_bound":
            return _level(unit, sender, category, bsf), category, (
                f"{category} forces compared with the {category} rows (an all-services "
                "total, where there is one, bounds them from above)")
        return _level(unit, sender, None, bsf), "all", (
            f"the baseline has no {category} figure of its own, so the {category} forces are "
            "compared with the all-services total (Readings(nato4_unsplit_baseline='total'))")
    return _level(unit, sender, None, bsf), "all", "all forces compared with all forces"


def _level_text(lvl: BaselineLevel) -> str:
    if lvl.sourced_zero:
        return "0 (sourced zero)"
    if lvl.known and lvl.low is not None and lvl.high is not None:
        return f"{lvl.personnel:,} (spread {lvl.low:,}-{lvl.high:,})"
    if lvl.low is not None and lvl.high is not None:
        return f"unknown, between {lvl.low:,} and {lvl.high:,}"
    if lvl.high is not None:
        return f"unknown, at most {lvl.high:,}"
    return "unknown"


def nato4(rows: Rows, ctx: Context) -> Outcome:
    """Check NATO draft Art. 4 on every row (see the module docstring)."""
    out = Outcome(len(rows))
    deployers = parties_on("NATO-4", rows.dates[0]) if len(rows) else frozenset()
    by, host = rows.by, rows.host
    not_bound(out, rows, ~np.isin(by, sorted(deployers)), "Russia and the 16 NATO members of "
              "27 May 1997 (later members are not named as deploying states)")
    europe = states_in_europe(ctx.readings.europe)
    deps = rows.deployments
    live = out.open.copy()
    out.ev("host", host, live)
    out.ev("host_data", rows.gather(ctx.placement.host_data), live)
    out.ev("deploying_states_1997", sorted_codes(deployers), live)
    out.ev("europe_reading", ctx.readings.europe, live)
    out.ev("host_in_europe", [h in europe for h in host], live)
    out.ev("personnel", [d.personnel for d in deps], live)
    out.put(live & (host == ""), Status.NOT_APPLICABLE,
            lambda i: "not on the territory of any State")
    out.put(host == by, Status.NOT_APPLICABLE,
            lambda i: f"on {by[i]}'s own territory, not 'the other States'")
    reading = ctx.readings.europe
    out.put(np.array([h not in europe for h in host]), Status.NOT_APPLICABLE,
            lambda i: f"{host[i]} is not a State in Europe under the {reading!r} reading")
    parties = [parties_on("NATO-5", d) for d in rows.dates]  # all Parties of the agreement
    consent = np.array([("ALL" in d.consent) or (p <= d.consent)
                        for d, p in zip(deps, parties, strict=True)])
    out.put(consent, Status.COMPLIANT, lambda i: "deployed with the consent of all the Parties "
            "(the exception for 'exceptional cases to eliminate a threat')")
    live = out.open.copy()
    # the unit at the point (Greenland); an area's other rows are on their own host
    units = [u if h == ph else h for u, h, ph in zip(
        rows.gather(list(ctx.placement.unit)), host, rows.gather(list(ctx.placement.host)),
        strict=True)]
    found: dict[int, tuple[BaselineLevel, str, str, str]] = {}
    evidence: list[Any] = [None] * len(rows)
    shared: dict[tuple[Any, ...], dict[str, Any]] = {}  # rows with the same baseline share it
    for i in np.flatnonzero(live):
        unit = _unit_for(str(units[i]), str(host[i]), str(by[i]))
        lvl, cat, how = _compare(unit, str(by[i]), deps[i].category, str(rows.kind[i]), ctx)
        found[int(i)] = (lvl, cat, how, unit)
        key = (unit, str(by[i]), cat, how)
        if key not in shared:
            shared[key] = {
                "unit": unit, "category_compared": cat, "comparison": how,
                "personnel": lvl.personnel, "low": lvl.low, "high": lvl.high,
                "known": lvl.known, "recorded": lvl.recorded, "present": lvl.present,
                "sourced_zero": lvl.sourced_zero, "coverage": lvl.coverage,
                "coverage_source": lvl.coverage_source or None, "note": lvl.note,
                "bounded_by": lvl.bounded_by or None,
                "sources": sorted({e.source for e in lvl.entries}),
            }
        evidence[i] = shared[key]
    out.ev("baseline_1997", evidence, live)
    _decide(out, rows, found)
    return out


def _decide(out: Outcome, rows: Rows, found: dict[int, tuple[BaselineLevel, str, str, str]]
            ) -> None:
    by, host = rows.by, rows.host
    deps = rows.deployments
    n = len(rows)

    def pick(test: Any) -> np.ndarray:
        return np.array([i in found and out.open[i] and bool(test(i, *found[i]))
                         for i in range(n)], dtype=bool)

    def where(i: int) -> str:
        unit = found[i][3]
        return host[i] if unit == host[i] else f"{unit} ({host[i]})"

    def txt(i: int) -> str:
        return _level_text(found[i][0])

    # nuclear weapons: presence is all the baseline knows
    nuke = pick(lambda i, lvl, cat, how, unit: cat == "nuclear_weapons")
    out.put(nuke & pick(lambda i, lvl, *_: lvl.sourced_zero), Status.VIOLATION, lambda i: (
        f"{by[i]} had no nuclear weapons in {where(i)} on 27 May 1997 (sourced zero: "
        f"{found[i][0].coverage_source}): any are 'in addition'"), GEOM_SITE)
    out.put(nuke & pick(lambda i, lvl, *_: lvl.present), Status.DEPENDS, lambda i: (
        f"{by[i]} had nuclear weapons in {where(i)} on 27 May 1997, in unknown numbers: "
        "whether these are 'in addition' cannot be decided"), GEOM_SITE)
    out.put(nuke, Status.DEPENDS, lambda i: (
        f"whether {by[i]} had nuclear weapons in {where(i)} on 27 May 1997 is unknown"),
        GEOM_SITE)
    p = [d.personnel for d in deps]
    out.put(pick(lambda i, *_: p[i] is None), Status.DEPENDS, lambda i: (
        f"no personnel given: the 27 May 1997 baseline of {by[i]} in {where(i)} ({txt(i)}) "
        "counts personnel, so added weaponry cannot be compared"), GEOM_SITE)
    out.put(pick(lambda i, lvl, *_: lvl.high is not None and p[i] > lvl.high),
            Status.VIOLATION, lambda i: (
                f"{p[i]:,} personnel exceed {by[i]}'s 27 May 1997 level in {where(i)}: "
                f"{txt(i)}" + ("" if found[i][1] == "all" else f" ({found[i][1]})")
                + (f", the figure for the predecessor as a whole (filed under "
                   f"{found[i][0].bounded_by})" if found[i][0].bounded_by else "")), GEOM_SITE)
    out.put(pick(lambda i, lvl, *_: lvl.low is not None and p[i] <= lvl.low),
            Status.COMPLIANT, lambda i: (
                f"{p[i]:,} personnel are within {by[i]}'s 27 May 1997 level in {where(i)}: "
                f"{txt(i)}"))
    out.put(pick(lambda i, lvl, *_: lvl.low is not None), Status.DEPENDS, lambda i: (
        f"{p[i]:,} personnel lie inside the spread of the 27 May 1997 estimate ({txt(i)}): "
        "where in it the 1997 level lay decides"), GEOM_SITE)
    out.put(pick(lambda i, lvl, *_: lvl.bounded_by != "" and lvl.high is not None),
            Status.DEPENDS, lambda i: (
                f"{p[i]:,} personnel are within {by[i]}'s 27 May 1997 level for the predecessor "
                f"as a whole (filed under {found[i][0].bounded_by}: {txt(i)}), which bounds "
                f"{where(i)} only from above"), GEOM_SITE)
    out.put(pick(lambda i, lvl, *_: lvl.high is not None), Status.DEPENDS, lambda i: (
        f"{p[i]:,} personnel are within the all-services total of {by[i]} in {where(i)} "
        f"({txt(i)}), which only bounds the {found[i][1]} forces from above"), GEOM_SITE)
    out.put(pick(lambda *_: True), Status.DEPENDS, lambda i: (
        f"{by[i]}'s 27 May 1997 level in {where(i)} is unknown (not zero: "
        f"{found[i][0].note}), so {p[i]:,} personnel cannot be compared"), GEOM_SITE)
