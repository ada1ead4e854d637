"""Functions x the geometry zoo: every distance against an independent brute force."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import deployguard as dg
from tests import zoo
from tests.reference import GEOD, boundary_segments, brute_distance_m

CASES = [(s, g) for s in zoo.SITES for g in zoo.SHAPES]


def _brute_km(site: tuple[float, float], geom: shapely.Geometry) -> float:
    if site == zoo.NORTH_POLE and geom.equals(zoo.BAND_80N):
        # every point of the band's top parallel is equidistant from the pole: the meridian arc
        # (the brute force would refine all 72,000 segments)
        return float(GEOD.inv(0.0, 90.0, 0.0, 81.0)[2]) / 1000.0
    if shapely.get_dimensions(geom) == 2:
        return brute_distance_m(*site, geom) / 1000.0
    # a line: its own sub-segments (a polygon's boundary for the reference is its rings)
    lines = shapely.segmentize(geom, 0.005)
    pts = shapely.get_coordinates(lines)
    _, _, d = GEOD.inv(np.full(len(pts), site[0]), np.full(len(pts), site[1]),
                       pts[:, 0], pts[:, 1])
    return float(np.min(d)) / 1000.0


@pytest.mark.parametrize("site, shape", CASES, ids=[f"{s}-{g}" for s, g in CASES])
def test_distance_km__matches_brute_force(site, shape):
    geom = zoo.SHAPES[shape]
    got = float(dg.distance_km(*zoo.SITES[site], geom))
    ref = _brute_km(zoo.SITES[site], geom)
    # the reference samples lines every 0.005 deg without refinement: it is an upper bound
    # that may exceed the truth by a few metres on a line; polygons are refined
    tol_km = 0.001 if shapely.get_dimensions(geom) == 2 else 0.02
    assert got <= ref + 0.001
    assert got == pytest.approx(ref, abs=tol_km)


@pytest.mark.parametrize("site, shape", CASES, ids=[f"{s}-{g}" for s, g in CASES])
def test_within_range__agrees_with_distance_either_side(site, shape):
    geom = zoo.SHAPES[shape]
    d = float(dg.distance_km(*zoo.SITES[site], geom))
    if d == 0.0:
        assert bool(dg.within_range(*zoo.SITES[site], geom, 0.0))
        return
    assert bool(dg.within_range(*zoo.SITES[site], geom, d + 0.01))
    assert not bool(dg.within_range(*zoo.SITES[site], geom, d - 0.01))


@pytest.mark.parametrize("site", list(zoo.SITES))
def test_range_ring__valid_and_at_the_radius(site):
    lon0, lat0 = zoo.SITES[site]
    ring = dg.range_ring(lon0, lat0, 800.0)
    assert ring.is_valid and not ring.is_empty
    assert shapely.get_coordinates(ring)[:, 0].min() >= -180.0
    assert shapely.get_coordinates(ring)[:, 0].max() <= 180.0
    # vertices off the +-180 seam and the pole row lie on the circle
    xy = shapely.get_coordinates(ring)
    free = (np.abs(xy[:, 0]) < 180.0 - 1e-9) & (np.abs(xy[:, 1]) < 90.0 - 1e-9)
    _, _, d = GEOD.inv(np.full(free.sum(), lon0), np.full(free.sum(), lat0),
                       xy[free, 0], xy[free, 1])
    assert np.allclose(d, 800_000.0, atol=0.05)


def test_north_pole_ring_holds_the_pole_and_every_meridian():
    ring = dg.range_ring(*zoo.NORTH_POLE, 500.0)
    assert ring.covers(shapely.Point(0.0, 90.0))
    assert ring.contains(shapely.Point(179.9, 86.0)) and ring.contains(shapely.Point(-179.9, 86.0))


def test_crimea_under_two_worldviews():
    """Crimea lies in Russia's territory de facto and in Ukraine's under the UN view."""
    assert dg.World.load("50m", "de_facto").state_at(*zoo.CRIMEA_POINT).item() == "RUS"
    assert dg.World.load("50m", "un").state_at(*zoo.CRIMEA_POINT).item() == "UKR"
    de_facto, un = zoo.crimea("de_facto"), zoo.crimea("un")
    assert de_facto.contains(shapely.Point(*zoo.CRIMEA_POINT))
    assert un.contains(shapely.Point(*zoo.CRIMEA_POINT))
    # the same point is 0 km from each holder's territory, and far from the other's land
    assert float(dg.distance_km(*zoo.CRIMEA_POINT, de_facto)) == 0.0
    ukr_de_facto = dg.World.load("50m", "de_facto").territory("UKR")
    assert float(dg.distance_km(*zoo.CRIMEA_POINT, ukr_de_facto)) > 50.0


@pytest.mark.slow
def test_bering_strait_islands():
    """Big and Little Diomede: published ~3.8 km between shores (liquisearch 'Bering Strait';
    informationin.com 2014); 1:10m coastlines, so allow 0.5 km."""
    big, little = zoo.bering_islands()
    d = dg.geometry_distance_km(big, little)
    assert d == pytest.approx(3.8, abs=0.5)
    segs = boundary_segments(little, 0.0005)
    ref = min(brute_distance_m(x, y, little, segs) for x, y in shapely.get_coordinates(big))
    assert d <= ref / 1000 + 1e-3


def test_route_across_180__distance_from_both_sides():
    west = float(dg.distance_km(179.5, 62.0, zoo.ROUTE_ACROSS_180))
    east = float(dg.distance_km(-179.5, 62.0, zoo.ROUTE_ACROSS_180))
    assert west == pytest.approx(_brute_km((179.5, 62.0), zoo.ROUTE_ACROSS_180), abs=0.02)
    assert east == pytest.approx(_brute_km((-179.5, 62.0), zoo.ROUTE_ACROSS_180), abs=0.02)
    assert west < 15 and east < 15
