"""Maps: projections, projected geometries (180 deg, poles), drawing primitives, labels, output."""

import matplotlib.pyplot as plt
import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.errors import InvalidInputError
from deployguard.viz.basemap import draw_geometry, outline, view_of
from deployguard.viz.footer import km_per_unit, nice_length
from deployguard.viz.labels import MapLabel, around, place_boxes, place_labels
from deployguard.viz.output import save_figure
from deployguard.viz.plotting import map_view, plot_map, plot_zone, project_geometry
from deployguard.viz.projections import describe

GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def world():
    return dg.World.load("50m")


@pytest.fixture(scope="module")
def russia_5500(world):
    return dg.reach_zone(world.territory("RUS"), 5500)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def ring_points(ax, gid):
    """Vertices of the drawn line artist ``gid``, projected back to (lon, lat)."""
    art = [a for a in ax.get_children() if a.get_gid() == gid]
    assert len(art) == 1, f"expected one artist {gid!r}, found {len(art)}"
    xy = np.concatenate([np.asarray(s) for s in art[0].get_segments()])
    return view_of(ax).inverse_xy(xy[:, 0], xy[:, 1])


# --------------------------------------------------------------------------- projections
def test_map_view__auto_projection():
    assert map_view(extent=(-10, 35, 40, 65)).name == "lcc"  # Europe: a conic
    assert map_view(extent=(-180, 70, 180, 90)).name == "north_polar"  # the Arctic
    assert map_view(extent=(-180, -90, 180, -70)).name == "south_polar"
    assert map_view(extent=(0, -10, 40, 20)).name == "laea"  # across the equator
    view = map_view(extent=(170, 50, -170, 60))
    assert abs((view.center[0] + 360) % 360 - 180) < 1


def test_map_view__a_user_crs():
    view = map_view(extent=(0, 45, 20, 55), projection="EPSG:3035")
    assert view.name == "crs" and view.crs == pyproj.CRS("EPSG:3035")
    x, y = view.project_xy(10.0, 52.0)  # ETRS89-LAEA: false origin 4321000, 3210000 at 10E 52N
    assert float(x) == pytest.approx(4_321_000, abs=1)
    assert float(y) == pytest.approx(3_210_000, abs=1)
    assert map_view(extent=(0, 45, 20, 55), projection=pyproj.CRS("EPSG:4326")).crs is None


def test_map_view__bad_arguments():
    with pytest.raises(InvalidInputError, match="projection"):
        map_view(projection="mercator-ish")
    with pytest.raises(InvalidInputError, match="extent"):
        map_view(extent=(1, 2, 3))
    with pytest.raises(InvalidInputError, match="latitudes"):
        map_view(extent=(0, 50, 10, 40))


def test_describe__names_the_projection():
    assert describe(map_view(extent=(-10, 35, 40, 65)).crs).startswith(
        "Lambert conformal conic, standard parallels 40.0°N and 60.0°N")
    view = map_view([shapely.Point(20.5, 54.7)], projection="aeqd", center=(20.5, 54.7))
    assert "azimuthal equidistant centred on 20.5°E 54.7°N" in view.description


def test_cap_covers_the_whole_frame():
    """The visible cap holds every corner of the frame, so land never ends inside the map."""
    for view in (map_view(extent=(-10, 35, 40, 65)), map_view(extent=(160, 50, -150, 72)),
                 map_view(extent=(-180, 70, 180, 90))):
        (x0, x1), (y0, y1) = view.xlim, view.ylim
        lon, lat = view.inverse_xy([x0, x1, x0, x1], [y0, y0, y1, y1])
        assert shapely.intersects_xy(view.cap, lon, lat).all(), view.name


# --------------------------------------------------------------------------- 180 deg and poles
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
    area = sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in ring.geoms)
    assert out.area == pytest.approx(area, rel=1e-4)


@pytest.mark.parametrize("projection", ["lcc", "aeqd", "north_polar", "plate_carree",
                                        "EPSG:3571"])
def test_project_geometry__ring_across_180_in_every_projection(projection):
    ring = dg.range_ring(179.5, 66.5, 800)
    view = map_view([ring], projection=projection)
    out = project_geometry(ring, view)
    assert out.geom_type == "Polygon", projection
    x0, y0, x1, y1 = out.bounds
    span = 1_650_000 if view.crs is not None else 40  # metres, or degrees in plate carree
    assert x1 - x0 < span and y1 - y0 < span


def test_project_geometry__polar_reach_zone_keeps_the_pole(russia_5500):
    zone = russia_5500
    view = map_view([zone], projection="north_polar")
    out = project_geometry(zone, view)
    assert out.is_valid and out.geom_type == "Polygon"
    assert out.contains(shapely.Point(0, 0))  # the pole is the origin of the projection
    assert len(out.interiors) == 0  # no slit along 180 deg


@pytest.mark.parametrize("projection", ["laea", "lcc", "aeqd"])
def test_project_geometry__polar_cap_in_other_projections(projection):
    cap = dg.range_ring(0.0, 89.9, 600)  # holds the North Pole, cut at 180 deg
    view = map_view([cap], projection=projection)
    out = project_geometry(cap, view)
    assert out.geom_type == "Polygon" and len(out.interiors) == 0
    x, y = view.project_xy(0.0, 90.0)
    assert out.contains(shapely.Point(float(x), float(y)))
    # the disc, not a smear: its area is the geodesic area of the cap within 0.5 %
    area = sum(abs(GEOD.geometry_area_perimeter(p)[0]) for p in shapely.get_parts(cap))
    if projection == "laea":
        assert out.area == pytest.approx(area, rel=5e-3)


def test_plate_carree__rewraps_across_180():
    ring = dg.range_ring(179.5, 66.5, 800)
    view = map_view([ring], projection="plate_carree")
    out = project_geometry(ring, view)
    assert out.geom_type == "Polygon" and out.bounds[2] - out.bounds[0] < 40


@pytest.mark.parametrize("site, km", [((20.511, 54.7065), 500.0), ((179.5, 66.5), 800.0),
                                      ((-178.0, 58.5), 4500.0), ((0.0, 89.5), 700.0)])
def test_drawn_ring_lies_at_the_range(site, km, world):
    """Points on the drawn ring, projected back, are at the range (geodesic) within its
    tolerance: across 180 deg, around a pole, and in every projection's auto choice."""
    from deployguard.viz.layers import ring_tolerance_km

    tol = ring_tolerance_km(km)
    ring = dg.range_ring(*site, km, tolerance_km=tol)
    for projection in ("auto", "aeqd"):
        ax = plot_map(zones=[ring], world=world, projection=projection, legend=False,
                      background=False)  # the ring is under test, not the land
        view = view_of(ax)
        art = draw_geometry(ax, view, outline(ring), edgecolor="k", gid="ring-under-test")
        assert art is not None
        lon, lat = ring_points(ax, "ring-under-test")
        d = np.asarray(dg.distance_km(lon, lat, shapely.Point(site)))
        geod = GEOD.inv(np.full(len(lon), site[0]), np.full(len(lon), site[1]), lon, lat)[2]
        assert np.all(np.abs(d - km) <= tol + 1e-6), (projection, np.abs(d - km).max())
        assert np.all(np.abs(geod / 1000.0 - km) <= tol + 1e-6)
        # no smear: consecutive points of a line never jump across the map
        for seg in art.get_segments():
            step = np.hypot(*np.diff(np.asarray(seg), axis=0).T)
            assert np.max(step) < 0.05 * 2 * np.pi * km * 1000, projection
        plt.close(ax.figure)


# --------------------------------------------------------------------------- base maps
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
    ax.figure.set_size_inches(3, 3)
    ax.figure.savefig(tmp_path / "m.png", dpi=40)
    assert (tmp_path / "m.png").stat().st_size > 1000
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["USA", "800 km"]
    gids = {a.get_gid() for a in ax.get_children()}
    assert {"land", "borders", "graticule", "zone:800 km", "zone-outline:800 km"} <= gids


def test_graticule_stops_short_of_the_poles(world):
    """All meridians meeting at the pole paint a white star; they stop at 80 deg."""
    ax = plot_map(zones=[dg.range_ring(0, 89, 1500)], world=world, projection="north_polar")
    lon, lat = ring_points(ax, "graticule")
    assert np.nanmax(np.abs(lat)) <= 80 + 1e-6


def test_plot_map__second_call_keeps_the_view(world):
    ax = plot_map(zones=[dg.range_ring(20.5, 54.7, 500)], world=world)
    lim = ax.get_xlim()
    plot_map(ax, sites=[(21.0, 52.2)], world=world)
    assert ax.get_xlim() == lim


def test_plot_map__bad_layer():
    with pytest.raises(InvalidInputError, match="territories"):
        plot_map(territories=[42], background=False)


def test_plot_zone(world, russia_5500):
    ax = plot_zone(russia_5500, label="5,500 km",
                   world=world, projection="north_polar")
    assert ax.get_xlim()[0] < 0 < ax.get_xlim()[1] and ax.get_ylim()[0] < 0 < ax.get_ylim()[1]


# --------------------------------------------------------------------------- scale bars
def test_scale_bar_length_is_true_where_it_is_drawn():
    view = map_view(extent=(-10, 35, 40, 65))
    x, y = np.mean(view.xlim), view.ylim[0] + 0.05 * (view.ylim[1] - view.ylim[0])
    k = km_per_unit(view, float(x), float(y))
    lon, lat = view.inverse_xy([x, x + 500.0 / k], [y, y])
    assert GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000 == pytest.approx(500, rel=2e-3)
    assert [nice_length(v) for v in (1.0, 740.0, 2999.0, 0.07)] == [1.0, 500.0, 2000.0, 0.05]


# --------------------------------------------------------------------------- labels
def test_place_boxes__coincident_anchors_get_disjoint_boxes():
    sizes = np.array([[18.0, 10.0]] * 6)
    cands = [around((50.0, 50.0), (18.0, 10.0), 4.0)] * 6
    picks = place_boxes(cands, sizes, np.array([[46.0, 46.0, 54.0, 54.0]]), (0, 0, 100, 100))
    centres = [c[p] for c, p in zip(cands, picks, strict=True)]
    boxes = [(x - 9, y - 5, x + 9, y + 5) for x, y in centres]
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= 100 and 0 <= a[1] and a[3] <= 100
        assert not (a[0] < 54 and a[2] > 46 and a[1] < 54 and a[3] > 46)  # off the marker
        for b in boxes[:i]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_place_boxes__optional_labels_are_dropped_not_overlapped():
    c = np.array([[10.0, 10.0]])
    picks = place_boxes([c, c, c], np.array([[8.0, 8.0]] * 3), np.zeros((0, 4)),
                        (0, 0, 20, 20), optional=[False, True, False])
    assert picks == [0, None, 0]  # a required label is placed even when it must overlap


def test_place_labels__texts_do_not_overlap_on_a_map(world):
    ax = plot_map(zones=[dg.range_ring(17.92, 46.39, 300)], world=world, legend=False)
    ax.figure.set_size_inches(3, 3)
    labels = [MapLabel(str(n), tuple(map(float, view_of(ax).project_xy(17.92, 46.39))),
                       gid=f"label:{n}", style={"fontsize": 8, "bbox": {"boxstyle": "round"}})
              for n in range(12, 17)]
    texts = place_labels(ax, labels)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, a in enumerate(boxes):
        assert all(not a.overlaps(b) for b in boxes[:i])


# --------------------------------------------------------------------------- output
def test_save_figure__png_svg_at_dpi(tmp_path):
    fig = plt.figure(figsize=(2, 1.5))
    png = save_figure(fig, tmp_path / "m.png", dpi=80)
    from matplotlib.image import imread

    assert imread(png).shape[:2] == (120, 160)
    assert save_figure(fig, tmp_path / "m.svg").read_text()[:5] == "<?xml"
    with pytest.raises(InvalidInputError, match="path must end"):
        save_figure(fig, tmp_path / "m.gif")  # .jpg is written: the CLI maps take it
    with pytest.raises(InvalidInputError, match="dpi"):
        save_figure(fig, tmp_path / "m.png", dpi=0)
