"""Figures that need no editing: maps shade what the checker measured (issue 17 item 4), one
title, panels framed on their rings, any dpi and format (issue 21 item 4)."""

from pathlib import Path

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


# --------------------------------------------------------------------------- report map panels
@pytest.fixture(scope="module")
def real_cases():
    return dg.check(dg.builtin_scenario("real_cases"))


def _ring_lonlat(ax, artist):
    xy = np.concatenate([np.asarray(s) for s in artist.get_segments()])
    return xy


def test_report_map__every_ring_whole_and_its_centre_in_its_panel(real_cases):
    """No panel cuts a ring: each ring's drawn outline lies inside its panel's frame and its
    site inside too (Fort Bliss and Norfolk were cut; the 4,500 km bomber swamped Europe)."""
    from deployguard.viz.layers import deployment_layers
    from deployguard.viz.report_map import plot_report

    fig = plot_report(real_cases)
    layers = {ly.number: ly for ly in deployment_layers(real_cases, dg.World.load())}
    seen = set()
    for ax in fig.axes:
        view = view_of(ax)
        if view is None:
            continue
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        for artist in ax.get_children():
            gid = artist.get_gid() or ""
            if not (gid.startswith("ring:") and gid[5:].isdigit()):
                continue
            n = int(gid[5:])
            seen.add(n)
            xy = _ring_lonlat(ax, artist)
            assert (xy[:, 0] >= x0).all() and (xy[:, 0] <= x1).all(), f"ring {n} cut (x)"
            assert (xy[:, 1] >= y0).all() and (xy[:, 1] <= y1).all(), f"ring {n} cut (y)"
            cx, cy = view.project_xy(*layers[n].anchor)
            assert x0 < float(cx) < x1 and y0 < float(cy) < y1, f"site {n} outside its panel"
            # the ring is the range the verdicts used, from the site (independent geodesics)
            lon, lat = view.inverse_xy(xy[:, 0], xy[:, 1])
            d = _distances_km((lon, lat), layers[n].anchor)
            inner = layers[n].min_range_km or 0.0
            near = np.minimum(np.abs(d - layers[n].range_km), np.abs(d - inner) if inner
                              else np.inf)
            assert near.max() <= 0.01 * layers[n].range_km, f"ring {n} not at its range"
    assert seen == {n for n, ly in layers.items() if ly.ring is not None}


def test_report_map__footer_and_titles_fit_the_figure(real_cases, tmp_path):
    from deployguard.viz.report_map import plot_report

    for dpi in (60, 110):
        fig = plot_report(real_cases, tmp_path / "map.png", dpi=dpi)
        fig.set_dpi(dpi)
        renderer = fig.canvas.get_renderer()
        boxes = {t.get_gid(): t.get_window_extent(renderer) for t in fig.texts
                 if t.get_gid() in ("title", "subtitle", "footer")}
        assert set(boxes) == {"title", "subtitle", "footer"}
        for gid, box in boxes.items():
            assert box.x0 >= 0 and box.x1 <= fig.bbox.width, f"{gid} runs off at {dpi} dpi"
        assert not boxes["title"].overlaps(boxes["subtitle"])
        plt.close(fig)


# --------------------------------------------------------------------------- one title
def _renderer(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "get_renderer"):  # closed by the command: a canvas again
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _titles(fig):
    renderer = _renderer(fig)
    out = []
    for ax in fig.axes:
        for t in (ax.title, ax._left_title, ax._right_title):
            if t.get_text():
                out.append(t.get_window_extent(renderer))
    out += [t.get_window_extent(renderer) for t in fig.texts if t.get_gid() in
            ("title", "subtitle")]
    if fig._suptitle is not None and fig._suptitle.get_text():
        out.append(fig._suptitle.get_window_extent(renderer))
    return out


@pytest.mark.parametrize("argv", [
    ["reach", "Iskander-M", "--at", "Kaliningrad"],
    ["demo"],
])
def test_cli_maps__one_title_that_overlaps_nothing(argv, tmp_path, monkeypatch):
    """``deployguard reach ... --map`` and ``deployguard demo`` drew their own title over the
    map's: the figure written has one title, clear of the map and the legend."""
    from deployguard.cli.main import main
    from deployguard.viz import output

    drawn = []
    real = output.figure_bytes

    def keep(fig, fmt, dpi=150.0):
        drawn.append(fig)
        return real(fig, fmt, dpi)

    monkeypatch.setattr(output, "figure_bytes", keep)
    extra = ["--map", str(tmp_path / "m.png")] if argv[0] == "reach" else [
        "--out", str(tmp_path / "demo")]
    assert main([*argv, *extra, "--quiet"]) == 0
    (fig,) = drawn
    titles = _titles(fig)
    assert len(titles) == 1
    renderer = _renderer(fig)
    (ax,) = [a for a in fig.axes if view_of(a) is not None]
    assert not titles[0].overlaps(ax.get_window_extent(renderer))
    legend = ax.get_legend().get_window_extent(renderer)
    assert not titles[0].overlaps(legend)
    # no label collides with another: rings, the site, states and places
    labels = [(t.get_gid(), t.get_window_extent(renderer)) for t in ax.texts if t.get_visible()
              and (t.get_gid() or "").startswith(("ring-label", "site-label", "state-label",
                                                  "place-label"))]
    assert any(g == "site-label" for g, _ in labels) and len(labels) >= 4
    for i, (ga, a) in enumerate(labels):
        for gb, b in labels[:i]:
            assert not a.overlaps(b), f"{ga} overlaps {gb}"


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF")])
def test_cli_reach_map__dpi_and_format_by_suffix(suffix, magic, tmp_path):
    from matplotlib.image import imread

    from deployguard.cli.main import main

    path = tmp_path / f"reach{suffix}"
    assert main(["reach", "Iskander-M", "--at", "Kaliningrad", "--map", str(path), "--dpi", "50",
                 "--quiet"]) == 0
    assert path.read_bytes()[:len(magic)] == magic
    if suffix == ".png":
        small = imread(path).shape
        assert main(["reach", "Iskander-M", "--at", "Kaliningrad", "--map", str(path),
                     "--dpi", "100", "--quiet"]) == 0
        big = imread(path).shape
        assert big[0] == pytest.approx(2 * small[0], abs=2)
        assert big[1] == pytest.approx(2 * small[1], abs=2)


def test_cli_dpi__refused_out_of_range(tmp_path, capsys):
    from deployguard.cli.main import main

    code = main(["reach", "Iskander-M", "--at", "Kaliningrad", "--map",
                 str(tmp_path / "m.png"), "--dpi", "0"])
    assert code == 2
    assert "--dpi" in capsys.readouterr().err


# --------------------------------------------------------------------------- permitted zones
@pytest.fixture(scope="module")
def dark_eagle_zone():
    return dg.permitted_zone("USA", "Dark Eagle", on="2025-01-01", progress=False)


def _note(ax):
    notes = [t for t in ax.texts if t.get_gid() == "view-note"]
    return notes[0].get_text().replace("\n", " ") if notes else None


def test_permitted_zone__says_why_nothing_is_permitted_in_view(dark_eagle_zone):
    """Dark Eagle over Europe: 8.3 million km² permitted, none in view; the figure says why."""
    from deployguard.viz.plotting import plot_permitted_zone

    europe = plot_permitted_zone(zone=dark_eagle_zone, extent=(-12, 34, 42, 71))
    note = _note(europe)
    assert note is not None and note.startswith("Nothing is permitted in view")
    assert "USA's national territory" in note and "US-6" in note
    assert f"{dark_eagle_zone.area_km2:,.0f} km²" in note
    renderer = europe.figure.canvas.get_renderer()
    (box,) = [t.get_window_extent(renderer) for t in europe.texts if t.get_gid() == "view-note"]
    assert not box.overlaps(europe.get_legend().get_window_extent(renderer))
    assert europe.get_window_extent(renderer).contains(box.x0, box.y0)
    # over the USA both parts are in view: no note
    assert _note(plot_permitted_zone(zone=dark_eagle_zone)) is None


def test_permitted_zone__view_note_everything_permitted(dark_eagle_zone):
    import dataclasses

    from deployguard.viz.permitted import view_note

    some = shapely.box(-100, 35, -90, 40)
    empty = shapely.Polygon()
    parts = {"permitted": some, "excluded": empty}
    note = view_note(dark_eagle_zone, parts, "national territory", "2,776 km")
    assert note.startswith("All of USA's national territory in view is permitted: none of it")
    free = dataclasses.replace(dark_eagle_zone, restricted=False, note="not restricted here")
    assert view_note(free, parts, "national territory", "2,776 km").endswith(
        "permitted: not restricted here.")
    parts = {"permitted": empty, "excluded": some}
    assert "lies within 2,776 km of the protected states" in view_note(
        dark_eagle_zone, parts, "national territory", "2,776 km")
    assert view_note(dark_eagle_zone, {"permitted": some, "excluded": shapely.box(0, 0, 1, 1)},
                     "national territory", "2,776 km") is None


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF")])
def test_plot_zone__path_and_dpi(suffix, magic, tmp_path):
    from matplotlib.image import imread

    from deployguard.viz.plotting import plot_zone

    ring = dg.range_ring(*KALININGRAD, 500, tolerance_km=1.0)
    path = tmp_path / f"zone{suffix}"
    ax = plot_zone(ring, path=path, dpi=40)
    assert path.read_bytes()[:len(magic)] == magic
    if suffix == ".png":
        w, h = ax.figure.get_size_inches()
        assert imread(path).shape[:2] == (round(h * 40), round(w * 40))


def test_report_map__overlap_is_the_evidence_geometry(world):
    """The report map shades what a finding's evidence geometry holds (one function makes
    both): the same area within the rings' and the simplification's tolerance."""
    from deployguard.viz.layers import deployment_layers

    report = dg.check(dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01",
                                    system="Tomahawk (Typhon)"))
    (layer,) = deployment_layers(report, world)
    evidence = report.evidence_geometry(report.finding("NATO-5"))
    assert evidence is not None and layer.overlap is not None
    # the rings differ by up to 1 km (the evidence's tolerance) along ~2,500 km of arc in Russia
    diff = shapely.symmetric_difference(evidence, layer.overlap).area
    assert diff <= 5e-3 * evidence.area
    pts = shapely.get_coordinates(layer.overlap)
    assert _distances_km(pts.T, layer.anchor).max() <= 1600 + SHADE_TOL_KM


def _layer(name, lonlat, km):
    from types import SimpleNamespace

    return SimpleNamespace(name=name, anchor=lonlat, range_km=km,
                           ring=None if km is None else object())


def test_split_by_scale__rings_of_one_scale_share_a_panel():
    from deployguard.viz.panels import split_by_scale

    def names(groups):
        return [[ly.name for ly in g] for g in groups]

    kal, wies = _layer("kal", (20.5, 54.7), 500), _layer("wies", (8.3, 50.0), 1600)
    troops = _layer("troops", (19.0, 47.5), None)
    bomber = _layer("bomber", (10.0, 70.0), 4500)
    oreshnik = _layer("oreshnik", (26.0, 53.2), 5500)
    assert names(split_by_scale([kal, wies, troops])) == [["kal", "wies", "troops"]]
    assert names(split_by_scale([kal, wies, troops, bomber])) == [["kal", "wies", "troops"],
                                                                 ["bomber"]]
    # two wide rings of one scale: one panel for both, not one each
    assert names(split_by_scale([kal, wies, bomber, oreshnik])) == [["kal", "wies"],
                                                                   ["bomber", "oreshnik"]]
    # a marker far off (Guam, chained to Europe through other sites) leaves for its own panel,
    # and is not put with a wide ring over Europe because both are far from the centre
    guam = _layer("guam", (144.8, 13.5), None)
    assert names(split_by_scale([kal, wies, troops, guam, bomber])) == [
        ["kal", "wies", "troops"], ["bomber"], ["guam"]]
    # Fort Bliss (2,776 km) and Norfolk (1,600 km): one scale, one panel
    bliss, norfolk = _layer("bliss", (-106.4, 31.8), 2776), _layer("norfolk", (-76.3, 36.9), 1600)
    assert names(split_by_scale([bliss, norfolk])) == [["bliss", "norfolk"]]


def test_report_map__a_5500_km_ring_does_not_swamp_the_theatre():
    """The Oreshnik in Belarus (5,500 km) beside 500 and 1,600 km rings: its ring and its
    shading go to a panel of their own, framed whole; the theatre's panel keeps its scale."""
    from deployguard.viz.report_map import plot_report

    report = dg.check([
        dg.Deployment(by="RUS", at=(26.0, 53.2), date="2025-06-01", system="Oreshnik"),
        dg.Deployment(by="RUS", at="Kaliningrad", date="2025-06-01", system="Iskander-M"),
        dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)"),
    ])
    fig = plot_report(report)
    panels = {}
    for ax in fig.axes:
        for a in ax.get_children():
            if (a.get_gid() or "").startswith(("ring:", "overlap:")):
                panels.setdefault(ax, set()).add(a.get_gid())
    (theatre,) = [ax for ax, gids in panels.items() if "ring:2" in gids]
    (wide,) = [ax for ax, gids in panels.items() if "ring:1" in gids]
    assert theatre is not wide and {"ring:3"} <= panels[theatre]
    assert "overlap:1" in panels[wide] and "overlap:1" not in panels[theatre]
    # the theatre is framed on its own rings: 1,600 km around Wiesbaden, not 5,500 km
    (x0, x1) = theatre.get_xlim()
    assert x1 - x0 < 2 * 2500e3


def test_cli_check_map__dpi_and_format(tmp_path):
    """``deployguard check ... --map FILE --dpi N``: the suffix chooses the format, --dpi the
    pixels (the map was a 110 dpi PNG whatever was asked)."""
    from matplotlib.image import imread

    from deployguard.cli.main import main

    scenario = str(Path(__file__).resolve().parent.parent / "examples" / "kaliningrad.yaml")
    for suffix, magic in ((".pdf", b"%PDF"), (".svg", b"<?xml")):
        path = tmp_path / f"map{suffix}"
        main(["check", scenario, "--map", str(path), "--quiet"])
        assert path.read_bytes()[:len(magic)] == magic
    shapes = []
    for dpi in ("40", "80"):
        path = tmp_path / f"map{dpi}.png"
        main(["check", scenario, "--map", str(path), "--dpi", dpi, "--quiet"])
        shapes.append(imread(path).shape)
    assert shapes[1][0] == pytest.approx(2 * shapes[0][0], abs=2)
