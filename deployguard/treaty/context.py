"""What a clause check reads besides the deployments: one frozen context per evaluation.

A :class:`Context` fixes the worldview, the range estimate, the readings and the date of
evaluation, and carries what was worked out once for every deployment of the run: where each
one is (:class:`~deployguard.treaty.placement.Placement`), which weapon measures its reach
(:class:`~deployguard.treaty.weapons.Weapons`) and the shared table of distances
(:class:`~deployguard.treaty.distances.DistanceTable`). It is immutable; the same evaluation
can run in memory or in a partition of a cluster.

Memberships are pure functions of the date (cached by value).

Examples
--------
>>> import deployguard as dg
>>> from deployguard.treaty.context import Context
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> ctx = Context.build([d])
>>> ctx.placement.host[0], bool(ctx.placement.inside_own[0])
('RUS', True)
>>> sorted(ctx.nato_members(ctx.date(0)))[:3]
['ALB', 'BEL', 'BGR']
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from deployguard.data.baseline1997 import BASELINE_DATE
from deployguard.data.deployments import Deployment
from deployguard.data.systems import ESTIMATES
from deployguard.errors import InvalidInputError
from deployguard.geography.groups import csto, nato
from deployguard.geography.world import World
from deployguard.geography.worldviews import Worldview
from deployguard.treaty.distances import DistanceTable
from deployguard.treaty.frame import GEOM_POINT, DeploymentFrame
from deployguard.treaty.placement import PLACEMENT_RESOLUTION, Placement, km_to_sea, place
from deployguard.treaty.reach import ReachAnswer
from deployguard.treaty.readings import Readings
from deployguard.treaty.weapons import Weapons, choose_weapons

if TYPE_CHECKING:
    from deployguard.treaty.clauses.base import Rows

__all__ = ["BORDERS_DATA", "Context", "nato_members_on"]

BORDERS_DATA = "Natural Earth 4.1.0 admin-0 via world-atlas 2.0.2"


@functools.lru_cache(maxsize=4096)
def nato_members_on(day: _dt.date) -> frozenset[str]:
    """NATO members on ``day`` (cached by date)."""
    return nato.members(on=day)


@functools.lru_cache(maxsize=4096)
def csto_members_on(day: _dt.date) -> frozenset[str]:
    """CSTO members on ``day`` (cached by date)."""
    return csto.members(on=day)


@dataclass(frozen=True, eq=False)
class Context:
    """One evaluation: settings plus what was resolved for every deployment.

    Attributes
    ----------
    frame : DeploymentFrame
    world : World
        Territories for distances, at the run's resolution and worldview.
    range_estimate : {"low", "nominal", "high"}
    readings : Readings
    on : datetime.date or None
        Evaluate memberships on this date instead of each deployment's own date.
    placement : Placement
        Hosts, national territory and launch sites (decided at 1:10m).
    weapons : Weapons
        The weapon that measures each deployment's reach, at this estimate.
    table : DistanceTable
        Distances shared by every evaluation of the run.
    """

    frame: DeploymentFrame
    world: World
    range_estimate: str
    readings: Readings
    on: _dt.date | None
    placement: Placement
    weapons: Weapons
    table: DistanceTable

    @classmethod
    def build(
        cls,
        deployments: Sequence[Deployment] | DeploymentFrame,
        world: World | None = None,
        range_estimate: str = "nominal",
        readings: Readings | None = None,
        on: _dt.date | None = None,
        table: DistanceTable | None = None,
    ) -> Context:
        """Resolve placement and weapons for ``deployments`` and return the context."""
        if range_estimate not in ESTIMATES:
            raise InvalidInputError(
                f"range_estimate must be one of {list(ESTIMATES)}, got {range_estimate!r}"
            )
        readings = Readings() if readings is None else readings
        if not isinstance(readings, Readings):
            raise InvalidInputError(
                f"readings must be a deployguard.Readings, got {type(readings).__name__}"
            )
        frame = deployments if isinstance(deployments, DeploymentFrame) else (
            DeploymentFrame.build(list(deployments))
        )
        world = World.load() if world is None else world
        table = DistanceTable(frame) if table is None else table
        placement = table.memo(
            ("placement", world.worldview_object, readings.territorial_sea),
            lambda: place(frame, _placement_world(world.worldview_object), readings),
        )
        weapons = table.memo(
            ("weapons", world.worldview_object, readings.territorial_sea, range_estimate,
             readings.launch_mode),
            lambda: choose_weapons(frame, placement, range_estimate, readings),
        )
        return cls(frame, world, range_estimate, readings, on, placement, weapons, table)

    def replace(self, **changes: Any) -> Context:
        """A context for another estimate, worldview or readings, sharing the distances."""
        world = changes.get("world", self.world)
        return Context.build(
            self.frame,
            world,
            changes.get("range_estimate", self.range_estimate),
            changes.get("readings", self.readings),
            changes.get("on", self.on),
            self.table,
        )

    # ------------------------------------------------------------------ the reach oracle
    @property
    def keeps_evidence(self) -> bool:
        """check() reports evidence with every finding."""
        return True

    def km_to_sea(self, dep: NDArray[np.intp]) -> NDArray[np.float64]:
        """Km from point deployments ``dep`` to the nearest territorial sea (inf beyond the
        coast tolerance, or for an area or route).
        """
        out = np.full(dep.size, np.inf)
        pts = self.frame.geom_kind[dep] == GEOM_POINT
        if pts.any():
            out[pts] = km_to_sea(self.frame.lon[dep[pts]], self.frame.lat[dep[pts]])
        return out

    def reach(
        self, rows: Rows, sel: NDArray[np.intp], targets: Sequence[tuple[str, ...]],
        target_of: NDArray[np.intp], range_km: NDArray[np.float64],
        min_range_km: NDArray[np.float64], detail: bool,
    ) -> ReachAnswer:
        """Reach of rows ``sel`` to the states ``targets[target_of[r]]`` (the territories of
        the run's worldview, with the sea if the reading says so), from the distance table.

        ``range_km`` and ``min_range_km`` have one entry per row (NaN: no range / none).
        """
        tg = [targets[j] for j in target_of[sel].tolist()]
        r = self.table.reach(self.world, rows.dep[sel], tg, range_km[sel], min_range_km[sel],
                             sea=self.readings.territorial_sea)
        hit = np.fromiter((bool(x) for x in r.reached), dtype=bool, count=sel.size)
        return ReachAnswer(hit, r.distance_km, r.nearest, r)

    # ------------------------------------------------------------------ dates and parties
    def date(self, i: int) -> _dt.date:
        """The date memberships are taken on: ``on`` if given, else the deployment's date."""
        return self.on if self.on is not None else self.frame.dates[i]

    def nato_members(self, day: _dt.date) -> frozenset[str]:
        return nato_members_on(day)

    def russia_allies(self, day: _dt.date) -> frozenset[str]:
        """Russia's military allies under ``readings.russia_allies`` (Russia excluded)."""
        if self.readings.russia_allies == "belarus":
            return frozenset({"BLR"})
        return csto_members_on(day) - {"RUS"}

    # ------------------------------------------------------------------ assumptions
    def run_assumptions(self) -> dict[str, Any]:
        """The assumptions every finding of this evaluation shares."""
        return {
            "worldview": self.world.worldview,
            "resolution": self.world.resolution,
            "placement_resolution": PLACEMENT_RESOLUTION,
            "borders_data": BORDERS_DATA,
            "range_estimate": self.range_estimate,
            "baseline_date": BASELINE_DATE.isoformat(),
            "treaty_status": (
                "the drafts never entered into force; they are applied as if in force on the date"
            ),
            "readings": self.readings.as_dict(),
        }

    def assumptions(self, i: int) -> dict[str, Any]:
        """The assumptions behind every finding about deployment ``i``."""
        out = self.run_assumptions()
        out["date"] = self.date(i).isoformat()
        out["date_source"] = "on= argument" if self.on is not None else "deployment date"
        out.update(self.weapons.as_dict(i))
        note = self.placement.host_source[i]
        if note:
            out["host_source"] = note
        return out


def _placement_world(worldview: Worldview) -> World:
    return World.load(PLACEMENT_RESOLUTION, worldview)
