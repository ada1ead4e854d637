"""The readings issue 8 changes, on real cases, each distance recomputed by brute force.

Brute force: the target's boundary densified to 0.05 deg (0.01 deg for border lines), a
``pyproj.Geod`` (WGS84) geodesic to every vertex; it overestimates the exact distance by at
most half a segment, so the checker's figure must lie in [brute - slack, brute].
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.errors import LikelyInputSlipWarning, ModellingAssumptionWarning
from deployguard.treaty.borderline import border_line, shared_boundary

GEOD = pyproj.Geod(ellps="WGS84")


def brute_km(lon: float, lat: float, geom, seg: float = 0.05) -> float:
    if geom.geom_type.endswith("Polygon") and shapely.intersects(geom, shapely.Point(lon, lat)):
        return 0.0
    line = geom.boundary if geom.geom_type.endswith("Polygon") else geom
    xy = shapely.get_coordinates(shapely.segmentize(line, seg))
    _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return float(np.min(d)) / 1000.0


def quiet_check(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dg.check(*args, **kwargs)


# ------------------------------------------------------------------------ launch mode
def test_sea_launched_type_in_a_land_launcher_is_ground_launched():
    """Tomahawk (the ship-launched type) in the Mk 41 launcher at Redzikowo, Poland.

    The INF Treaty defines a GLCM by how it is launched: from land it is ground-launched,
    whatever it was designed for (Readings(launch_mode="location"), the default). At 1,600 km it
    is intermediate-range and outside US territory: US-6 violation; Russia (Kaliningrad) is well
    inside its range: NATO-5 violation. With launch_mode="catalogue" it keeps its sea basing and
    neither clause applies. The contradiction with the catalogue is announced.
    """
    d = dg.Deployment(by="USA", at="Redzikowo", date="2022-01-01", system="Tomahawk (ship)",
                      kind="missile")
    with pytest.warns(ModellingAssumptionWarning, match="Aegis Ashore / Mk 41"):
        r = dg.check(d)
    us6, n5 = r.finding("US-6"), r.finding("NATO-5")
    assert us6.status is dg.Status.VIOLATION and us6.evidence["launch_mode"] == "land"
    assert n5.status is dg.Status.VIOLATION and n5.evidence["states_reached"] == ["RUS"]
    rus = dg.World.load().territory("RUS", sea=True)
    brute = brute_km(*d.lonlat, rus)
    assert brute - 3.0 <= n5.evidence["distance_km"] <= brute + 0.01
    cat = quiet_check(d, readings=dg.Readings(launch_mode="catalogue"))
    assert cat.finding("US-6").status is dg.Status.NOT_APPLICABLE
    assert cat.finding("NATO-5").status is dg.Status.NOT_APPLICABLE
    assert "not a ground-launched missile" in cat.finding("US-6").reason


def test_ground_launched_type_at_sea_is_launched_from_a_ship():
    """An Iskander-M placed in the open Baltic (19 E 56 N, > 22 km from every coast) is not on
    the ground there: by location it is ship-launched and outside NATO-5; the catalogue reading
    keeps it ground-launched, and then Poland, Latvia and Lithuania are within 500 km (Sweden,
    also near, was not a NATO member in January 2022)."""
    d = dg.Deployment(by="RUS", at=(19.0, 56.0), date="2022-01-01", system="Iskander-M")
    with pytest.warns(ModellingAssumptionWarning, match="land-based system at sea"):
        loc = dg.check(d, drafts="nato").finding("NATO-5")
    assert loc.status is dg.Status.NOT_APPLICABLE and "at sea" in loc.reason
    cat = quiet_check(d, drafts="nato", readings=dg.Readings(launch_mode="catalogue"))
    f = cat.finding("NATO-5")
    assert f.status is dg.Status.VIOLATION
    world = dg.World.load()
    assert "SWE" not in f.evidence["states_reached"]
    for code in ("POL", "LVA", "LTU"):
        brute = brute_km(19.0, 56.0, world.territory(code, sea=True))
        assert code in f.evidence["states_reached"] and brute < 500


def test_a_port_or_a_coastal_site_counts_as_land_for_a_launcher():
    """Anadyr's point lies in the estuary at 1:10m, a few hundred metres off the drawn coast:
    within the 5 km coastal tolerance, an Iskander there is still on land (US-6 applies)."""
    d = dg.Deployment(by="RUS", at="Anadyr", date="2022-01-01", system="Iskander-M")
    f = quiet_check(d, drafts="us").finding("US-6")
    assert f.evidence["launch_mode"] == "land" and f.status is dg.Status.COMPLIANT


# ------------------------------------------------------------------------ input slips
def test_swapped_lat_lon_warns():
    """German ground forces given as (lat, lon) of Hamburg land in the Arabian Sea; the swapped
    position is in Germany, the deployer's own territory: a likely slip."""
    d = dg.Deployment(by="DEU", at=(53.55, 9.99), date="2022-01-01", personnel=500,
                      category="ground")
    with pytest.warns(LikelyInputSlipWarning, match="swapped"):
        dg.check(d, drafts="nato")


def test_swapped_lat_lon_on_land_abroad_does_not_warn():
    """The README's rule: a land-based system AT SEA whose swap lies in its own state. On
    foreign land the swap test cannot tell a slip from a real deployment (issue 22 item 8:
    Iskanders in Kazakhstan swap into Russia), so Kaliningrad typed as (lat, lon), in Saudi
    Arabia, is no longer flagged (the user trial's case; see test_validation_regressions 110).
    US forces in Warsaw, swapped (52.2, 21.0), lie in Yemen/Saudi Arabia: no warning."""
    slip = dg.Deployment(by="RUS", at=(54.71, 20.51), date="2022-01-01", system="Iskander-M")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LikelyInputSlipWarning)
        dg.check(slip, drafts="us")
    abroad = dg.Deployment(by="USA", at=(21.0, 52.2), date="2022-01-01", personnel=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LikelyInputSlipWarning)
        dg.check(abroad, drafts="nato")


def test_dates_outside_the_data_warn():
    old = dg.Deployment(by="USA", at=(21.0, 52.2), date="1922-03-01", personnel=100)
    with pytest.warns(LikelyInputSlipWarning, match="before NATO's founding"):
        dg.check(old, drafts="nato")
    late = dg.Deployment(by="USA", at=(21.0, 52.2), date="2031-03-01", personnel=100)
    with pytest.warns(LikelyInputSlipWarning, match="after the day up to which the NATO "
                      "membership data is complete"):
        dg.check(late, drafts="nato")
    # after the last accession (Sweden, 7 Mar 2024) but within the data: no slip to warn of
    recent = dg.Deployment(by="USA", at=(21.0, 52.2), date="2026-07-01", personnel=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LikelyInputSlipWarning)
        dg.check(recent, drafts="nato")


def test_timezone_aware_datetime_converted_to_utc_with_a_warning():
    """23:30 on 31 Dec 2022 in New York is already 1 Jan 2023 in UTC."""
    when = dt.datetime(2022, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with pytest.warns(LikelyInputSlipWarning, match="converted to UTC"):
        d = dg.Deployment(by="USA", at=(21.0, 52.2), date=when, personnel=100)
    assert d.date == dt.date(2023, 1, 1)


# ------------------------------------------------------------------------ where it is
def test_small_island_host_does_not_depend_on_the_distance_resolution():
    """Little Diomede (US) is too small for the 1:50m borders, which put it on no state; the
    host is decided at 1:10m whatever resolution the distances use, and the note says so."""
    d = dg.Deployment(by="USA", at=(-168.93, 65.76), date="2022-01-01", personnel=50)
    assert dg.World.load("50m").state_at(-168.93, 65.76).item() == ""
    for res in ("50m", "10m"):
        f = quiet_check(d, drafts="us", resolution=res).finding("US-5.1")
        assert f.evidence["host"] == "USA" and f.evidence["inside_own_territory"]
        assert f.assumptions["placement_resolution"] == "10m"
    note = quiet_check(d, drafts="us").finding("US-5.1").assumptions["host_source"]
    assert "1:50m borders put the point in no state" in note


@pytest.mark.parametrize(("at", "words"), [
    ((28.19, 59.38), "Narva river"),        # drawn west of its course
    ((20.6, 54.40), "Kaliningrad"),         # the border ~3 km off
    ((12.4534, 41.9029), "Vatican"),        # no unit of its own at this scale
])
def test_known_border_errors_are_stated(at, words):
    """Where Natural Earth is known to be off (geodata/border_caveats.csv), the host note of
    every finding says so, with the size of the error."""
    d = dg.Deployment(by="USA", at=at, date="2022-03-01", personnel=500)
    f = quiet_check(d, drafts="us").finding("US-4.2")
    assert words in f.assumptions["host_source"]


# ------------------------------------------------------------------------ NATO-7.2
def test_border_line_finland_russia_against_the_published_length():
    """The Finland-Russia land border is 1,340 km (published). Natural Earth's generalised line
    is shorter (meanders are cut): within 12 % at 1:10m and 1:50m."""
    for res in ("10m", "50m"):
        world = dg.World.load(res)
        line = shared_boundary(world.territory("RUS"), world.territory("FIN"))
        km = sum(GEOD.geometry_length(p) for p in shapely.get_parts(line)) / 1000.0
        assert 0.88 * 1340 <= km <= 1.02 * 1340, (res, km)


def test_nato72_measures_to_the_border_line_on_the_date():
    """A 10,000-strong US exercise in Finnish North Karelia (29.6 E, 62.6 N).

    Before Finland's accession (June 2022) the Finnish-Russian border is not part of the line
    between Russia (with its allies) and NATO: the nearest part of the line is the
    Estonia-Russia border, hundreds of km away. After 4 April 2023 it is, and the exercise is
    ~70 km from it. With a 100 km zone the first is compliant, the second a violation. (The old
    reading measured to Russia's territory and flagged both.)
    """
    world = dg.World.load()
    before = dg.Deployment(by="USA", at=(29.6, 62.6), date="2022-06-01", personnel=10000,
                           kind="exercise")
    after = dg.Deployment(by="USA", at=(29.6, 62.6), date="2023-06-01", personnel=10000,
                          kind="exercise")
    zone = dg.Readings(nato72_zone_km=100)
    r = quiet_check([before, after], drafts="nato", readings=zone)
    f0, f1 = r.finding("NATO-7.2", 0), r.finding("NATO-7.2", 1)
    line0 = border_line(world, frozenset({"RUS", "BLR", "ARM", "KAZ", "KGZ", "TJK"}) -
                        dg.nato.members(on="2022-06-01"), dg.nato.members(on="2022-06-01"))
    line1 = shared_boundary(world.territory("RUS", sea=True), world.territory("FIN", sea=True))
    b0 = brute_km(29.6, 62.6, line0, seg=0.01)
    b1 = brute_km(29.6, 62.6, line1, seg=0.01)
    assert b0 > 100 > b1
    assert b0 - 0.6 <= f0.evidence["distance_km"] <= b0 + 0.01
    assert b1 - 0.6 <= f1.evidence["distance_km"] <= b1 + 0.01
    assert f0.status is dg.Status.COMPLIANT and f1.status is dg.Status.VIOLATION
    assert f1.evidence["nearest_border"] == "RUS-FIN" and f1.evidence["nearest_state"] == "RUS"


# ------------------------------------------------------------------------ NATO-4
def test_nato4_sourced_zero_gives_a_violation():
    """A Norwegian battalion (800) in Germany, 2022. The French Senate's 1996 report lists the
    six states with national forces in Germany (Canada, France, UK, USA, Netherlands, Belgium):
    Norway is not among them, a sourced zero, so 800 exceeds the 1997 level. (It was 'depends',
    unknown, before the coverage table.)"""
    d = dg.Deployment(by="NOR", at=(9.0, 52.0), date="2022-01-01", personnel=800,
                      category="ground")
    f = quiet_check(d, drafts="nato").finding("NATO-4")
    assert f.status is dg.Status.VIOLATION
    base = f.evidence["baseline_1997"]
    assert base["sourced_zero"] and "senat.fr" in base["coverage_source"]


def test_nato4_unknown_stays_unknown():
    """Canadian forces in Cyprus (a State in Europe under the conventional reading): no 1997
    list of Cyprus's foreign forces covers Canada, so the level is unknown: depends."""
    d = dg.Deployment(by="CAN", at=(33.36, 35.17), date="2022-01-01", personnel=300)
    f = quiet_check(d, drafts="nato", readings=dg.Readings(europe="conventional")).finding(
        "NATO-4")
    assert f.status is dg.Status.DEPENDS and f.evidence["baseline_1997"]["coverage"] == "unknown"


@pytest.mark.parametrize(("where", "expected"), [
    ((21.0, 52.2), dg.Status.VIOLATION),     # Poland: no US nuclear weapons listed in 1997
    ("Buchel", dg.Status.DEPENDS),            # Germany: present in 1997, count unknown
])
def test_nato4_nuclear_weapons_compare_with_nuclear_weapons(where, expected):
    """Nuclear weapons are compared with the nuclear weapons of 1997, never with troop counts.
    The NGO lists of the hosts of US weapons (BASIC/BITS, NRDC) give Poland a sourced zero."""
    d = dg.Deployment(by="USA", at=where, date="2022-01-01", kind="nuclear")
    f = quiet_check(d, drafts="nato").finding("NATO-4")
    assert f.status is expected
    assert f.evidence["baseline_1997"]["category_compared"] == "nuclear_weapons"


def test_nato4_baseline_of_the_dependency_greenland():
    """100 US personnel at Thule, Greenland: DMDC lists Greenland separately (131-141 in
    1996/97), so the Greenland row decides (compliant), not Denmark's 38-39 (a violation)."""
    d = dg.Deployment(by="USA", at=(-68.7, 76.53), date="2022-01-01", personnel=100)
    f = quiet_check(d, drafts="nato").finding("NATO-4")
    assert f.evidence["host"] == "DNK" and f.evidence["baseline_1997"]["unit"] == "GRL"
    assert f.status is dg.Status.COMPLIANT


def test_nato4_category_against_an_all_services_total():
    """1,500 US ground troops in Hungary: DMDC gives only totals (4,220-6,523). Compared with
    the total (default) they are within it; read as an upper bound of the ground share only,
    it depends."""
    d = dg.Deployment(by="USA", at=(17.92, 46.39), date="2022-03-01", personnel=1500,
                      category="ground")
    total = quiet_check(d, drafts="nato").finding("NATO-4")
    bound = quiet_check(d, drafts="nato",
                        readings=dg.Readings(nato4_unsplit_baseline="upper_bound")).finding("NATO-4")
    assert total.status is dg.Status.COMPLIANT
    assert bound.status is dg.Status.DEPENDS and "bounds" in bound.reason


# ------------------------------------------------------------------------ US-7
def test_us72_fixed_sites_on_land_only_and_the_at_sea_reading():
    """A nuclear-armed B-52H over the Norwegian Sea: US-7.2 ('infrastructure') does not apply to
    a platform in flight over the sea. US-7.1: by default the high seas are not 'deploying
    outside national territories' (not applicable); the literal reading makes it a violation."""
    d = dg.Deployment(by="USA", at=(5.0, 68.0), date="2022-01-01", system="B-52H",
                      kind="nuclear")
    r = quiet_check(d, drafts="us")
    assert r.finding("US-7.2").status is dg.Status.NOT_APPLICABLE
    assert r.finding("US-7.1").status is dg.Status.NOT_APPLICABLE
    lit = quiet_check(d, drafts="us", readings=dg.Readings(nuclear_at_sea="deploying"))
    assert lit.finding("US-7.1").status is dg.Status.VIOLATION
    # a storage site abroad remains infrastructure
    site = quiet_check(dg.Deployment(by="USA", at="Buchel", date="2022-01-01", kind="nuclear"),
                       drafts="us")
    assert site.finding("US-7.2").status is dg.Status.VIOLATION


@pytest.mark.parametrize(("by", "trainees", "expected"), [
    ("USA", "DEU", dg.Status.VIOLATION),       # a nuclear-sharing State
    ("USA", "POL", dg.Status.VIOLATION),       # any non-nuclear country
    ("USA", "GBR", dg.Status.COMPLIANT),       # an NPT nuclear-weapon State
    ("FRA", "DEU", dg.Status.NOT_APPLICABLE),  # France is not a Party
])
def test_us73_training_of_non_nuclear_countries(by, trainees, expected):
    d = dg.Deployment(by=by, kind="nuclear_training", trainees=trainees, date="2022-01-01")
    f = quiet_check(d, drafts="us").finding("US-7.3")
    assert f.status is expected
    if by == "USA" and trainees == "DEU":
        assert f.evidence["trainees_nuclear_sharing"] and "nuclear-sharing" in f.reason


# ------------------------------------------------------------------------ sensitivity
def test_sensitivity_explains_the_iskander_in_kaliningrad():
    """The README's own case: at the low estimate (400 km) the Iskander-M is below the INF floor
    (not applicable); at 500 and 700 km it reaches Poland, 32.8 km away (violation). The finding
    says so in words, and the report lists it among the violations that depend on an
    assumption."""
    d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    r = quiet_check(d, sensitivity=True)
    f = r.finding("NATO-5")
    assert f.status is dg.Status.DEPENDS and f.flipped_by == ("range_estimate",)
    assert "low (400 km)" in f.reason and "not_applicable" in f.reason
    assert "INF" in f.reason and "POL at 32.8 km" in f.reason
    assert "nominal (500 km) and high (700 km)" in f.reason
    assert f in r.dependent_violations and f not in r.robust_violations
    brute = brute_km(*d.lonlat, dg.World.load().territory("POL", sea=True))
    assert brute - 3.0 <= 32.8 <= brute + 0.1


def test_sensitivity_over_a_reading():
    """Varying launch_mode on the Redzikowo Tomahawk flips US-6 and names the reading."""
    d = dg.Deployment(by="USA", at="Redzikowo", date="2022-01-01", system="Tomahawk (ship)",
                      kind="missile")
    f = quiet_check(d, drafts="us", sensitivity=["launch_mode"]).finding("US-6")
    assert f.flipped_by == ("launch_mode",) and "launch_mode='catalogue'" in f.reason
    assert f.evidence["sensitivity"]["launch_mode=catalogue"] == "not_applicable"


def test_robust_violation_needs_sensitivity():
    d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
    with pytest.raises(dg.InvalidInputError, match="sensitivity=True"):
        _ = quiet_check(d).robust_violations
    r = quiet_check(d, drafts="nato", sensitivity=True)
    assert [f.clause_id for f in r.robust_violations] == ["NATO-5"]
