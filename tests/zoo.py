"""A shared zoo of test geometries and places (shapely's ``tests/common.py`` habit).

Each entry is a case that has broken, or could break, geodesic code: an exclave, a site near
the antimeridian, a band around the pole, a disputed area under two worldviews, the narrowest
strait between the two parties, a route that crosses 180 deg.  Tests parametrise over these.
"""

from __future__ import annotations

import shapely

import deployguard as dg

#: Kaliningrad city (Russian exclave between Poland and Lithuania), (lon, lat).
KALININGRAD = (20.511, 54.7065)
#: A site in Chukotka at 175 E, 5 deg west of the antimeridian.
SITE_175E = (175.0, 65.0)
#: A site just east of the antimeridian in Alaska's Aleutians.
SITE_179W = (-179.0, 51.5)
#: The North Pole and a point on the antimeridian.
NORTH_POLE = (0.0, 90.0)
#: A band around the pole between 79 N and 81 N: crosses every meridian, holds no pole.
BAND_80N = shapely.box(-180.0, 79.0, 180.0, 81.0)
#: The polar cap north of 80 N, closed along the pole.
CAP_80N = shapely.box(-180.0, 80.0, 180.0, 90.0)
#: Big Diomede (RU) and Little Diomede (US) reference points, published ~3.8 km apart.
BIG_DIOMEDE = (-169.05, 65.78)
LITTLE_DIOMEDE = (-168.93, 65.755)
#: A route across 180 deg, split there as EPSG:4326 geometries must be.
ROUTE_ACROSS_180 = shapely.MultiLineString(
    [[(170.0, 60.0), (180.0, 62.0)], [(-180.0, 62.0), (-170.0, 64.0)]]
)
#: A patrol box in the Bering Sea on both sides of 180 deg.
PATROL_BOX_180 = shapely.MultiPolygon(
    [shapely.box(175.0, 58.0, 180.0, 60.0), shapely.box(-180.0, 58.0, -175.0, 60.0)]
)
#: A point in Crimea (Simferopol).
CRIMEA_POINT = (34.1, 45.0)

#: Small polygons with awkward shapes, for brute-force comparisons (fast to densify).
SHAPES = {
    "box": shapely.box(10.0, 50.0, 11.0, 51.0),
    "band_80n": BAND_80N,
    "cap_80n": CAP_80N,
    "patrol_box_180": PATROL_BOX_180,
    "route_across_180": ROUTE_ACROSS_180,
}

#: Sites to measure from.
SITES = {
    "kaliningrad": KALININGRAD,
    "site_175e": SITE_175E,
    "site_179w": SITE_179W,
    "north_pole": NORTH_POLE,
    "crimea": CRIMEA_POINT,
}


def crimea(worldview: str) -> shapely.Geometry:
    """The territory holding Crimea under ``worldview`` ("de_facto" -> RUS, "un" -> UKR)."""
    world = dg.World.load("50m", worldview)
    return world.territory(world.state_at(*CRIMEA_POINT).item())


def bering_islands() -> tuple[shapely.Polygon, shapely.Polygon]:
    """Big Diomede and Little Diomede as drawn at 1:10m."""
    world = dg.World.load("10m")
    big = next(p for p in world.territory("RUS").geoms
               if p.contains(shapely.Point(*BIG_DIOMEDE)))
    little = next(p for p in world.territory("USA").geoms
                  if p.contains(shapely.Point(*LITTLE_DIOMEDE)))
    return big, little
