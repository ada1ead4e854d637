"""Remedies: what would bring each violating finding of a report into compliance, and its cost.

:func:`remedies` (also :meth:`deployguard.Report.remedies`) gives one row per finding that is a
``violation`` or ``depends`` (the latter under the assumption that makes it a violation, said in
the ``assumption`` column), with an ``action``:

``relocate``
    The missile (US Art. 6, NATO Art. 5) stands in its own party's territory but reaches the
    other side: move it to the nearest point of :func:`deployguard.permitted_zone` (the run's
    date, range estimate, worldview and readings; every missile clause of the run that binds
    the party, so the move mends one clause without breaking the other). A launcher stands on
    land, so the target is the nearest point of the zone's land part (the zone also holds the
    12-nmi sea, where a launcher would be a ship). A bomber or warship (US Art. 5 para 2) moves
    to the nearest point of :func:`deployguard.permitted_waters` or of its own national
    airspace/waters, whichever is nearer.
``withdraw``
    No position outside the party's territory complies (a missile abroad under US Art. 6,
    nuclear weapons and their infrastructure abroad under US Art. 7, forces abroad under US
    Art. 5 para 1): the system goes home, to the nearest point of the permitted zone at home
    (for Art. 5.1 and 7, of the national territory). An empty zone leaves no position at all:
    ``move_km`` is empty and the reason says so.
``reduce``
    NATO Art. 4: the personnel to withdraw to come down to the 27 May 1997 level the finding's
    evidence gives (:mod:`deployguard.treaty.clauses.nato4`): to the top of the estimate for a
    violation (one more soldier is a violation again), to its low end for a ``depends``.
``none``
    No geographic remedy: an accession, a base or activity in a state where any violates, an
    intent clause, training; the reason says what would end it.

Distances are exact geodesics on WGS84 (:func:`deployguard.geodesy.nearest.nearest_boundary_point`
finds the nearest point of the zone's polygon to about a millimetre). The polygon is a level
set traced within the zone's ``tolerance_km`` of the exact boundary, so the target is stepped
inward from the nearest boundary point (along the geodesic from the site) until
:func:`deployguard.check` of the moved deployment finds that clause compliant: ``move_km``
exceeds the distance to the exact permitted region by at most ``tolerance_km + step_km`` (both
columns), and ``verified`` records that check. Permitted zones are cached per party, system,
date, estimate, worldview, readings and clauses within one call.

Examples
--------
>>> import deployguard as dg
>>> r = dg.check(dg.Deployment(by="UKR", kind="accession", date="2022-06-01"), progress=False)
>>> t = r.remedies()
>>> sorted(t["clause"]), set(t["action"])
(['NATO-6', 'US-4.1'], {'none'})
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from shapely.affinity import translate
from shapely.geometry.base import BaseGeometry

from deployguard.data.deployments import Deployment
from deployguard.errors import InvalidInputError
from deployguard.geodesy.ellipsoid import GEOD
from deployguard.geodesy.nearest import boundary_vertices, nearest_boundary_point
from deployguard.geography.world import World
from deployguard.treaty.clauses import get_clause
from deployguard.treaty.findings import Finding, Status
from deployguard.treaty.readings import Readings
from deployguard.treaty.remedy_summary import ACTIONS, RemedySummary, summarise
from deployguard.treaty.where import PermittedZone, permitted_waters, permitted_zone

if TYPE_CHECKING:
    import geopandas as gpd

    from deployguard.treaty.report import Report

__all__ = [
    "ACTIONS", "COLUMNS", "PATH_SPACING_KM", "RemedySummary", "Remedies", "geodesic_path",
    "remedies",
]

#: the columns of :class:`Remedies`, in order
COLUMNS = (
    "deployment_id", "deployment", "by", "host", "kind", "system", "clause", "article",
    "status", "assumption", "action", "lon", "lat", "to_lon", "to_lat", "move_km",
    "personnel", "level_1997", "withdraw_personnel", "zone", "zone_area_km2", "tolerance_km",
    "step_km", "verified", "reason",
)
#: vertex spacing of the paths :meth:`Remedies.to_geodataframe` draws (km)
PATH_SPACING_KM = 20.0
_MISSILE = ("US-6", "NATO-5")
_HOME = ("US-5.1", "US-7.1", "US-7.2")  # the exception is the party's own national territory
_NONE = {
    "US-3": "an intent clause ('with a view to preparing or carrying out an armed attack'): "
            "compliance turns on the purpose of the use, not on a position",
    "US-4.1": "an accession: no position or number brings it into compliance",
    "NATO-6": "an accession: no position or number brings it into compliance",
    "US-4.2": "any base or military activity in {host} violates, wherever in {host}: the remedy "
              "is to end it, not to move it",
    "NATO-7.1": "any military activity on the territory of {host} violates, wherever in "
                "{host}: the remedy is to end it, not to move it",
    "US-7.3": "training, not a position: the remedy is to end the training",
    "NATO-7.2": "the zone's width and the exercise's scale are left to agreement: no position "
                "or size is defined that complies",
}


def geodesic_path(lon0: float, lat0: float, lon1: float, lat1: float,
                  spacing_km: float = PATH_SPACING_KM) -> BaseGeometry:
    """The geodesic from ``(lon0, lat0)`` to ``(lon1, lat1)`` as a line, split at 180 deg.

    Examples
    --------
    >>> path = geodesic_path(170.0, 60.0, -170.0, 60.0)
    >>> path.geom_type, [round(x, 1) for x in path.bounds]  # north of 60 deg in between
    ('MultiLineString', [-180.0, 60.0, 180.0, 60.4])
    """
    _, _, dist = GEOD.inv(lon0, lat0, lon1, lat1)
    n = max(int(dist / (spacing_km * 1000.0)), 0)
    mid = GEOD.npts(lon0, lat0, lon1, lat1, n) if n else []
    lon = np.array([lon0, *(p[0] for p in mid), lon1], dtype=float)
    lat = np.array([lat0, *(p[1] for p in mid), lat1], dtype=float)
    lon = np.degrees(np.unwrap(np.radians(lon)))  # continuous across 180 deg
    line = shapely.LineString(np.column_stack([lon, lat]))
    parts: list[BaseGeometry] = []
    for turn in (-360.0, 0.0, 360.0):  # the copies of the globe the line may run into
        piece = shapely.intersection(line, shapely.box(-180.0 - turn, -90.0, 180.0 - turn, 90.0))
        if not piece.is_empty:
            parts.extend(shapely.get_parts(translate(piece, xoff=turn)))
    lines = [p for p in parts if isinstance(p, shapely.LineString) and not p.is_empty]
    return lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)


class Remedies(pd.DataFrame):
    """One row per violating (or ``depends``) finding with its remedy; see :func:`remedies`.

    ``attrs["assumptions"]`` records the run's settings the remedies were made under.
    """

    @property
    def _constructor(self) -> type[Remedies]:
        return Remedies

    @property
    def assumptions(self) -> dict[str, Any]:
        """The settings of the run (drafts, date, estimate, worldview, readings)."""
        out: dict[str, Any] = self.attrs.get("assumptions", {})
        return out

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The remedies that move something, each with its path (EPSG:4326), for maps.

        The geometry is the geodesic from the deployment to its target, a vertex every
        :data:`PATH_SPACING_KM`, split at 180 deg (a MultiLineString where it crosses); drawn
        straight between vertices, it strays from the geodesic by well under a kilometre.
        """
        import geopandas as gpd

        moving = pd.DataFrame(self[self["move_km"].notna()]).reset_index(drop=True)
        paths = [geodesic_path(a, b, c, d) for a, b, c, d in zip(
            moving["lon"], moving["lat"], moving["to_lon"], moving["to_lat"], strict=True)]
        out = gpd.GeoDataFrame(moving, geometry=gpd.GeoSeries(paths, crs="EPSG:4326"))
        out.attrs.update(self.attrs)
        return out

    def to_text(self) -> str:
        """A terminal table: each remedy in one line, then the summary of the violations."""
        if self.empty:
            return "Remedies: no violation to remedy."
        short = pd.DataFrame({
            "deployment": self["deployment"].str.slice(0, 48), "clause": self["clause"],
            "status": self["status"], "action": self["action"],
            "to": [("" if pd.isna(x) else f"{x:.3f}, {y:.3f}")
                   for x, y in zip(self["to_lon"], self["to_lat"], strict=True)],
            "move_km": self["move_km"].round(1),
            "withdraw": ["" if pd.isna(n) else f"{int(n):,}" for n in self["withdraw_personnel"]],
        })
        return (f"Remedies ({len(self)} findings; 'depends' ones under the assumption that "
                f"makes them violations)\n{short.to_string(index=False, na_rep='')}\n\n"
                f"{self.summary()}")

    def summary(self, include_depends: bool = False) -> RemedySummary:
        """Per clause, per party and host, and per system: see :class:`RemedySummary`.

        ``include_depends=True`` counts the ``depends`` findings too, under the assumptions
        that make them violations (``by_clause`` always lists both).
        """
        return summarise(self, include_depends)


@dataclass
class _Run:
    """The run's settings and the caches of one :func:`remedies` call."""

    report: Report
    drafts: tuple[str, ...]
    worldview: str
    estimate: str
    on: str | None
    readings: Readings
    resolution: str
    zones: dict[Hashable, PermittedZone]
    shapes: dict[Hashable, BaseGeometry]
    vertices: dict[Hashable, Any]
    areas: dict[int, float]
    #: per deployment label: the missile clauses of the run that bind its party (not
    #: ``not_applicable``), so a move mends one clause without breaking the other
    missile_clauses: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, report: Report) -> _Run:
        s = report.settings
        return cls(report, tuple(s.get("drafts") or ("us", "nato")), s.get("worldview", "de_facto"),
                   s.get("range_estimate", "nominal"), s.get("on"),
                   Readings(**s.get("readings", {})), s.get("resolution", "50m"), {}, {}, {},
                   {}, {})

    def world(self) -> World:
        return World.load(self.resolution, self.worldview)

    def land(self, code: str) -> BaseGeometry:
        key = ("land", code)
        if key not in self.shapes:
            self.shapes[key] = self.world().territory(code, sea=False)
        return self.shapes[key]

    def national(self, code: str) -> BaseGeometry:
        key = ("national", code)
        if key not in self.shapes:
            self.shapes[key] = self.world().territory(code, sea=True)
        return self.shapes[key]

    def zone(self, d: Deployment, estimate: str, clauses: tuple[str, ...]) -> PermittedZone:
        day = self.on or d.date.isoformat()
        assert d.system is not None
        key = ("zone", d.by, d.system.name, day, estimate, self.worldview, self.readings,
               clauses, self.resolution)
        if key not in self.zones:
            self.zones[key] = permitted_zone(
                d.by, d.system, on=day, range_estimate=estimate, worldview=self.worldview,
                readings=self.readings, clauses=list(clauses), resolution=self.resolution,
                progress=False)
        return self.zones[key]

    def waters(self, d: Deployment, estimate: str) -> PermittedZone:
        day = self.on or d.date.isoformat()
        assert d.system is not None
        key = ("waters", d.by, d.system.name, day, estimate, self.worldview, self.readings,
               self.resolution)
        if key not in self.zones:
            self.zones[key] = permitted_waters(
                d.by, d.system, on=day, range_estimate=estimate, worldview=self.worldview,
                readings=self.readings, resolution=self.resolution, progress=False)
        return self.zones[key]

    def area(self, zone: PermittedZone) -> float:
        """The zone's geodesic area (km^2), computed once."""
        if id(zone) not in self.areas:
            self.areas[id(zone)] = zone.area_km2
        return self.areas[id(zone)]

    def nearest(self, key: Hashable, geom: BaseGeometry, lon: float, lat: float
                ) -> tuple[float, float, float]:
        if key not in self.vertices:
            self.vertices[key] = boundary_vertices(geom)
        return nearest_boundary_point(geom, lon, lat, vertices=self.vertices[key])


def remedies(report: Report, clauses: Iterable[str] | None = None) -> Remedies:
    """What would bring each violating finding of ``report`` into compliance (module notes).

    Parameters
    ----------
    report : Report
        A :func:`deployguard.check` result; its settings (date, estimate, worldview, readings,
        resolution) are the remedies' too.
    clauses : iterable of str, optional
        Only the findings of these clauses (e.g. ``["US-6", "NATO-5", "NATO-4"]``); default
        all. A missile's target still respects every missile clause that binds it.

    Raises
    ------
    UnknownClauseError
        For a clause id that names no clause (with the closest ones).

    Returns
    -------
    Remedies
        Columns :data:`COLUMNS`; ``action`` one of :data:`ACTIONS`.
    """
    from deployguard.treaty.remedy_geo import geographic_remedy, verify

    wanted = None if clauses is None else {get_clause(c).id for c in _as_list(clauses)}
    run = _Run.of(report)
    open_findings: list[Finding] = []
    for f in report.findings:
        if f.clause_id in _MISSILE and f.status is not Status.NOT_APPLICABLE:
            have = run.missile_clauses.get(f.label, ())
            run.missile_clauses[f.label] = (*have, f.clause_id)
        if f.status in (Status.VIOLATION, Status.DEPENDS) and (
                wanted is None or f.clause_id in wanted):
            open_findings.append(f)
    rows: list[dict[str, Any]] = []
    for f in open_findings:
        row = _base_row(f)
        if f.clause_id == "NATO-4":
            row.update(_reduce(f))
        elif f.clause_id in (*_MISSILE, "US-5.2", *_HOME):
            row.update(geographic_remedy(f, run))
        else:
            row.update(action="none", assumption=_assumed(f, "the finding is a violation"),
                       reason=_NONE.get(f.clause_id, "no geographic remedy").format(
                           host=f.evidence.get("host") or "the host") + f" ({f.reason})")
        rows.append(row)
    verify(rows, run)
    out = Remedies(pd.DataFrame(rows, columns=list(COLUMNS)))
    out.attrs["assumptions"] = dict(report.settings)
    return out


def _as_list(clauses: Iterable[str] | str) -> list[str]:
    if isinstance(clauses, str):
        return [clauses]
    if not isinstance(clauses, Iterable):
        raise InvalidInputError(f"clauses must be clause ids like 'NATO-5', got {clauses!r}")
    return [str(c) for c in clauses]


def _base_row(f: Finding) -> dict[str, Any]:
    d = f.deployment
    return {
        "deployment_id": f.deployment_id, "deployment": f.label, "by": d.by,
        "host": f.evidence.get("host") or d.host, "kind": d.kind,
        "system": None if d.system is None else d.system.name, "clause": f.clause_id,
        "article": f.article, "status": f.status.value, "lon": f.lon, "lat": f.lat,
        "personnel": d.personnel, "assumption": "", "_finding": f,
    }


def _assumed(f: Finding, what: str) -> str:
    return "" if f.status is Status.VIOLATION else f"assumed: {what} ({f.reason})"


def _reduce(f: Finding) -> dict[str, Any]:
    """NATO Art. 4: the number to withdraw, from the 1997 level in the finding's evidence."""
    base = f.evidence.get("baseline_1997") or {}
    p = f.deployment.personnel
    sender, unit = f.deployment.by, base.get("unit") or f.evidence.get("host")
    if base.get("category_compared") == "nuclear_weapons":
        return {"action": "reduce", "level_1997": 0 if base.get("sourced_zero") else None,
                "assumption": _assumed(f, "the weapons are 'in addition' to those of 1997"),
                "reason": (f"withdraw all of {sender}'s nuclear weapons from {unit}: "
                           + ("it had none there on 27 May 1997" if base.get("sourced_zero")
                              else "the 1997 numbers are unknown, so the excess cannot be "
                              "counted") + " (the posture does not count the weapons)")}
    high, low = base.get("high"), base.get("low")
    if p is None:
        return {"action": "reduce", "level_1997": high,
                "assumption": _assumed(f, "the deployment adds forces beyond the 1997 level"),
                "reason": ("the 1997 baseline counts personnel and the deployment gives none: "
                           "the number to withdraw cannot be computed")}
    level: int | None
    if f.status is Status.VIOLATION:
        level, how = high, "the top of the 1997 estimate"
    elif low is not None:
        level, how = low, "the low end of the 1997 estimate"
    elif high is not None:
        level, how = 0, "a 1997 level of zero (the sources only bound it from above)"
    else:
        level, how = None, ""
    if level is None:
        return {"action": "reduce", "level_1997": None,
                "assumption": _assumed(f, "the 1997 level lay below the deployment"),
                "reason": f"{sender}'s 1997 level in {unit} is unknown: the number to "
                          "withdraw cannot be computed"}
    n = max(0, int(p) - int(level))
    return {"action": "reduce", "level_1997": int(level), "withdraw_personnel": n,
            "assumption": _assumed(f, how),
            "reason": f"withdraw {n:,} of {int(p):,} personnel to come down to {sender}'s 27 May "
                      f"1997 level in {unit}, {int(level):,} ({how})"}
