"""The report map, the one-deployment and one-finding maps, and range-overlap maps."""

import matplotlib.pyplot as plt
import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.errors import InvalidInputError
from deployguard.viz.basemap import view_of
from deployguard.viz.layers import deployment_layers, ring_tolerance_km
from deployguard.viz.plotting import plot_finding, plot_range_overlap, plot_report

GEOD = pyproj.Geod(ellps="WGS84")
FOOTER_MUST_SAY = ("dated", "Worldview:", "Range estimate:", "Readings", "Projection",
                   "Borders: Natural Earth")


@pytest.fixture(scope="module")
def world():
    return dg.World.load("50m")


@pytest.fixture(scope="module")
def small_report():
    """Kaliningrad (Europe) and Provideniya (a ring across 180 deg): two panels."""
    return dg.check([
        dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M"),
        dg.Deployment(by="RUS", at=(-173.2333, 64.4236), date="2022-01-01",
                      system="Iskander-M", label="Iskander-M at Provideniya"),
    ])


@pytest.fixture(scope="module")
def real_cases():
    return dg.check(dg.builtin_scenario("real_cases"))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _match(gid, key):
    """``key`` ending in ':' matches a prefix; otherwise the gid exactly."""
    return isinstance(gid, str) and (gid.startswith(key) if key.endswith(":") else gid == key)


def by_gid(fig, key):
    return [a for ax in fig.axes for a in ax.get_children() if _match(a.get_gid(), key)]


def texts(fig, key):
    found = [t for ax in fig.axes for t in ax.texts if _match(t.get_gid(), key)]
    return found + [t for t in fig.texts if _match(t.get_gid(), key)]


def back_to_lonlat(ax, artist):
    xy = np.concatenate([np.asarray(s) for s in artist.get_segments()])
    return view_of(ax).inverse_xy(xy[:, 0], xy[:, 1])


def assert_no_overlap(fig, prefixes):
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_gid(), t.get_window_extent(renderer)) for p in prefixes
             for t in texts(fig, p) if t.get_visible()]
    for i, (ga, a) in enumerate(boxes):
        for gb, b in boxes[:i]:
            assert not a.overlaps(b), f"{ga} overlaps {gb}"


# --------------------------------------------------------------------------- report map
def test_report_map__rings_overlaps_key_and_footer(small_report, tmp_path):
    fig = plot_report(small_report, tmp_path / "map.png", dpi=60)
    assert (tmp_path / "map.png").stat().st_size > 10_000
    for n in (1, 2):
        assert len(by_gid(fig, f"ring:{n}")) == 1
        assert len(by_gid(fig, f"overlap:{n}")) == 1
        assert len(texts(fig, f"label:{n}")) == 1
        assert len(texts(fig, f"key-entry:{n}")) == 1
    assert len(by_gid(fig, "scalebar-box")) == 2 and len(texts(fig, "panel:")) == 2
    footer = texts(fig, "footer")[0].get_text().replace("\n    ", " ")
    for words in FOOTER_MUST_SAY:
        assert words in footer
    assert "Lambert conformal conic" in footer or "azimuthal" in footer
    assert_no_overlap(fig, ("label:", "ring-label:", "panel:"))


def test_report_map__drawn_rings_lie_at_the_range(small_report, world):
    """Ring points, projected back, are at 500 km (or at the minimum range, the inner circle
    of the annulus) by distance_km, across 180 deg too."""
    fig = plot_report(small_report)
    for n, d in enumerate(small_report.deployments, start=1):
        (layer,) = deployment_layers(small_report, world, only=[n - 1])
        radii = [layer.range_km] + ([layer.min_range_km] if layer.min_range_km else [])
        (ring,) = by_gid(fig, f"ring:{n}")
        lon, lat = back_to_lonlat(ring.axes, ring)
        dist = np.asarray(dg.distance_km(lon, lat, shapely.Point(d.lonlat)))
        off = np.min([np.abs(dist - r) for r in radii], axis=0)
        assert np.all(off <= ring_tolerance_km(500.0) + 1e-6), (n, off.max())
        assert np.isclose(dist, 500.0, atol=1.0).sum() > 100  # the outer circle is there


def test_report_map__overlap_is_the_other_partys_territory_within_range(small_report, world):
    (layer,) = deployment_layers(small_report, world, only=[0])
    reached = small_report.finding("NATO-5", 0).evidence["states_reached"]
    assert layer.states_reached == tuple(sorted(reached))
    # the ring cut to the territories as the evidence geometry is (reached_part, 1 km)
    from deployguard.geography.reached import drawn_territory, reached_part
    from deployguard.treaty.report import EVIDENCE_TOLERANCE_KM as TOL

    expected = reached_part(layer.ring, [drawn_territory(world.territory(c, sea=True),
                                                         tolerance_km=TOL) for c in reached],
                            tolerance_km=TOL)
    assert shapely.symmetric_difference(layer.overlap, expected).area < 1e-9 * expected.area
    # and within the 1 km tolerance of the exact intersection (islets under 1 km may go)
    exact = shapely.intersection(shapely.union_all([world.territory(c, sea=True)
                                                    for c in reached]), layer.ring)
    assert layer.overlap.within(exact.buffer(2 * TOL / 111.0 / 0.57))  # 2 km at 55 deg N
    assert shapely.symmetric_difference(layer.overlap, exact).area < 0.01 * exact.area
    # each point of the overlap is within range of the site (geodesic, ring tolerance + 1 km)
    pts = shapely.get_coordinates(layer.overlap)
    d = GEOD.inv(np.full(len(pts), 20.511), np.full(len(pts), 54.7065), pts[:, 0], pts[:, 1])[2]
    assert d.max() / 1000.0 <= 500.0 + ring_tolerance_km(500.0) + TOL


@pytest.mark.slow
def test_report_map__the_real_cases(real_cases):
    """The built-in scenario: one ring and one overlap per deployment, the whole key, labels
    (12 and 13 share a site) that do not collide, panels that fill the figure."""
    fig = plot_report(real_cases)
    layers = deployment_layers(real_cases, dg.World.load())
    for ly in layers:
        assert len(by_gid(fig, f"ring:{ly.number}")) == (1 if ly.ring is not None else 0)
        assert len(by_gid(fig, f"overlap:{ly.number}")) == (1 if ly.overlap is not None else 0)
        entry = texts(fig, f"key-entry:{ly.number}")
        assert len(entry) == 1 and ly.status.value.split("_")[0] in {"violation", "depends",
                                                                       "compliant", "not"}
    # the Wiesbaden Typhon's overlap with Russia is drawn once, not once per finding
    typhon = next(ly for ly in layers if "Wiesbaden" in ly.name)
    assert typhon.states_reached == ("RUS",) and len(by_gid(fig, f"overlap:{typhon.number}")) == 1
    headings = {t.get_text().split(" - ")[0] for t in texts(fig, "key-heading:")}
    assert {"Violation", "Depends", "Compliant"} <= headings
    # a status group is kept whole: one heading per status (no "continued")
    assert not any("continued" in t.get_text() for t in texts(fig, "key-heading:"))
    assert_no_overlap(fig, ("label:", "ring-label:", "panel:"))
    # panels: each keeps its view's aspect (no letterboxing), and none overlaps another
    maps = [ax for ax in fig.axes if view_of(ax) is not None]
    assert len(maps) == 4  # Europe; the 4,500 km bomber off Norway, whole; Bering; the USA
    w, h = fig.get_size_inches()
    for ax in maps:
        box = ax.get_position()
        assert box.width * w / (box.height * h) == pytest.approx(view_of(ax).aspect, rel=1e-3)
    for i, a in enumerate(maps):
        for b in maps[:i]:
            pa, pb = a.get_position(), b.get_position()
            assert pa.x1 <= pb.x0 + 1e-9 or pb.x1 <= pa.x0 + 1e-9 or pa.y1 <= pb.y0 + 1e-9 \
                or pb.y1 <= pa.y0 + 1e-9
    # the side panels fill the main panel's height exactly
    main = max(maps, key=lambda ax: ax.get_position().height)
    side = [ax.get_position() for ax in maps if ax is not main]
    assert max(p.y1 for p in side) == pytest.approx(main.get_position().y1, abs=1e-6)
    assert min(p.y0 for p in side) == pytest.approx(main.get_position().y0, abs=1e-6)


def test_report_map__one_deployment_with_its_evidence(small_report):
    fig = plot_report(small_report, deployment="Iskander-M at Provideniya")
    gids = {a.get_gid() for a in fig.axes[0].get_children()}
    assert {"ring:2", "ring-low:2", "ring-high:2", "band:2", "overlap:2", "nearest"} <= gids
    (near,) = texts(fig, "nearest-label")
    km = small_report.finding("US-6", 1).evidence["distance_km"]
    assert near.get_text() == f"{km:,.1f} km to USA"
    assert "US-6" in " ".join(t.get_text() for t in texts(fig, "key-finding"))
    with pytest.raises(InvalidInputError, match="not in the report"):
        plot_report(small_report, deployment="nowhere")


def test_plot_finding(small_report):
    fig = plot_finding(small_report.finding("NATO-5", 0), small_report)
    assert fig.texts[0].get_text().startswith("NATO-5 violation: 1. ")  # the title
    assert any("NATO-5" in t.get_text() for t in texts(fig, "key-finding"))
    fig2 = plot_finding(small_report.finding("NATO-5", 0))  # settings from the assumptions
    assert by_gid(fig2, "ring:1")
    with pytest.raises(InvalidInputError, match="Finding"):
        plot_finding("NATO-5")


def test_report_plot_and_finding_plot_accessors(small_report, tmp_path):
    """``Report.plot()`` / ``Finding.plot()`` hand over to viz: the same artists as
    plot_report / plot_finding, the keywords passed through, headless (Agg)."""
    import matplotlib

    assert matplotlib.get_backend().lower() == "agg"
    fig = small_report.plot(tmp_path / "map.svg", dpi=60)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert (tmp_path / "map.svg").read_text().startswith("<?xml")
    for n in (1, 2):
        assert len(by_gid(fig, f"ring:{n}")) == 1 and len(by_gid(fig, f"overlap:{n}")) == 1
        assert len(texts(fig, f"key-entry:{n}")) == 1
    assert "Borders: Natural Earth" in texts(fig, "footer")[0].get_text()
    one = small_report.plot(deployment=1)
    assert by_gid(one, "ring:2") and not by_gid(one, "ring:1")

    finding = small_report.finding("NATO-5", 0)
    fig = finding.plot(small_report)
    assert fig.texts[0].get_text().startswith("NATO-5 violation: 1. ")
    assert by_gid(fig, "ring:1") and by_gid(fig, "overlap:1")
    assert any("NATO-5" in t.get_text() for t in texts(fig, "key-finding"))
    _, ax = plt.subplots()
    fig = small_report.finding("US-6", 1).plot(ax=ax, title="mine")  # no report: assumptions
    assert fig is ax.figure and by_gid(fig, "ring:1")


def test_one_deployment_map__footer_numbers_it_as_the_report_does():
    """The map of deployment 2 of a sensitivity run says "deployment 2" in its footer, as its
    badge and title do (it said 1, the index within the one-deployment map)."""
    report = dg.check([
        dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M"),
        dg.Deployment(by="RUS", at="Anadyr", date="2022-01-01", system="Iskander-M"),
    ], drafts="us", sensitivity=["range_estimate"], progress=False)
    finding = report.finding("US-6", 1)
    assert finding.flipped_by == ("range_estimate",)
    for fig in (plot_finding(finding, report), plot_report(report, deployment=1)):
        footer = texts(fig, "footer")[0].get_text().replace("\n    ", " ")
        assert "deployment 2: US-6" in footer and "deployment 1" not in footer


def test_report_map__into_user_axes_and_svg(small_report, tmp_path):
    fig, ax = plt.subplots(figsize=(4, 4))
    out = plot_report(small_report, tmp_path / "m.svg", ax=ax)
    assert out is fig and view_of(ax) is not None
    assert {"ring:1", "ring:2"} <= {a.get_gid() for a in ax.get_children()}
    assert "Borders: Natural Earth" in texts(fig, "footer")[0].get_text()
    assert (tmp_path / "m.svg").read_text()[:5] == "<?xml"


@pytest.mark.slow
def test_report_map__a_deployment_at_the_north_pole_and_a_minimum_range():
    """A ring holding the pole and an annulus: both drawn at their ranges, no smear."""
    mrbm = dg.WeaponSystem(name="Test MRBM", system_class="GLBM", basing="land",
                           operator="RUS", range_low_km=1100.0, range_nominal_km=1200.0,
                           range_high_km=1400.0, min_range_km=300.0)
    report = dg.check([dg.Deployment(by="RUS", at=(40.0, 89.5), date="2022-01-01",
                                     system=mrbm, label="at the pole")])
    fig = plot_report(report, deployment=0)
    (ring,) = by_gid(fig, "ring:1")
    lon, lat = back_to_lonlat(ring.axes, ring)
    d = GEOD.inv(np.full(len(lon), 40.0), np.full(len(lon), 89.5), lon, lat)[2] / 1000.0
    near = np.minimum(np.abs(d - 1200.0), np.abs(d - 300.0))  # outer and inner circle
    assert np.all(near <= ring_tolerance_km(1200.0) + 1e-6)
    assert (np.abs(d - 300.0) < 1).any() and (np.abs(d - 1200.0) < 1).any()
    x0, x1 = ring.axes.get_xlim()
    assert x1 - x0 < 2 * 1400e3 * 1.3  # framed on the rings, not smeared across the globe


def test_plot_report__bad_input():
    with pytest.raises(InvalidInputError, match="Report"):
        plot_report("not a report")


# --------------------------------------------------------------------------- range overlap
def test_range_overlap__thirty_nato_members(world):
    """All 30 members on 2022-01-01: framed on the rings, the unreached grouped in one
    legend entry, reach decided by exact distance."""
    site = (20.511, 54.7065)
    ax = plot_range_overlap(site, "Iskander-M", against="NATO", on="2022-01-01",
                            world=world, places=False)
    members = sorted(dg.nato.members(on="2022-01-01"))
    assert len(members) == 30
    reached = sorted({a.get_gid().split(":")[1] for a in ax.get_children()
                      if (a.get_gid() or "").startswith("reached:")})
    expected = [c for c in members if dg.within_range(*site, world.territory(c), 700.0)]
    assert reached == expected and "POL" in reached and "USA" not in reached
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) <= 6 and legend[-1] == f"not reached: {30 - len(reached)} states"
    # framed on the 700 km ring (azimuthal equidistant on the site), not on the USA
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert 2 * 700e3 <= x1 - x0 <= 2 * 700e3 * 1.15 and 2 * 700e3 <= y1 - y0 <= 2 * 700e3 * 1.15
    # reached under the low estimate (400 km) are coloured as such
    low = [t for t in legend if t.startswith("reached within 400 km")]
    n_low = sum(1 for c in members if float(dg.distance_km(*site, world.territory(c))) <= 400)
    assert low == [f"reached within 400 km (Iskander-M low): {n_low} states"]
    assert_no_overlap(ax.figure, ("ring-label:", "site-label", "state-label:"))


def test_range_overlap__nested_systems_and_estimates(world):
    ax = plot_range_overlap("Kaliningrad", {"9M729": (480, 2500), "Iskander-M": 500,
                                            "Kalibr": "Kalibr"}, against=["POL", "DEU", "FRA"],
                            world=world, places=False)
    gids = {a.get_gid() for a in ax.get_children()}
    # drawn outermost first: Kalibr (to 2,600 km), 9M729 (480-2,500 km), Iskander-M (500 km)
    assert {"ring:1:480", "ring:1:2500", "band:1", "ring:2:500", "band:0"} <= gids
    assert any(g.startswith("reached:FRA:") for g in gids if g)  # Paris: 1,100 km away
    lines = [a for a in ax.get_children() if a.get_gid() == "ring:1:2500"]
    lon, lat = back_to_lonlat(ax, lines[0])
    d = GEOD.inv(np.full(len(lon), 20.511), np.full(len(lon), 54.7065), lon, lat)[2] / 1000
    assert np.all(np.abs(d - 2500) <= ring_tolerance_km(2500) + 1e-6)


def test_range_overlap__into_user_axes(world):
    fig, ax = plt.subplots(figsize=(4, 4))
    out = plot_range_overlap((20.511, 54.7065), 500, ["POL", "LTU", "DEU"], world, ax,
                             places=False)
    assert out is ax
    texts_ = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts_[0] == "500 km" and any(t.startswith("reached within 500 km") for t in texts_)


def test_range_overlap__bad_input(world):
    with pytest.raises(InvalidInputError, match="site"):
        plot_range_overlap((200.0, 10.0), 500, world=world)
    with pytest.raises(InvalidInputError, match="positive number"):
        plot_range_overlap((20.0, 50.0), -5, world=world)
    with pytest.raises(InvalidInputError, match="empty"):
        plot_range_overlap((20.0, 50.0), [], world=world)


# --------------------------------------------------------------------------- permitted zones
def _contains(ax, gid, lon, lat):
    (patch,) = [a for a in ax.get_children() if a.get_gid() == gid]
    x, y = view_of(ax).project_xy(lon, lat)
    return bool(patch.get_path().contains_point((float(x), float(y))))


def test_permitted_zone_map__drawn_from_a_zone(world):
    """A zone made by hand (Estonia west of 25 deg E): permitted, excluded, the edge between."""
    import datetime

    from deployguard.treaty.where import PermittedZone
    from deployguard.viz.plotting import plot_permitted_zone

    est = world.territory("EST", sea=True)
    zone = PermittedZone(
        geometry=shapely.intersection(est, shapely.box(20, 57, 25, 60)), kind="zone",
        party="EST", system="Test GLBM", weapon="Test GLBM", range_km=300.0, min_range_km=None,
        range_estimate="nominal", missile_class="shorter-range", clauses=("NATO-5",),
        protected_states=("RUS",), date=datetime.date(2022, 1, 1), worldview="de_facto",
        resolution="50m", readings=dg.Readings(), tolerance_km=0.05, restricted=True,
        note="a zone made by hand for this test")
    ax = plot_permitted_zone(zone=zone, world=world)
    gids = {a.get_gid() for a in ax.get_children()}
    assert {"permitted", "excluded", "protected", "reach-line", "party"} <= gids
    assert _contains(ax, "permitted", 24.75, 59.44)  # Tallinn
    assert _contains(ax, "excluded", 27.0, 58.4) and not _contains(ax, "permitted", 27.0, 58.4)
    (line,) = [a for a in ax.get_children() if a.get_gid() == "reach-line"]
    lon, _ = back_to_lonlat(ax, line)
    assert np.allclose(lon, 25.0, atol=1e-6)  # only the edge inside Estonia, not its coast
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1] == "national territory within 300 km of RUS" and legend[2] == "protected: RUS"
    footer = [t for t in ax.texts if t.get_gid() == "footer"][0].get_text()
    assert "A zone made by hand" in footer and "NATO-5 on 2022-01-01" in footer
    with pytest.raises(InvalidInputError, match="party, system and on"):
        plot_permitted_zone("USA")


@pytest.mark.slow
def test_permitted_zone_map__dark_eagle_in_the_usa(world, tmp_path):
    from deployguard.viz.plotting import plot_permitted_zone

    ax = plot_permitted_zone("USA", "Dark Eagle", on="2021-12-17", world=world,
                             path=tmp_path / "zone.png", dpi=50)
    assert _contains(ax, "permitted", -77.04, 38.90)  # Washington
    assert _contains(ax, "excluded", -149.90, 61.22)  # Anchorage
    assert view_of(ax).name == "lcc" and (tmp_path / "zone.png").stat().st_size > 5_000


# --------------------------------------------------------------------------- interactive
def _findings_frame(report):
    """One row per finding with its deployment's geometry (Report.to_geodataframe when the
    report has it)."""
    import geopandas as gpd

    if hasattr(report, "to_geodataframe"):
        return report.to_geodataframe()
    frame = report.to_frame()
    where = {d.name: d.geometry for d in report.deployments}
    return gpd.GeoDataFrame(frame, geometry=[where[n] for n in frame["deployment"]],
                            crs="EPSG:4326")


def test_explore_offline__findings_on_an_interactive_map(small_report):
    """geopandas' explore() with folium (the 'interactive' extra) and no tile server."""
    gdf = _findings_frame(small_report)
    gdf = gdf[gdf.geometry.notna()]
    cols = [c for c in ("deployment", "clause", "status", "distance_km") if c in gdf.columns]
    m = gdf[[*cols, "geometry"]].explore(column="status", tiles=None)
    html = m.get_root().render()
    assert "L.tileLayer" not in html  # nothing is fetched from a tile server
    assert html.count('"type": "Feature"') + html.count('"type":"Feature"') == len(gdf)
