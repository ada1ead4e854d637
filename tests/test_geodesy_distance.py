"""distance_km and within_range against an independent brute force (tests/reference.py)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import deployguard as dg
from deployguard.errors import InvalidInputError, UnknownStateError
from deployguard.geography.ranges import target_index
from tests.reference import GEOD, boundary_segments, brute_distance_m


@pytest.fixture(scope="module")
def world10():
    return dg.World.load("10m")


@pytest.fixture(scope="module")
def russia10(world10):
    return world10.territory("RUS")


@pytest.fixture(scope="module")
def russia_segments(russia10):
    return boundary_segments(russia10)


def _points_near(geom, n, max_km, seed):
    """Points within ``max_km`` of the boundary, on both sides, made with Geod.fwd."""
    rng = np.random.default_rng(seed)
    coords = shapely.get_coordinates(shapely.boundary(geom))
    pick = coords[rng.integers(0, len(coords), n)]
    az = rng.uniform(0, 360, n)
    dist = rng.uniform(10, max_km * 1000, n)
    lon, lat, _ = GEOD.fwd(pick[:, 0], pick[:, 1], az, dist)
    return np.asarray(lon), np.asarray(lat)


# Points chosen to cover the cases the issue names: inside, near the border,
# far (> 10,000 km), both sides of 180 deg, above 85 N, the southern hemisphere.
FIXED_POINTS = [
    (37.6, 55.75, "inside (Moscow)"),
    (20.5, 54.7, "inside Kaliningrad"),
    (179.5, 66.5, "inside Chukotka east of 180"),
    (-179.5, 66.5, "inside Chukotka west of 180"),
    (-179.9, 71.0, "Wrangel Island area, west of 180"),
    (179.99, 70.0, "Chukchi Sea east of 180"),
    (-170.0, 65.5, "Bering Strait (US side)"),
    (-168.95, 65.76, "between the Diomedes"),
    (27.7, 59.38, "Narva, 1-2 km from the border"),
    (21.0, 52.23, "Warsaw"),
    (0.0, 89.5, "above 89 N"),
    (100.0, 86.0, "above 85 N"),
    (-150.0, 87.0, "above 85 N, west"),
    (-60.0, -30.0, "South America (> 10,000 km)"),
    (-150.0, -45.0, "South Pacific (far, near antipode)"),
    (130.0, -75.0, "Antarctica"),
    (18.4, -33.9, "Cape Town"),
    (144.9, 13.58, "Guam"),
    (-149.9, 61.2, "Anchorage"),
]


@pytest.mark.slow
def test_distance_km__fixed_points_match_brute_force(russia10, russia_segments):
    lon = np.array([p[0] for p in FIXED_POINTS])
    lat = np.array([p[1] for p in FIXED_POINTS])
    got = dg.distance_km(lon, lat, russia10) * 1000
    far = 0
    for (x, y, label), g in zip(FIXED_POINTS, got, strict=True):
        ref = brute_distance_m(x, y, russia10, russia_segments)
        assert abs(g - ref) <= 1.0, f"{label}: {g:.2f} m vs brute force {ref:.2f} m"
        far += ref > 10_000_000
    assert far >= 2  # the far cases really are far


@pytest.mark.slow
def test_distance_km__near_border_points_match_brute_force(russia10, russia_segments):
    lon, lat = _points_near(russia10, 40, 5.0, seed=3)
    got = dg.distance_km(lon, lat, russia10) * 1000
    for x, y, g in zip(lon, lat, got, strict=True):
        ref = brute_distance_m(x, y, russia10, russia_segments)
        assert abs(g - ref) <= 1.0, f"({x:.4f}, {y:.4f}): {g:.2f} vs {ref:.2f} m"


@pytest.mark.slow
def test_distance_km__random_global_points_match_brute_force(russia10, russia_segments):
    rng = np.random.default_rng(11)
    n = 25
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    got = dg.distance_km(lon, lat, russia10) * 1000
    for x, y, g in zip(lon, lat, got, strict=True):
        ref = brute_distance_m(x, y, russia10, russia_segments)
        assert abs(g - ref) <= 1.0, f"({x:.4f}, {y:.4f}): {g:.2f} vs {ref:.2f} m"


def test_distance_km__small_target_many_points_match_brute_force(world10):
    """Lithuania at 1:10m, points within 300 km: a dense check of the edge refinement."""
    ltu = world10.territory("LTU")
    segs = boundary_segments(ltu)
    lon, lat = _points_near(ltu, 60, 300.0, seed=5)
    got = dg.distance_km(lon, lat, ltu) * 1000
    for x, y, g in zip(lon, lat, got, strict=True):
        assert abs(g - brute_distance_m(x, y, ltu, segs)) <= 1.0


def test_within_range__agrees_with_brute_force_except_at_threshold(world10):
    ltu = world10.territory("LTU")
    segs = boundary_segments(ltu)
    lon, lat = _points_near(ltu, 40, 600.0, seed=8)
    ref = np.array([brute_distance_m(x, y, ltu, segs) for x, y in zip(lon, lat, strict=True)])
    for r_km in (50.0, 250.0, 500.0):
        got = dg.within_range(lon, lat, ltu, r_km)
        expect = ref <= r_km * 1000
        unsure = np.abs(ref - r_km * 1000) <= 1.0
        assert np.array_equal(got[~unsure], expect[~unsure])
    # thresholds placed 2 m either side of each point's true distance
    for sign in (-1, 1):
        for x, y, d in zip(lon[:10], lat[:10], ref[:10], strict=True):
            r_km = (d + sign * 2.0) / 1000
            if r_km <= 0:
                continue
            assert bool(dg.within_range(x, y, ltu, r_km)) == (sign > 0)


def test_distance_km__inside_is_zero_and_shape_follows_input(russia10):
    out = dg.distance_km(np.array([[37.6, 20.5], [179.5, -179.5]]), np.array(
        [[55.75, 54.7], [66.5, 66.5]]), russia10)
    assert out.shape == (2, 2)
    assert np.all(out == 0.0)
    assert dg.distance_km(37.6, 55.75, russia10).shape == ()


def test_distance_km__longitude_written_beyond_180_is_the_same_point(russia10):
    a = dg.distance_km(-170.0, 65.5, russia10)
    b = dg.distance_km(190.0, 65.5, russia10)
    c = dg.distance_km(-530.0, 65.5, russia10)
    assert float(a) == pytest.approx(float(b), abs=1e-6)
    assert float(a) == pytest.approx(float(c), abs=1e-6)


def test_distance_km__area_source_is_least_distance_between_sets(world10):
    """Big Diomede (RU) to Little Diomede (US): published about 3.8 km (facts.md 6.1)."""
    rus = world10.territory("RUS")
    usa = world10.territory("USA")
    big = next(p for p in rus.geoms if p.contains(shapely.Point(-169.05, 65.78)))
    little = next(p for p in usa.geoms if p.contains(shapely.Point(-168.93, 65.755)))
    d = float(dg.geometry_distance_km(big, little))
    # independent: brute force from every vertex of one island to the other
    segs = boundary_segments(little, 0.0005)
    ref = min(brute_distance_m(x, y, little, segs) for x, y in shapely.get_coordinates(big))
    assert d <= ref / 1000 + 1e-3
    assert d == pytest.approx(ref / 1000, abs=0.05)
    assert 3.0 < d < 4.5


def test_distance_km__touching_sets_are_zero(world10):
    assert float(dg.geometry_distance_km(world10.territory("POL"), world10.territory("DEU"))) == 0.0


@pytest.mark.parametrize(
    ("lon", "lat", "match"),
    [(0.0, 95.0, "lat"), (np.nan, 10.0, "lon"), ("x", 10.0, "lon must be a real number"),
     (0.0, np.inf, "lat")],
)
def test_distance_km__bad_coordinates_name_the_value(lon, lat, match):
    with pytest.raises(InvalidInputError, match=match):
        dg.distance_km(lon, lat, shapely.box(0, 0, 1, 1))


def test_distance_km__bad_target_is_a_clear_error():
    # a state's name is a target since issue 21 (as grid() takes it); a name of no state is not
    with pytest.raises(UnknownStateError, match="target: unknown state 'Atlantis'"):
        dg.distance_km(0.0, 0.0, "Atlantis")
    with pytest.raises(InvalidInputError, match="EPSG:4326"):
        dg.distance_km(0.0, 0.0, shapely.box(170, 0, 200, 10))
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(InvalidInputError, match="not a valid geometry"):
        dg.distance_km(0.0, 0.0, bowtie)


def test_within_range__bad_radii_are_clear_errors():
    box = shapely.box(0, 0, 1, 1)
    with pytest.raises(InvalidInputError, match="range_km"):
        dg.within_range(0, 0, box, -5)
    with pytest.raises(InvalidInputError, match="min_range_km"):
        dg.within_range(0, 0, box, 100, min_range_km=200)


def test_within_range__minimum_range_needs_part_of_target_in_the_annulus():
    """A 100x100 km-ish box: from its centre, nothing lies beyond ~80 km."""
    box = shapely.box(0, 0, 1, 1)
    assert bool(dg.within_range(0.5, 0.5, box, 500, min_range_km=50))
    assert not bool(dg.within_range(0.5, 0.5, box, 500, min_range_km=90))
    # from (3, 0.5) the box spans about 222 to 338 km
    assert bool(dg.within_range(3.0, 0.5, box, 300, min_range_km=200))
    assert bool(dg.within_range(3.0, 0.5, box, 400, min_range_km=300))
    assert not bool(dg.within_range(3.0, 0.5, box, 400, min_range_km=350))


def test_target_index__is_cached_per_geometry(russia10):
    assert target_index(russia10) is target_index(russia10)


def test_distance_km__edge_longer_than_180_degrees_is_densified_along_itself():
    """Regression: a straight lon/lat edge from 179 E to 179 W runs the long way (358 deg);
    it was densified by the length of its end-to-end geodesic (a few km) and so missed."""
    line = shapely.LineString([(179, 60), (-179, 60)])
    assert float(dg.distance_km(0.0, 60.0, line)) < 0.001
