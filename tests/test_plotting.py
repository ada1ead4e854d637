"""Maps: projected geometries must not smear across the antimeridian or lose polar caps."""

import matplotlib.pyplot as plt
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.errors import InvalidInputError
from deployguard.viz.plotting import (
    map_view,
    plot_map,
    plot_range_overlap,
    plot_zone,
    project_geometry,
)


@pytest.fixture(scope="module")
def world():
    return dg.World.load("50m")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_project_geometry__ring_across_antimeridian_is_one_compact_polygon():
    ring = dg.range_ring(179.5, 66.5, 800)
    assert ring.geom_type == "MultiPolygon"  # cut at 180 in EPSG:4326
    view = map_view([ring], projection="laea")
    out = project_geometry(ring, view)
    assert out.geom_type == "Polygon"  # healed in the plane, no seam
    # A disc of radius 800 km: no smear means its extent is about 1,600 km, not 40,000 km.
    x0, y0, x1, y1 = out.bounds
    assert 1_550_000 < x1 - x0 < 1_650_000 and 1_550_000 < y1 - y0 < 1_650_000
    # LAEA is equal-area on the ellipsoid: the same area as pyproj's geodesic polygon area.
    geod = pyproj.Geod(ellps="WGS84")
    area = sum(abs(geod.geometry_area_perimeter(p)[0]) for p in ring.geoms)
    assert out.area == pytest.approx(area, rel=1e-4)


def test_project_geometry__polar_reach_zone_keeps_the_pole(world):
    zone = dg.reach_zone(world.territory("RUS"), 5500)
    view = map_view([zone], projection="north_polar")
    out = project_geometry(zone, view)
    assert out.is_valid and out.geom_type == "Polygon"
    assert out.contains(shapely.Point(0, 0))  # the pole is the origin of the projection
    assert len(out.interiors) == 0  # no slit along 180 deg


def test_map_view__auto_projection():
    assert map_view(extent=(10, 30, 45, 60)).name == "laea"
    assert map_view(extent=(-180, 180, 70, 90)).name == "north_polar"
    assert map_view(extent=(-180, 180, -90, -70)).name == "south_polar"
    view = map_view(extent=(170, -170, 50, 60))
    assert view.center[0] == pytest.approx(180, abs=1) or view.center[0] == pytest.approx(
        -180, abs=1
    )


def test_map_view__bad_arguments():
    with pytest.raises(InvalidInputError, match="projection"):
        map_view(projection="mercator")
    with pytest.raises(InvalidInputError, match="extent"):
        map_view(extent=(1, 2, 3))
    with pytest.raises(InvalidInputError, match="latitudes"):
        map_view(extent=(0, 10, 50, 40))


def test_plate_carree__rewraps_across_180():
    ring = dg.range_ring(179.5, 66.5, 800)
    view = map_view([ring], projection="plate_carree")
    out = project_geometry(ring, view)
    assert out.geom_type == "Polygon" and out.bounds[2] - out.bounds[0] < 40


@pytest.mark.parametrize("projection", ["auto", "laea", "aeqd", "north_polar", "plate_carree"])
def test_plot_map__draws_and_saves(tmp_path, world, projection):
    ring = dg.range_ring(179.5, 66.5, 800)
    ax = plot_map(
        territories={"USA": world.territory("USA")},
        zones={"800 km": ring},
        sites={"Chukotka": (179.5, 66.5)},
        projection=projection,
        world=world,
    )
    ax.figure.savefig(tmp_path / "m.png", dpi=40)
    assert (tmp_path / "m.png").stat().st_size > 1000
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["USA", "800 km"]


def test_plot_map__second_call_keeps_the_view(world):
    ax = plot_map(zones=[dg.range_ring(20.5, 54.7, 500)], world=world)
    lim = ax.get_xlim()
    plot_map(ax, sites=[(21.0, 52.2)], world=world)
    assert ax.get_xlim() == lim


def test_plot_map__bad_layer():
    with pytest.raises(InvalidInputError, match="territories"):
        plot_map(territories=[42], background=False)


def test_plot_zone(world):
    ax = plot_zone(dg.reach_zone(world.territory("RUS"), 5500), label="5,500 km",
                   world=world, projection="north_polar")
    assert ax.get_xlim()[0] < 0 < ax.get_xlim()[1] and ax.get_ylim()[0] < 0 < ax.get_ylim()[1]


def test_plot_range_overlap__reach_from_distances(world):
    ax = plot_range_overlap((20.511, 54.7065), 400, ["POL", "LTU", "DEU"], world=world)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("POL") and "(reached)" in t for t in texts)
    assert any(t.startswith("DEU") and "(not reached)" in t for t in texts)


@pytest.mark.slow
def test_plot_report(tmp_path):
    from deployguard.treaty import checker
    from deployguard.viz.plotting import plot_report

    report = checker.check(dg.builtin_scenario("real_cases"))
    fig = plot_report(report, tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 10_000
    assert len(fig.axes) >= 2  # map panel(s) and the list of deployments
