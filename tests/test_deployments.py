import copy
import datetime as dt
import json

import pytest
import shapely

from deployguard.data.catalogue import Catalogue
from deployguard.data.deployments import KINDS, Deployment
from deployguard.data.scenarios import builtin_scenario, load_scenario
from deployguard.data.systems import WeaponSystem
from deployguard.errors import DataError, InvalidInputError, UnknownNameError, UnknownSystemError
from deployguard.treaty.weapons import reach_facts


def test_base_name_resolved_and_kept():
    d = Deployment(by="rus", at="kaliningrad", date="2018-02-05", system="9M723")
    assert d.by == "RUS" and d.at == "Kaliningrad" and d.base.host == "RUS"
    assert d.lonlat == (20.511, 54.7065) and d.date == dt.date(2018, 2, 5)
    assert d.system is Catalogue.load().get("Iskander-M")


@pytest.mark.parametrize(
    "kwargs, kind",
    [
        ({"system": "Iskander-M"}, "missile"),
        ({"system": "Tomahawk (Typhon)"}, "missile"),
        ({"system": "Typhon"}, "missile"),  # a land launcher deploys missiles
        ({"system": "Tu-95MS"}, "patrol"),
        ({"system": "Arleigh Burke DDG"}, "patrol"),
        ({"personnel": 500}, "forces"),
        ({"personnel": 500, "kind": "exercise"}, "exercise"),
    ],
)
def test_kind_inference(kwargs, kind):
    assert Deployment(by="USA", at=(10.0, 50.0), date="2022-01-01", **kwargs).kind == kind


def test_kind_cannot_be_inferred():
    with pytest.raises(InvalidInputError, match="kind"):
        Deployment(by="USA", at=(10.0, 50.0), date="2022-01-01")


@pytest.mark.parametrize(
    "kwargs, field, value",
    [
        ({"at": (200.0, 95.0)}, "lat", "95"),
        ({"at": (float("nan"), 10.0)}, "lon", "nan"),
        ({"personnel": -5}, "personnel", "-5"),
        ({"personnel": 2.5}, "personnel", "2.5"),
        ({"personnel": True}, "personnel", "True"),
        ({"kind": "invasion", "personnel": 1}, "kind", "invasion"),
        ({"arrangement": "forever", "personnel": 1}, "arrangement", "forever"),
        ({"category": "cavalry", "personnel": 1}, "category", "cavalry"),
        ({"date": "17/12/2021", "personnel": 1}, "date", "17/12/2021"),
        ({"host": "Georgia", "personnel": 1}, "host", "Georgia"),
        ({"at": shapely.Polygon(), "personnel": 1}, "at", "empty"),
        (
            {"at": shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), "personnel": 1},
            "at",
            "invalid",
        ),
    ],
)
def test_errors_name_field_and_value(kwargs, field, value):
    base = {"by": "USA", "at": (10.0, 50.0), "date": "2022-01-01", "system": None}
    base.update(kwargs)
    with pytest.raises(InvalidInputError) as exc:
        Deployment(**base)
    msg = str(exc.value)
    assert field in msg and value in msg, msg


def test_unknown_kind_lists_valid_ones():
    with pytest.raises(InvalidInputError) as exc:
        Deployment(by="USA", at=(10.0, 50.0), date="2022-01-01", kind="raid")
    assert all(k in str(exc.value) for k in KINDS)


def test_unknown_system_suggests():
    with pytest.raises(UnknownSystemError) as exc:
        Deployment(by="RUS", at=(20.5, 54.7), date="2022-01-01", system="Iskandr-M")
    assert "system" in str(exc.value) and "Iskander-M" in str(exc.value)


def test_unknown_base_suggests():
    # issue 7: an unknown base raises UnknownBaseError (an UnknownNameError), no longer a system
    with pytest.raises(UnknownNameError) as exc:
        Deployment(by="USA", at="Ramstien", date="2022-01-01", personnel=1)
    assert "at" in str(exc.value) and "Ramstein Air Base" in str(exc.value)


def test_accession_needs_a_state():
    d = Deployment(by="ukr", kind="accession", date="2022-06-01")
    assert d.by == "UKR" and d.geometry is None and d.point is None
    with pytest.raises(InvalidInputError, match="accession"):
        Deployment(by="NATO", kind="accession", date="2022-06-01")
    assert Deployment(by="NATO", kind="accession", host="FIN", date="2023-04-04").host == "FIN"


def test_location_required_for_physical_kinds():
    with pytest.raises(InvalidInputError, match="at is required"):
        Deployment(by="USA", date="2022-01-01", personnel=10)


def test_geometries_and_geojson():
    box = shapely.box(2.0, 64.0, 8.0, 68.0)
    d = Deployment(by="RUS", at=box, date="2022-01-01", system="Tu-95MS", weapon="Kh-101")
    assert d.geometry.equals(box) and box.contains(d.point)
    assert d.weapon.name == "Kh-101"
    with pytest.deprecated_call(match="reach_facts"):
        assert d.strike_weapon.name == "Kh-101"
    route = {"type": "LineString", "coordinates": [[-178.0, 58.0], [-175.0, 60.0]]}
    d2 = Deployment(by="RUS", at=route, date="2022-01-01", system="Tu-160")
    assert d2.geometry.geom_type == "LineString"
    assert route == {"type": "LineString", "coordinates": [[-178.0, 58.0], [-175.0, 60.0]]}


def test_weapon_must_fit_platform():
    with pytest.raises(InvalidInputError, match="weapon"):
        Deployment(by="RUS", at=(20, 54), date="2022-01-01", system="Iskander-M", weapon="Kh-101")
    with pytest.raises(InvalidInputError, match="missile"):
        Deployment(by="RUS", at=(20, 54), date="2022-01-01", system="Tu-95MS", weapon="Tu-160")


def test_inputs_not_mutated():
    consent = ["usa", "pol"]
    at = [21.0, 52.2]
    rec = {"by": "USA", "at": at, "date": "2022-01-01", "personnel": 10, "consent": consent}
    before = copy.deepcopy(rec)
    d = Deployment.from_record(rec)
    assert rec == before and consent == ["usa", "pol"] and at == [21.0, 52.2]
    assert d.consent == frozenset({"USA", "POL"}) and d.at == (21.0, 52.2)


def test_frozen_and_hashable():
    d = Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
    with pytest.raises(AttributeError):
        d.personnel = 5
    assert d == Deployment(
        by="USA", at="wiesbaden", date=dt.date(2026, 7, 1), system="typhon tomahawk"
    )
    assert len({d, d}) == 1


def test_user_weapon_system_passes_through():
    mine = WeaponSystem("My GLCM", "GLCM", "land", "USA", 900, 1000, 1100)
    d = Deployment(by="USA", at=(10, 50), date="2022-01-01", system=mine)
    assert d.system is mine and d.kind == "missile"


def test_builtin_scenario_covers_issue4_cases():
    cases = {d.label: d for d in builtin_scenario("real_cases")}
    assert all(d.why for d in cases.values())
    assert cases["Iskander-M in Kaliningrad"].system.name == "Iskander-M"
    assert cases["Typhon Tomahawk at Wiesbaden, 2026"].date.year == 2026
    assert {cases[k].at for k in cases if k.startswith("Dark Eagle")} == {
        "Fort Greely",
        "Fort Bliss",
    }
    assert cases["Ukraine's accession to NATO"].kind == "accession"
    assert cases["US base in Georgia"].kind == "base"
    assert cases["Russian troops in Belarus, 2022"].date == dt.date(2022, 2, 10)
    tu95 = [d for k, d in cases.items() if k.startswith("Tu-95MS")]
    assert len(tu95) == 2 and all(d.kind == "patrol" and d.weapon.name == "Kh-101" for d in tu95)
    burkes = [d for k, d in cases.items() if k.startswith("Arleigh Burke")]
    assert len(burkes) == 2 and all(
        reach_facts(d.system, d.weapon, "nominal", False, True, "location")[0].weapon.name
        == "Tomahawk (ship)" for d in burkes)
    assert len(cases) >= 14


def test_builtin_scenario_unknown_name():
    with pytest.raises(InvalidInputError, match="real_cases"):
        builtin_scenario("imaginary")


def test_load_scenario_json_and_csv(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps([{"by": "USA", "at": "Aviano", "date": "2022-01-01", "personnel": 7}]))
    (d,) = load_scenario(p)
    assert d.kind == "forces" and d.at == "Aviano Air Base"
    c = tmp_path / "s.csv"
    c.write_text("by,lon,lat,date,system,consent\nUSA,8.3,50.0,2026-07-01,Dark Eagle,DEU|USA\n")
    (e,) = load_scenario(c)
    assert e.kind == "missile" and e.lonlat == (8.3, 50.0) and e.consent == {"DEU", "USA"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"by": "USA", "at": [0, 0], "date": "2022-01-01", "kind": "x"}]))
    with pytest.raises(InvalidInputError, match="deployment 0"):
        load_scenario(bad)
    with pytest.raises(DataError):
        load_scenario(tmp_path / "missing.json")
