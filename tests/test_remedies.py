"""Remedies (issue 20 items 2-3): each one checked independently of the code that made it.

A ``relocate`` or ``withdraw`` target lies in the party's own territory, ``check()`` of the
moved deployment finds that clause compliant, and no point of the permitted zone's land part is
nearer than ``move_km`` (less the inward step): brute force with ``pyproj.Geod`` over a dense
sample of the zone's boundary. A ``reduce`` brings the level to the 1997 baseline exactly: the
reduced deployment is no violation, one more soldier is.
"""

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.geodesy.nearest import nearest_boundary_point
from deployguard.treaty.remedies import COLUMNS

ON = "2021-12-17"
GEOD = pyproj.Geod(ellps="WGS84")
SAMPLE_DEG = 0.002  # about 220 m: the brute-force sample is this fine
SAMPLE_KM = 0.25  # the true minimum is at most half a sample spacing below the sample's


def _brute_min_km(geom, lon, lat):
    """Least geodesic distance (km) from (lon, lat) to a dense sample of geom's boundary."""
    xy = shapely.get_coordinates(shapely.segmentize(shapely.boundary(geom), SAMPLE_DEG))
    _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    k = int(np.argmin(d))
    return float(d[k]) / 1000.0, tuple(xy[k])


def _status(deployment, clause, **kwargs):
    return dg.check(deployment, progress=False, **kwargs).finding(clause).status.value


def _check_move(row, deployment, zone_land, clauses):
    """The properties every relocate/withdraw row must have, checked independently."""
    to = (row["to_lon"], row["to_lat"])
    world = dg.World.load("50m")
    assert bool(shapely.intersects_xy(world.territory(deployment.by, sea=False), *to))
    assert bool(shapely.intersects_xy(zone_land, *to))
    moved = dg.Deployment(by=deployment.by, at=to, date=deployment.date,
                          system=deployment.system)
    report = dg.check(moved, progress=False)
    for c in clauses:
        assert report.finding(c).status.value == "compliant", report.finding(c).reason
    brute_km, _ = _brute_min_km(zone_land, row["lon"], row["lat"])
    # nothing of the zone is nearer than the move less its inward step ...
    assert brute_km >= row["move_km"] - row["step_km"] - SAMPLE_KM
    # ... and the move is no longer than the nearest zone point plus that step
    assert row["move_km"] <= brute_km + row["step_km"] + 1e-6
    s_az, _, s_km = GEOD.inv(row["lon"], row["lat"], *to)
    assert s_km / 1000.0 == pytest.approx(row["move_km"], abs=1e-6)


# ------------------------------------------------------------------ the nearest point kernel
@pytest.mark.parametrize("code, site", [("DEU", (2.35, 48.86)), ("NOR", (30.0, 60.0)),
                                        ("USA", (8.33, 50.05))])
def test_nearest_boundary_point__brute_force(code, site):
    geom = dg.World.load("50m").territory(code, sea=False)
    lon, lat, km = nearest_boundary_point(geom, *site)
    brute_km, _ = _brute_min_km(geom, *site)
    assert km <= brute_km + 1e-6  # never worse than any sampled boundary point
    assert km >= brute_km - SAMPLE_KM
    _, _, d = GEOD.inv(*site, lon, lat)
    assert d / 1000.0 == pytest.approx(km, abs=1e-6)
    assert shapely.distance(shapely.boundary(geom), shapely.Point(lon, lat)) < 1e-9


def test_step_inward__enters_the_area():
    from deployguard.treaty.remedy_geo import step_inward

    box = shapely.box(10.0, 50.0, 11.0, 51.0)
    site = (9.0, 50.5)
    lon, lat, _ = nearest_boundary_point(box, *site)
    at = step_inward(box, site, (lon, lat), 1.0)
    assert at is not None and box.contains(shapely.Point(at))
    _, _, d = GEOD.inv(lon, lat, *at)
    assert d == pytest.approx(1000.0, abs=1e-6)
    _, _, before = GEOD.inv(*site, lon, lat)
    _, _, after = GEOD.inv(*site, *at)
    assert after == pytest.approx(before + 1000.0, abs=1.0)  # straight on along the geodesic
    # a corner seen diagonally: straight ahead leaves the box, a turn finds it
    assert step_inward(box, (9.0, 49.0), (10.0, 50.0), 1.0) is not None
    assert step_inward(shapely.box(10.0, 50.0, 10.001, 50.001), site, (10.0, 50.0), 5.0) is None


def test_nearest_boundary_point__empty():
    with pytest.raises(dg.InvalidInputError, match="no polygon"):
        nearest_boundary_point(shapely.MultiPolygon(), 0.0, 0.0)


# ------------------------------------------------------------------ relocate and withdraw
@pytest.fixture(scope="module")
def dark_eagle_alaska():
    d = dg.Deployment(by="USA", at=(-149.9003, 61.2181), date=ON, system="Dark Eagle")
    report = dg.check(d, progress=False)
    zone = dg.permitted_zone("USA", "Dark Eagle", on=ON, clauses=["US-6", "NATO-5"],
                             progress=False)
    land = shapely.intersection(zone.geometry, dg.World.load("50m").territory("USA", sea=False))
    return d, report, report.remedies(), zone, land


def test_relocate__dark_eagle_in_alaska(dark_eagle_alaska):
    d, report, table, zone, land = dark_eagle_alaska
    rows = table[table["clause"].isin(["US-6", "NATO-5"])]
    assert sorted(rows["clause"]) == ["NATO-5", "US-6"]
    assert set(rows["action"]) == {"relocate"}  # at home: a nearer place at home is permitted
    assert rows["verified"].all()
    row = rows.iloc[0]
    assert row["zone_area_km2"] == pytest.approx(zone.area_km2)
    _check_move(row, d, land, ["US-6", "NATO-5"])
    # both clauses share one target: the missile moves once
    assert rows["to_lon"].nunique() == 1 and rows["move_km"].nunique() == 1


def test_to_geodataframe__paths_follow_the_geodesic(dark_eagle_alaska):
    table = dark_eagle_alaska[2]
    gdf = table.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == table["move_km"].notna().sum()
    for row in gdf.itertuples():
        coords = shapely.get_coordinates(row.geometry)
        assert tuple(coords[0]) == pytest.approx((row.lon, row.lat))
        assert tuple(coords[-1]) == pytest.approx((row.to_lon, row.to_lat))
        assert GEOD.geometry_length(row.geometry) / 1000.0 == pytest.approx(row.move_km,
                                                                            rel=1e-6)


def test_geodesic_path__across_180():
    from deployguard.treaty.remedies import geodesic_path

    path = geodesic_path(175.0, 65.0, -170.0, 64.0)  # Chukotka to Alaska
    assert path.geom_type == "MultiLineString" and path.is_valid
    assert all(-180.0 <= x <= 180.0 for x in shapely.get_coordinates(path)[:, 0])
    _, _, d = GEOD.inv(175.0, 65.0, -170.0, 64.0)
    assert GEOD.geometry_length(path) == pytest.approx(d, rel=1e-6)


@pytest.fixture(scope="module")
def typhon_germany():
    # with an id: its US-5.1 and US-6 moves are checked side by side (regression: the copies
    # kept the id, and check() refused the repeated ids)
    d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)",
                      id="typhon-wiesbaden")
    report = dg.check(d, progress=False)
    zone = dg.permitted_zone("USA", "Tomahawk (Typhon)", on="2026-07-01",
                             clauses=["US-6", "NATO-5"], progress=False)
    land = shapely.intersection(zone.geometry, dg.World.load("50m").territory("USA", sea=False))
    return d, report.remedies(), land


def test_withdraw__us_typhon_in_germany(typhon_germany):
    d, table, land = typhon_germany
    rows = table[table["clause"].isin(["US-6", "NATO-5"])]
    assert set(rows["action"]) == {"withdraw"}  # no position in Europe: it goes home
    assert rows["verified"].all()
    _check_move(rows.iloc[0], d, land, ["US-6", "NATO-5"])
    # US Art. 5.1 is 'depends' (perception): its remedy is said to assume the violation
    home = table[table["clause"] == "US-5.1"].iloc[0]
    assert home["status"] == "depends" and home["assumption"].startswith("assumed:")
    assert home["action"] == "withdraw" and home["verified"]


def test_relocate__bomber_to_the_permitted_airspace():
    # a B-1B at Orland (JASSM-ER, 1,000 km): Russia is about 970 km away
    day = "2025-08-09"
    d = dg.Deployment(by="USA", at=(9.6, 63.7), date=day, system="B-1B")
    row = dg.check(d, progress=False).remedies().set_index("clause").loc["US-5.2"]
    assert row["action"] == "relocate" and row["verified"]
    waters = dg.permitted_waters("USA", "B-1B", on=day, progress=False)
    to = (row["to_lon"], row["to_lat"])
    assert bool(waters.contains(*to))
    moved = dg.Deployment(by="USA", at=to, date=day, system="B-1B")
    assert _status(moved, "US-5.2") == "compliant"
    brute_km, _ = _brute_min_km(waters.geometry, 9.6, 63.7)
    home_km, _ = _brute_min_km(dg.World.load("50m").territory("USA", sea=True), 9.6, 63.7)
    nearest = min(brute_km, home_km)  # its own airspace would do as well
    assert nearest >= row["move_km"] - row["step_km"] - SAMPLE_KM
    assert row["move_km"] <= nearest + row["step_km"] + 1e-6


@pytest.mark.slow
def test_relocate__iskander_in_kaliningrad():
    d = dg.Deployment(by="RUS", at="Kaliningrad", date=ON, system="Iskander-M")
    table = dg.check(d, progress=False).remedies()
    row = table[table["clause"] == "NATO-5"].iloc[0]
    assert row["action"] == "relocate" and row["verified"]
    zone = dg.permitted_zone("RUS", "Iskander-M", on=ON, clauses=["US-6", "NATO-5"],
                             progress=False)
    land = shapely.intersection(zone.geometry, dg.World.load("50m").territory("RUS", sea=False))
    _check_move(row, d, land, ["NATO-5"])


# ------------------------------------------------------------------ reduce
def test_reduce__us_troops_in_poland_to_1997_level():
    d = dg.Deployment(by="USA", at=(21.0, 52.2), date=ON, personnel=1000)
    report = dg.check(d, progress=False)
    finding = report.finding("NATO-4")
    table = report.remedies()
    row = table[table["clause"] == "NATO-4"].iloc[0]
    level = finding.evidence["baseline_1997"]["high"]
    assert row["action"] == "reduce" and row["verified"]
    assert row["level_1997"] == level
    assert row["withdraw_personnel"] == 1000 - level
    kept = 1000 - int(row["withdraw_personnel"])

    def with_personnel(n):
        return dg.Deployment(by="USA", at=(21.0, 52.2), date=ON, personnel=n)

    assert _status(with_personnel(kept), "NATO-4") != "violation"
    assert _status(with_personnel(kept + 1), "NATO-4") == "violation"


def test_reduce__depends_comes_down_to_the_low_end():
    # inside the spread of the 1997 estimate: 'depends'; the remedy assumes the low end
    def at_rota(n):
        return dg.Deployment(by="USA", at=(-6.35, 36.64), date=ON, personnel=n)

    report = dg.check(at_rota(3234), progress=False)
    finding = report.finding("NATO-4")
    assert finding.status.value == "depends"
    row = report.remedies().set_index("clause").loc["NATO-4"]
    low = finding.evidence["baseline_1997"]["low"]
    assert row["assumption"].startswith("assumed: the low end")
    assert row["withdraw_personnel"] == 3234 - low and row["verified"]
    assert _status(at_rota(low), "NATO-4") == "compliant"
    assert _status(at_rota(low + 1), "NATO-4") != "compliant"


def test_summary__one_level_per_sender_and_host():
    deps = [dg.Deployment(by="USA", at=(21.0, 52.2), date=ON, personnel=1000),
            dg.Deployment(by="USA", at=(19.9, 50.1), date=ON, personnel=500)]
    table = dg.check(deps, progress=False).remedies()
    level = int(table.loc[table["clause"] == "NATO-4", "level_1997"].iloc[0])
    summary = table.summary()
    pol = summary.by_party_host.set_index(["by", "host"]).loc[("USA", "POL")]
    assert pol["personnel_to_withdraw"] == 1500 - level  # the 1997 level counted once
    assert pol["personnel_home"] == 0  # no violation sends them home; US-5.1 'depends'
    assumed = table.summary(include_depends=True).by_party_host.set_index(["by", "host"])
    assert assumed.loc[("USA", "POL"), "personnel_home"] == 1500
    per_clause = summary.by_clause.set_index("clause")
    assert per_clause.loc["NATO-4", "violation"] == 2
    assert per_clause.loc["NATO-4", "reduce"] == 2


# ------------------------------------------------------------------ none
def test_none__accession():
    report = dg.check(dg.Deployment(by="UKR", kind="accession", date="2022-06-01"),
                      progress=False)
    table = report.remedies()
    assert isinstance(table, dg.Remedies) and isinstance(table, pd.DataFrame)
    assert sorted(table["clause"]) == ["NATO-6", "US-4.1"]
    assert set(table["action"]) == {"none"}
    assert table["reason"].str.contains("accession").all()
    assert table["move_km"].isna().all()
    assert table.assumptions["drafts"] == ["us", "nato"]
    only = report.remedies(clauses=["nato 6"])  # clause ids as get_clause spells them
    assert list(only["clause"]) == ["NATO-6"]
    with pytest.raises(dg.DeployguardError, match="NATO-6"):
        report.remedies(clauses=["NATO-66"])


def test_remedies__compliant_report_is_empty():
    d = dg.Deployment(by="USA", at=(-77.0365, 38.8977), date=ON, system="Dark Eagle")
    table = dg.check(d, progress=False).remedies()
    assert len(table) == 0 and list(table.columns) == list(COLUMNS)
    summary = table.summary()
    assert len(summary.by_party_host) == 0 and len(summary.by_system) == 0


# ------------------------------------------------------------------ the command line
def test_cli_check_remedies__table_and_csv(tmp_path, capsys):
    from deployguard.cli.main import main

    scenario = tmp_path / "s.csv"
    scenario.write_text("label,by,lon,lat,date,system,personnel\n"
                        "troops,USA,21.0,52.2,2021-12-17,,1000\n"
                        "dark eagle,USA,-149.9003,61.2181,2021-12-17,Dark Eagle,\n")
    out = tmp_path / "out"
    status = main(["check", str(scenario), "--remedies", "--out", str(out), "--no-map"])
    assert status == 1  # violations
    printed = capsys.readouterr().out
    assert "Remedies (" in printed and "relocate" in printed and "reduce" in printed
    table = pd.read_csv(out / "remedies.csv")
    assert list(table.columns) == list(COLUMNS)
    cut = table[(table["deployment"] == "troops") & (table["clause"] == "NATO-4")].iloc[0]
    assert cut["action"] == "reduce" and cut["withdraw_personnel"] == 1000 - cut["level_1997"]
    assert set(table.loc[table["deployment"] == "dark eagle", "action"]) >= {"relocate"}
