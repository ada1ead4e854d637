"""What a clause check needs besides the deployment: the world, the estimate, the readings.

One :class:`Context` serves every deployment of one :func:`deployguard.check` call under one
(worldview, range estimate) pair. It caches the territories and their distance indices, so the
World is loaded once and each state's index is built once.

Decisions use exact geodesic distances (:func:`deployguard.geography.ranges.distance_km`,
:func:`~deployguard.geography.ranges.within_range`); range rings are drawn only as evidence
for maps.

Examples
--------
>>> import deployguard as dg
>>> from deployguard.treaty.context import Context
>>> ctx = Context(dg.World.load("50m"), "nominal", dg.Readings())
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> ctx.host(d), ctx.inside_own(d)
('RUS', True)
>>> r = ctx.reach(d, ["POL", "USA"], 500.0, None)
>>> r["states_reached"]
['POL']
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
import warnings
from typing import Any

import numpy as np
import shapely

from deployguard.data.baseline1997 import BASELINE_DATE
from deployguard.data.deployments import Deployment
from deployguard.data.systems import ESTIMATES, WeaponSystem
from deployguard.errors import InvalidInputError, ModellingAssumptionWarning
from deployguard.geodesy.index import DistanceIndex
from deployguard.geography.groups import csto, nato
from deployguard.geography.ranges import distance_km, geometry_distance_km, range_ring, within_range
from deployguard.geography.world import World
from deployguard.treaty.readings import Readings

__all__ = ["Context", "WeaponChoice", "BORDERS_DATA"]

BORDERS_DATA = "Natural Earth 4.1.0 admin-0 via world-atlas 2.0.2"
# Evidence rings need not be survey-exact: 1 km keeps them cheap even at 5,000 km radius.
_RING_TOLERANCE_KM = 1.0


class WeaponChoice:
    """The weapon whose range measures a deployment's reach, with the km used and why.

    Attributes
    ----------
    weapon : WeaponSystem or None
    range_km : float or None
        At the context's estimate; None when the sources give no figure.
    min_range_km : float or None
    note : str
        How the weapon was chosen (a platform's loadout, the longest of several, ...).
    """

    def __init__(
        self, weapon: WeaponSystem | None, range_km: float | None, estimate: str, note: str
    ) -> None:
        self.weapon = weapon
        self.range_km = range_km
        self.min_range_km = None if weapon is None else weapon.min_range_km
        self.estimate = estimate
        self.note = note

    def as_dict(self) -> dict[str, Any]:
        w = self.weapon
        source = None if w is None else "; ".join(filter(None, (w.range_basis, *w.source)))
        return {
            "weapon": None if w is None else w.name,
            "range_estimate": self.estimate,
            "range_km": self.range_km,
            "range_spread_km": None if w is None else w.range_km,
            "min_range_km": self.min_range_km,
            "range_source": source,
            "range_confidence": None if w is None else w.confidence,
            "weapon_choice": self.note,
        }


class Context:
    """Shared state of one check run.

    Parameters
    ----------
    world : World
    range_estimate : {"low", "nominal", "high"}
    readings : Readings
    on : datetime.date, optional
        Evaluate memberships on this date instead of each deployment's own date.
    """

    def __init__(
        self,
        world: World,
        range_estimate: str,
        readings: Readings,
        on: _dt.date | None = None,
    ) -> None:
        if range_estimate not in ESTIMATES:
            raise InvalidInputError(
                f"range_estimate must be one of {list(ESTIMATES)}, got {range_estimate!r}"
            )
        if not isinstance(readings, Readings):
            raise InvalidInputError(
                f"readings must be a deployguard.Readings, got {type(readings).__name__}"
            )
        self.world = world
        self.range_estimate = range_estimate
        self.readings = readings
        self.on = on
        self._indices: dict[tuple[str, bool], DistanceIndex | None] = {}
        self._hosts: dict[int, str] = {}
        self._host_notes: dict[int, str] = {}
        self._forced_host: dict[int, str] = {}
        #: Draw evidence geometry (range ring x territory); sensitivity re-runs switch it off.
        self.draw = True

    # ------------------------------------------------------------------ dates and parties
    def date(self, dep: Deployment) -> _dt.date:
        """The date memberships are taken on: ``on`` if given, else the deployment's date."""
        return self.on if self.on is not None else dep.date

    def nato_members(self, dep: Deployment) -> frozenset[str]:
        return nato.members(on=self.date(dep))

    def nato_parties_1997(self) -> frozenset[str]:
        return nato.members(on=BASELINE_DATE)

    def russia_allies(self, dep: Deployment) -> frozenset[str]:
        """Russia's military allies under ``readings.russia_allies`` (Russia excluded)."""
        if self.readings.russia_allies == "belarus":
            return frozenset({"BLR"})
        return csto.members(on=self.date(dep)) - {"RUS"}

    # ------------------------------------------------------------------ territory
    def territory(self, code: str, sea: bool | None = None):
        """Territory of ``code`` (with dependencies); ``sea`` defaults to the reading."""
        sea = self.readings.territorial_sea if sea is None else sea
        return self.world.territory(code, sea=sea)

    def index(self, code: str, sea: bool | None = None) -> DistanceIndex | None:
        """Cached distance index of a territory (None for an empty one)."""
        sea = self.readings.territorial_sea if sea is None else sea
        key = (code, sea)
        if key not in self._indices:
            geom = self.territory(code, sea)
            self._indices[key] = None if geom.is_empty else DistanceIndex(geom)
        return self._indices[key]

    def host(self, dep: Deployment) -> str:
        """The state whose territory the deployment is on ("" for none).

        ``dep.host`` wins; otherwise :meth:`World.state_at` at the deployment's point (land,
        plus the territorial sea under ``readings.territorial_sea``), sovereign level (Guam ->
        USA). An area or route is represented by ``dep.point``.
        """
        if dep.host is not None:
            self._check_override(dep)
            return dep.host
        key = id(dep)
        if key in self._forced_host:
            return self._forced_host[key]
        if key not in self._hosts:
            if dep.point is None:
                self._hosts[key] = ""
            else:
                lon, lat = dep.lonlat
                found = str(self.world.state_at(lon, lat, sea=self.readings.territorial_sea)[()])
                self._hosts[key] = self._named_base_host(dep, found)
        return self._hosts[key]

    def _check_override(self, dep: Deployment) -> None:
        """State, once, where a ``host=`` override contradicts the borders at the point."""
        key = id(dep)
        if key in self._host_notes or dep.point is None or dep.geometry.geom_type != "Point":
            return
        lon, lat = dep.lonlat
        found = str(self.world.state_at(lon, lat, sea=self.readings.territorial_sea)[()])
        if found == dep.host:
            self._host_notes[key] = ""
            return
        note = (f"host={dep.host} was given; the {self.world.resolution} borders put the point "
                f"in {found or 'no state'}; the given host is used for every clause")
        self._host_notes[key] = note
        warnings.warn(f"{dep.name}: {note}", ModellingAssumptionWarning, stacklevel=4)

    def hosts(self, dep: Deployment) -> tuple[str, ...]:
        """Every state an area or route deployment lies on ("" for the part on none).

        A point (or a deployment with ``host=``) has one host, :meth:`host`. An area or a
        route may cross several states and the high seas; the clauses that depend on the
        host are then applied once per host (see :meth:`Clause.check`).
        """
        geom = dep.geometry
        if dep.host is not None or geom is None or geom.geom_type == "Point":
            return (self.host(dep),)
        key = ("hosts", id(dep))
        if key not in self._hosts:
            codes, beyond = self.world.states_touching(geom, sea=self.readings.territorial_sea)
            self._hosts[key] = (*codes, "") if beyond or not codes else codes
        return self._hosts[key]

    @contextlib.contextmanager
    def forced_host(self, dep: Deployment, host: str):
        """Evaluate clauses as if ``dep`` were on ``host`` only (for areas and routes)."""
        self._forced_host[id(dep)] = host
        try:
            yield
        finally:
            del self._forced_host[id(dep)]

    def _named_base_host(self, dep: Deployment, found: str) -> str:
        """A named base keeps the host its sourced table gives when the border data disagree.

        Natural Earth's borders are generalised (the Narva river is drawn ~2 km west of
        its course at 1:10m, putting Narva in Russia); a base's host is a sourced fact.
        Between the table's de facto and de jure hosts the worldview chooses.
        """
        base = dep.base
        if base is None or found in (base.host, base.host_de_jure):
            return found
        chosen = base.host_de_jure if self.world.worldview == "un" else base.host
        self._host_notes[id(dep)] = (
            f"the {self.world.resolution} borders put {base.name} in {found or 'no state'}; "
            f"the bases table ({base.source}) gives {chosen}, which is used"
        )
        return chosen

    def inside_own(self, dep: Deployment, sea: bool | None = None) -> bool:
        """Whether the whole deployment lies in the deploying state's national territory."""
        geom = dep.geometry
        if geom is None:
            return dep.host == dep.by
        terr = self.territory(dep.by, sea) if len(dep.by) == 3 else None
        if terr is None or terr.is_empty:
            return False
        if geom.geom_type == "Point":
            if dep.host is not None:  # the user's override holds for every clause alike
                return dep.host == dep.by
            sea_ = self.readings.territorial_sea if sea is None else sea
            lon, lat = dep.lonlat
            return str(self.world.state_at(lon, lat, sea=sea_)[()]) == dep.by
        return bool(shapely.covers(terr, geom))

    # ------------------------------------------------------------------ weapons and reach
    def weapon(self, dep: Deployment, ground_launched_only: bool = False) -> WeaponChoice:
        """The weapon that measures reach and its range at the context's estimate.

        A missile is its own weapon; a platform uses ``weapon=`` or its only carried weapon;
        with several (a Typhon launcher) the longest-ranged at this estimate is taken, and the
        note says so.
        """
        est = self.range_estimate
        system = dep.system if isinstance(dep.system, WeaponSystem) else None
        if system is None:
            return WeaponChoice(None, None, est, "no weapon system given")
        chosen = dep.strike_weapon
        note = (
            "the missile itself" if system.is_missile
            else f"the loadout {chosen.name} of {system.name}" if chosen is not None else ""
        )
        if chosen is None:
            options = [w for w in system.weapons if w.is_missile]
            if ground_launched_only:
                options = [w for w in options if w.is_ground_launched]
            known = [w for w in options if w.range_for(est) is not None]
            if not options:
                return WeaponChoice(None, None, est, f"{system.name} names no carried missile")
            if not known:
                return WeaponChoice(
                    options[0], None, est, f"no {est} range for any weapon of {system.name}"
                )
            chosen = max(known, key=lambda w: w.range_for(est) or 0.0)
            note = (
                f"{system.name} carries {', '.join(w.name for w in options)}; "
                f"the longest-ranged at the {est} estimate ({chosen.name}) is used"
            )
        return WeaponChoice(chosen, chosen.range_for(est), est, note)

    def distances(self, dep: Deployment, codes: list[str], sea: bool | None = None):
        """Least geodesic distance (km) from the deployment to each state's territory."""
        out: dict[str, float] = {}
        geom = dep.geometry
        for code in codes:
            idx = self.index(code, sea)
            if idx is None:
                out[code] = math.inf
            elif geom.geom_type == "Point":
                out[code] = float(distance_km(geom.x, geom.y, idx))
            else:
                out[code] = geometry_distance_km(geom, idx)
        return out

    def reach(
        self,
        dep: Deployment,
        codes: list[str],
        range_km: float,
        min_range_km: float | None,
        sea: bool | None = None,
    ) -> dict[str, Any]:
        """Which of ``codes`` a weapon of ``range_km`` at the deployment reaches, with evidence.

        A point uses :func:`within_range` (exact, with the minimum range); an area or route
        reaches a state when their least distance is within range (any point of the area may
        launch), and a minimum range is then not applied.

        Returns
        -------
        dict
            ``distances_km`` (per state), ``states_reached``, ``nearest_state``,
            ``distance_km`` (to the nearest), ``margin_km`` (range - distance; > 0 reaches),
            ``geometry`` (reached part of their territory, or None).
        """
        codes = sorted(set(codes))
        dist = self.distances(dep, codes, sea)
        geom = dep.geometry
        reached: list[str] = []
        for code in codes:
            idx = self.index(code, sea)
            if idx is None:
                continue
            if geom.geom_type == "Point":
                hit = bool(within_range(geom.x, geom.y, idx, range_km, min_range_km or 0.0))
            else:
                hit = dist[code] <= range_km
            if hit:
                reached.append(code)
        nearest = min(dist, key=lambda c: dist[c]) if dist else None
        d_min = dist[nearest] if nearest is not None else math.inf
        return {
            "distances_km": {c: _km(v) for c, v in dist.items()},
            "states_reached": reached,
            "nearest_state": nearest,
            "distance_km": _km(d_min),
            "margin_km": _km(range_km - d_min),
            "geometry": self._reached_geometry(dep, reached, range_km, min_range_km, sea),
        }

    def _reached_geometry(self, dep, reached, range_km, min_range_km, sea):
        geom = dep.geometry
        if not self.draw or not reached or geom.geom_type != "Point":
            return None  # an area's reach zone costs seconds: leave it to reach_zone on demand
        ring = range_ring(
            geom.x, geom.y, range_km, min_range_km or 0.0, tolerance_km=_RING_TOLERANCE_KM
        )
        parts = [shapely.intersection(ring, self.territory(c, sea)) for c in reached]
        out = shapely.union_all(parts)
        return None if out.is_empty else out

    # ------------------------------------------------------------------ assumptions
    def assumptions(self, dep: Deployment) -> dict[str, Any]:
        """The assumptions behind every finding about ``dep`` (reported with it)."""
        out: dict[str, Any] = {
            "worldview": self.world.worldview,
            "resolution": self.world.resolution,
            "borders_data": BORDERS_DATA,
            "range_estimate": self.range_estimate,
            "date": self.date(dep).isoformat(),
            "date_source": "on= argument" if self.on is not None else "deployment date",
            "baseline_date": BASELINE_DATE.isoformat(),
            "treaty_status": (
                "the drafts never entered into force; they are applied as if in force on the date"
            ),
            "readings": self.readings.as_dict(),
        }
        if isinstance(dep.system, WeaponSystem):
            out.update(self.weapon(dep).as_dict())
        self.host(dep)
        if self._host_notes.get(id(dep)):
            out["host_source"] = self._host_notes[id(dep)]
        return out


def _km(value: float) -> float | None:
    """Distances reported to the metre; infinity (no territory) as None."""
    return None if not np.isfinite(value) else round(float(value), 3)
