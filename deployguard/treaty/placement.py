"""Where each deployment is: its host, whether it is on national territory, land or sea.

Placement never depends on the resolution chosen for distances. It is decided with the most
detailed borders bundled, Natural Earth 4.1.0 admin-0 at 1:10m with the 12-nmi territorial-sea
belts built from them (``geodata/territorial_sea_10m.parquet``), vectorised over every point
of the run (:func:`deployguard.geography.locate.units_at`). Evidence names the data that
decided (``host_data``); where the 1:50m borders disagree, or the borders are known to be off
(``geodata/border_caveats.csv``: the Narva river), the host note says so.

Land of no State (Antarctica: ``geodata/sovereignty.csv``, kind ``no_state``; the Antarctic
Treaty, Art. IV, freezes every claim) is land, so a missile there is ground-launched, but it has
no host: no clause treats it as "the territory of" another State.

Precedence: a ``host=`` given by the user holds for every clause (with a warning where the
borders disagree); a named base keeps the host its sourced table gives where the borders
disagree (between its de facto and de jure hosts the worldview chooses); otherwise the borders.

Examples
--------
>>> import deployguard as dg
>>> from deployguard.treaty.frame import DeploymentFrame
>>> f = DeploymentFrame.build([dg.Deployment(by="USA", at="Narva", date="2022-03-01",
...                                          personnel=500)])
>>> p = place(f, dg.World.load("10m"), dg.Readings())
>>> p.host[0], "bases table" in p.host_source[0]
('EST', True)
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from deployguard.data.files import read_csv, read_territorial_sea
from deployguard.errors import ModellingAssumptionWarning
from deployguard.geography.indexes import index_of
from deployguard.geography.locate import units_at
from deployguard.geography.world import World
from deployguard.treaty.frame import GEOM_AREA, GEOM_NONE, GEOM_POINT, DeploymentFrame
from deployguard.treaty.readings import Readings

__all__ = [
    "COAST_TOLERANCE_KM", "PLACEMENT_DATA", "PLACEMENT_RESOLUTION", "Placement", "km_to_sea",
    "near_coast", "place",
]

#: A point on the water this close to land counts as on the coast (a harbour, an estuary that
#: the 1:10m coastline does not draw), and a ship on land this close to the sea as in port.
COAST_TOLERANCE_KM = 5.0

PLACEMENT_RESOLUTION = "10m"
PLACEMENT_DATA = (
    "Natural Earth 4.1.0 admin-0 at 1:10m (world-atlas 2.0.2) and the 12-nmi territorial-sea "
    "belts built from it (geodata/territorial_sea_10m.parquet)"
)
_COMPARE_RESOLUTION = "50m"


@dataclass(frozen=True, eq=False)
class Placement:
    """Where the deployments of one run are, under one worldview and territorial-sea reading.

    Attributes
    ----------
    host : numpy object array of str
        Sovereign state holding the point (``""`` for none: high seas, no location).
    unit : numpy object array of str
        The Natural Earth unit (``"GRL"`` where the host is ``"DNK"``), for sources that list
        dependencies separately.
    hosts : tuple of tuple of str
        Every state an area or route touches (``""`` for a part on none); one host for points.
    inside_own, inside_own_sea : numpy bool arrays
        Wholly in the deploying state's national territory, under the reading / with the sea.
    on_land, on_water : numpy bool arrays
        Some part on land of any state / some part on no land.
    coastal : numpy bool array
        A missile or launcher on the water within :data:`COAST_TOLERANCE_KM` of land (its
        launch mode then follows the land).
    host_data : tuple of str
        The data (or the user, or the bases table) that decided the host.
    host_source : tuple of str
        Notes on the host: disagreements between data, known border errors ("" if none).
    """

    host: NDArray[np.object_]
    unit: NDArray[np.object_]
    hosts: tuple[tuple[str, ...], ...]
    inside_own: NDArray[np.bool_]
    inside_own_sea: NDArray[np.bool_]
    on_land: NDArray[np.bool_]
    on_water: NDArray[np.bool_]
    coastal: NDArray[np.bool_]
    host_data: tuple[str, ...]
    host_source: tuple[str, ...]


@functools.cache
def _caveats() -> tuple[tuple[tuple[float, float, float, float], str], ...]:
    table = read_csv("border_caveats.csv")
    return tuple(
        ((float(x0), float(y0), float(x1), float(y1)), str(note))
        for x0, y0, x1, y1, note in zip(table["min_lon"], table["min_lat"], table["max_lon"],
                                        table["max_lat"], table["note"], strict=True)
    )


def place(frame: DeploymentFrame, world: World, readings: Readings) -> Placement:
    """Hosts, national territory, land and sea for every deployment of ``frame``.

    ``world`` gives the borders and the worldview (1:10m in :func:`deployguard.check`).
    Warns (:class:`~deployguard.errors.ModellingAssumptionWarning`) once per deployment
    whose ``host=`` contradicts the borders at its point.
    """
    n = len(frame)
    sea = readings.territorial_sea
    sovereign = host_of_unit(world)
    pts = np.flatnonzero(frame.geom_kind != GEOM_NONE)
    land = np.full(n, "", dtype=object)
    belt = np.full(n, "", dtype=object)
    if pts.size:
        land[pts], belt[pts] = units_at(world, frame.lon[pts], frame.lat[pts])
    unit = np.where(land != "", land, belt) if sea else land.copy()
    host = np.array([sovereign[u] for u in unit], dtype=object)
    host_sea = np.array(
        [sovereign[a or b] for a, b in zip(land, belt, strict=True)], dtype=object
    )
    coarse = _coarse_hosts(frame, world, pts, sea)
    data = [PLACEMENT_DATA if k != GEOM_NONE else "" for k in frame.geom_kind]
    notes = [""] * n
    for i in pts:
        if coarse[i] != host[i] and frame.geom_kind[i] == GEOM_POINT:
            notes[i] = (f"the 1:50m borders put the point in {coarse[i] or 'no state'}, the "
                        f"1:10m borders (which decide) in {host[i] or 'no state'}")
    _named_bases(frame, world, host, host_sea, unit, data, notes)
    _caveat_notes(frame, pts, notes)
    _overrides(frame, host, host_sea, unit, data, notes)
    hosts = _hosts(frame, world, host, sea)
    inside, inside_sea, on_land, on_water = _national(frame, world, host, host_sea, land, sea)
    return Placement(
        host=host,
        unit=unit,
        hosts=hosts,
        inside_own=inside,
        inside_own_sea=inside_sea,
        on_land=on_land,
        on_water=on_water,
        coastal=_coastal(frame, world, belt, on_water),
        host_data=tuple(data),
        host_source=tuple(notes),
    )


#: ``kind`` of the units of no State in ``geodata/sovereignty.csv`` (Antarctica).
NO_STATE = "no_state"


def host_of_unit(world: World) -> dict[str, str]:
    """The host State of every Natural Earth unit of ``world`` (its sovereign), ``""`` for land
    of no State (kind :data:`NO_STATE`: Antarctica) and for ``""`` (no unit).

    Examples
    --------
    >>> import deployguard as dg
    >>> h = host_of_unit(dg.World.load("50m"))
    >>> h["GRL"], h["ATA"]
    ('DNK', '')
    """
    s = world.states
    nobody = _no_state_units()
    out = {u: ("" if u in nobody else v)
           for u, v in zip(s["iso_a3"], s["sovereign_a3"], strict=True)}
    out[""] = ""
    return out


@functools.cache
def _no_state_units() -> frozenset[str]:
    # read from the table itself: the bundled borders carry a copy of ``kind`` made when they
    # were built, which the table, with its source, outranks
    table = read_csv("sovereignty.csv")
    return frozenset(table.loc[table["kind"] == NO_STATE, "iso_a3"])


def _coastal(
    frame: DeploymentFrame, world: World, belt: NDArray[np.object_], on_water: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Missiles and launchers on the water, in a territorial sea, within the tolerance of land."""
    systems = [d.system for d in frame.deployments]
    launches = np.array([s is not None and (s.is_missile or s.system_class == "launcher")
                         for s in systems], dtype=bool)
    todo = on_water & (frame.geom_kind == GEOM_POINT) & launches
    out = np.zeros(len(frame), dtype=bool)
    out[todo] = near_coast(world, frame.lon[todo], frame.lat[todo], belt[todo])
    return out


def near_coast(
    world: World, lon: NDArray[np.float64], lat: NDArray[np.float64], belt: NDArray[np.object_]
) -> NDArray[np.bool_]:
    """Points on the water within :data:`COAST_TOLERANCE_KM` of the land of their sea belt.

    ``belt`` is the unit whose territorial sea holds each point (``""`` for none, from
    :func:`~deployguard.geography.locate.units_at`). Only points in a belt can be that close to
    land (a belt is 22 km wide); their distance to the land of the belt's unit is exact
    (GeographicLib), after rigorous bounds settle most of them. The checker and the sweep both
    use it, so a missile in a harbour is ground-launched in both.
    """
    out = np.zeros(lon.size, dtype=bool)
    tol = COAST_TOLERANCE_KM * 1000.0
    for unit in sorted({str(u) for u in belt if u}):
        idx = np.flatnonzero(belt == unit)
        land = world.territory(unit, with_dependencies=False)
        if land.is_empty:
            continue
        index = index_of(land)
        lower, upper = index.bounds_m(lon[idx], lat[idx])
        near = upper <= tol
        unsure = np.flatnonzero(~near & (lower <= tol))
        if unsure.size:
            near[unsure] = index.distance_m(lon[idx][unsure], lat[idx][unsure]) <= tol
        out[idx] = near
    return out


def km_to_sea(
    lon: ArrayLike, lat: ArrayLike, within_km: float = COAST_TOLERANCE_KM
) -> NDArray[np.float64]:
    """Geodesic km from each point to the nearest territorial sea of any State (0 on it); inf
    beyond ``within_km`` (only belts near the points are searched).

    Any State's belt counts: a harbour is on the sea whoever's sea it is (Sevastopol's belt is
    drawn as the disputed area's, not Russia's). Belts at :data:`PLACEMENT_RESOLUTION`; the
    distance to each nearby belt is exact (GeographicLib), one index per belt.

    Examples
    --------
    >>> km = km_to_sea([19.9167, 24.402], [54.65, 44.077])   # Baltiysk (a harbour), Deveselu
    >>> bool(km[0] < COAST_TOLERANCE_KM), bool(np.isinf(km[1]))
    (True, True)
    """
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    out = np.full(x.size, np.inf)
    if not x.size:
        return out
    belts = read_territorial_sea(PLACEMENT_RESOLUTION)
    # boxes that hold every point within ``within_km`` (1 deg of latitude >= 110.5 km)
    dlat = within_km / 110.0 + 0.01
    dlon = np.minimum(180.0, dlat / np.maximum(np.cos(np.radians(np.minimum(
        np.abs(y) + dlat, 89.9))), 1e-3))
    boxes = shapely.box(x - dlon, y - dlat, x + dlon, y + dlat)
    pts, hits = belts.sindex.query(boxes)
    for b in np.unique(hits):  # a loop over nearby belts, not points
        idx = pts[hits == b]
        d = index_of(belts.geometry.iloc[int(b)]).distance_m(x[idx], y[idx]) / 1000.0
        out[idx] = np.minimum(out[idx], d)
    out[out > within_km] = np.inf
    return out


def _coarse_hosts(
    frame: DeploymentFrame, world: World, pts: NDArray[np.intp], sea: bool
) -> NDArray[np.object_]:
    out = np.full(len(frame), "", dtype=object)
    if pts.size and world.resolution != _COMPARE_RESOLUTION:
        coarse = World.load(_COMPARE_RESOLUTION, world.worldview_object)
        out[pts] = coarse.state_at(frame.lon[pts], frame.lat[pts], sea=sea)
    elif pts.size:
        out[pts] = world.state_at(frame.lon[pts], frame.lat[pts], sea=sea)
    return out


def _named_bases(
    frame: DeploymentFrame, world: World, host: NDArray[np.object_],
    host_sea: NDArray[np.object_], unit: NDArray[np.object_], data: list[str], notes: list[str],
) -> None:
    """A named base keeps the host its sourced table gives when the borders disagree.

    Natural Earth's borders are generalised (the Narva river is drawn west of its course,
    putting Narva in Russia); a base's host is a sourced fact. Between the table's de facto
    and de jure hosts the worldview chooses.
    """
    for i, dep in enumerate(frame.deployments):
        base = dep.base
        if base is None or frame.host_given[i] or host[i] in (base.host, base.host_de_jure):
            continue
        chosen = base.host_de_jure if world.worldview == "un" else base.host
        notes[i] = (f"the 1:10m borders put {base.name} in {host[i] or 'no state'}; the bases "
                    f"table ({base.source}) gives {chosen}, which is used")
        host[i] = host_sea[i] = unit[i] = chosen
        data[i] = f"the bases table (geodata/bases.csv; {base.source})"


def _caveat_notes(frame: DeploymentFrame, pts: NDArray[np.intp], notes: list[str]) -> None:
    for (x0, y0, x1, y1), note in _caveats():
        lon, lat = frame.lon[pts], frame.lat[pts]
        for i in pts[(lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)]:
            notes[i] = f"{notes[i]}; {note}" if notes[i] else note


def _overrides(
    frame: DeploymentFrame, host: NDArray[np.object_], host_sea: NDArray[np.object_],
    unit: NDArray[np.object_], data: list[str], notes: list[str],
) -> None:
    """A ``host=`` override holds for every clause; say where the borders disagree."""
    for i in np.flatnonzero(frame.host_given != ""):
        given = str(frame.host_given[i])
        found = str(host[i])
        if frame.geom_kind[i] == GEOM_POINT and found != given:
            note = (f"host={given} was given; the 1:10m borders put the point in "
                    f"{found or 'no state'}; the given host is used for every clause")
            notes[i] = note
            warnings.warn(f"{frame.labels[i]}: {note}", ModellingAssumptionWarning,
                          stacklevel=5)
        host[i] = host_sea[i] = unit[i] = given
        data[i] = "host= given by the user"


def _hosts(
    frame: DeploymentFrame, world: World, host: NDArray[np.object_], sea: bool
) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for i, kind in enumerate(frame.geom_kind):
        if kind != GEOM_AREA or frame.host_given[i]:
            out.append((str(host[i]),))
            continue
        geom = frame.geometries[i]
        assert geom is not None
        found, beyond = world.states_touching(geom, sea=sea)
        codes = tuple(c for c in found if host_of_unit(world)[c])  # land of no State: no host
        beyond = beyond or len(codes) < len(found)
        out.append((*codes, "") if beyond or not codes else codes)
    return tuple(out)


def _national(
    frame: DeploymentFrame, world: World, host: NDArray[np.object_],
    host_sea: NDArray[np.object_], land: NDArray[np.object_], sea: bool,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Inside the deployer's national territory (reading / with sea), on land, on water.

    A point (or a deployment with ``host=``) is inside when its host is the deployer; an area
    or a route when the deployer's territory covers all of it.
    """
    inside = host == frame.by
    inside_sea = host_sea == frame.by
    is_point = frame.geom_kind == GEOM_POINT
    on_land = is_point & (land != "")
    on_water = is_point & (land == "")
    states = set(world.states["iso_a3"])
    for i in np.flatnonzero(frame.geom_kind == GEOM_AREA):
        geom = frame.geometries[i]
        assert geom is not None
        codes, _ = world.states_touching(geom, sea=False)
        ground = shapely.union_all(
            [world.territory(c) for c in codes]
        ) if codes else None
        on_land[i] = bool(codes)
        on_water[i] = ground is None or not shapely.covers(ground, geom)
        by = str(frame.by[i])
        if frame.host_given[i] or by not in states:
            continue
        inside[i] = bool(shapely.covers(world.territory(by, sea=sea), geom))
        inside_sea[i] = bool(shapely.covers(world.territory(by, sea=True), geom))
    return inside, inside_sea, on_land, on_water
