"""The distance table of the batched checker against a brute force (``pyproj.Geod``)."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.treaty.distances import DistanceTable
from deployguard.treaty.frame import DeploymentFrame

GEOD = pyproj.Geod(ellps="WGS84")


def _table(points):
    deps = [dg.Deployment(by="RUS", at=p, date="2022-01-01", system="Iskander-M") for p in points]
    return DistanceTable(DeploymentFrame.build(deps))


def _brute_interval_km(lon, lat, geom):
    """(nearest, farthest) distance to a polygon's densified boundary (the brute force)."""
    xy = shapely.get_coordinates(shapely.segmentize(geom.boundary, 0.002))
    _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return float(np.min(d)) / 1000.0, float(np.max(d)) / 1000.0


@pytest.mark.parametrize("size_deg", [0.1, 0.6])
def test_minimum_range_annulus_against_brute_force(size_deg):
    """A square target 20 km east of the launcher, with a 50 km minimum range and 500 km
    maximum: the small square lies wholly inside the 50 km dead zone (not reached), the large
    one extends beyond it (reached), as the brute force's farthest boundary point shows."""
    lon, lat = 20.0, 54.0
    east = GEOD.fwd(lon, lat, 90.0, 20_000.0)[0]
    square = shapely.box(east, lat - size_deg / 2, east + size_deg, lat + size_deg / 2)
    t = _table([(lon, lat)])
    target = t.geometry_target("square", square)
    r = t.reach(dg.World.load(), np.array([0]), [("square",)], np.array([500.0]),
                np.array([50.0]), sea=False, resolve={"square": target}.get)
    near, far = _brute_interval_km(lon, lat, square)
    assert near < 50.0
    assert (r.reached[0] == ("square",)) is (far >= 50.0)
    assert abs(r.distance_km[0] - near) < 0.05


def test_reach_and_nearest_match_brute_force_for_many_points():
    """Random launch points around the Baltic against Poland and Lithuania at 300 km: every
    reach decision equals the brute force's (away from the threshold), and the nearest
    distance is within the brute force's densification error."""
    rng = np.random.default_rng(3)
    pts = list(zip(rng.uniform(15, 30, 40), rng.uniform(52, 60, 40), strict=True))
    t = _table(pts)
    world = dg.World.load()
    r = t.reach(world, np.arange(len(pts)), [("POL", "LTU")] * len(pts),
                np.full(len(pts), 300.0), np.full(len(pts), np.nan), sea=True)
    terr = {c: world.territory(c, sea=True) for c in ("POL", "LTU")}
    for k, (lon, lat) in enumerate(pts):
        d = {}
        for c, g in terr.items():
            inside = shapely.intersects(g, shapely.Point(lon, lat))
            d[c] = 0.0 if inside else _brute_interval_km(lon, lat, g)[0]
        best = min(d, key=d.get)
        assert abs(r.distance_km[k] - d[best]) < 0.1
        expect = tuple(sorted(c for c in d if d[c] <= 300.0 and abs(d[c] - 300.0) > 0.1))
        assert set(expect) <= set(r.reached[k])
        assert all(d[c] <= 300.1 for c in r.reached[k])


def test_minimum_range_inside_a_large_target():
    """A launcher 150 km inside a square 600 km wide, minimum range 50 km: the circle at 50 km
    lies inside the target, so some of it is in the annulus (reached); the brute force agrees."""
    lon, lat = 20.0, 54.0
    square = shapely.box(lon - 1.5, lat - 2.5, lon + 7.0, lat + 2.5)
    t = _table([(lon, lat)])
    target = t.geometry_target("square", square)
    r = t.reach(dg.World.load(), np.array([0]), [("square",)], np.array([500.0]),
                np.array([50.0]), sea=False, resolve={"square": target}.get)
    near, far = _brute_interval_km(lon, lat, square)
    assert near > 50.0 and r.reached[0] == ("square",) and r.distance_km[0] == 0.0
