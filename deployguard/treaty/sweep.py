"""``deployguard.sweep``: the missile clauses over many candidate sites at once.

A sweep answers "is this allowed here?" for every site x system x range estimate x worldview,
with the same verdicts as :func:`deployguard.check` (tested) at a fraction of the cost:

1. Where each site is (its host, on land or at sea) is found once, vectorised
   (:meth:`World.state_at`).
2. The states each clause protects from each site's deployer are grouped into a few sets (the
   NATO members on the date, Russia, the USA), each prepared once
   (:class:`~deployguard.geography.state_sets.StateSetIndex`).
3. Distances are computed once per site and set: exactly for the set a row reports
   (``distance_km``, ``margin_km``, ``nearest_state``); for the other sets, rigorous cheap
   bounds decide every range in play and only sites whose bounds straddle one are measured.
4. Each system and estimate is then only a threshold on those numbers (numpy, no loop per
   site).

Steps 2-3 run per partition of the sites, in memory or on a Dask cluster (``client=``), with
the sets sent to each worker once (:mod:`deployguard._partitions`); the table is the same.

Examples
--------
>>> import deployguard as dg
>>> t = dg.sweep(([20.51, 37.62], [54.71, 55.75]), ["Iskander-M", "9M729"], by="RUS",
...              on="2021-12-17", progress=False)
>>> print(t[["system", "lon", "nearest_state", "US-6", "NATO-5"]].to_string(index=False))
    system   lon nearest_state      US-6    NATO-5
Iskander-M 20.51           POL compliant violation
Iskander-M 37.62           LVA compliant compliant
     9M729 20.51           POL compliant violation
     9M729 37.62           LVA compliant violation
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from deployguard._partitions import run_partitions, split_rows
from deployguard._validate import as_choice, as_date, as_lonlat_arrays
from deployguard.data.systems import ESTIMATES, WeaponSystem
from deployguard.errors import InvalidInputError, UnknownStateError
from deployguard.geography.locate import units_at
from deployguard.geography.state_sets import StateSetIndex
from deployguard.geography.world import World
from deployguard.geography.worldviews import Worldview
from deployguard.treaty.clauses._common import protected
from deployguard.treaty.placement import PLACEMENT_RESOLUTION, host_of_unit, near_coast
from deployguard.treaty.protection import as_clauses, as_systems
from deployguard.treaty.readings import Readings
from deployguard.treaty.sweep_frame import STATUS_VALUES, decide, ranges_in_play
from deployguard.treaty.sweep_table import SweepTable

__all__ = ["sweep"]

Key = tuple[str, ...]
_SETS: OrderedDict[tuple[Key, World, bool], StateSetIndex] = OrderedDict()
_SETS_SIZE = 12


def state_set(world: World, codes: Key, sea: bool) -> StateSetIndex:
    """The cached :class:`StateSetIndex` of ``codes`` (kept for the 12 most recent sets)."""
    key = (codes, world, sea)
    hit = _SETS.get(key)
    if hit is None:
        hit = _SETS[key] = StateSetIndex(world, codes, sea)
        if len(_SETS) > _SETS_SIZE:
            _SETS.popitem(last=False)
    _SETS.move_to_end(key)
    return hit


# ---------------------------------------------------------------------------- inputs
def _as_sites(sites: Any) -> tuple[NDArray[Any], NDArray[np.float64], NDArray[np.float64]]:
    """(site_id, lon, lat) from a (Geo)DataFrame, a mapping or a (lon, lat) pair."""
    if isinstance(sites, pd.DataFrame):
        if {"lon", "lat"} <= set(sites.columns):
            lon, lat = sites["lon"].to_numpy(), sites["lat"].to_numpy()
        elif hasattr(sites, "geometry"):
            geom = np.asarray(sites.geometry)
            kinds = set(shapely.get_type_id(geom).tolist())
            if kinds - {0}:
                raise InvalidInputError(
                    "sites must be points; for an area or a route use deployguard.check, "
                    "or deployguard.grid(area, spacing_km) to sample it"
                )
            lon, lat = shapely.get_x(geom), shapely.get_y(geom)
        else:
            raise InvalidInputError(
                f"sites has neither lon/lat columns nor point geometries: {list(sites.columns)}"
            )
        ids = sites["site_id"].to_numpy() if "site_id" in sites.columns else None
    elif isinstance(sites, dict):
        if not {"lon", "lat"} <= set(sites):
            raise InvalidInputError(f"sites must have 'lon' and 'lat' keys, got {sorted(sites)}")
        lon, lat, ids = sites["lon"], sites["lat"], sites.get("site_id")
    else:
        try:
            lon, lat = sites
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                "sites must be a (lon, lat) pair of arrays, a DataFrame with lon/lat columns, "
                f"a GeoDataFrame of points or deployguard.grid(...), got {type(sites).__name__}"
            ) from exc
        ids = None
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    lon_a, lat_a = lon_a.ravel(), lat_a.ravel()
    if lon_a.size == 0:
        raise InvalidInputError("sites is empty; expected at least one site")
    site_id = np.arange(lon_a.size, dtype=np.int64) if ids is None else np.asarray(ids).ravel()
    if site_id.size != lon_a.size:
        raise InvalidInputError(
            f"site_id has {site_id.size} values for {lon_a.size} sites; expected one per site"
        )
    return site_id, lon_a, lat_a


def _as_many(value: Any, name: str, choices: Iterable[Any] | None = None) -> list[Any]:
    items = [value] if isinstance(value, str | Worldview) else list(value)
    if not items:
        raise InvalidInputError(f"{name} is empty")
    if choices is not None:
        allowed = tuple(choices)
        items = [as_choice(v, name, allowed) for v in items]
    return list(dict.fromkeys(items))


def _deployers(by: Any, world: World, host: NDArray[np.object_]) -> NDArray[np.object_]:
    """The deploying state of each site: ``"host"`` (the state the site is on) or codes."""
    if isinstance(by, str) and by.strip().lower() == "host":
        return host
    if isinstance(by, str | int):
        values = np.full(host.size, by, dtype=object)
    else:
        values = np.asarray(list(by), dtype=object)
        if values.size != host.size:
            raise InvalidInputError(
                f"by has {values.size} values for {host.size} sites; expected one code per "
                "site, a single state or 'host'"
            )
    out = np.empty(values.size, dtype=object)
    for value in dict.fromkeys(values.tolist()):  # a loop over distinct states, not sites
        if value in ("NATO", "CSTO"):
            raise InvalidInputError(
                f"by is {value!r}, a group, not a state; expected the deploying state (the "
                "clauses bind states), or 'host' for the state each site is on"
            )
        try:
            code = world.lookup(value)
        except UnknownStateError as exc:
            raise UnknownStateError(f"by: {exc}") from exc
        out[values == value] = code
    return out


# ---------------------------------------------------------------------------- partitions
@dataclass(frozen=True)
class _Plan:
    """What every partition needs: the state sets, and which sites ask which set what."""

    sets: dict[int, StateSetIndex]
    exact: frozenset[int]  # sets whose distance every row reports
    thresholds: dict[int, NDArray[np.float64]]  # ranges the bounds must decide
    annuli: dict[int, tuple[tuple[float, float], ...]]  # (min, max) ranges with a minimum


def _evaluate_partition(part: dict[str, Any], plan: _Plan) -> dict[str, NDArray[Any]]:
    """Distances (or deciding bounds) from one partition's sites to the sets they need."""
    lon, lat = part["lon"], part["lat"]
    out: dict[str, NDArray[Any]] = {}
    for key, sset in plan.sets.items():
        need = part["need"][key]
        lo = np.full(lon.size, np.nan)
        hi = np.full(lon.size, np.nan)
        idx = np.flatnonzero(need)
        if idx.size:
            if key in plan.exact:
                d = sset.distance_km(lon[idx], lat[idx])
                lo[idx] = hi[idx] = d
                near = np.full(lon.size, None, dtype=object)
                near[idx] = sset.nearest_state(lon[idx], lat[idx], d)
                out[f"near|{key}"] = near
            else:
                low, up = sset.bounds_km(lon[idx], lat[idx])
                r = plan.thresholds[key]
                straddle = np.zeros(idx.size, dtype=bool)
                if r.size:  # some range lies in [low, up): the bounds cannot decide it
                    first = np.searchsorted(r, low, side="left")
                    straddle = (first < r.size) & (r[np.minimum(first, r.size - 1)] < up)
                sub = idx[straddle]
                if sub.size:
                    d = sset.distance_km(lon[sub], lat[sub])
                    low[straddle] = up[straddle] = d
                lo[idx], hi[idx] = low, up
        out[f"lo|{key}"] = lo
        out[f"hi|{key}"] = hi
        for rmin, rmax in plan.annuli.get(key, ()):
            ann = np.zeros(lon.size, dtype=bool)
            close = idx[lo[idx] < rmin]  # the nearest part may be inside the minimum range
            if close.size:
                ann[close] = sset.in_annulus(lon[close], lat[close], rmin, rmax)
            out[f"ann|{key}|{rmin}|{rmax}"] = ann
    return out


def _cat(codes: Any, categories: list[str]) -> pd.Categorical[str]:
    """A categorical from integer codes (-1 = missing)."""
    return pd.Categorical.from_codes(np.asarray(codes, np.int64), categories=pd.Index(categories))


def _categorical(values: NDArray[np.object_], codes: list[str]) -> pd.Categorical[str]:
    """State codes as a categorical over ``codes`` ("" and None become missing)."""
    lookup = {c: i for i, c in enumerate(codes)}
    distinct = list(dict.fromkeys(values.tolist()))  # a few dozen states, not one per site
    idx = np.full(values.size, -1, dtype=np.int16)
    for value in distinct:
        if value in lookup:
            idx[values == value] = lookup[value]
    return _cat(idx, codes)


# ---------------------------------------------------------------------------- the sweep
def sweep(
    sites: Any,
    systems: Any,
    *,
    by: Any = "host",
    on: Any,
    range_estimate: str | Iterable[str] = "nominal",
    worldview: str | Worldview | Iterable[str | Worldview] = "de_facto",
    clauses: Iterable[str] | str = ("US-6", "NATO-5"),
    readings: Readings | None = None,
    resolution: str = "50m",
    client: Any = None,
    partition_size: int = 50_000,
    progress: bool | None = None,
) -> SweepTable:
    """Decide the missile clauses for every site x system x range estimate x worldview.

    Parameters
    ----------
    sites : (lon, lat) arrays, DataFrame, GeoDataFrame of points, or :func:`deployguard.grid`
        A ``site_id`` column is kept; otherwise sites are numbered from 0.
    systems : str, WeaponSystem or a list of them
        Catalogue names or records. A launcher (Typhon) is measured by its longest-ranged
        missile, a bomber or warship by its longest carried missile.
    by : "host", state or array of states, default "host"
        The deploying state: the state each site is on (its land or, under the default
        readings, its territorial sea), one state for all sites, or one per site.
    on : date or ISO str
        The date whose NATO membership applies (required: the answer changes with it).
    range_estimate : {"low", "nominal", "high"} or a list of them, default "nominal"
    worldview : str, Worldview or a list of them, default "de_facto"
    clauses : default ("US-6", "NATO-5")
        Any of "US-6", "NATO-5" and "US-5.2" (heavy bombers and surface warships outside
        national airspace and waters).
    readings : Readings, optional
        As for :func:`deployguard.check` (NATO-5 "other Parties", missile classes, sea).
    resolution : {"50m", "10m"}, default "50m"
    client : distributed.Client, optional
        Run the distance work on this Dask cluster (``pip install 'deployguard[dask]'``).
    partition_size : int, default 50,000
        Sites per partition (a unit of work and of progress).
    progress : bool, optional
        Progress bar; default only on a terminal or in a notebook.

    Returns
    -------
    SweepTable
        A DataFrame, one row per site x system x estimate x worldview: ``site_id, lon, lat,
        by, host, system, weapon, range_estimate, range_km, worldview, reaches`` (the weapon
        reaches a state a chosen clause protects; NA when the range is unknown or no clause
        binds the deployer), ``distance_km`` and ``margin_km`` (range - distance; > 0 reaches)
        to the ``nearest_state`` of them, and one status column per clause
        (``violation``, ``compliant``, ``not_applicable``, ``depends``). ``.to_parquet(path)``
        writes GeoParquet; ``.attrs["assumptions"]`` records the settings.

    Notes
    -----
    The verdicts are made by :func:`deployguard.check`'s own clause functions, run on the rows
    sites x systems (:mod:`deployguard.treaty.sweep_frame`), so every reading applies as there.
    Under the default ``launch_mode="location"`` a missile on land is ground-launched
    (whatever the catalogue's basing), at sea it is not, so US-6 and NATO-5 do not concern it
    there. Distances are geodesics on WGS84 to the borders at ``resolution``; edges are
    straight in lon/lat.
    """
    site_id, lon, lat = _as_sites(sites)
    chosen = as_systems(systems)
    estimates = _as_many(range_estimate, "range_estimate", ESTIMATES)
    worldviews = _as_many(worldview, "worldview")
    clause_ids = as_clauses(clauses)
    if on is None:
        raise InvalidInputError(
            "on is required: the date whose NATO membership applies, e.g. on='2021-12-17'"
        )
    day = as_date(on, "on")
    readings = Readings() if readings is None else readings
    if not isinstance(readings, Readings):
        raise InvalidInputError(f"readings must be a deployguard.Readings, got {readings!r}")
    frames = []
    for wv in worldviews:
        world = World.load(resolution, wv)
        frames.append(_sweep_world(site_id, lon, lat, chosen, estimates, world, by, day,
                                   clause_ids, readings, client, partition_size, progress))
    table = SweepTable(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])
    for col in ("worldview", "by", "host", "nearest_state") if len(frames) > 1 else ("worldview",):
        table[col] = table[col].astype("category")
    table.attrs["assumptions"] = {
        "on": day.isoformat(), "clauses": list(clause_ids), "resolution": resolution,
        "worldviews": [World.load(resolution, w).worldview for w in worldviews],
        "range_estimates": estimates, "readings": readings.as_dict(),
        "by": by if isinstance(by, str) else "per site",
        "launch_mode": ("follows location: ground-launched on land, not at sea"
                        if readings.launch_mode == "location" else "the catalogue's basing"),
        "distances": "geodesic on WGS84 (GeographicLib) to Natural Earth 4.1.0 borders, "
                     "straight lon/lat edges",
    }
    return table


def _sweep_world(
    site_id: NDArray[Any], lon: NDArray[np.float64], lat: NDArray[np.float64],
    systems: list[WeaponSystem], estimates: list[str], world: World, by: Any,
    day: _dt.date, clauses: tuple[str, ...], readings: Readings, client: Any,
    partition_size: int, progress: bool | None,
) -> pd.DataFrame:
    sea = readings.territorial_sea
    # where a site is follows check(): the 1:10m borders whatever the distance resolution, and
    # a missile on the water within 5 km of land (a harbour) is on the coast, so ground-launched
    placing = World.load(PLACEMENT_RESOLUTION, world.worldview_object)
    land_unit, belt_unit = units_at(placing, lon, lat)  # one lookup, as check()'s placement
    sovereign = host_of_unit(placing)  # as check()'s placement: land of no State, no host
    host_sea = np.array([sovereign[a or b] for a, b in zip(land_unit, belt_unit, strict=True)],
                        dtype=object)
    host = host_sea if sea else np.array([sovereign[u] for u in land_unit], dtype=object)
    on_land = land_unit != ""
    on_land = on_land | near_coast(placing, lon, lat, np.where(on_land, "", belt_unit))
    deployer = _deployers(by, world, host)
    # which set each clause protects from each site's deployer, and their union for reporting
    groups = {b: {c: protected(c, b, day, readings) if b else None for c in clauses}
              for b in dict.fromkeys(deployer.tolist())}
    keys: list[Key] = []  # every protected set in play; sites refer to them by position

    def key_of(codes: frozenset[str]) -> int:
        key = tuple(sorted(codes))
        if key not in keys:
            keys.append(key)
        return keys.index(key)

    per_clause = {c: np.full(lon.size, -1, dtype=np.int64) for c in clauses}
    report = np.full(lon.size, -1, dtype=np.int64)
    exact: set[int] = set()
    for b, sets in groups.items():  # a loop over deploying states, not sites
        mask = deployer == b
        union = frozenset().union(*(s for s in sets.values() if s))
        if union:
            report[mask] = key_of(union)
            exact.add(key_of(union))
        for c, s in sets.items():
            if s:
                per_clause[c][mask] = key_of(s)
    need = {k: (report == k) | np.any([per_clause[c] == k for c in clauses], axis=0)
            for k in range(len(keys))}
    ranges = ranges_in_play(systems, estimates, readings.launch_mode)
    plan = _Plan(
        sets={k: state_set(world, keys[k], sea) for k in need},
        exact=frozenset(exact),
        thresholds={k: np.array(sorted({r for _, r in ranges} | {m for m, _ in ranges if m}))
                    for k in need},
        annuli={k: tuple((m, r) for m, r in ranges if m > 0) for k in need},
    )
    parts = [{"lon": lon[s], "lat": lat[s], "need": {k: v[s] for k, v in need.items()}}
             for s in split_rows(lon.size, partition_size)]
    results = run_partitions(_evaluate_partition, parts, plan, client=client,
                             progress=progress, desc=f"sweep {world.worldview}")
    numbers = {name: np.concatenate([r[name] for r in results]) for name in results[0]}
    nearest = np.full(lon.size, None, dtype=object)
    dist = np.full(lon.size, np.nan)
    for key in exact:
        rows = report == key
        nearest[rows] = numbers[f"near|{key}"][rows]
        dist[rows] = numbers[f"lo|{key}"][rows]
    sites = {"lon": lon, "lat": lat, "by": deployer, "host": host, "report": report,
             "on_land": on_land, "inside_own": host == deployer,
             "inside_own_sea": host_sea == deployer}
    n = lon.size
    sea_gap = np.full(n, np.nan)  # km to the sea, measured once for the sites that need it
    blocks_by_estimate = {e: decide(sites, systems, e, clauses, day, readings, keys, numbers,
                                    plan.sets, sea_gap) for e in estimates}
    combos = [(system, e) for system in systems for e in estimates]
    blocks = []
    for j, e in ((j, e) for j in range(len(systems)) for e in estimates):  # one block each
        got = blocks_by_estimate[e]
        part = slice(j * n, (j + 1) * n)
        blocks.append({"weapon": got["weapon"][j], "range_km": got["range_km"][j],
                       "reaches": got["reaches"][part], "reaches_known": got["reaches_known"][part],
                       **{c: got[c][part] for c in clauses}})
    return _assemble(site_id, lon, lat, deployer, host, nearest, dist, combos, blocks, clauses,
                     world.worldview)


def _assemble(
    site_id: NDArray[Any], lon: NDArray[np.float64], lat: NDArray[np.float64],
    deployer: NDArray[np.object_], host: NDArray[np.object_], nearest: NDArray[np.object_],
    dist: NDArray[np.float64], combos: list[tuple[WeaponSystem, str]],
    blocks: list[dict[str, Any]], clauses: tuple[str, ...], worldview: str,
) -> pd.DataFrame:
    """The tidy table: the site columns tiled, the block columns stacked (numpy, no concat)."""
    k = len(combos)
    codes = sorted({c for c in (*deployer.tolist(), *host.tolist(), *nearest.tolist()) if c})
    tile = functools.partial(np.tile, reps=k)
    systems = list(dict.fromkeys(s.name for s, _ in combos))
    estimates = list(dict.fromkeys(e for _, e in combos))
    weapons = sorted({b["weapon"] for b in blocks if b["weapon"] is not None})
    each = functools.partial(np.repeat, repeats=lon.size)
    range_km = each(np.array([b["range_km"] for b in blocks], float))
    reaches = pd.arrays.BooleanArray(np.concatenate([b["reaches"] for b in blocks]),
                                     ~np.concatenate([b["reaches_known"] for b in blocks]))
    frame = pd.DataFrame({
        "site_id": tile(site_id), "lon": tile(lon), "lat": tile(lat),
        "by": _categorical(deployer, codes).take(tile(np.arange(lon.size))),
        "host": _categorical(host, codes).take(tile(np.arange(lon.size))),
        "system": _cat(each(np.array([systems.index(s.name)
                                                           for s, _ in combos])), systems),
        "weapon": _cat(each(np.array(
            [-1 if b["weapon"] is None else weapons.index(b["weapon"]) for b in blocks])),
            weapons),
        "range_estimate": _cat(
            each(np.array([estimates.index(e) for _, e in combos])), estimates),
        "range_km": range_km,
        "worldview": _cat(np.zeros(lon.size * k, np.int8), [worldview]),
        "reaches": reaches,
        "distance_km": tile(dist),
        "margin_km": range_km - tile(dist),
        "nearest_state": _categorical(nearest, codes).take(tile(np.arange(lon.size))),
        **{c: _cat(np.concatenate([b[c] for b in blocks]),
                                        list(STATUS_VALUES)) for c in clauses},
    })
    return frame
