"""Farthest distances and donuts (minimum ranges) against an independent brute force."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import deployguard as dg
from deployguard.geodesy.ellipsoid import B_M, HALF_MERIDIAN_KM, unit_vectors
from deployguard.geodesy.farthest import A_UP
from deployguard.geography.ranges import target_index
from tests.reference import (
    GEOD,
    boundary_segments,
    brute_distance_m,
    brute_farthest_m,
    brute_in_annulus,
)

ACROSS_180 = shapely.MultiPolygon([shapely.box(172, 62, 180, 66), shapely.box(-180, 62, -174, 66)])
ISLANDS = shapely.MultiPolygon([  # one near (0, 0), one about 900 km east
    shapely.box(0.9, -0.05, 1.0, 0.05), shapely.box(8.1, -0.05, 8.2, 0.05)])


@pytest.fixture(scope="module")
def ltu():
    return dg.World.load("50m").territory("LTU")


def _antipodes(lon, lat):
    return np.where(lon > 0, lon - 180.0, lon + 180.0), -lat


# ---------------------------------------------------------------- the ellipsoid facts used
@pytest.mark.parametrize("lat", [0.0, 0.3, 12.0, 45.0, 63.0, 81.0, 89.7, -37.0])
def test_cut_locus_facts__antipode_is_the_farthest_point_on_its_parallel(lat):
    """farthest.py relies on: along the parallel opposite to P the distance peaks at the
    antipode, and the distance to the antipode is half the meridian (the largest)."""
    lon0 = 23.0
    dl = np.linspace(-2.0, 2.0, 4001)
    d = GEOD.inv(np.full(dl.size, lon0), np.full(dl.size, lat), lon0 - 180.0 + dl,
                 np.full(dl.size, -lat))[2]
    peak = int(np.argmax(d))
    assert abs(dl[peak]) < 1e-9 or lat == 0.0 or abs(d[peak] - d[2000]) < 1e-6
    assert np.all(np.diff(d[: peak + 1]) >= -1e-6) and np.all(np.diff(d[peak:]) <= 1e-6)
    assert d[2000] == pytest.approx(HALF_MERIDIAN_KM * 1000, abs=1e-3)
    rng = np.random.default_rng(int(lat * 10) % 97)
    qx = lon0 - 180.0 + rng.uniform(-3, 3, 20_000)
    qy = np.clip(-lat + rng.uniform(-3, 3, 20_000), -90, 90)
    dq = GEOD.inv(np.full(qx.size, lon0), np.full(qx.size, lat), qx, qy)[2]
    assert dq.max() <= HALF_MERIDIAN_KM * 1000 + 1e-6


def test_angle_bounds__b_theta_below_and_a_up_theta_above_every_geodesic():
    rng = np.random.default_rng(4)
    n = 50_000
    lon1, lon2 = rng.uniform(-180, 180, (2, n))
    lat1, lat2 = np.degrees(np.arcsin(rng.uniform(-1, 1, (2, n))))
    d = np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])
    cos = np.einsum("ij,ij->i", unit_vectors(lon1, lat1), unit_vectors(lon2, lat2))
    theta = np.arccos(np.clip(cos, -1, 1))
    assert np.all(d >= B_M * theta - 1e-6)
    assert np.all(d <= A_UP * theta + 1e-6)


# ---------------------------------------------------------------- farthest_m
def _check_farthest(geom, lon, lat, tol_m=1.0):
    idx = target_index(geom)
    got = idx.farthest_m(lon, lat)
    segs = boundary_segments(geom)
    for x, y, g in zip(lon, lat, got, strict=True):
        ref = brute_farthest_m(x, y, geom, segs)
        assert abs(g - ref) <= tol_m, f"({x:.4f}, {y:.4f}): {g:.3f} m vs brute force {ref:.3f} m"
    lower, upper = idx.far_bounds_m(lon, lat)
    assert np.all(lower <= got + 1e-6) and np.all(upper >= got - 1e-6)


def test_farthest_m__box_from_outside_inside_and_the_far_side():
    box = shapely.box(0, 0, 1, 1)
    lon = np.array([2.0, 0.5, 0.99, -60.0, 120.0, -179.5, 179.2, -178.0])
    lat = np.array([0.5, 0.5, 0.01, 40.0, -30.0, -0.5, -0.9, 3.0])
    _check_farthest(box, lon, lat)


def test_farthest_m__lithuania_from_random_points(ltu):
    rng = np.random.default_rng(2)
    lon = rng.uniform(-180, 180, 12)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 12)))
    _check_farthest(ltu, lon, lat)


def test_farthest_m__target_across_180_and_points_near_its_antipode():
    alon, alat = _antipodes(np.array([176.0, -176.0, 179.9, 172.0]),
                            np.array([64.0, 63.0, 66.5, 61.5]))
    # near the antipode of a boundary point, of an interior point, and just outside
    lon = np.concatenate([alon, [0.0, 10.0, -170.0]])
    lat = np.concatenate([alat, [0.0, -50.0, 64.0]])
    _check_farthest(ACROSS_180, lon, lat)


def test_farthest_m__target_holding_the_antipode_is_half_the_meridian():
    idx = target_index(ACROSS_180)
    alon, alat = _antipodes(np.array([176.0]), np.array([64.0]))
    assert float(idx.farthest_m(alon, alat)[0]) == pytest.approx(HALF_MERIDIAN_KM * 1000, abs=1e-6)


def test_farthest_m__line_and_point_targets():
    line = shapely.LineString([(10, 10), (12, 11), (13, 14)])
    _check_farthest(line, np.array([0.0, 11.0, -168.0]), np.array([0.0, 11.0, -11.0]))
    pt = target_index(shapely.Point(5, 5))
    d = float(GEOD.inv(0.0, 0.0, 5.0, 5.0)[2])
    assert float(pt.farthest_m(0.0, 0.0)) == pytest.approx(d, abs=1e-6)


# ---------------------------------------------------------------- donuts
def test_within_range__islands_at_100_and_900_km_hold_nothing_at_300_to_800():
    d_near = float(dg.distance_km(0.0, 0.0, ISLANDS))
    assert 95 < d_near < 115
    assert not bool(dg.within_range(0.0, 0.0, ISLANDS, 800, min_range_km=300))
    assert bool(dg.within_range(0.0, 0.0, ISLANDS, 950, min_range_km=300))
    assert bool(dg.within_range(0.0, 0.0, ISLANDS, 800, min_range_km=105))
    # the union's nearest and farthest (100 km, 900 km) would wrongly say yes
    assert float(target_index(ISLANDS).farthest_m(0.0, 0.0)) > 800e3


def test_within_range__target_holding_the_launcher():
    box = shapely.box(0, 0, 1, 1)
    assert bool(dg.within_range(0.5, 0.5, box, 500, min_range_km=50))
    assert not bool(dg.within_range(0.5, 0.5, box, 500, min_range_km=90))


def test_within_range__launcher_at_the_antipode_of_the_target():
    alon, alat = _antipodes(np.array([176.0]), np.array([64.0]))
    # everything of the target is at least 19,000 km away; the antipode itself is in it
    assert bool(dg.within_range(alon, alat, ACROSS_180, 20_003.0, min_range_km=19_990.0))
    assert bool(dg.within_range(alon, alat, ACROSS_180, 20_004.0, min_range_km=20_003.9))
    assert not bool(dg.within_range(alon, alat, ACROSS_180, 5_000.0, min_range_km=1_000.0))


def _donut_cases(geom, lon, lat, radii):
    got = {}
    for r_max, r_min in radii:
        got[(r_max, r_min)] = dg.within_range(lon, lat, geom, r_max, min_range_km=r_min)
    checked = 0
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        for r_max, r_min in radii:
            ref = brute_in_annulus(x, y, geom, r_max * 1000, r_min * 1000)
            if ref is None:
                continue
            checked += 1
            assert bool(got[(r_max, r_min)][i]) == ref, (x, y, r_max, r_min)
    return checked


@pytest.mark.slow
def test_within_range__donuts_agree_with_brute_force_across_180():
    rng = np.random.default_rng(7)
    lon = np.concatenate([rng.uniform(160, 200, 14), [176.0, -177.0]])
    lon = (lon + 180) % 360 - 180
    lat = np.concatenate([rng.uniform(50, 75, 14), [64.0, 63.5]])
    alon, alat = _antipodes(np.array([175.0, -179.0]), np.array([63.0, 65.0]))
    lon, lat = np.concatenate([lon, alon]), np.concatenate([lat, alat])
    radii = [(300.0, 100.0), (1500.0, 500.0), (20_000.0, 19_000.0), (900.0, 400.0)]
    assert _donut_cases(ACROSS_180, lon, lat, radii) >= 0.9 * lon.size * len(radii)


@pytest.mark.slow
def test_within_range__donuts_agree_with_brute_force_on_islands_and_lithuania(ltu):
    rng = np.random.default_rng(9)
    lon = rng.uniform(-5, 15, 10)
    lat = rng.uniform(-5, 5, 10)
    radii = [(800.0, 300.0), (950.0, 300.0), (400.0, 50.0)]
    assert _donut_cases(ISLANDS, lon, lat, radii) >= 0.9 * lon.size * len(radii)
    lon = np.concatenate([rng.uniform(15, 35, 8), [24.0, 25.3]])
    lat = np.concatenate([rng.uniform(48, 62, 8), [55.0, 54.7]])
    radii = [(500.0, 100.0), (300.0, 250.0), (2000.0, 1000.0)]
    assert _donut_cases(ltu, lon, lat, radii) >= 0.9 * lon.size * len(radii)


def test_within_range__donut_thresholds_2_m_either_side_of_the_true_distances():
    """Thresholds placed 2 m inside and outside each point's exact nearest and farthest."""
    box = shapely.box(0, 0, 1, 1)
    segs = boundary_segments(box)
    for x, y in [(3.0, 0.5), (0.5, 0.5), (-1.2, 2.0)]:
        near = brute_distance_m(x, y, box, segs)
        far = brute_farthest_m(x, y, box, segs)
        # the annulus ends 2 m before the nearest point: nothing
        if near > 10.0:
            assert not bool(dg.within_range(x, y, box, (near - 2) / 1000, (near - 5000) / 1000))
            assert bool(dg.within_range(x, y, box, (near + 2) / 1000, (near - 5000) / 1000))
        # the annulus starts 2 m beyond the farthest point: nothing
        assert not bool(dg.within_range(x, y, box, (far + 5000) / 1000, (far + 2) / 1000))
        assert bool(dg.within_range(x, y, box, (far + 5000) / 1000, (far - 2) / 1000))


def test_within_range__donut_on_russia_matches_the_plain_call_where_the_minimum_is_moot():
    rus = dg.World.load("50m").territory("RUS")
    rng = np.random.default_rng(3)
    lon = rng.uniform(-180, 180, 3000)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 3000)))
    d = dg.distance_km(lon, lat, rus)
    donut = dg.within_range(lon, lat, rus, 5500.0, min_range_km=500.0)
    plain = dg.within_range(lon, lat, rus, 5500.0)
    far_enough = d >= 500.0 + 1e-3
    assert np.array_equal(donut[far_enough], plain[far_enough])
    # from inside Russia, some of Russia always lies 500..5,500 km away
    inside = d == 0.0
    assert inside.sum() > 50 and donut[inside].all()
