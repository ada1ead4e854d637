"""One convention for boxes and places (issue 21 item 6): every box is shapely's
(lon_min, lat_min, lon_max, lat_max); every territory argument also takes a state's name or code."""

import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard._validate import as_box
from deployguard.errors import InvalidInputError, UnknownStateError
from deployguard.viz.mapview import map_view

GEOD = pyproj.Geod(ellps="WGS84")
POLAND_BOX = (14.1, 49.0, 24.2, 54.9)           # shapely's order
POLAND_BOX_MPL = (14.1, 24.2, 49.0, 54.9)       # matplotlib's order: also a valid shapely box
EAST_ASIA_MPL = (100.0, 140.0, 20.0, 50.0)      # matplotlib's order: no valid shapely box


def test_as_box__shapely_order_and_across_180():
    assert as_box(POLAND_BOX, "area") == POLAND_BOX
    assert as_box([170, 55, -165, 65], "area") == (170.0, 55.0, -165.0, 65.0)
    assert as_box(shapely.box(*POLAND_BOX).bounds, "area") == pytest.approx(POLAND_BOX)


@pytest.mark.parametrize("bad, expected", [
    ((1, 2, 3), "4 numbers"),
    ("Poland", "4 numbers"),
    ((0, 0, float("nan"), 1), "finite"),
    ((0, 0, 200, 1), "longitudes"),
    ((0, 50, 10, 40), "lat_min <= lat_max"),
])
def test_as_box__bad_boxes_name_argument_value_and_order(bad, expected):
    with pytest.raises(InvalidInputError, match=expected) as err:
        as_box(bad, "extent")
    msg = str(err.value)
    assert msg.startswith("extent must be a box (lon_min, lat_min, lon_max, lat_max)")


def test_as_box__the_other_order_is_refused_with_the_box_to_give():
    with pytest.raises(InvalidInputError) as err:
        as_box(EAST_ASIA_MPL, "extent")
    msg = str(err.value)
    assert "extent" in msg and "(100.0, 140.0, 20.0, 50.0)" in msg
    assert "(lon_min, lat_min, lon_max, lat_max)" in msg
    assert "give (100.0, 20.0, 140.0, 50.0)" in msg


def test_grid_and_map_view__same_box_same_window():
    """The box grid() covers is the window map_view(extent=) shows."""
    sites = dg.grid(POLAND_BOX, 50)
    assert sites.lon.min() >= POLAND_BOX[0] and sites.lon.max() <= POLAND_BOX[2]
    assert sites.lat.min() >= POLAND_BOX[1] and sites.lat.max() <= POLAND_BOX[3]
    view = map_view(extent=POLAND_BOX)
    lon, lat = view.inverse_xy(np.array([np.mean(view.xlim)]), np.array([np.mean(view.ylim)]))
    centre = (float(lon[0]), float(lat[0]))
    # the window's centre is the box's centre (19.15E, 51.95N), within 30 km
    d = GEOD.inv(centre[0], centre[1], 19.15, 51.95)[2] / 1000
    assert d < 30
    # every corner of the box is in view
    x, y = view.project_xy(np.array([14.1, 24.2, 14.1, 24.2]), np.array([49.0, 49.0, 54.9, 54.9]))
    assert (view.xlim[0] <= x).all() and (x <= view.xlim[1]).all()
    assert (view.ylim[0] <= y).all() and (y <= view.ylim[1]).all()


@pytest.mark.parametrize("call", [
    lambda box: dg.grid(box, 50),
    lambda box: map_view(extent=box),
])
def test_boxes__other_order_error_everywhere(call):
    with pytest.raises(InvalidInputError, match=r"lon_min, lat_min, lon_max, lat_max.*give"):
        call(EAST_ASIA_MPL)


@pytest.fixture(scope="module")
def poland():
    return dg.World.load("50m").territory("POL")


@pytest.mark.parametrize("name", ["Poland", "POL", "pol", 616])
def test_territory_by_name__distance_km(name, poland):
    lon, lat = np.array([20.5, 13.4]), np.array([54.7, 52.5])
    assert np.array_equal(dg.distance_km(lon, lat, name), dg.distance_km(lon, lat, poland))


def test_territory_by_name__within_range_reach_zone_geometry_distance(poland):
    assert bool(dg.within_range(20.5, 54.7, "Poland", 40.0)) is True
    assert bool(dg.within_range(20.5, 54.7, "Poland", 20.0)) is False
    assert dg.geometry_distance_km("Poland", "Germany") == 0.0
    assert dg.geometry_distance_km(shapely.Point(20.5, 54.7), "Poland") == pytest.approx(
        float(dg.distance_km(20.5, 54.7, poland)))
    assert dg.reach_zone("Lithuania", 20.0, tolerance_km=1.0).equals(
        dg.reach_zone(dg.World.load("50m").territory("LTU"), 20.0, tolerance_km=1.0))


def test_territory_by_name__unknown_name_suggests():
    with pytest.raises(UnknownStateError, match="Poland"):
        dg.distance_km(20.5, 54.7, "Polandia")
