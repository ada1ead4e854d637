"""One numbered test per bug fixed so far (GeographicLib's habit: ``test_GeodSolveNN``).

Each docstring gives the date of the fix and the one-line cause. A new bug gets the next
number here, with a test that fails on the old code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

import deployguard as dg
from deployguard.data.deployments import Deployment
from deployguard.errors import (
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownBaseError,
    UnknownNameError,
    UnknownSystemError,
)
from tests.reference import GEOD


def test_regression_001_named_base_keeps_its_sourced_host():
    """2026-11-28. Natural Earth draws the Narva river ~2 km west of its course, so the town
    of Narva fell in Russia; a named base now keeps the host of its sourced table (EST)."""
    report = dg.check(Deployment(by="USA", at="Narva", date="2022-06-01", personnel=100),
                      drafts="us")
    hosts = {f.evidence.get("host") for f in report.findings if "host" in f.evidence}
    assert hosts == {"EST"}


def test_regression_002_a_route_is_judged_on_every_state_it_crosses():
    """2026-11-28. An area or route took its host from one representative point, so a route
    from Grafenwoehr to Vilnius came out compliant "in Germany" under NATO-7.1."""
    route = shapely.LineString([(11.9406, 49.6992), (25.2797, 54.6872)])
    d = Deployment(by="USA", at=route, date="2022-06-01", kind="exercise", personnel=3000)
    finding = dg.check(d, drafts="nato").finding("NATO-7.1")
    assert finding.status is dg.Status.VIOLATION  # Poland and Lithuania lie on the way
    assert "POL" in finding.reason


def test_regression_003_a_host_override_holds_for_every_clause():
    """2026-11-28. ``host=`` was used by some clauses and the borders by others, giving "own
    territory" and "outside national territory" in one report; it now holds for all, and a
    disagreement with the borders is flagged."""
    d = Deployment(by="USA", at=(21.0, 52.2), date="2022-06-01", host="DEU", personnel=100)
    with pytest.warns(ModellingAssumptionWarning, match="host=DEU"):
        report = dg.check(d)
    hosts = {f.evidence["host"] for f in report.findings if "host" in f.evidence}
    assert hosts == {"DEU"}


def test_regression_004_a_sub_kilometre_ring_is_not_empty():
    """2026-11-28. Radii under about 0.6 km came back as an empty ring (grid cells larger
    than the disc)."""
    ring = dg.range_ring(20.0, 50.0, 0.5)
    assert ring.is_valid and not ring.is_empty
    lon, lat = shapely.get_coordinates(ring.exterior).T
    _, _, d = GEOD.inv(np.full(lon.size, 20.0), np.full(lat.size, 50.0), lon, lat)
    assert np.allclose(d, 500.0, atol=0.05)


def test_regression_005_a_long_straight_edge_is_densified_along_itself():
    """2026-11-28. An edge from 179 E to 179 W (straight in lon/lat, so it runs 358 degrees
    the long way) was densified by its end-to-end length, leaving gaps of ~180 km."""
    line = shapely.LineString([(179.0, 10.0), (-179.0, 10.0)])
    d = dg.distance_km([0.8, 90.3, -120.55], [10.0, 10.0, 10.0], line)
    assert np.all(d < 0.01)


@pytest.mark.slow
def test_regression_006_sub_cell_notch_at_the_seam_near_the_pole():
    """2026-11-28. Russia's 1,000 km zone at 1:10m missed a notch narrower than a grid cell
    where the zone meets 180 deg near the pole; unresolved edges are now re-traced locally.
    Points on either side of the seam agree with the exact distance."""
    rus = dg.World.load("10m").territory("RUS")
    lon = np.array([179.99, -179.99, 179.9, -179.9])
    lat = np.array([89.0, 89.0, 88.5, 88.5])
    exact = dg.distance_km(lon, lat, rus)
    inside = dg.within_range(lon, lat, rus, 1000.0)
    assert np.array_equal(inside, exact <= 1000.0)


def test_regression_007_personnel_must_be_finite():
    """2026-11-28. NaN and infinite personnel were accepted and compared as numbers."""
    with pytest.raises(InvalidInputError, match="personnel must be a whole number >= 0"):
        Deployment(by="USA", at=(21.0, 52.2), date="2022-06-01", personnel=math.nan)


def test_regression_008_a_missing_latitude_is_named():
    """2026-11-28. A scenario row with lon but no lat failed deep inside numpy."""
    with pytest.raises(InvalidInputError, match="lat is missing"):
        Deployment.from_record({"by": "USA", "lon": 21.0, "date": "2022-06-01",
                                "personnel": 1})


def test_regression_009_an_alliance_is_not_a_sending_state():
    """2026-11-28. ``by="NATO"`` was accepted although the clauses bind states."""
    with pytest.raises(InvalidInputError, match="one deployment per sending state"):
        dg.check(Deployment(by="NATO", at=(21.0, 52.2), date="2022-06-01", personnel=1))


def test_regression_010_a_weapon_must_be_carried_by_its_platform():
    """2026-11-28. ``weapon=`` accepted any missile, e.g. an Iskander on a Tu-95MS."""
    with pytest.raises(InvalidInputError, match="is not carried by system 'Tu-95MS'"):
        Deployment(by="RUS", at=(40.0, 70.0), date="2022-06-01", system="Tu-95MS",
                   weapon="Iskander-M")


def test_regression_011_geometry_read_the_long_way_warns():
    """2026-11-28. A polygon spanning more than 180 deg of longitude was silently read the
    long way round (edges are straight in lon/lat)."""
    box = shapely.box(170.0, 60.0, -170.0, 65.0)  # meant across 180, drawn across 0
    with pytest.warns(ModellingAssumptionWarning, match="long way round"):
        Deployment(by="USA", at=box, date="2022-06-01", personnel=1)


def test_regression_012_points_no_unit_box_holds_have_no_state():
    """2026-12-01. ``state_at`` raised "zip() argument 2 is longer than argument 1" when no
    unit's bounding box held a point: every position north of 84 N, the Southern Ocean."""
    world = dg.World.load("50m")
    got = world.state_at([0.0, 0.0, 100.0, 21.0], [90.0, 87.0, -60.0, 52.2], sea=True)
    assert got.tolist() == ["", "", "", "POL"]


def test_regression_013_an_unknown_base_is_not_an_unknown_system():
    """2026-12-01. ``UnknownBaseError`` subclassed ``UnknownSystemError``, so code catching
    system names also swallowed base names; both are now ``UnknownNameError``."""
    with pytest.raises(UnknownBaseError) as info:
        dg.Bases.load().get("Ramstien")
    assert isinstance(info.value, UnknownNameError | KeyError)
    assert not isinstance(info.value, UnknownSystemError)


def test_regression_014_one_name_normaliser_for_states_and_systems():
    """2026-12-01. Two normalisers with different rules: ``World.lookup("UnitedKingdom")``
    failed while ``Catalogue.get("IskanderM")`` worked."""
    assert dg.World.load().lookup("UnitedKingdom") == "GBR"
    assert dg.Catalogue.load().get("IskanderM").name == "Iskander-M"


def test_regression_015_unquoted_impossible_yaml_date_is_a_field_problem(tmp_path):
    """2026-12-01 (user trial).
    PyYAML turned an unquoted ``date: 2018-02-31`` into one error for the whole file, so
    the other problems only showed on the next run."""
    from deployguard.errors import ScenarioError

    path = tmp_path / "bad.yaml"
    path.write_text("deployments:\n"
                    "  - {by: RUS, at: Kaliningrad, system: Iskander-M, date: 2018-02-31}\n"
                    "  - {by: RUS, at: Kaliningrd, system: Iskander-M, date: 2018-02-05}\n",
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        dg.load_scenario(path)
    text = str(info.value)
    assert "deployment 0 (line 2): date '2018-02-31' is not a calendar date" in text
    assert "deployment 1 (line 3): at: unknown base or site 'Kaliningrd'" in text


def test_regression_016_a_flip_between_compliant_and_not_applicable_is_no_depends():
    """2026-12-01 (user trial).
    Iskander-M in Kaliningrad, US-6: not applicable at the low estimate (below the INF
    floor), compliant otherwise. No assumption makes it a violation, so it stays compliant and
    says what moves; NATO-5 (violation at nominal) still depends."""
    d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    report = dg.check(d, sensitivity=True)
    us6 = report.finding("US-6")
    assert us6.status is dg.Status.COMPLIANT and us6.flipped_by == ("range_estimate",)
    assert "no violation under any assumption varied" in us6.reason
    assert report.finding("NATO-5").status is dg.Status.DEPENDS


def test_regression_017_a_known_border_error_warns_and_shows_in_the_report():
    """2026-12-01 (user trial).
    US forces 1 km west of the Narva river (Estonian bank) fall in Russia's polygon; the
    border caveat used to reach only assumptions["host_source"]."""
    from deployguard.errors import ModellingAssumptionWarning

    d = dg.Deployment(by="USA", at=(28.19, 59.377), date="2022-01-01", personnel=200)
    with pytest.warns(ModellingAssumptionWarning, match="borders are known to be off"):
        report = dg.check(d)
    assert "host note: Natural Earth 4.1.0 draws the Estonia-Russia border" in str(report)
    assert "- Host note: Natural Earth 4.1.0 draws" in report.to_markdown()


def test_regression_018_cli_vary_readings_makes_reading_dependent_verdicts_depend(tmp_path):
    """2026-12-01 (user trial).
    NATO-7.1 for US troops in Poland holds under the m49 reading and not under post_soviet:
    --vary art7_reading must say so; a name that is no reading is a usage error (2)."""
    from deployguard.cli import main

    path = tmp_path / "pl.json"
    path.write_text('[{"by": "USA", "at": [21.0, 52.2], "date": "2022-03-01", '
                    '"personnel": 500}]', encoding="utf-8")
    out = tmp_path / "o"
    assert main(["check", str(path), "--vary", "art7_reading", "--out", str(out), "--no-map",
                 "--quiet"]) in (0, 1)
    import json

    rows = {r["clause"]: r for r in json.loads((out / "findings.json").read_text())["findings"]}
    assert rows["NATO-7.1"]["status"] == "depends"
    assert rows["NATO-7.1"]["flipped_by"] == ["art7_reading"]
    assert main(["check", str(path), "--vary", "no_such_reading", "--quiet"]) == 2


def test_regression_019_sensitivity_reasons_quote_each_variants_own_numbers():
    """2026-12-01. A variant with the same status as the run kept the run's reason, so "at the high
    (700 km) estimate" could quote the nominal km (seen in the US-5.2 notebook); reading
    values were quoted as strings (Readings(territorial_sea='False'))."""
    d = dg.Deployment(by="RUS", at="Anadyr", date="2022-01-01", system="Iskander-M")
    f = dg.check(d, drafts="us", sensitivity=["range_estimate", "territorial_sea"]).finding(
        "US-6")
    assert "at the high (700 km) estimate violation" in f.reason
    assert "Iskander-M (700.0 km) reaches USA" in f.reason
    kal = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Kalibr 3M14")
    g = dg.check(kal, drafts="nato", sensitivity=["launch_mode"]).finding("NATO-5")
    assert "Readings(launch_mode='catalogue')" in g.reason
    h = dg.check(d, drafts="us", sensitivity=["territorial_sea"]).finding("US-6")
    assert "'False'" not in h.reason


@pytest.mark.parametrize("call, floor", [
    (lambda: dg.range_ring(1, 0.0015, 500, 1e-200), "min_range_km must be 0 (no minimum range) "
     "or at least 0.001 km (1 m)"),
    (lambda: dg.range_ring(0, 0, 1851, 1e-20), "at least 0.001 km (1 m)"),
    (lambda: dg.range_ring(0, 0, 1e-9), "range_km must be at least 0.001 km (1 m)"),
    (lambda: dg.range_ring(0, 0, 500, tolerance_km=1e-300), "at least 0.001 km (1 m)"),
    (lambda: dg.reach_zone(shapely.Point(10, 50), 1e-6), "range_km must be at least 0.001 km"),
    (lambda: dg.reach_zone(shapely.Point(10, 50), 100, tolerance_km=1e-9), "at least 0.001 km"),
    (lambda: dg.grid("Luxembourg", 1e-9), "spacing_km must be at least 0.001 km (1 m)"),
    (lambda: dg.permitted_zone("USA", "Dark Eagle", on="2021-12-17", tolerance_km=1e-12),
     "tolerance_km must be at least 0.001 km (1 m)"),
])
def test_regression_020_degenerate_sizes_are_refused_naming_the_floor(call, floor):
    """2026-12-07 (issue 22 item 2). A minimum range of 1e-200 km made range_ring refine
    without end (12.7 GB); 1e-20 km raised a raw ValueError (NaN to integer); a 1e-6 km reach
    zone came back empty, without its own target; a 1e-9 km grid spacing tried to allocate
    598 GiB. Every size below its floor is now an InvalidInputError naming the floor."""
    with pytest.raises(InvalidInputError, match=floor.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_regression_021_sizes_at_the_floor_still_work():
    """2026-12-07 (issue 22 item 2, the other side of 020). The floors refuse nothing they
    should not: 1 m rings, zones and minimum ranges draw,
    and a 1 m reach zone holds its target."""
    ring = dg.range_ring(1, 0.0015, 500, 0.001)
    assert ring.is_valid and not ring.contains(shapely.Point(1, 0.0015))
    assert ring.contains(shapely.Point(1, 1))
    tiny = dg.range_ring(0, 0, 0.001)
    assert tiny.is_valid and tiny.contains(shapely.Point(0, 0))
    edge = shapely.get_coordinates(tiny)
    d = np.asarray(GEOD.inv(np.zeros(len(edge)), np.zeros(len(edge)), edge[:, 0], edge[:, 1])[2])
    assert np.abs(d - 1.0).max() < 0.02  # vertices 1 m out, to the derived 1 cm tolerance
    zone = dg.reach_zone(shapely.Point(10, 50), 0.001)
    assert zone.contains(shapely.Point(10, 50))


def test_regression_022_a_ship_on_land_builds_one_index_per_unit(monkeypatch):
    """2026-12-07 (issue 22 item 6). Each warship on land cost ~0.33 s before the error: the
    index of its state's territorial sea was built again for every ship (200 ships: 67 s).
    The index now comes from the one cache, once per unit: after one ship, 200 more in the
    same state build none."""
    from deployguard.geodesy import index as index_module

    builds = []
    real_init = index_module.DistanceIndex.__init__

    def counting_init(self, *args, **kwargs):
        builds.append(1)
        real_init(self, *args, **kwargs)

    rng = np.random.default_rng(21)

    def ships(n):
        lon, lat = rng.uniform(10.0, 11.5, n), rng.uniform(50.0, 51.0, n)
        return [Deployment(by="USA", at=(float(x), float(y)), date="2022-01-01",
                           system="Arleigh Burke DDG") for x, y in zip(lon, lat, strict=True)]

    with pytest.raises(InvalidInputError, match="a ship cannot stand on land"):
        dg.check(ships(1))  # builds what the first ship needs
    monkeypatch.setattr(index_module.DistanceIndex, "__init__", counting_init)
    with pytest.raises(InvalidInputError, match="a ship cannot stand on land") as info:
        dg.check(ships(200))
    assert "km from its territorial sea" in str(info.value)
    assert builds == []
def test_regression_030_sweep_reads_the_launch_mode_reading_as_check_does():
    """2026-12-07 (issue 17): sweep() ignored Readings(launch_mode="catalogue"): a ship
    Tomahawk at Deveselu was a violation in the sweep and not applicable in check(), because
    the sweep decided US-6 and NATO-5 with a second copy of the clause logic that took launch
    mode from location alone. The sweep now runs check()'s own clause functions."""
    deveselu = (24.4136, 44.0786)
    catalogue = dg.Readings(launch_mode="catalogue")
    for readings, want in ((catalogue, "not_applicable"), (dg.Readings(), "violation")):
        t = dg.sweep(([deveselu[0]], [deveselu[1]]), "Tomahawk (ship)", by="USA",
                     on="2021-12-17", readings=readings, progress=False)
        report = dg.check(Deployment(by="USA", at=deveselu, date="2021-12-17",
                                     system="Tomahawk (ship)"), readings=readings)
        # outside US national territory: the first limb of US Art. 6 when ground-launched
        assert t["US-6"].iloc[0] == report.finding("US-6").status.value == want
        assert t["NATO-5"].iloc[0] == report.finding("NATO-5").status.value
