"""The 12-nmi territorial sea: checked with GeographicLib, independently of how it was built."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import deployguard as dg
from deployguard.data.files import read_territorial_sea
from tests.reference import GEOD, boundary_segments, brute_distance_m

NMI12_KM = 22.224


@pytest.fixture(scope="module")
def world():
    return dg.World.load("50m")


def _offshore_points(land, km, seed, n=40):
    """Points ``km`` from a random coast vertex in random directions (Geod.fwd)."""
    rng = np.random.default_rng(seed)
    xy = shapely.get_coordinates(shapely.boundary(land))
    pick = xy[rng.integers(0, len(xy), n)]
    lon, lat, _ = GEOD.fwd(pick[:, 0], pick[:, 1], rng.uniform(0, 360, n), np.full(n, km * 1000))
    return np.asarray(lon), np.asarray(lat)


@pytest.mark.parametrize("code", ["MLT", "ISL", "JPN"])
def test_point_15_km_off_the_coast_is_territory_only_with_the_sea(world, code):
    land = world.territory(code, with_dependencies=False)
    segs = boundary_segments(land, 0.01)
    lon, lat = _offshore_points(land, 15.0, seed=len(code) * 7, n=200)
    checked = 0
    for x, y in zip(lon, lat, strict=True):
        d = brute_distance_m(x, y, land, segs) / 1000
        if not 14.0 <= d <= 16.0:  # the ray went inland or along the coast: not our case
            continue
        # far from every other state's land, so no median line applies
        if world.state_at(x, y, sea=False).item() != "":
            continue
        assert world.state_at(x, y, sea=True).item() == code, (x, y, d)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("code", ["MLT", "ISL"])
def test_belt_outer_edge_is_12_nmi_from_the_coast(code):
    belts = read_territorial_sea("50m")
    belt = belts.loc[belts["unit"] == code, "geometry"].item()
    land = dg.World.load("50m").territory(code, with_dependencies=False)
    segs = boundary_segments(land, 0.005)
    edge = shapely.get_coordinates(shapely.segmentize(shapely.boundary(belt), 0.02))
    rng = np.random.default_rng(1)
    sample = edge[rng.choice(len(edge), size=min(120, len(edge)), replace=False)]
    d = np.array([brute_distance_m(x, y, land, segs) for x, y in sample]) / 1000
    outer = d > 1.0  # the inner edge is the coastline itself
    assert outer.sum() >= 30
    assert np.max(np.abs(d[outer] - NMI12_KM)) <= 0.05


@pytest.mark.slow
def test_russian_belt_outer_edge_away_from_neighbours(world):
    land = world.territory("RUS", with_dependencies=False)
    # under de_facto Russia's sea includes Crimea's belt (a unit of its own in the file)
    belt = shapely.difference(world.territory("RUS", sea=True, with_dependencies=False), land)
    edge = shapely.get_coordinates(shapely.segmentize(shapely.boundary(belt), 0.05))
    rng = np.random.default_rng(2)
    sample = edge[rng.choice(len(edge), size=400, replace=False)]
    d_rus = dg.distance_km(sample[:, 0], sample[:, 1], land)
    others = shapely.union_all([world.territory(c, with_dependencies=False)
                                for c in ("USA", "JPN", "NOR", "FIN", "EST", "LVA", "LTU",
                                          "POL", "UKR", "GEO", "AZE", "KAZ", "CHN", "PRK",
                                          "IRN", "TKM", "SWE", "KOR", "MNG")])
    d_other = dg.distance_km(sample[:, 0], sample[:, 1], others)
    # the +-180 deg cut is an edge of the belt polygons too, at any distance from the coast
    outer = (d_rus > 1.0) & (d_other > 2 * NMI12_KM + 5) & (np.abs(sample[:, 0]) < 180 - 1e-9)
    assert outer.sum() >= 100
    segs = boundary_segments(land, 0.005)
    # an independent check on a few of them with the brute force
    for x, y in sample[outer][:8]:
        assert abs(brute_distance_m(x, y, land, segs) / 1000 - NMI12_KM) <= 0.05
    assert np.max(np.abs(d_rus[outer] - NMI12_KM)) <= 0.05


def test_belts_never_cover_land(world):
    belts = read_territorial_sea("50m").set_index("unit")["geometry"]
    land = shapely.union_all(list(world.states.geometry))
    for code in ("RUS", "UKR", "CRIMEA", "USA", "EST", "LTU", "POL"):
        assert shapely.intersection(belts[code], land).area <= 1e-9, code


def test_overlapping_belts_are_split_by_equidistance(world):
    """Kaliningrad, Lithuania and Poland: each belt point is nearer its own coast."""
    belts = read_territorial_sea("50m").set_index("unit")["geometry"]
    region = shapely.box(18.5, 54.0, 22.0, 56.0)
    lands = {c: world.territory(c, with_dependencies=False) for c in ("RUS", "LTU", "POL")}
    rng = np.random.default_rng(4)
    for code in lands:
        part = shapely.intersection(belts[code], region)
        if part.is_empty:
            continue
        pts = shapely.get_coordinates(shapely.segmentize(shapely.boundary(part), 0.01))
        pts = pts[rng.choice(len(pts), size=min(60, len(pts)), replace=False)]
        own = dg.distance_km(pts[:, 0], pts[:, 1], lands[code])
        for other, geom in lands.items():
            if other != code:
                d_other = dg.distance_km(pts[:, 0], pts[:, 1], geom)
                # where the belt meets the other's land (the land border at the coast)
                # the rule does not apply; elsewhere medians are right to about 35 m:
                # belts are traced 25 m past the median and overlaps go to the nearer unit
                sea = d_other > 0.1
                assert np.all(own[sea] <= d_other[sea] + 0.04)
    # overlaps are settled at build time; what is left is floating-point dust (< 1 m2)
    assert shapely.intersection(belts["RUS"], belts["LTU"]).area < 1e-10
    assert shapely.intersection(belts["RUS"], belts["POL"]).area < 1e-10


@pytest.mark.slow
def test_diomede_belts_do_not_overlap():
    """Big Diomede (RU) and Little Diomede (US), 1:10m: ~4 km apart, so the 12-nmi belts
    overlap entirely and must be split along the median line."""
    belts = read_territorial_sea("10m").set_index("unit")["geometry"]
    box = shapely.box(-169.3, 65.6, -168.7, 65.9)
    rus = shapely.intersection(belts["RUS"], box)
    usa = shapely.intersection(belts["USA"], box)
    assert rus.area > 0 and usa.area > 0
    assert shapely.intersection(rus, usa).area <= 1e-10
    w = dg.World.load("10m")
    # just either side of the midpoint between the islands
    assert w.state_at(-169.0, 65.77, sea=True).item() == "RUS"
    assert w.state_at(-168.95, 65.765, sea=True).item() == "USA"
