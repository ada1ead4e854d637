"""Where could it go? Permitted zones (US Art. 6, NATO Art. 5) and permitted waters (US Art. 5.2).

:func:`permitted_zone` is the part of a party's national territory (land and, under the default
readings, the 12-nmi territorial sea) from which a ground-launched missile cannot reach any
state the clauses protect on the date; :func:`permitted_waters` is where, outside its own
national airspace and territorial waters, a heavy bomber or surface warship may operate without
its weapon reaching the other Party.  Both take who is bound and whom each clause protects
from the clause records (``geodata/clauses.json``, as :func:`deployguard.check` does), and the
weapon, its range, minimum range and launch mode from :mod:`deployguard.treaty.weapons` (the one
reach fact), under the same readings; they return a frozen :class:`PermittedZone` that carries
the geometry with every assumption behind it.

The excluded part is :func:`deployguard.reach_zone` of the protected states: a level set of the
exact geodesic distance, exact at its vertices and within ``tolerance_km`` along its edges (the
tests check points against :func:`deployguard.within_range`, not against another buffer). With a
minimum range, a point is excluded only if some protected point lies in [min, max] from it.
Geometries are valid EPSG:4326, split at 180 deg and closed along a pole.

Which clauses apply by party (``clauses=None``): the USA and Russia are bound by US-6 and
NATO-5, another NATO member on the date by NATO-5 alone. So the USA's zone avoids Russia (US-6
and NATO-5 agree), Russia's avoids the USA (US-6) and every NATO member (NATO-5), Germany's
avoids Russia.

Examples
--------
>>> import deployguard as dg
>>> z = dg.permitted_zone("USA", "Dark Eagle", on="2021-12-17", progress=False)
>>> z.protected_states, z.missile_class, z.geometry.is_valid
(('RUS',), 'intermediate', True)
>>> bool(z.contains(-77.04, 38.90)), bool(z.contains(-149.90, 61.22))  # Washington, Anchorage
(True, False)
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._progress import progress_bar
from deployguard._validate import as_choice, as_date, as_lonlat_arrays, as_nonnegative_km
from deployguard.data.systems import ESTIMATES, WeaponSystem
from deployguard.errors import InvalidInputError
from deployguard.geodesy.ellipsoid import GEOD
from deployguard.geodesy.prepared import prepared
from deployguard.geography.ranges import MIN_TOLERANCE_KM, reach_zone
from deployguard.geography.world import World
from deployguard.geography.worldviews import Worldview
from deployguard.treaty.clauses import get_clause
from deployguard.treaty.clauses._common import missile_class, parties_on, protected
from deployguard.treaty.min_range import annulus_reach_zone
from deployguard.treaty.protection import as_clauses, as_systems, default_clauses
from deployguard.treaty.readings import Readings
from deployguard.treaty.weapons import ROLES, reach_facts

__all__ = ["PermittedZone", "permitted_waters", "permitted_zone"]

_GLOBE = shapely.box(-180.0, -90.0, 180.0, 90.0)
ROLE_INDEX = {role: k for k, role in enumerate(ROLES)}  # reach_facts returns them in order


@dataclass(frozen=True)
class PermittedZone:
    """A permitted zone or permitted waters, with every assumption it was made under.

    Attributes
    ----------
    geometry : shapely (Multi)Polygon
        Valid EPSG:4326, split at 180 deg, closed along a pole; may be empty.
    kind : {"zone", "waters"}
        A zone of national territory (US-6 / NATO-5) or waters/airspace (US-5.2).
    party, system, weapon : str
        Who deploys, the system asked for, the missile whose range was used.
    range_km, min_range_km : float, float or None
    range_estimate : str
    missile_class : str or None
        The INF class under the readings; None when the clauses do not concern the missile.
    clauses : tuple of str
    protected_states : tuple of str
        The states the clauses protect on ``date`` (the excluded area is their reach zone).
    date : datetime.date
    worldview, resolution : str
    readings : Readings
    tolerance_km : float
        The boundary's edges lie within this of the exact distance (vertices are exact).
    restricted : bool
        False when the clauses do not restrict the system at all (the whole area is permitted).
    note : str
        The reading of the result in words.
    """

    geometry: BaseGeometry
    kind: str
    party: str
    system: str
    weapon: str
    range_km: float
    min_range_km: float | None
    range_estimate: str
    missile_class: str | None
    clauses: tuple[str, ...]
    protected_states: tuple[str, ...]
    date: _dt.date
    worldview: str
    resolution: str
    readings: Readings
    tolerance_km: float
    restricted: bool
    note: str

    def contains(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """Whether each point lies in the zone (closed); decisions should use ``check()``."""
        lon_a, lat_a = as_lonlat_arrays(lon, lat)
        inside = shapely.intersects_xy(self.geometry, lon_a, lat_a)
        seam = np.abs(lon_a) == 180.0
        if np.any(seam):
            inside = inside | (seam & shapely.intersects_xy(self.geometry, -lon_a, lat_a))
        return np.asarray(inside, dtype=bool)

    @property
    def area_km2(self) -> float:
        """Geodesic area on WGS84 (km^2), right for parts larger than a hemisphere too."""
        return geodesic_area_km2(self.geometry)

    def assumptions(self) -> dict[str, Any]:
        """Everything but the geometry, as plain values (for tables and files)."""
        return {
            "kind": self.kind, "party": self.party, "system": self.system,
            "weapon": self.weapon, "range_km": self.range_km, "min_range_km": self.min_range_km,
            "range_estimate": self.range_estimate, "missile_class": self.missile_class,
            "clauses": list(self.clauses), "protected_states": list(self.protected_states),
            "date": self.date.isoformat(), "worldview": self.worldview,
            "resolution": self.resolution, "readings": self.readings.as_dict(),
            "tolerance_km": self.tolerance_km, "restricted": self.restricted, "note": self.note,
        }


def _ellipsoid_area_m2() -> float:
    e = math.sqrt(GEOD.es)
    return 2.0 * math.pi * GEOD.a ** 2 * (1.0 + (1.0 - e * e) / e * math.atanh(e))


def _ring_area_m2(ring: Any) -> float:
    """Area left of a counter-clockwise ring.

    GeographicLib's signed area lies in (-A/2, A/2]: a ring around more than half the
    ellipsoid (the ocean of permitted waters) comes back as area - A, and ``abs()`` of it is the
    complement. The true area is the signed one or that plus A; an equal-area (cylindrical,
    authalic sphere) estimate of the ring decides which, so slivers of ~0 m^2 stay ~0.
    """
    xy = np.asarray(ring.coords)
    signed = float(GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])[0])
    full = _ellipsoid_area_m2()
    x, y = np.radians(xy[:, 0]), np.sin(np.radians(xy[:, 1]))
    rough = 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) * full / (4 * math.pi)
    return min((signed, signed + full), key=lambda a: abs(a - rough))


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Geodesic area on WGS84 (km^2) of (multi)polygons, exact for any size.

    Examples
    --------
    >>> round(geodesic_area_km2(shapely.box(-179, -60, 179, 60).segmentize(0.5)) / 1e6)
    439
    """
    total = 0.0
    oriented = shapely.orient_polygons(geom)  # shells counter-clockwise, holes clockwise
    for part in shapely.get_parts(oriented):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        total += _ring_area_m2(part.exterior)
        total -= sum(_ring_area_m2(shapely.reverse(h)) for h in part.interiors)
    return total / 1e6


def _setup(
    party: Any, system: Any, on: Any, range_estimate: str, worldview: str | Worldview,
    readings: Readings | None, resolution: str, tolerance_km: float | None,
) -> tuple[World, str, WeaponSystem, _dt.date, Readings, float | None]:
    if on is None:
        raise InvalidInputError(
            "on is required: the date whose NATO membership applies, e.g. on='2021-12-17'"
        )
    day = as_date(on, "on")
    as_choice(range_estimate, "range_estimate", ESTIMATES)
    readings = Readings() if readings is None else readings
    if not isinstance(readings, Readings):
        raise InvalidInputError(f"readings must be a deployguard.Readings, got {readings!r}")
    world = World.load(resolution, worldview)
    code = world.lookup(party)
    systems = as_systems(system)
    if len(systems) != 1:
        raise InvalidInputError(f"system must be one weapon system, got {len(systems)}")
    tol = None if tolerance_km is None else as_nonnegative_km(tolerance_km, "tolerance_km")
    if tol is not None and tol < MIN_TOLERANCE_KM:  # refused before any zone is traced
        raise InvalidInputError(
            f"tolerance_km must be at least {MIN_TOLERANCE_KM} km (1 m), got {tolerance_km!r}")
    return world, code, systems[0], day, readings, tol


@functools.lru_cache(maxsize=16)
def _excluded(target: BaseGeometry, r: float, rmin: float, tol: float) -> BaseGeometry:
    """Points from which some point of ``target`` lies at a distance in [rmin, r].

    Traced once per process for the 16 most recent questions (geometries compare by their
    coordinates): a posture's remedies and an analysis ask the same zone many times, and a
    zone with a minimum range takes tens of seconds.
    """
    if rmin > 0:
        return annulus_reach_zone(target, r, rmin, tol)
    return reach_zone(target, r, tolerance_km=tol)


def permitted_zone(
    party: Any,
    system: Any,
    *,
    on: Any,
    range_estimate: str = "nominal",
    worldview: str | Worldview = "de_facto",
    readings: Readings | None = None,
    clauses: Any = None,
    resolution: str = "50m",
    tolerance_km: float | None = None,
    progress: bool | None = None,
) -> PermittedZone:
    """Where in its national territory ``party`` may deploy a ground-launched ``system``.

    Parameters
    ----------
    party : str
        The deploying state (a name or alpha-3 code).
    system : str or WeaponSystem
        A missile (deployed on land, so ground-launched whatever its catalogue basing: launch
        mode follows location) or a ground launcher (Typhon: its longest-ranged missile).
    on : date or ISO str
        Required: the date whose NATO membership applies.
    range_estimate : {"low", "nominal", "high"}, default "nominal"
    worldview : default "de_facto"
    readings : Readings, optional
        As for :func:`deployguard.check`; ``territorial_sea`` decides whether national
        territory (the zone's domain and the protected states alike) includes the 12-nmi sea.
    clauses : list of "US-6", "NATO-5", optional
        Default: those binding ``party`` (the module notes).
    resolution : {"50m", "10m"}, default "50m"
    tolerance_km : float, optional
        Edge tolerance of the traced boundary; default ``max(0.05, 5e-5 * range)`` km.
    progress : bool, optional

    Returns
    -------
    PermittedZone

    Raises
    ------
    InvalidInputError
        A party bound by neither clause, a system that is not a ground-launched missile (see
        :func:`permitted_waters` for bombers and warships), or an unknown range.

    Notes
    -----
    A site of the zone is one where :func:`deployguard.check` finds no violation for the
    system standing there on land (tested on random sites; the same clause records, reach fact
    and readings decide). Two cases the geometry does not carve out, where ``check()`` finds no
    violation either: under ``launch_mode="location"`` a missile on the water beyond the 5-km
    coast band is not ground-launched (not applicable), and a bare sea-launched type within
    5 km of the sea is ``depends`` (it may be aboard a ship in port); the zone excludes such
    sites when they are within reach.

    Cost (a shared 2-core machine, 1:50m): the USA against Russia at 2,775 km takes about a
    second; Russia against the NATO members at 5,500 km a few seconds (docs/performance.md has the
    measured numbers). A minimum range costs one extra trace per protected part.
    """
    world, code, sys_, day, readings, tol = _setup(
        party, system, on, range_estimate, worldview, readings, resolution, tolerance_km)
    chosen = default_clauses(code, day) if clauses is None else as_clauses(clauses)
    for c in chosen:
        if get_clause(c).reach_role != "ground":  # the clauses on ground-launched missiles
            raise InvalidInputError(
                f"clauses: {c} is not a missile clause; permitted_zone takes US-6 and NATO-5 "
                "(permitted_waters answers US-5.2)")
        if code not in parties_on(c, day):
            raise InvalidInputError(f"clauses: {c} does not bind {code} on {day}")
    if not sys_.is_missile and sys_.system_class != "launcher":
        raise InvalidInputError(
            f"system {sys_.name!r} is a {sys_.system_class}, not a ground-launched missile or "
            "launcher; for heavy bombers and surface warships use permitted_waters")
    # the reach fact check() reads for a deployment standing on the party's land
    role = get_clause(chosen[0]).reach_role
    weapon = reach_facts(sys_, None, range_estimate, True, True, readings.launch_mode)[
        ROLE_INDEX[role]]
    if weapon.weapon is None:
        raise InvalidInputError(
            f"system {sys_.name!r} is a {sys_.system_class}, not a ground-launched missile or "
            f"launcher ({weapon.note}); for heavy bombers and surface warships use "
            "permitted_waters")
    if weapon.range_km is None:
        raise InvalidInputError(
            f"range_estimate={range_estimate!r}: the sources give no {range_estimate} range for "
            f"{weapon.weapon.name}; expected an estimate with a published figure "
            f"({weapon.weapon.range_km})")
    r, rmin = weapon.range_km, weapon.min_range_km or 0.0
    tol_km = tol if tol is not None else max(0.05, 5e-5 * r)
    sea = readings.territorial_sea
    protected_set = sorted(frozenset().union(*(protected(c, code, day, readings) or ()
                                               for c in chosen)))
    # an interceptor is no INF missile whatever its range (INF Treaty Art. VII para 3)
    cls = (missile_class(r, readings.missile_classes)
           if weapon.ground_launched and not weapon.weapon.is_interceptor else None)
    geom: BaseGeometry
    with progress_bar(3, f"permitted zone {code} {sys_.name}", progress, unit="step") as bar:
        territory = world.territory(code, sea=sea)
        bar.update(1)
        if not weapon.ground_launched:
            geom, restricted = territory, False
            note = (f"{weapon.weapon.name} is not a ground-launched missile on land under the "
                    f"{readings.launch_mode!r} launch-mode reading ({weapon.launch_basis}): "
                    f"{', '.join(chosen)} do not restrict it anywhere")
        elif cls is None:
            geom, restricted = territory, False
            why = ("an interceptor, not an intermediate- or shorter-range missile (INF "
                   "Treaty Art. VII para 3)" if weapon.weapon.is_interceptor else
                   "outside the intermediate/shorter-range classes under the "
                   f"{readings.missile_classes!r} reading")
            note = (f"{weapon.weapon.name} at {r:,.0f} km ({range_estimate}) is {why}: "
                    f"{', '.join(chosen)} do not restrict it anywhere")
        else:
            target = shapely.union_all([world.territory(c, sea=sea) for c in protected_set])
            bar.update(1)
            geom = shapely.difference(territory, _excluded(target, r, rmin, tol_km))
            restricted = True
            note = (f"the part of {code}'s national territory from which {weapon.weapon.name} "
                    f"({cls}, {r:,.0f} km) cannot reach {', '.join(protected_set)}")
        bar.update(1)
    return PermittedZone(
        geometry=_clean(geom), kind="zone", party=code, system=sys_.name,
        weapon=weapon.weapon.name, range_km=r, min_range_km=weapon.min_range_km,
        range_estimate=range_estimate, missile_class=cls, clauses=chosen,
        protected_states=tuple(protected_set), date=day, worldview=world.worldview,
        resolution=resolution, readings=readings, tolerance_km=tol_km,
        restricted=restricted, note=note,
    )


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a difference, valid (slivers of lines and points dropped)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(polys) if polys else shapely.MultiPolygon()


@functools.cache
def _land(world: World) -> BaseGeometry:
    land = shapely.union_all(np.asarray(world.states.geometry))
    prepared(land)
    return land


def permitted_waters(
    party: Any,
    system: Any,
    *,
    on: Any,
    range_estimate: str = "nominal",
    worldview: str | Worldview = "de_facto",
    readings: Readings | None = None,
    resolution: str = "50m",
    tolerance_km: float | None = None,
    progress: bool | None = None,
) -> PermittedZone:
    """Where outside its own airspace and waters a bomber or warship may operate (US Art. 5.2).

    "The Parties shall refrain from flying heavy bombers ... or deploying surface warships ...
    in the areas outside national airspace and national territorial waters respectively, from
    where they can attack targets in the territory of the other Party."  The result is the
    globe minus ``party``'s national airspace/waters (always with the 12-nmi sea, as the
    paragraph names them) minus the reach zone of the other Party's territory for the
    platform's longest-ranged missile; for a warship, land is removed too.

    Parameters
    ----------
    party : {"USA", "RUS"}
        The paragraph binds the USA and Russia only.
    system : str or WeaponSystem
        A heavy bomber (a medium one too under ``Readings(heavy_bombers="include_medium")``) or a
        surface warship.
    on, range_estimate, worldview, readings, resolution, tolerance_km, progress
        As for :func:`permitted_zone`.

    Examples
    --------
    >>> import deployguard as dg
    >>> w = dg.permitted_waters("USA", "Arleigh Burke DDG", on="2021-12-17", progress=False)
    >>> w.weapon, bool(w.contains(-40.0, 30.0)), bool(w.contains(20.0, 57.0))  # Atlantic, Baltic
    ('Tomahawk (ship)', True, False)
    """
    world, code, sys_, day, readings, tol = _setup(
        party, system, on, range_estimate, worldview, readings, resolution, tolerance_km)
    if code not in parties_on("US-5.2", day):
        raise InvalidInputError(
            f"party must be the USA or Russia (US-5.2 binds them), got {party!r}")
    bombers = {"heavy_bomber"} | (
        {"medium_bomber"} if readings.heavy_bombers == "include_medium" else set())
    if sys_.system_class not in bombers | {"surface_warship"}:
        raise InvalidInputError(
            f"system {sys_.name!r} is a {sys_.system_class}; permitted_waters takes "
            f"{' or '.join(sorted(bombers))} and surface warships (US-5.2); for missiles use "
            "permitted_zone")
    # the reach fact check() reads for the platform at sea (US-5.2's reach role)
    weapon = reach_facts(sys_, None, range_estimate, False, True, readings.launch_mode)[
        ROLE_INDEX[get_clause("US-5.2").reach_role]]
    if weapon.weapon is None or weapon.range_km is None:
        raise InvalidInputError(
            f"range_estimate={range_estimate!r}: no {range_estimate} range for any missile of "
            f"{sys_.name} ({weapon.note}); expected an estimate with a published figure")
    r, rmin = weapon.range_km, weapon.min_range_km or 0.0
    tol_km = tol if tol is not None else max(0.05, 5e-5 * r)
    other = protected("US-5.2", code, day, readings) or frozenset()
    warship = sys_.system_class == "surface_warship"
    with progress_bar(3, f"permitted waters {code} {sys_.name}", progress, unit="step") as bar:
        own = world.territory(code, sea=True)
        target = world.territory(next(iter(other)), sea=readings.territorial_sea)
        bar.update(1)
        geom = shapely.difference(_GLOBE, shapely.union(own, _excluded(target, r, rmin, tol_km)))
        bar.update(1)
        if warship:
            geom = shapely.difference(geom, _land(world))
        bar.update(1)
    space = "waters" if warship else "airspace"
    return PermittedZone(
        geometry=_clean(geom), kind="waters", party=code, system=sys_.name,
        weapon=weapon.weapon.name, range_km=r, min_range_km=weapon.min_range_km,
        range_estimate=range_estimate, missile_class=None, clauses=("US-5.2",),
        protected_states=tuple(sorted(other)), date=day, worldview=world.worldview,
        resolution=resolution, readings=readings, tolerance_km=tol_km, restricted=True,
        note=(f"the {space} outside {code}'s national airspace and territorial waters from "
              f"which {weapon.weapon.name} ({r:,.0f} km) cannot reach {', '.join(sorted(other))}"),
    )
