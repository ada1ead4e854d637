"""What a report map draws for each deployment: its marker, range ring and overlap.

Everything is computed here from public APIs and from the numbers the findings carry, so
a map does not depend on how the checker keeps its evidence:

- the range: ``evidence["range_km"]`` or ``assumptions["range_km"]`` (the km the verdicts
  used, under the run's range estimate), ``min_range_km`` likewise, and the low / nominal /
  high spread ``range_spread_km`` when a finding gives it;
- the ring: :func:`deployguard.geography.ranges.range_ring` around a point deployment (an
  annulus when there is a minimum range), :func:`~deployguard.geography.ranges.reach_zone`
  around an area or a route;
- the overlap: the union of the territories of ``evidence["states_reached"]`` (with their
  territorial sea when the run's readings count it as territory, the default), cut to the
  ring by :func:`~deployguard.geography.reached.reached_part` as the evidence geometry is:
  the other party's territory within range, one polygon per deployment.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
>>> layer = deployment_layers(dg.check(d), dg.World.load())[0]
>>> layer.number, layer.status.value, layer.range_km, layer.states_reached
(1, 'violation', 1600.0, ('RUS',))
>>> layer.overlap.within(layer.ring.buffer(0.02))  # cut to 1 km, as the evidence is
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError, UnknownStateError
from deployguard.treaty.findings import Finding, Status

if TYPE_CHECKING:
    from deployguard.data.deployments import Deployment
    from deployguard.geography.world import World
    from deployguard.treaty.report import Report

__all__ = [
    "DeploymentLayer", "deployment_layers", "layer_for", "ring_tolerance_km", "territorial_sea",
]


def ring_tolerance_km(range_km: float) -> float:
    """How far a drawn ring may stray from the exact circle: 0.02 % of it, at least 50 m.

    At 1,600 km that is 320 m, under a tenth of a pixel on a 1,000-pixel map of Europe.
    """
    return max(0.05, 2e-4 * float(range_km))


@dataclass(frozen=True)
class DeploymentLayer:
    """One deployment as a report map draws it.

    Attributes
    ----------
    number : int
        1-based position in ``report.deployments`` (the map's key).
    deployment : Deployment
    findings : tuple of Finding
    status : Status
        The worst status of its findings.
    anchor : (lon, lat) or None
        Where its marker goes (None: nowhere to put it).
    area : shapely geometry or None
        A geometry to draw besides the marker: the area or route of the deployment, or the
        territory of the state a state-wide deployment (an accession) is about.
    range_km, min_range_km : float or None
        The range the verdicts used, and the minimum range.
    spread_km : dict or None
        ``{"low": .., "nominal": .., "high": ..}`` when the findings carry it.
    weapon : str or None
    states_reached : tuple of str
        The other party's states within range (from the findings' evidence).
    ring : shapely geometry or None
        Points within range (EPSG:4326).
    overlap : shapely geometry or None
        The states reached, cut to the ring.
    nearest : (str, float) or None
        The other party's nearest state and its distance (km), when the evidence gives them.
    """

    number: int
    deployment: Deployment
    findings: tuple[Finding, ...]
    status: Status
    anchor: tuple[float, float] | None
    area: BaseGeometry | None
    range_km: float | None
    min_range_km: float | None
    spread_km: dict[str, float] | None
    weapon: str | None
    states_reached: tuple[str, ...]
    ring: BaseGeometry | None
    overlap: BaseGeometry | None
    nearest: tuple[str, float] | None

    @property
    def name(self) -> str:
        return self.deployment.name


def _first(findings: Iterable[Finding], key: str) -> Any:
    """The first non-None ``key`` in the evidence, then the assumptions, of ``findings``."""
    for f in findings:
        for source in (f.evidence, f.assumptions):
            value = source.get(key)
            if value is not None:
                return value
    return None


def _km(value: Any, what: str, deployment: str) -> float | None:
    if value is None:
        return None
    try:
        km = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{what} of {deployment!r} must be a number of km, got "
                                f"{value!r}") from exc
    return km if km > 0 else None


def territorial_sea(settings: Mapping[str, Any]) -> bool:
    """Whether the readings of a run count the 12-nmi sea as territory (default True)."""
    readings = settings.get("readings")
    value = (readings.get("territorial_sea") if isinstance(readings, dict)
             else getattr(readings, "territorial_sea", None))
    return True if value is None else bool(value)


def _state_area(world: World, code: str | None) -> BaseGeometry | None:
    if not code:
        return None
    try:
        geom = world.territory(code)
    except UnknownStateError:  # a code the map's world does not know has nothing to draw
        return None
    return None if geom.is_empty else geom


def _anchor_of(geom: BaseGeometry) -> tuple[float, float]:
    if isinstance(geom, shapely.Point):
        return (geom.x, geom.y)
    parts = shapely.get_parts(geom)
    biggest = parts[int(shapely.area(parts).argmax())] if len(parts) > 1 else geom
    p = shapely.point_on_surface(biggest)
    return (p.x, p.y)


def _reach(deployment: Deployment, range_km: float, min_range_km: float | None) -> BaseGeometry:
    from deployguard.geography.ranges import reach_zone
    from deployguard.viz.mapview import geodesic_ring

    geom = deployment.geometry
    tol = ring_tolerance_km(range_km)
    if isinstance(geom, shapely.Point):
        return geodesic_ring(geom.x, geom.y, range_km, min_range_km or 0.0, tolerance_km=tol)
    # an area or a route: every point from which some point of it is within range (the
    # minimum range is not subtracted here: the launcher may stand anywhere in the area)
    zone: BaseGeometry = reach_zone(geom, range_km, tolerance_km=tol)
    return zone


def _worst(findings: Sequence[Finding]) -> Status:
    return Status.worst(f.status for f in findings) if findings else Status.NOT_APPLICABLE


def layer_for(number: int, deployment: Deployment, findings: Sequence[Finding], world: World,
              *, sea: bool = True) -> DeploymentLayer:
    """The :class:`DeploymentLayer` of one deployment from the findings given about it.

    ``sea`` adds the territorial sea to the territories reached (as the readings'
    ``territorial_sea`` does for the checker).
    """
    d, found = deployment, tuple(findings)
    rng = _km(_first(found, "range_km"), "range_km", d.name)
    rmin = _km(_first(found, "min_range_km"), "min_range_km", d.name)
    if rmin is not None and rng is not None and rmin >= rng:
        rmin = None
    spread = _first(found, "range_spread_km")
    reached = sorted({s for f in found for s in (f.evidence.get("states_reached") or ())})
    area = None
    if d.geometry is None:
        area = _state_area(world, d.host or (d.by if len(d.by) == 3 else None))
        anchor = None if area is None else _anchor_of(area)
    else:
        anchor = d.lonlat
        area = None if isinstance(d.geometry, shapely.Point) else d.geometry
    ring = overlap = None
    if rng is not None and d.geometry is not None:
        ring = _reach(d, rng, rmin)
        if reached:  # cut as a finding's evidence geometry is (Report.evidence_geometry)
            from deployguard.geography.reached import drawn_territory, reached_part
            from deployguard.treaty.report import EVIDENCE_TOLERANCE_KM

            overlap = reached_part(ring, [drawn_territory(world.territory(c, sea=sea),
                                                          tolerance_km=EVIDENCE_TOLERANCE_KM)
                                          for c in reached], tolerance_km=EVIDENCE_TOLERANCE_KM)
    pairs = [(str(f.evidence["nearest_state"]), float(f.evidence["distance_km"]))
             for f in found if f.evidence.get("nearest_state")
             and isinstance(f.evidence.get("distance_km"), int | float)]
    weapon = _first(found, "weapon")
    return DeploymentLayer(
        number=number, deployment=d, findings=found, status=_worst(found), anchor=anchor,
        area=area, range_km=rng, min_range_km=rmin,
        spread_km=dict(spread) if isinstance(spread, dict) else None,
        weapon=None if weapon is None else str(weapon), states_reached=tuple(reached),
        ring=ring, overlap=overlap, nearest=min(pairs, key=lambda p: p[1]) if pairs else None,
    )


def deployment_layers(report: Report, world: World,
                      only: Sequence[int] | None = None) -> list[DeploymentLayer]:
    """One :class:`DeploymentLayer` per deployment of ``report`` (or per index in ``only``).

    Parameters
    ----------
    report : Report
    world : World
        The borders the run used (its worldview and resolution).
    only : sequence of int, optional
        0-based deployment indices to compute (the others are skipped).
    """
    sea = territorial_sea(report.settings)
    indices = range(len(report.deployments)) if only is None else only
    return [layer_for(i + 1, report.deployments[i], report.for_deployment(i), world, sea=sea)
            for i in indices]
