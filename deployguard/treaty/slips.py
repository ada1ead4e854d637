"""Inputs that look like slips, and positions that contradict a system's basing.

Checked once per :func:`deployguard.check` call, after placement:

* **swapped lat/lon**: a land-based system (a ground-launched missile, a land launcher, ground
  forces) at sea whose swapped position lies on the deployer's own territory;
* **dates outside the data**: before NATO's founding (4 Apr 1949), or after the last
  membership change the data record (later accessions are not known to the data);
* **launch mode**: a land-based missile or launcher at sea, or a sea-launched type on land
  (the Aegis Ashore / Mk 41 question), gets a
  :class:`~deployguard.errors.ModellingAssumptionWarning` saying how it is judged;
* **impossible positions**: a surface warship or a submarine on land (farther than
  :data:`COAST_TOLERANCE_KM` from the sea, away from a named base, without ``host=``) raises
  :class:`~deployguard.errors.InvalidInputError`.

Warnings are grouped: one per kind of slip, naming up to five deployments.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import warnings
from importlib import resources

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.data.files import data_file, read_territorial_sea
from deployguard.data.versions import read_about
from deployguard.errors import InvalidInputError, LikelyInputSlipWarning, ModellingAssumptionWarning
from deployguard.geography.groups import nato
from deployguard.geography.indexes import index_of
from deployguard.geography.world import World
from deployguard.treaty.context import Context
from deployguard.treaty.frame import GEOM_POINT
from deployguard.treaty.placement import COAST_TOLERANCE_KM, PLACEMENT_RESOLUTION

__all__ = ["COAST_TOLERANCE_KM", "NATO_FOUNDED", "check_slips"]

NATO_FOUNDED = _dt.date(1949, 4, 4)
_SEA_PLATFORMS = ("surface_warship", "submarine")


@functools.cache
def _memberships_known_until() -> _dt.date:
    # The membership table says up to which day it is complete ("describes: memberships as of
    # 2026-12-01"); after that day an accession may be missing. The last accession itself
    # (Sweden, 2024) is no limit: nothing changed after it.
    fields, _ = read_about(data_file("nato_members.csv"), resources.files("deployguard.geodata"))
    found = re.search(r"\d{4}-\d{2}-\d{2}", fields.get("describes", ""))
    if found:
        return _dt.date.fromisoformat(found.group(0))
    return max(d for c in nato.codes for d in [nato.accession_date(c)] if d is not None)


def _say(kind: type[Warning], what: str, labels: list[str]) -> None:
    shown = "; ".join(labels[:5]) + (f"; and {len(labels) - 5} more" if len(labels) > 5 else "")
    warnings.warn(f"{what}: {shown}", kind, stacklevel=4)


def check_slips(ctx: Context) -> None:
    """Warn about likely slips and contradictions; raise where a position is impossible."""
    f, p, w = ctx.frame, ctx.placement, ctx.weapons
    labels = f.labels
    early = [labels[i] for i, d in enumerate(f.dates) if d < NATO_FOUNDED]
    if early:
        _say(LikelyInputSlipWarning, "dated before NATO's founding (4 Apr 1949), so no clause "
             "of the drafts can have a NATO Party; check the year", early)
    last = _memberships_known_until()
    late = [labels[i] for i, d in enumerate(f.dates) if d > last and ctx.on is None]
    if ctx.on is not None and ctx.on > last:
        late = [f"on={ctx.on.isoformat()}"]
    if late:
        _say(LikelyInputSlipWarning, "dated after the day up to which the NATO membership "
             f"data is complete ({last.isoformat()}); memberships are taken as on that day", late)
    caveat = [f"{labels[i]}: {p.host_source[i]}" for i in range(len(f))
              if "Natural Earth" in p.host_source[i] and "inside" in p.host_source[i]
              and not f.host_given[i] and f.deployments[i].base is None]
    if caveat:
        _say(ModellingAssumptionWarning, "the borders are known to be off near this position, "
             "so its host may be wrong (give host= or a named base)", caveat)
    systems = [d.system for d in f.deployments]
    ships_on_land = [i for i, s in enumerate(systems)
                     if s is not None and s.system_class in _SEA_PLATFORMS and p.on_land[i]
                     and not p.on_water[i]]
    _ships(ctx, ships_on_land)
    # a land-based point at sea (where it cannot stand) whose swapped (lon, lat) lies in the
    # deployer's own territory. Only at sea: on foreign land the swap test cannot tell a slip
    # from a real deployment (Iskanders in Kazakhstan swap into Russia)
    named = np.array([d.base is not None for d in f.deployments], dtype=bool)
    land_based = np.array([(d.system.basing == "land") if d.system is not None
                           else d.category in (None, "ground") for d in f.deployments],
                          dtype=bool)
    outside = ((f.geom_kind == GEOM_POINT) & ~p.inside_own_sea & (f.host_given == "") & ~named
               & land_based & ~p.on_land)
    suspects = np.flatnonzero(outside & (np.abs(f.lon) <= 90) & (f.lon != f.lat))
    if suspects.size:
        world = World.load(PLACEMENT_RESOLUTION, ctx.world.worldview_object)
        swapped = world.state_at(f.lat[suspects], f.lon[suspects], sea=True)
        hits = [f"{labels[i]} (at {f.lon[i]:g}, {f.lat[i]:g} in {p.host[i] or 'no state'}; "
                f"swapped, {f.lat[i]:g}, {f.lon[i]:g} is in {s})"
                for i, s in zip(suspects, swapped, strict=True) if s and s == f.by[i]]
        if hits:
            _say(LikelyInputSlipWarning, "a land-based deployment at sea whose swapped "
                 "(lon, lat) lies on its own state's territory: are longitude and latitude "
                 "swapped? (deployguard takes (lon, lat))", hits)
    if ctx.readings.launch_mode != "location":
        return
    sea_missiles = [labels[i] for i, s in enumerate(systems) if s is not None and s.is_missile
                    and s.basing == "sea" and w.launch[i] == "land"]
    if sea_missiles:
        _say(ModellingAssumptionWarning, "a sea-launched type on land is judged as a "
             "ground-launched missile (Readings(launch_mode='location'), the INF Treaty's test; "
             "the Aegis Ashore / Mk 41 question); Readings(launch_mode='catalogue') keeps the "
             "catalogue's sea basing", sea_missiles)
    land_at_sea = [labels[i] for i, s in enumerate(systems)
                   if s is not None and s.basing == "land" and w.launch[i] == "sea"]
    if land_at_sea:
        _say(ModellingAssumptionWarning, "a land-based system at sea is judged as launched from "
             "a ship or a submarine, not ground-launched (Readings(launch_mode='location')); "
             "Readings(launch_mode='catalogue') keeps the catalogue's land basing", land_at_sea)


def _ships(ctx: Context, idx: list[int]) -> None:
    """Raise for warships and submarines on land, away from the sea and from a named base."""
    f, p = ctx.frame, ctx.placement
    asked = [i for i in idx if f.deployments[i].base is None and not f.host_given[i]
             and f.geom_kind[i] == GEOM_POINT]
    gap = _km_to_sea(np.asarray(p.unit, dtype=object)[asked] if asked else np.array([]),
                     f.lon[asked], f.lat[asked])
    bad = []
    for i, g in zip(asked, gap.tolist(), strict=True):
        if g > COAST_TOLERANCE_KM:
            system = f.deployments[i].system
            kind = "ship" if system is None else system.system_class.replace("_", " ")
            bad.append(f"{f.labels[i]}: a {kind} at ({f.lon[i]:g}, {f.lat[i]:g}) is on land in "
                       f"{p.host[i]}, " + (f"{g:,.0f} km from its territorial sea" if g < np.inf
                                           else "a state without a coast"))
    if bad:
        raise InvalidInputError(
            "at: a ship cannot stand on land. " + "; ".join(bad[:5])
            + ". Put it on the water, give a named base (a port), or pass host= for a ship "
            "on a river or in an inland port (the host then decides the clauses)"
        )


@functools.lru_cache(maxsize=512)
def _sea_belt(unit: str) -> BaseGeometry | None:
    """The territorial sea of a Natural Earth unit as one geometry (None without a coast).

    Kept, so that the same object reaches the one index cache each time and its index is
    found by identity, built once per unit however many ships are asked about.
    """
    belts = read_territorial_sea(PLACEMENT_RESOLUTION)
    mine = belts.geometry[belts["unit"] == unit]
    return shapely.union_all(np.asarray(mine)) if len(mine) else None


def _km_to_sea(units: NDArray[np.object_], lon: NDArray[np.float64], lat: NDArray[np.float64]
               ) -> NDArray[np.float64]:
    """Geodesic km from each point to its unit's territorial sea (inf without a coast):
    one index and one vectorised query per unit, not per ship.
    """
    out = np.full(len(units), np.inf)
    for unit in sorted({str(u) for u in units}):
        rows = np.flatnonzero(units == unit)
        belt = _sea_belt(unit)
        if belt is not None and not belt.is_empty:
            out[rows] = index_of(belt).distance_m(lon[rows], lat[rows]) / 1000.0
    return out
