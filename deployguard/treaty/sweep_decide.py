"""The verdicts of one sweep block (one system at one range estimate) from the distance table.

The clause logic is :func:`deployguard.check`'s, applied to arrays: the same order of tests,
the same readings, the same words for the statuses. Each system and estimate only sets a
threshold on the distances (or deciding bounds) that :mod:`deployguard.treaty.sweep` computed
once per site and protected set.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from deployguard.data.systems import WeaponSystem
from deployguard.treaty.findings import Status
from deployguard.treaty.placement import missile_class, strike_weapon
from deployguard.treaty.readings import Readings

__all__ = ["STATUS_VALUES", "decide_block"]

STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in Status)
_NA = Status.NOT_APPLICABLE.value


def _reached(
    keys: NDArray[np.int64], numbers: dict[str, NDArray[Any]], rmin: float, rmax: float
) -> NDArray[np.bool_]:
    """Whether some point of each site's protected set (index into the sets; -1 for none)
    lies at a distance in [rmin, rmax]."""
    out = np.zeros(keys.size, dtype=bool)
    for key in np.unique(keys[keys >= 0]):  # a loop over sets, not sites
        rows = np.flatnonzero(keys == key)
        lo = numbers[f"lo|{key}"][rows]
        hi = numbers[f"hi|{key}"][rows]
        # the bounds were made to decide every range in play: hi <= r, or lo > r
        hit = hi <= rmax
        if rmin > 0:
            ann = numbers[f"ann|{key}|{rmin}|{rmax}"][rows]
            hit = np.where(lo < rmin, ann, hit)
        out[rows] = hit
    return out


def decide_block(
    sites: dict[str, NDArray[Any]],
    numbers: dict[str, NDArray[Any]],
    system: WeaponSystem,
    estimate: str,
    clauses: tuple[str, ...],
    day: _dt.date,
    readings: Readings,
) -> pd.DataFrame:
    """One row per site for ``system`` at ``estimate``: reach, margin and each clause's status."""
    n = sites["lon"].size
    by = sites["by"]
    on_land = sites["on_land"]
    any_w = strike_weapon(system, estimate, None)
    land_w = strike_weapon(system, estimate, True)
    report = sites["report"]
    has_report = report >= 0
    dist = np.full(n, np.nan)
    nearest = np.full(n, None, dtype=object)
    for key in np.unique(report[has_report]):
        rows = np.flatnonzero(report == key)
        dist[rows] = numbers[f"lo|{key}"][rows]
        nearest[rows] = numbers[f"near|{key}"][rows]
    reaches = pd.array(np.full(n, pd.NA), dtype="boolean")
    margin = np.full(n, np.nan)
    if any_w.range_km is not None:
        hit = _reached(report, numbers, any_w.min_range_km or 0.0, any_w.range_km)
        reaches[has_report] = hit[has_report]
        margin = any_w.range_km - dist
    out: dict[str, Any] = {
        "site_id": sites["site_id"], "lon": sites["lon"], "lat": sites["lat"],
        "by": by, "host": sites["host"],
        "system": pd.Categorical.from_codes(np.zeros(n, np.int8), [system.name]),
        "weapon": pd.Categorical.from_codes(
            np.zeros(n, np.int8) if any_w.weapon is not None else np.full(n, -1, np.int8),
            [any_w.weapon.name if any_w.weapon is not None else "none"]),
        "range_estimate": pd.Categorical.from_codes(np.zeros(n, np.int8), [estimate]),
        "range_km": np.full(n, np.nan if any_w.range_km is None else any_w.range_km),
        "reaches": reaches, "distance_km": dist, "margin_km": margin,
        "nearest_state": nearest,
    }
    for clause in clauses:
        keys = sites[f"set|{clause}"]
        bound = keys >= 0
        status = np.full(n, _NA, dtype=object)
        if clause == "US-5.2":
            _us52(status, bound, keys, numbers, sites, system, any_w, readings)
        else:
            _missile(status, bound & on_land, keys, numbers, sites, land_w, clause, readings)
        out[clause] = pd.Categorical(status, categories=list(STATUS_VALUES))
    return pd.DataFrame(out)


def _missile(
    status: NDArray[np.object_], ground: NDArray[np.bool_], keys: NDArray[np.int64],
    numbers: dict[str, NDArray[Any]], sites: dict[str, NDArray[Any]], weapon: Any,
    clause: str, readings: Readings,
) -> None:
    """US-6 and NATO-5 (as ``_us6`` and ``_nato5``): not a ground-launched missile here, an
    unknown range, a range outside the classes, then (US-6) outside national territory, then
    whether a protected state is within range."""
    if weapon.weapon is None:
        return  # not a ground-launched missile: not applicable
    if weapon.range_km is None:
        status[ground] = Status.DEPENDS.value
        return
    if missile_class(weapon.range_km, readings) is None:
        return
    hit = _reached(keys, numbers, weapon.min_range_km or 0.0, weapon.range_km)
    decided = np.where(hit, Status.VIOLATION.value, Status.COMPLIANT.value)
    if clause == "US-6":
        outside = sites["host"] != sites["by"]
        decided = np.where(outside, Status.VIOLATION.value, decided)
    status[ground] = decided[ground]


def _us52(
    status: NDArray[np.object_], bound: NDArray[np.bool_], keys: NDArray[np.int64],
    numbers: dict[str, NDArray[Any]], sites: dict[str, NDArray[Any]], system: WeaponSystem,
    weapon: Any, readings: Readings,
) -> None:
    """US-5.2 (as ``_us52``): heavy bombers and surface warships outside national airspace and
    territorial waters (always with the 12-nmi sea) that can reach the other Party."""
    bombers = {"heavy_bomber"} | (
        {"medium_bomber"} if readings.heavy_bombers == "include_medium" else set()
    )
    if system.system_class not in bombers | {"surface_warship"}:
        return
    inside = sites["host_sea"] == sites["by"]
    status[bound & inside] = Status.COMPLIANT.value
    rest = bound & ~inside
    if weapon.range_km is None:
        status[rest] = Status.DEPENDS.value
        return
    hit = _reached(keys, numbers, weapon.min_range_km or 0.0, weapon.range_km)
    status[rest] = np.where(hit, Status.VIOLATION.value, Status.COMPLIANT.value)[rest]
