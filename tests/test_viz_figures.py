"""Figures that need no editing: maps shade what the checker measured (issue 17 item 4), one
title, panels framed on their rings, any dpi and format (issue 21 item 4)."""

import matplotlib.pyplot as plt
import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.viz.basemap import view_of
from deployguard.viz.overlap import _reached_parts
from deployguard.viz.plotting import plot_range_overlap

GEOD = pyproj.Geod(ellps="WGS84")
KALININGRAD = (20.511, 54.7065)
GREENLAND = shapely.box(-74.0, 59.0, -10.0, 84.0)
#: the evidence geometry's tolerance (1 km), the ring's (80 m at 400 km), and float slack
SHADE_TOL_KM = 1.0 + 0.08 + 0.01


@pytest.fixture(scope="module")
def world():
    return dg.World.load("50m")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _distances_km(lonlat, site):
    lon, lat = np.asarray(lonlat[0]), np.asarray(lonlat[1])
    return GEOD.inv(np.full(lon.shape, site[0]), np.full(lon.shape, site[1]), lon, lat)[2] / 1e3


def test_range_overlap__shades_only_the_part_within_range(world):
    """Kaliningrad at 400 km reaches Denmark through Bornholm: Bornholm is shaded, Greenland
    (Denmark's too, 2,500 km away) is not, and no shaded point lies beyond 400 km."""
    ax = plot_range_overlap(KALININGRAD, 400, against="NATO", on="2022-01-01", world=world,
                            places=False)
    patches = [a for a in ax.get_children() if (a.get_gid() or "").startswith("reached:")]
    states = {a.get_gid().split(":")[1] for a in patches}
    assert {"DNK", "POL", "LTU"} <= states and "SWE" not in states  # not NATO in 2022
    view = view_of(ax)
    for patch in patches:
        xy = patch.get_path().vertices
        d = _distances_km(view.inverse_xy(xy[:, 0], xy[:, 1]), KALININGRAD)
        assert d.max() <= 400 + SHADE_TOL_KM, patch.get_gid()
    # the geometry behind the patches, before any clipping to the view
    parts = _reached_parts({(0, 400.0): dg.range_ring(*KALININGRAD, 400.0, tolerance_km=0.08)},
                           {"DNK": 400.0, "POL": 400.0}, world, sea=False)
    dnk = parts[("DNK", 400.0)]
    assert not dnk.intersects(GREENLAND)
    pts = shapely.get_coordinates(dnk)
    assert _distances_km(pts.T, KALININGRAD).max() <= 400 + SHADE_TOL_KM
    # and it is the reached part: Bornholm (Rønne) is in it
    assert dnk.buffer(0.02).contains(shapely.Point(14.70, 55.10))


def test_range_overlap__bands_shade_by_distance(world):
    """Iskander-M's 400 / 500 / 700 km: the part of Poland within 400 km is one piece, the part
    from 400 to 700 km another, and they do not overlap."""
    parts = _reached_parts(
        {(0, 400.0): dg.range_ring(*KALININGRAD, 400.0, tolerance_km=0.08),
         (0, 700.0): dg.range_ring(*KALININGRAD, 700.0, tolerance_km=0.14)},
        {"POL": 400.0, "DEU": 700.0}, world, sea=False)
    near, far = parts[("POL", 400.0)], parts[("POL", 700.0)]
    assert shapely.intersection(near, far).area < 1e-3 * near.area
    d_far = _distances_km(shapely.get_coordinates(far).T, KALININGRAD)
    assert d_far.min() >= 400 - SHADE_TOL_KM and d_far.max() <= 700 + SHADE_TOL_KM
    assert ("DEU", 400.0) not in parts and ("DEU", 700.0) in parts
