"""Regressions: every bad input raises a deployguard error naming the field, the value and
what was expected (never a bare ValueError/TypeError/IndexError from inside)."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString, MultiPolygon, Polygon

import deployguard as dg
from deployguard.cli import main
from deployguard.data.catalogue import Catalogue
from deployguard.data.deployments import Deployment
from deployguard.data.scenarios import load_scenario
from deployguard.errors import (
    DataError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownStateError,
)

WHERE = {"by": "USA", "at": (20.0, 50.0), "date": "2022-01-01"}


@pytest.fixture(scope="module")
def report():
    return dg.check([Deployment(**WHERE, personnel=100, label="one")], drafts="nato")


# 1 ------------------------------------------------------------------------- personnel
@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e400, -float("inf")])
def test_personnel_not_finite__invalid_input(value):
    with pytest.raises(InvalidInputError, match=r"personnel must be a whole number >= 0, got"):
        Deployment(**WHERE, personnel=value)


def test_personnel_nan__message_names_value():
    with pytest.raises(InvalidInputError, match=r"^personnel .* got nan$"):
        Deployment(**WHERE, personnel=float("nan"))


# 2 ------------------------------------------------------------------------- scenario records
def test_scenario_record_not_an_object__data_error(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"by": "USA", "at": [20, 50], "date": "2022-01-01",
                                 "personnel": 1}, 5]))
    with pytest.raises(DataError, match=r"deployment 1: expected an object .* got int 5"):
        load_scenario(path)


def test_from_record_not_a_mapping__invalid_input():
    with pytest.raises(InvalidInputError, match="record must be a mapping"):
        Deployment.from_record(5)


def test_cli_scenario_record_not_an_object__exit_2(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text("[5]")
    assert main(["check", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "deployment 0" in err and "Traceback" not in err


# 3 ------------------------------------------------------------------------- missing lat / None
@pytest.mark.parametrize("lat", [None, ""])
def test_from_record_missing_lat__says_missing(lat):
    rec = {"by": "USA", "lon": 20, "date": "2022-01-01", "personnel": 1}
    if lat is not None:
        rec["lat"] = lat
    with pytest.raises(InvalidInputError, match="lat is missing"):
        Deployment.from_record(rec)


def test_from_record_missing_lon__says_missing():
    with pytest.raises(InvalidInputError, match="lon is missing"):
        Deployment.from_record({"by": "USA", "lat": 50, "date": "2022-01-01", "personnel": 1})


def test_distance_lon_none__says_none():
    geom = Polygon([(0, 0), (1, 0), (1, 1)])
    with pytest.raises(InvalidInputError, match="lon is None; expected degrees"):
        dg.distance_km(None, 50, geom)
    with pytest.raises(InvalidInputError, match="lat is None; expected degrees"):
        dg.distance_km(20, None, geom)


# 4 ------------------------------------------------------------------------- kind vs system
def test_kind_contradicts_missile__rejected():
    with pytest.raises(InvalidInputError, match=r"kind='forces' does not fit .*'missile'"):
        Deployment(**WHERE, system="Tomahawk (Typhon)", kind="forces")


def test_kind_contradicts_platform__rejected():
    with pytest.raises(InvalidInputError, match=r"kind='missile' does not fit .*'patrol'"):
        Deployment(**WHERE, system="B-52H", kind="missile")


@pytest.mark.parametrize("system, kind", [
    ("Tomahawk (Typhon)", "exercise"), ("Typhon", "missile"), ("Iskander-M", "nuclear"),
    ("B-52H", "base"), ("B-52H", "nuclear"), ("Arleigh Burke DDG", "exercise"),
])
def test_kind_fits_system__accepted(system, kind):
    assert Deployment(**WHERE, system=system, kind=kind).kind == kind


# 5 ------------------------------------------------------------------------- carried weapon
def test_weapon_not_carried__rejected_listing_weapons():
    with pytest.raises(InvalidInputError, match=r"weapon='Iskander-M' .*'AGM-86B', 'JASSM-ER'"):
        Deployment(by="USA", at=(19, 56), date="2022-01-01", system="B-52H",
                   weapon="Iskander-M")


def test_weapon_carried_by_alias__accepted():
    cat = Catalogue.load()
    jassm = cat.get("JASSM-ER")
    name = jassm.aliases[0] if jassm.aliases else jassm.name
    d = Deployment(by="USA", at=(19, 56), date="2022-01-01", system="B-52H", weapon=name)
    assert d.weapon.name == "JASSM-ER"


# 6 ------------------------------------------------------------------------- by / host codes
def test_check_unknown_by__unknown_state():
    with pytest.raises(UnknownStateError, match=r"by: unknown state 'XYZ'"):
        dg.check([Deployment(by="XYZ", at=(20, 50), date="2022-01-01", personnel=1)])


def test_check_unknown_host__unknown_state():
    with pytest.raises(UnknownStateError, match=r"host: unknown state 'XYZ'"):
        dg.check([Deployment(**WHERE, host="XYZ", personnel=1)])


def test_check_by_nato__one_deployment_per_state():
    with pytest.raises(InvalidInputError, match=r"by is 'NATO'.*one deployment per sending"):
        dg.check([Deployment(by="NATO", at=(20, 50), date="2022-01-01", personnel=1)])


def test_check_accession_with_host__by_may_name_the_alliance():
    d = Deployment(by="NATO", kind="accession", host="FIN", date="2023-04-04")
    assert dg.check(d, drafts="nato").finding("NATO-6").evidence["acceding_state"] == "FIN"


# 7 ------------------------------------------------------------------------- drafts / sensitivity
@pytest.mark.parametrize("drafts", [5, [5], ["us", 5]])
def test_check_bad_drafts__invalid_input(drafts):
    with pytest.raises(InvalidInputError, match="drafts must be"):
        dg.check([], drafts=drafts)


def test_check_drafts_none_means_not_given():
    """None is "not given" (numpy style): a scenario's default, else both drafts. It used to be
    refused; it changed when check() began to honour scenario defaults."""
    d = Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    assert dg.check(d, drafts=None).settings["drafts"] == ["us", "nato"]


@pytest.mark.parametrize("value", ["no", 1, None])
def test_check_sensitivity_not_bool__invalid_input(value):
    with pytest.raises(InvalidInputError, match=r"sensitivity must be True or False"):
        dg.check([], sensitivity=value)


# 8 ------------------------------------------------------------------------- report access
def test_for_deployment_index_out_of_range(report):
    with pytest.raises(InvalidInputError, match=r"deployment index must be in \[0, 0\]"):
        report.for_deployment(5)
    assert report.for_deployment(-1) == report.for_deployment(0)


def test_for_deployment_unknown_name(report):
    with pytest.raises(InvalidInputError, match=r"deployment 'nope' .*\['one'\]"):
        report.for_deployment("nope")
    assert report.for_deployment("one")


def test_for_deployment_foreign_object(report):
    with pytest.raises(InvalidInputError, match="deployment must be one of"):
        report.for_deployment(Deployment(**WHERE, personnel=100))


def test_plot_report_none__invalid_input():
    with pytest.raises(InvalidInputError, match="report must be a deployguard Report"):
        dg.plot_report(None)


# 9 ------------------------------------------------------------------------- catalogue
@pytest.mark.parametrize("name", [None, 5])
def test_catalogue_get_not_a_string(name):
    with pytest.raises(InvalidInputError, match="system name must be a string"):
        Catalogue.load().get(name)


# 10 ------------------------------------------------------------------------ antimeridian
@pytest.mark.parametrize("geom", [
    Polygon([(178, 60), (-178, 60), (-178, 62), (178, 62)]),
    LineString([(179, 62), (-179, 62)]),
])
def test_geometry_across_180__warns(geom):
    with pytest.warns(ModellingAssumptionWarning, match=r"at spans 35\d degrees of longitude"):
        Deployment(by="USA", at=geom, date="2022-01-01", personnel=1)


def test_geometry_split_at_180__no_warning(recwarn):
    split = MultiPolygon([
        Polygon([(178, 60), (180, 60), (180, 62), (178, 62)]),
        Polygon([(-180, 60), (-178, 60), (-178, 62), (-180, 62)]),
    ])
    Deployment(by="USA", at=split, date="2022-01-01", personnel=1)
    assert not [w for w in recwarn if issubclass(w.category, ModellingAssumptionWarning)]
