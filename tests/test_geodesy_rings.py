"""Many range rings at once, and the guards on radii, tolerances and targets."""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely

import deployguard as dg
from deployguard.errors import InvalidInputError
from deployguard.geography import ranges
from tests.reference import GEOD


def _free_vertices(geom):
    xy = shapely.get_coordinates(shapely.boundary(geom))
    keep = (np.abs(xy[:, 0]) < 180 - 1e-9) & (np.abs(xy[:, 1]) < 90 - 1e-9)
    return xy[keep]


SITES = np.array([(20.5, 54.7), (175.0, 60.0), (-179.0, -15.0), (0.0, 80.0), (30.0, -70.0),
                  (0.0, 90.0), (-45.0, -90.0), (10.0, 10.0), (179.9999, 10.0), (-120.0, 35.0)])
RADII = np.array([500.0, 2000.0, 3000.0, 2000.0, 4000.0, 1000.0, 50.0, 19_000.0, 0.3, 12.0])


def test_range_ring__arrays_give_an_array_of_valid_rings_with_exact_vertices():
    rings = dg.range_ring(SITES[:, 0], SITES[:, 1], RADII)
    assert isinstance(rings, np.ndarray) and rings.shape == (len(SITES),)
    for (lon, lat), r_km, ring in zip(SITES, RADII, rings, strict=True):
        assert ring.is_valid and not ring.is_empty
        minx, _, maxx, _ = ring.bounds
        assert -180.0 <= minx and maxx <= 180.0
        xy = _free_vertices(ring)
        _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
        assert np.max(np.abs(np.asarray(d) - r_km * 1000)) <= 0.01  # 1 cm


def test_range_ring__array_edges_stay_within_the_tolerance():
    tol_km = 0.01
    rings = dg.range_ring(SITES[:, 0], SITES[:, 1], RADII, tolerance_km=tol_km)
    for (lon, lat), r_km, ring in zip(SITES, RADII, rings, strict=True):
        xy = shapely.get_coordinates(shapely.segmentize(shapely.boundary(ring), 0.002))
        xy = xy[(np.abs(xy[:, 0]) < 180 - 1e-9) & (np.abs(xy[:, 1]) < 90 - 1e-9)]
        _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
        # edges are probed at quarters: allow the tolerance plus a small margin between probes
        limit = min(tol_km * 1000, r_km * 10) * 1.5 + 0.01
        assert np.max(np.abs(np.asarray(d) - r_km * 1000)) <= limit, (lon, lat, r_km)


def test_range_ring__array_matches_one_site_at_a_time():
    rings = dg.range_ring(SITES[:4, 0], SITES[:4, 1], RADII[:4])
    for (lon, lat), r_km, ring in zip(SITES[:4], RADII[:4], rings, strict=True):
        one = dg.range_ring(lon, lat, r_km)
        assert isinstance(one, shapely.Geometry)
        assert shapely.equals_exact(one, ring, tolerance=1e-9)


def test_range_ring__poles_and_180_in_arrays():
    rings = dg.range_ring([0.0, 30.0, 175.0, 100.0], [80.0, -70.0, 60.0, 10.0],
                          [2000.0, 4000.0, 2000.0, 19_000.0])
    north, south, seam, most = rings
    assert north.intersects(shapely.Point(0, 90)) and north.bounds[3] == 90.0
    assert south.intersects(shapely.Point(0, -90)) and south.bounds[1] == -90.0
    assert len(shapely.get_parts(seam)) == 2 and seam.intersects(shapely.Point(-170, 60))
    # 19,000 km covers both poles: the globe minus a hole round the antipode
    assert most.contains(shapely.Point(0, 89.9)) and most.contains(shapely.Point(0, -89.9))
    assert not most.contains(shapely.Point(-80.0, -10.0))


def test_range_ring__broadcasts_sites_against_radii_and_annuli():
    rings = dg.range_ring(np.array([[20.5], [30.0]]), np.array([[54.7], [50.0]]),
                          np.array([300.0, 500.0, 800.0]), min_range_km=100.0)
    assert rings.shape == (2, 3)
    assert all(not g.contains(shapely.Point(20.5, 54.7)) for g in rings[0])
    areas = [abs(GEOD.geometry_area_perimeter(g)[0]) for g in rings[0]]
    assert areas[0] < areas[1] < areas[2]


def test_range_ring__a_thousand_sites_is_batched():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(-180, 180, 1000), rng.uniform(-80, 80, 1000)
    t0 = time.perf_counter()
    rings = dg.range_ring(lon, lat, 500.0, tolerance_km=1.0)
    assert rings.shape == (1000,) and all(g.is_valid for g in rings)
    assert time.perf_counter() - t0 < 120  # a hang guard, not a speed claim


# ---------------------------------------------------------------- guards
def test_range_ring__tolerance_below_the_floor_is_refused():
    with pytest.raises(InvalidInputError, match=r"tolerance_km must be at least 0.001"):
        dg.range_ring(0, 0, 100, tolerance_km=0)
    with pytest.raises(InvalidInputError, match="tolerance_km"):
        dg.reach_zone(shapely.box(0, 0, 1, 1), 100, tolerance_km=1e-6)
    ring = dg.range_ring(0, 0, 5000, tolerance_km=ranges.MIN_TOLERANCE_KM)
    assert ring.is_valid and shapely.get_num_coordinates(ring) < 20_000


@pytest.mark.parametrize("r_km", [1e-12, 1e-6, 0.0009])
def test_range_ring__radius_below_one_metre_is_a_clear_error(r_km):
    with pytest.raises(InvalidInputError, match=r"range_km must be at least 0.001 km \(1 m\)"):
        dg.range_ring(20.0, 50.0, r_km)


def test_range_ring__one_metre_radius_is_a_valid_disc():
    ring = dg.range_ring(20.0, 50.0, ranges.MIN_RING_RADIUS_KM)
    assert ring.is_valid and ring.geom_type == "Polygon"
    area = abs(GEOD.geometry_area_perimeter(ring)[0])
    assert area == pytest.approx(np.pi, rel=0.01)


@pytest.mark.parametrize("fn", ["range_ring", "within_range"])
def test_minimum_range_not_below_the_range_is_an_error_naming_both(fn):
    box = shapely.box(0, 0, 1, 1)
    call = {"range_ring": lambda a, b: dg.range_ring(0, 0, a, min_range_km=b),
            "within_range": lambda a, b: dg.within_range(0, 0, box, a, min_range_km=b)}[fn]
    for r, rmin in ((500, 500), (500, 600)):
        with pytest.raises(InvalidInputError, match=rf"min_range_km \({rmin}\).*range_km \({r}\)"):
            call(r, rmin)


def test_target_is_validated_once_when_its_index_is_built(monkeypatch):
    box = shapely.box(0, 0, 3, 3)
    dg.distance_km(5.0, 5.0, box)  # builds and caches the index
    calls = []
    real = shapely.is_valid

    def counting(geom, **kw):
        calls.append(1)
        return real(geom, **kw)

    monkeypatch.setattr(shapely, "is_valid", counting)
    monkeypatch.setattr(shapely.geometry.base.BaseGeometry, "is_valid",
                        property(lambda g: counting(g)))
    for _ in range(5):
        dg.distance_km(5.0, 5.0, box)
        dg.within_range(5.0, 5.0, box, 500.0)
    assert calls == []


def test_invalid_target_is_refused_at_index_build():
    from deployguard.geodesy.index import DistanceIndex

    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(InvalidInputError, match="not a valid geometry"):
        DistanceIndex(bowtie)
    with pytest.raises(InvalidInputError, match="empty"):
        DistanceIndex(shapely.Polygon())
