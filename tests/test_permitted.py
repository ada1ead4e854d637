"""Permitted zones and waters: known sites, boundaries against within_range, poles, errors."""

import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import box

import deployguard as dg
from deployguard.errors import InvalidInputError
from deployguard.treaty.min_range import annulus_reach_zone

sys.path.insert(0, str(Path(__file__).parent))
from reference import brute_distance_m  # noqa: E402

ON = "2021-12-17"


@pytest.fixture(scope="module")
def usa_dark_eagle():
    return dg.permitted_zone("USA", "Dark Eagle", on=ON, progress=False)


def _random_in(geom, n, seed):
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = geom.bounds
    lon, lat = rng.uniform(x0, x1, 40 * n), rng.uniform(y0, y1, 40 * n)
    keep = shapely.intersects_xy(geom, lon, lat)
    return lon[keep][:n], lat[keep][:n]


def test_permitted_zone__known_sites(usa_dark_eagle):
    z = usa_dark_eagle
    russia = dg.World.load("50m").territory("RUS", sea=True)
    # Washington and Seattle are beyond 2,775 km of Russia; Anchorage and Nome are not
    for name, (lon, lat), inside in [("Washington", (-77.0365, 38.8977), True),
                                     ("Seattle", (-122.3321, 47.6062), True),
                                     ("Anchorage", (-149.9003, 61.2181), False),
                                     ("Nome", (-165.4064, 64.5011), False)]:
        d_km = brute_distance_m(lon, lat, russia) / 1000
        assert (d_km > z.range_km) == inside, name
        assert bool(z.contains(lon, lat)) == inside, name


def test_permitted_zone__records_its_assumptions(usa_dark_eagle):
    z = usa_dark_eagle
    assert (z.party, z.weapon, z.range_estimate, z.clauses) == (
        "USA", "Dark Eagle", "nominal", ("US-6", "NATO-5"))
    assert z.protected_states == ("RUS",) and z.missile_class == "intermediate"
    assert z.readings.territorial_sea and z.worldview == "de_facto" and z.restricted
    assert z.range_km == dg.Catalogue.load().get("Dark Eagle").range_for("nominal")
    assert z.tolerance_km == pytest.approx(max(0.05, 5e-5 * z.range_km))
    assert z.assumptions()["date"] == ON
    with pytest.raises(AttributeError):
        z.range_km = 1.0  # frozen
    assert z.geometry.is_valid and z.area_km2 > 5e6


@pytest.mark.slow
def test_permitted_zone__boundary_agrees_with_within_range(usa_dark_eagle):
    z = usa_dark_eagle
    world = dg.World.load("50m")
    usa = world.territory("USA", sea=True)
    russia = world.territory("RUS", sea=True)
    # random points of US territory, half of them near the zone's boundary in Alaska
    lon, lat = _random_in(usa, 600, 1)
    alaska = shapely.intersection(usa, box(-170, 50, -130, 72))
    lon2, lat2 = _random_in(alaska, 600, 2)
    lon, lat = np.r_[lon, lon2], np.r_[lat, lat2]
    reached = dg.within_range(lon, lat, russia, z.range_km)
    inside = z.contains(lon, lat)
    edge_km = dg.distance_km(lon, lat, shapely.boundary(z.geometry))
    clear = edge_km > z.tolerance_km
    assert clear.sum() > 1000 and (~reached[clear]).any() and reached[clear].any()
    assert (inside[clear] == ~reached[clear]).all()


def test_permitted_zone__russia_and_nato():
    # a 5 km edge tolerance (default 50 m) makes the trace cheaper; every point asserted below
    # lies farther than that from the zone's edge (checked), so no answer can depend on it
    z = dg.permitted_zone("RUS", "Iskander-M", on=ON, range_estimate="high", progress=False,
                          tolerance_km=5.0)
    probes = np.array([(131.8855, 43.1155), (37.6175, 55.752), (20.511, 54.7065),
                       (-169.6519, 66.0792), (179.5, 66.5)])
    edge = dg.distance_km(probes[:, 0], probes[:, 1], shapely.boundary(z.geometry))
    assert z.tolerance_km == 5.0 and (edge > z.tolerance_km).all(), edge
    assert "USA" in z.protected_states and "POL" in z.protected_states and len(
        z.protected_states) == 30
    assert z.clauses == ("US-6", "NATO-5")
    vladivostok, moscow, kaliningrad = (131.8855, 43.1155), (37.6175, 55.752), (20.511, 54.7065)
    assert bool(z.contains(*vladivostok))
    assert not z.contains(*kaliningrad)
    # Moscow is about 600 km from Latvia: inside the 700 km reach
    latvia = dg.World.load("50m").territory("LVA", sea=True)
    assert brute_distance_m(*moscow, latvia) / 1000 < 700 and not z.contains(*moscow)
    # Chukotka faces Alaska across the Bering Strait: excluded on both sides of 180 deg
    assert z.geometry.is_valid and not z.contains(-169.6519, 66.0792)
    assert not z.contains(179.5, 66.5)


def test_permitted_zone__unrestricted_and_member_only():
    low = dg.permitted_zone("RUS", "Iskander-M", on=ON, range_estimate="low", progress=False)
    assert not low.restricted and low.missile_class is None and "do not restrict" in low.note
    assert low.geometry.equals(dg.World.load("50m").territory("RUS", sea=True))
    de = dg.permitted_zone("Germany", "Tomahawk (Typhon)", on=ON, progress=False)
    assert de.clauses == ("NATO-5",) and de.protected_states == ("RUS",)
    assert de.geometry.is_empty  # all of Germany is within 1,600 km of Kaliningrad


def test_annulus_reach_zone__exact_minimum_range():
    """Two small parts 600 km apart: the gap between them spans the whole annulus for
    points near one of them (excluded only through the other part)."""
    target = shapely.MultiPolygon([box(0, 0, 0.3, 0.3), box(8, 0, 8.3, 0.3)])
    zone = annulus_reach_zone(target, 300.0, 250.0, 0.05)
    assert zone.is_valid
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(-4, 12, 150), rng.uniform(-4, 4, 150)
    lon = np.r_[lon, 0.15, 8.15, 4.15]
    lat = np.r_[lat, 0.15, 0.15, 0.15]
    want = dg.within_range(lon, lat, target, 300.0, min_range_km=250.0)
    got = shapely.intersects_xy(zone, lon, lat)
    edge = dg.distance_km(lon, lat, shapely.boundary(zone))
    clear = edge > 0.05
    assert (got[clear] == want[clear]).all()
    assert not got[-3] and not got[-2] and not got[-1]  # inside a part: all of it too close
    assert want[clear].any() and (~want[clear]).any()


def test_permitted_waters__ship_and_bomber():
    w = dg.permitted_waters("USA", "Arleigh Burke DDG", on=ON, progress=False)
    assert (w.kind, w.weapon, w.clauses, w.protected_states) == (
        "waters", "Tomahawk (ship)", ("US-5.2",), ("RUS",))
    world = dg.World.load("50m")
    russia = world.territory("RUS", sea=True)
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(-180, 180, 3000), rng.uniform(-80, 85, 3000)
    own = world.territory("USA", sea=True)
    land = world.state_at(lon, lat) != ""
    allowed = ~(dg.within_range(lon, lat, russia, w.range_km)
                | shapely.intersects_xy(own, lon, lat) | land)
    edge = dg.distance_km(lon, lat, shapely.boundary(w.geometry))
    clear = edge > w.tolerance_km
    assert (w.contains(lon, lat)[clear] == allowed[clear]).all()
    # closed at the South Pole, valid, split at 180 deg
    assert w.geometry.is_valid
    assert bool(w.contains(0.0, -90.0)) == (world.state_at(0.0, -90.0)[()] == "")
    b = dg.permitted_waters("RUS", "Tu-160", on=ON, progress=False)
    assert bool(b.contains(0.0, -90.0)) and bool(b.contains(20.0, 0.0))  # airspace over land
    assert not b.contains(37.6, 55.75)  # over Russia: its own airspace


@pytest.mark.parametrize("call, word", [
    (lambda: dg.permitted_zone("China", "Iskander-M", on=ON), "bound by neither"),
    (lambda: dg.permitted_zone("USA", "B-52H", on=ON), "permitted_waters"),
    (lambda: dg.permitted_zone("USA", "Dark Eagle", on=None), "on is required"),
    (lambda: dg.permitted_zone("DEU", "Dark Eagle", on=ON, clauses=["US-6"]), "does not bind"),
    (lambda: dg.permitted_zone("USA", "Dark Eagle", on=ON, range_estimate="max"),
     "range_estimate"),
    (lambda: dg.permitted_waters("DEU", "Arleigh Burke DDG", on=ON), "USA or Russia"),
    (lambda: dg.permitted_waters("USA", "Dark Eagle", on=ON), "permitted_zone"),
    (lambda: dg.permitted_waters(
        "USA", dg.WeaponSystem("Unarmed test bomber", "heavy_bomber", "air", "USA"), on=ON),
     "no nominal range"),
])
def test_permitted__bad_input_names_the_field(call, word):
    with pytest.raises(InvalidInputError, match=word):
        call()


def _band_area_km2(lat1, lat2):
    """Area of the WGS84 zone between two parallels (authalic formula, no GeographicLib)."""
    import math

    import pyproj

    g = pyproj.Geod(ellps="WGS84")
    e = math.sqrt(g.es)

    def q(phi):
        s = math.sin(math.radians(phi))
        return s / (1 - g.es * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return math.pi * g.b ** 2 * (q(lat2) - q(lat1)) / 1e6


def test_permitted_area__larger_than_a_hemisphere():
    """A part covering more than half the ellipsoid (the ocean of permitted waters) has its
    true area, not the complement GeographicLib's signed area wraps to; holes are subtracted."""
    from deployguard.treaty.where import geodesic_area_km2

    band = shapely.box(-179.0, -60.0, 179.0, 60.0).segmentize(0.5)  # 0.5 deg: edges ~ parallels
    want = _band_area_km2(-60.0, 60.0) * 358.0 / 360.0
    assert want > 255e6  # more than half the ellipsoid
    assert geodesic_area_km2(band) == pytest.approx(want, rel=1e-5)
    hole = shapely.box(10.0, 10.0, 20.0, 20.0).segmentize(0.5)
    holed = shapely.Polygon(band.exterior, [hole.exterior])
    want_hole = _band_area_km2(10.0, 20.0) * 10.0 / 360.0
    assert geodesic_area_km2(holed) == pytest.approx(want - want_hole, rel=1e-5)
    small = shapely.box(10.0, 10.0, 20.0, 20.0).segmentize(0.5)
    assert geodesic_area_km2(small) == pytest.approx(want_hole, rel=1e-4)
    assert geodesic_area_km2(shapely.reverse(small)) == pytest.approx(want_hole, rel=1e-4)


def test_permitted_waters__area_grows_when_the_protected_territory_shrinks():
    """Under the UN worldview Crimea is Ukraine's, so Russia is smaller and the US destroyer's
    permitted waters can only grow (they grew in the central Mediterranean; the old
    abs(signed area) reported them shrinking by the same amount)."""
    on = "2022-01-01"
    de_facto = dg.permitted_waters("USA", "Arleigh Burke DDG", on=on, progress=False)
    un = dg.permitted_waters("USA", "Arleigh Burke DDG", on=on, worldview="un", progress=False)
    gained = shapely.difference(un.geometry, de_facto.geometry)
    from deployguard.treaty.where import geodesic_area_km2

    assert shapely.difference(de_facto.geometry, un.geometry).area < 1e-6
    assert un.area_km2 - de_facto.area_km2 == pytest.approx(geodesic_area_km2(gained), rel=1e-3)
    assert 250e6 < de_facto.area_km2 < 361e6  # most of the world ocean (361 million km2)


def test_annulus_reach_zone__iskander_minimum_range_agrees_with_brute_force():
    """The Iskander-M's 50 km minimum range around Bornholm (a real target near Kaliningrad,
    small enough that points within 50 km of all of it exist): the zone's hole is where the
    farthest point of the island is nearer than 50 km, checked against a brute-force farthest
    distance (pyproj.Geod over a densified boundary, golden-section refined on the edges)."""
    from reference import boundary_segments, brute_farthest_m

    world = dg.World.load("50m")
    dnk = world.territory("DNK")
    bornholm = next(p for p in shapely.get_parts(dnk) if p.contains(shapely.Point(14.9, 55.1)))
    zone = annulus_reach_zone(bornholm, 500.0, 50.0, 0.05)
    assert zone.is_valid
    rng = np.random.default_rng(22)
    lon = rng.uniform(14.4, 15.5, 60)
    lat = rng.uniform(54.8, 55.5, 60)
    segs = boundary_segments(bornholm, 0.002)
    far = np.array([brute_farthest_m(x, y, bornholm, segs) for x, y in zip(lon, lat, strict=True)])
    got = shapely.intersects_xy(zone, lon, lat)
    clear = np.abs(far - 50_000.0) > 60.0  # the zone's edge tolerance and the brute force's
    assert clear.sum() >= 50
    assert (got[clear] == (far[clear] >= 50_000.0)).all()
    assert (~got[clear]).any() and got[clear].any()  # both sides of the hole sampled
