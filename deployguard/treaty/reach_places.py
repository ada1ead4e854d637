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
from typing import TYPE_CHECKING, Any

from deployguard.geography.places import ReachSummary, summarise_reach
from deployguard.geography.world import World
from deployguard.treaty.clauses.base import GEOM_REACH
from deployguard.treaty.frame import GEOM_POINT

if TYPE_CHECKING:
    from deployguard.treaty.context import Context
    from deployguard.treaty.engine import FindingTable

__all__ = ["places_evidence", "reach_of"]


def reach_of(table: FindingTable, ctx: Context, k: int, evidence: dict[str, Any]
             ) -> tuple[float, float, float, float] | None:
    """``(lon, lat, range_km, min_range_km)`` of reach finding ``k``, or None if it is not one
    (not a reach finding, not a point, nothing of the other side reached, range unknown).
    """
    i = int(table.dep[k])
    if (table.geometry_kind(k) != GEOM_REACH or ctx.frame.geom_kind[i] != GEOM_POINT
            or not evidence.get("states_reached")):
        return None
    # the weapon the clause measures reach with (Clause.reach_role, from clauses.json)
    choice = ctx.weapons.for_clause(table.clause(k).reach_role, i)
    if choice.range_km is None:
        return None
    return (float(ctx.frame.lon[i]), float(ctx.frame.lat[i]), float(choice.range_km),
            float(choice.min_range_km or 0.0))


# a summary is a few kB (a bomber's lists every capital): 4,096 of them stay well under 100 MB
@functools.lru_cache(maxsize=4096)
def _summary(world: World, lon: float, lat: float, range_km: float, min_km: float
             ) -> tuple[ReachSummary, dict[str, Any]]:
    # US-3, US-5.1, US-6 and NATO-5 of one missile share a summary, as do repeated sites
    s = summarise_reach(world, lon, lat, range_km, min(min_km, range_km))
    return s, s.as_dict()


def places_evidence(table: FindingTable, ctx: Context, k: int, evidence: dict[str, Any]
                    ) -> dict[str, Any]:
    """The places evidence of finding ``k`` (``{}`` unless it is a reach finding).

    Containers are copied one level deep, as the rest of a finding's evidence is.
    """
    reach = reach_of(table, ctx, k, evidence)
    if reach is None:
        return {}
    _, d = _summary(ctx.world, *reach)
    return {"capitals_reached": list(d["capitals"]), "places_in_range": dict(d)}
