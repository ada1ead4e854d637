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
from numpy.typing import NDArray

from deployguard.data.systems import WeaponSystem
from deployguard.treaty.findings import Status
from deployguard.treaty.placement import COAST_TOLERANCE_KM
from deployguard.treaty.protection import missile_class, strike_weapon
from deployguard.treaty.readings import AEGIS_ASHORE, Readings

__all__ = ["STATUS_VALUES", "decide_block"]

STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in Status)
# statuses are kept as categorical codes: a sweep has millions of rows
_V, _C, _D, _NA = (STATUS_VALUES.index(s.value) for s in (
    Status.VIOLATION, Status.COMPLIANT, Status.DEPENDS, Status.NOT_APPLICABLE))


def _reached(
    keys: NDArray[np.int64], numbers: dict[str, NDArray[Any]], rmin: float, rmax: float
) -> NDArray[np.bool_]:
    """Whether some point of each site's protected set (index into the sets; -1 for none)
    lies at a distance in [rmin, rmax].
    """
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
) -> dict[str, Any]:
    """For ``system`` at ``estimate``, per site: whether it reaches the reported set (and
    whether that is known), and each clause's status code (into :data:`STATUS_VALUES`);
    with the weapon's name and range.
    """
    n = sites["report"].size
    any_w = strike_weapon(system, estimate, None)
    land_w = strike_weapon(system, estimate, True)
    report = sites["report"]
    known = report >= 0
    reaches = np.zeros(n, dtype=bool)
    if any_w.range_km is not None:
        reaches = _reached(report, numbers, any_w.min_range_km or 0.0, any_w.range_km)
    else:
        known = np.zeros(n, dtype=bool)
    out: dict[str, Any] = {
        "weapon": None if any_w.weapon is None else any_w.weapon.name,
        "range_km": np.nan if any_w.range_km is None else any_w.range_km,
        "reaches": reaches & known, "reaches_known": known,
    }
    for clause in clauses:
        keys = sites[f"set|{clause}"]
        bound = keys >= 0
        status = np.full(n, _NA, dtype=np.int8)
        if clause == "US-5.2":
            _us52(status, bound, keys, numbers, sites, system, any_w, readings)
        else:
            _missile(status, bound & sites["on_land"], keys, numbers, sites, land_w, clause,
                     readings, system)
        out[clause] = status
    return out


def _missile(
    status: NDArray[np.int8], ground: NDArray[np.bool_], keys: NDArray[np.int64],
    numbers: dict[str, NDArray[Any]], sites: dict[str, NDArray[Any]], weapon: Any,
    clause: str, readings: Readings, system: WeaponSystem,
) -> None:
    """US-6 and NATO-5 (as ``_us6`` and ``_nato5``): not a ground-launched missile here, an
    interceptor or a ship's missile at a harbour (:mod:`deployguard.treaty.clauses._not_inf`),
    an unknown range, a range outside the classes, then (US-6) outside national territory,
    then whether a protected state is within range.
    """
    if weapon.weapon is None:
        return  # not a ground-launched missile: not applicable
    if weapon.weapon.is_interceptor:  # not an INF missile (INF Art. VII para 3)
        if readings.aegis_ashore == "mk41_can_fire_tomahawk" and system.name == AEGIS_ASHORE:
            status[ground] = _D
        return
    harbour = np.zeros_like(ground)
    if (readings.launch_mode == "location" and system.is_missile and system.basing == "sea"
            and weapon.weapon is system):
        harbour = ground & (sites["km_to_sea"] <= COAST_TOLERANCE_KM)
    _classify(status, ground & ~harbour, keys, numbers, sites, weapon, clause, readings)
    status[harbour] = _D


def _classify(
    status: NDArray[np.int8], ground: NDArray[np.bool_], keys: NDArray[np.int64],
    numbers: dict[str, NDArray[Any]], sites: dict[str, NDArray[Any]], weapon: Any,
    clause: str, readings: Readings,
) -> None:
    if weapon.range_km is None:
        status[ground] = _D
        return
    if missile_class(weapon.range_km, readings) is None:
        return
    hit = _reached(keys, numbers, weapon.min_range_km or 0.0, weapon.range_km)
    decided = np.where(hit, _V, _C)
    if clause == "US-6":
        outside = ~sites["inside_own"]
        decided = np.where(outside, _V, decided)
    status[ground] = decided[ground]


def _us52(
    status: NDArray[np.int8], bound: NDArray[np.bool_], keys: NDArray[np.int64],
    numbers: dict[str, NDArray[Any]], sites: dict[str, NDArray[Any]], system: WeaponSystem,
    weapon: Any, readings: Readings,
) -> None:
    """US-5.2 (as ``_us52``): heavy bombers and surface warships outside national airspace and
    territorial waters (always with the 12-nmi sea) that can reach the other Party.
    """
    bombers = {"heavy_bomber"} | (
        {"medium_bomber"} if readings.heavy_bombers == "include_medium" else set()
    )
    if system.system_class not in bombers | {"surface_warship"}:
        return
    inside = sites["inside_own_sea"]
    status[bound & inside] = _C
    rest = bound & ~inside
    if weapon.range_km is None:
        status[rest] = _D
        return
    hit = _reached(keys, numbers, weapon.min_range_km or 0.0, weapon.range_km)
    status[rest] = np.where(hit, _V, _C)[rest]
