"""deployguard.grid: sites spaced by ground distance, coverage, 180 deg, territories."""

import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.errors import InvalidInputError

GEOD = pyproj.Geod(ellps="WGS84")


def _rows(sites):
    return [g for _, g in sites.groupby("lat", sort=True)]


@pytest.mark.parametrize("spacing", [10.0, 25.0])
def test_grid__neighbours_are_spacing_apart_on_the_ground(spacing):
    sites = dg.grid((5.0, 40.0, 25.0, 70.0), spacing)
    rows = _rows(sites)
    # between rows: along the meridian
    lats = np.array([r.lat.iloc[0] for r in rows])
    _, _, d = GEOD.inv(np.zeros(lats.size - 1), lats[:-1], np.zeros(lats.size - 1), lats[1:])
    np.testing.assert_allclose(np.asarray(d) / 1000, spacing, rtol=1e-6)
    # along each row: geodesic between neighbours (the parallel arc is spacing exactly)
    for r in rows:
        lon = r.lon.to_numpy()
        _, _, d = GEOD.inv(lon[:-1], r.lat.to_numpy()[:-1], lon[1:], r.lat.to_numpy()[1:])
        np.testing.assert_allclose(np.asarray(d) / 1000, spacing, rtol=1e-4)


def test_grid__covers_the_box():
    spacing = 20.0
    box = (10.0, 50.0, 20.0, 60.0)
    sites = dg.grid(box, spacing)
    rng = np.random.default_rng(0)
    plon, plat = rng.uniform(box[0], box[2], 400), rng.uniform(box[1], box[3], 400)
    _, _, d = GEOD.inv(np.repeat(plon, len(sites)), np.repeat(plat, len(sites)),
                       np.tile(sites.lon, plon.size), np.tile(sites.lat, plon.size))
    nearest = np.asarray(d).reshape(plon.size, len(sites)).min(axis=1) / 1000
    assert nearest.max() <= spacing / np.sqrt(2) * 1.01


def test_grid__crosses_180_without_a_seam():
    spacing = 20.0
    sites = dg.grid((170.0, 60.0, -170.0, 70.0), spacing)
    assert ((sites.lon >= 170.0) | (sites.lon <= -170.0)).all()
    assert (sites.lon > 0).any() and (sites.lon < 0).any()
    for r in _rows(sites):
        lon = np.unwrap(np.radians(r.lon.to_numpy() % 360.0))  # in row order, across 180
        lon = np.degrees(lon)
        _, _, d = GEOD.inv(lon[:-1], r.lat.to_numpy()[:-1], lon[1:], r.lat.to_numpy()[1:])
        np.testing.assert_allclose(np.asarray(d) / 1000, spacing, rtol=1e-4)


def test_grid__row_round_the_globe_closes_on_itself():
    spacing = 50.0
    sites = dg.grid((-180.0, 80.0, 180.0, 80.2), spacing)
    for r in _rows(sites):
        lon = np.sort(r.lon.to_numpy())
        gaps = np.diff(np.append(lon, lon[0] + 360.0))
        assert gaps.max() - gaps.min() < 1e-9  # the seam gap is like every other
        _, _, d = GEOD.inv(lon[0], r.lat.iloc[0], lon[1], r.lat.iloc[0])
        assert spacing <= d / 1000 < spacing * 1.05


def test_grid__territory_across_180_and_inside_only():
    world = dg.World.load("50m")
    russia = world.territory("RUS")
    sites = dg.grid("Russia", 50)
    assert shapely.intersects_xy(russia, sites.lon, sites.lat).all()
    assert (sites.lon > 179).any() and (sites.lon < -179).any()  # Chukotka on both sides
    area = sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in russia.geoms) / 1e6
    assert len(sites) == pytest.approx(area / 50**2, rel=0.05)
    assert list(sites.site_id) == list(range(len(sites)))


def test_grid__geometry_and_pole():
    ring = shapely.Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])
    sites = dg.grid(ring, 30)
    assert len(sites) > 0 and shapely.intersects_xy(ring, sites.lon, sites.lat).all()
    assert len(dg.grid((-180.0, 89.99, 180.0, 90.0), 5)) == 1


@pytest.mark.parametrize("area, spacing, word", [
    ((0, 0, 1, 1), 0, "spacing_km"),
    ((0, 0, 1, 1), -3, "spacing_km"),
    ((0, 10, 1, 5), 5, "lat_min <= lat_max"),
    ((0, 0, 200, 1), 5, "[-180, 180]"),
    ("oops", 5, "unknown"),
    (3.5, 5, "area"),
    ((-180, -90, 180, 90), 0.1, "sites"),
])
def test_grid__bad_input_names_the_field(area, spacing, word):
    with pytest.raises(dg.DeployguardError) as info:
        dg.grid(area, spacing)
    assert word.lower() in str(info.value).lower()
    assert isinstance(info.value, InvalidInputError | KeyError)
