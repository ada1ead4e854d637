"""Property tests (hypothesis) of the geodesic engine on Lithuania at 1:50m."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deployguard as dg
from deployguard.errors import InvalidInputError

lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-89.9, 89.9, allow_nan=False)
radii = st.floats(1.0, 15_000.0, allow_nan=False)

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def ltu():
    return dg.World.load("50m").territory("LTU")


@SETTINGS
@given(lon=lons, lat=lats, r=radii)
def test_within_range_equals_distance_at_most_r(ltu, lon, lat, r):
    d = float(dg.distance_km(lon, lat, ltu))
    if abs(d - r) > 1e-3:  # 1 m: the documented accuracy
        assert bool(dg.within_range(lon, lat, ltu, r)) == (d <= r)


@SETTINGS
@given(lon=lons, lat=lats, r1=radii, r2=radii)
def test_within_range_is_monotone_in_the_radius(ltu, lon, lat, r1, r2):
    lo, hi = sorted((r1, r2))
    if dg.within_range(lon, lat, ltu, lo):
        assert dg.within_range(lon, lat, ltu, hi)


@SETTINGS
@given(lon=lons, lat=lats, turns=st.integers(-3, 3))
def test_distance_is_symmetric_under_whole_turns_of_longitude(ltu, lon, lat, turns):
    a = float(dg.distance_km(lon, lat, ltu))
    shifted = lon + 360.0 * turns
    if abs(shifted) > 540.0:  # beyond one and a half turns is refused (issue 22: no silent wrap)
        with pytest.raises(InvalidInputError, match=r"\[-540, 540\]"):
            dg.distance_km(shifted, lat, ltu)
        return
    b = float(dg.distance_km(shifted, lat, ltu))
    assert a == pytest.approx(b, abs=1e-6)


@settings(max_examples=15, deadline=None)
@given(lon=lons, lat=st.floats(-80, 80), r1=st.floats(50, 5000), r2=st.floats(50, 5000))
def test_range_ring_is_monotone_in_the_radius(lon, lat, r1, r2):
    lo, hi = sorted((r1, r2))
    small, big = dg.range_ring(lon, lat, lo), dg.range_ring(lon, lat, hi)
    # edges stray at most 10 m from the exact circle; allow that sliver
    outside = shapely.difference(small, big)
    assert outside.area <= 1e-3 * max(small.area, 1e-12) + 1e-6


@settings(max_examples=10, deadline=None)
@given(lon=lons, lat=st.floats(-80, 80), r=st.floats(50, 5000), turns=st.integers(-2, 2))
def test_range_ring_is_symmetric_under_whole_turns(lon, lat, r, turns):
    a = dg.range_ring(lon, lat, r)
    shifted = lon + 360.0 * turns
    if abs(shifted) > 540.0:  # beyond one and a half turns is refused (issue 22: no silent wrap)
        with pytest.raises(InvalidInputError, match=r"\[-540, 540\]"):
            dg.range_ring(shifted, lat, r)
        return
    b = dg.range_ring(shifted, lat, r)
    assert shapely.symmetric_difference(a, b).area <= 1e-9 * max(a.area, 1.0)


def test_distance_km_array_matches_scalar_calls(ltu):
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(-20, 60, 50), rng.uniform(30, 70, 50)
    arr = dg.distance_km(lon, lat, ltu)
    one = [float(dg.distance_km(x, y, ltu)) for x, y in zip(lon, lat, strict=True)]
    assert np.allclose(arr, one, atol=1e-9)


def test_inputs_are_not_mutated(ltu):
    lon = np.array([10.0, 200.0])
    lat = np.array([50.0, 60.0])
    before = (lon.copy(), lat.copy(), shapely.to_wkb(ltu))
    dg.distance_km(lon, lat, ltu)
    dg.within_range(lon, lat, ltu, 500)
    assert np.array_equal(lon, before[0]) and np.array_equal(lat, before[1])
    assert shapely.to_wkb(ltu) == before[2]
