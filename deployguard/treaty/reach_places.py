"""Who lives within reach, as evidence of the reach findings (made when a finding is read).

A reach finding (US Art. 3, 5 and 6, NATO Art. 5: a point deployment whose weapon reaches the
other side's territory) gets two more evidence keys when its :class:`Finding` is built:

- ``capitals_reached``: ``[name, country]`` of every capital within the weapon's range (and
  beyond its minimum range), nearest first, any country's (the capitals of third states
  within reach are part of what the deployment threatens);
- ``places_in_range``: :meth:`deployguard.geography.places.ReachSummary.as_dict` (counts of
  the listed places by size, the ten largest, and the sum of their GeoNames populations
  under the label that says it counts some people twice, with the GeoNames credit).

They are computed from the numbers the finding carries (the site, the km used, the worldview
of the run), not during :func:`deployguard.check`, so the batched check costs nothing more;
one summary costs about a millisecond to a few tens (5,500 km) and is shared by the
findings of one site and weapon.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> ev = dg.check(d).finding("NATO-5").evidence
>>> [name for name, _ in ev["capitals_reached"]]
['Warsaw', 'Vilnius', 'Riga', 'Minsk']
>>> ev["places_in_range"]["credit"]
'Places: GeoNames (CC BY 4.0)'
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from deployguard._encode import jsonable
from deployguard.geography.places import summarise_reach
from deployguard.geography.world import World
from deployguard.treaty.clauses.base import GEOM_REACH
from deployguard.treaty.frame import GEOM_POINT

if TYPE_CHECKING:
    from deployguard.treaty.records import RunFacts

__all__ = ["places_of", "reach_of"]

Reach = tuple[float, float, float, float]


def reach_of(run: RunFacts, i: int, reach_role: str, geometry_kind: int, states_reached: Any
             ) -> Reach | None:
    """``(lon, lat, range_km, min_range_km)`` of a reach finding on deployment ``i`` of a
    clause with ``reach_role`` (``Clause.reach_role``), or None if it is not one (not a reach
    finding, not a point, nothing of the other side reached, range unknown).
    """
    if (geometry_kind != GEOM_REACH or run.frame.geom_kind[i] != GEOM_POINT
            or not states_reached):
        return None
    choice = run.choice(i, reach_role)
    if choice.range_km is None:
        return None
    return (float(run.frame.lon[i]), float(run.frame.lat[i]), float(choice.range_km),
            float(choice.min_range_km or 0.0))


# a summary is a few kB (a bomber's lists every capital): 4,096 of them stay well under 100 MB
@functools.lru_cache(maxsize=4096)
def _places(world: World, lon: float, lat: float, range_km: float, min_km: float
            ) -> tuple[dict[str, Any], str, str]:
    # US-3, US-5.1, US-6 and NATO-5 of one missile share a summary, as do repeated sites
    d = summarise_reach(world, lon, lat, range_km, min(min_km, range_km)).as_dict()
    capitals = json.dumps(jsonable(d["capitals"]), ensure_ascii=False)
    text = (f'"capitals_reached": {capitals}, "places_in_range": '
            + json.dumps(jsonable(d), ensure_ascii=False))
    return d, text, capitals


def places_of(world: World, reach: Reach) -> tuple[dict[str, Any], str, str]:
    """The places within ``reach`` (from :func:`reach_of`) in ``world``: the summary
    (:meth:`deployguard.geography.places.ReachSummary.as_dict`, shared: copy before changing),
    the evidence's two keys as JSON text, and ``capitals_reached`` as JSON text.
    """
    return _places(world, *reach)
