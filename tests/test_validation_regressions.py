"""Regressions: every bad input raises a deployguard error naming the field, the value and
what was expected (never a bare ValueError/TypeError/IndexError from inside)."""

from __future__ import annotations

import json
import os
import warnings

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
    LikelyInputSlipWarning,
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


# Issue 22 (reliability review of 2026-12, main at 834bc50): items 4 and 8. Numbered from 100 so
# that they never clash with the numbers above.
SCENARIO_ROW = {"by": "USA", "at": [20.0, 50.0], "date": "2022-01-01", "personnel": 100}


def _never(*args, **kwargs):
    raise AssertionError("the whole document was parsed; the limit must be checked before")


@pytest.fixture
def small_limits(monkeypatch):
    """Limits low enough to pass with a few rows, instead of writing hundreds of MB."""
    from deployguard.data import _scenario_limits

    monkeypatch.setattr(_scenario_limits, "MAX_NODES", 120)
    monkeypatch.setattr(_scenario_limits, "MAX_BYTES", 4000)
    return _scenario_limits


# 100 ----------------------------------------------------------------------- value cap, YAML
def test_100_yaml_over_the_value_cap__refused_before_it_is_built(tmp_path, small_limits,
                                                                  monkeypatch):
    """A 199 MB YAML ended in MemoryError after 78 s at 8 GB: the cap was checked after the
    whole document was built. The parser's event stream is counted and stopped at the cap."""
    from deployguard.data import _scenario_files

    monkeypatch.setattr(_scenario_files, "_parse_yaml", _never)
    row = "  - {by: USA, at: [20.0, 50.0], date: 2022-01-01, personnel: 100}\n"  # 11 nodes
    path = tmp_path / "big.yaml"
    path.write_text("deployments:\n" + row * 20)
    with pytest.raises(DataError, match=r"big\.yaml.*more than 120 values \(keys included\) "
                       r"by line 1\d; scenario files are limited to 120 values") as err:
        load_scenario(path)
    assert len(err.value.problems) == 1
    path.write_text("deployments:\n" + row * 10)  # 2 + 110 nodes: within the cap
    monkeypatch.undo()
    monkeypatch.setattr(small_limits, "MAX_NODES", 120)
    assert len(load_scenario(path)) == 10


def test_100_yaml_far_over_the_cap__refused_from_libyaml_count(tmp_path, small_limits,
                                                                monkeypatch):
    """Far over the cap, libyaml's own count of events (a quarter of which are surely nodes)
    refuses the file without a Python object per event."""
    from deployguard.data import _scenario_files

    monkeypatch.setattr(_scenario_files, "_parse_yaml", _never)
    monkeypatch.setattr(_scenario_files, "_yaml_loader", _never)
    row = "  - {by: USA, at: [20.0, 50.0], date: 2022-01-01, personnel: 100}\n"
    path = tmp_path / "big.yaml"
    path.write_text("deployments:\n" + row * 60)  # 60 x 13 + 8 events
    with pytest.raises(DataError, match=r"at least 196 values \(keys included\); scenario "
                       "files are limited to 120 values"):
        load_scenario(path)


def test_100_yaml_aliases_expanded_past_the_cap__refused(tmp_path, small_limits):
    rows = "".join(f"  - {{<<: *d, label: r{i}}}\n" for i in range(20))
    path = tmp_path / "alias.yaml"
    path.write_text("_d: &d {by: USA, at: [20.0, 50.0], date: 2022-01-01, personnel: 1}\n"
                    "deployments:\n" + rows)
    with pytest.raises(DataError, match=r"more than 120 values .* after expanding YAML aliases"):
        load_scenario(path)


# 101 ----------------------------------------------------------------------- value cap, JSON
def test_101_json_over_the_value_cap__refused_before_it_is_built(tmp_path, small_limits,
                                                                  monkeypatch):
    """190 MB of JSON peaked at 6.0 GB. Structural characters outside strings bound the count
    of values; strings full of commas and colons do not count."""
    from deployguard.data import _scenario_files

    monkeypatch.setattr(_scenario_files, "_parse_json", _never)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([SCENARIO_ROW] * 12, indent=1))  # 1 + 12 x 11 nodes
    with pytest.raises(DataError, match=r"big\.json.*more than 120 values .*limited to 120"):
        load_scenario(path)
    monkeypatch.undo()
    monkeypatch.setattr(small_limits, "MAX_NODES", 120)
    chatty = [dict(SCENARIO_ROW, label=",:[{" * 200) for _ in range(5)]  # 1 + 5 x 13 nodes
    monkeypatch.setattr(small_limits, "MAX_BYTES", 10**6)
    path.write_text(json.dumps(chatty))
    assert len(load_scenario(path)) == 5


def test_101_json_count_over_chunks_agrees_with_the_parse(monkeypatch):
    """The chunked count skips a string that runs past a chunk's end, or is longer than one."""
    from deployguard.data import _scenario_limits as files

    monkeypatch.setattr(files, "_CHUNK", 7)
    text = json.dumps([{"a,b": ["x:y" * 5, 1, {"c": "\\\",\\\""}]}, "q" * 40, [1, 2]])
    # outer list; object, key, list, 2 values, object, key, value; "q..."; list and 2 values
    nodes = 1 + (1 + 1 + 1 + 2 + 1 + 1 + 1) + 1 + 3
    monkeypatch.setattr(files, "MAX_NODES", nodes)
    assert files.json_count(text) is None
    monkeypatch.setattr(files, "MAX_NODES", nodes - 1)
    assert files.json_count(text) is not None


# 102 ----------------------------------------------------------------------- value cap, CSV
def test_102_csv_over_the_value_cap__refused_while_read(tmp_path, small_limits):
    path = tmp_path / "big.csv"
    path.write_text("by,lon,lat,date,personnel\n" + "USA,20,50,2022-01-01,1\n" * 30)
    with pytest.raises(DataError, match=r"more than 120 values .* by line 2\d") as err:
        load_scenario(path)
    assert len(err.value.problems) == 1


# 103 ----------------------------------------------------------------------- value cap, Parquet
def test_103_parquet_over_the_value_cap__refused_from_its_metadata(tmp_path, small_limits,
                                                                    monkeypatch):
    import pandas as pd

    path = tmp_path / "big.parquet"
    pd.DataFrame({"by": ["USA"] * 30, "lon": [20.0] * 30, "lat": [50.0] * 30,
                  "date": ["2022-01-01"] * 30, "personnel": [1] * 30}).to_parquet(path)
    monkeypatch.setattr(small_limits, "MAX_BYTES", 10**6)
    monkeypatch.setattr(pd, "read_parquet", _never)
    with pytest.raises(DataError, match=r"150 \(30 rows of 5 columns\) values"):
        load_scenario(path)


# 104 ----------------------------------------------------------------------- byte cap
def test_104_file_over_the_byte_cap__refused_from_its_size(tmp_path, small_limits):
    path = tmp_path / "big.json"
    path.write_text(json.dumps([SCENARIO_ROW]) + " " * 5000)
    with pytest.raises(DataError, match=r"big\.json.*the file is 5,\d{3} bytes; scenario files "
                       r"are limited to 4,000 bytes"):
        load_scenario(path)


def test_104_read_stops_at_the_cap_when_the_size_on_disk_lies(tmp_path, small_limits):
    """/proc files say they are 0 bytes long: the read itself must stop at the cap."""
    maps = "/proc/self/maps"
    if not os.path.exists(maps) or os.stat(maps).st_size != 0:
        pytest.skip("needs a /proc file that reports size 0")
    link = tmp_path / "maps.yaml"
    link.symlink_to(maps)
    with pytest.raises(DataError, match=r"the file is more than 4,000 bytes; scenario files are "
                       "limited to 4,000 bytes"):
        load_scenario(link)


def test_104_cli_size_refusal__exit_2(tmp_path, small_limits, capsys):
    path = tmp_path / "big.yaml"
    path.write_text("deployments:\n" + "  - {by: USA, at: [20, 50], date: 2022-01-01}\n" * 40)
    assert main(["check", str(path), "--out", str(tmp_path / "out"), "--no-map"]) == 2
    err = capsys.readouterr().err
    assert "big.yaml" in err and "limited to 120 values" in err and "Traceback" not in err


# 105 ----------------------------------------------------------------------- special files
def test_105_fifo_as_scenario__named_as_such(tmp_path):
    """A FIFO or /dev/zero given as the scenario was 'not found' (and reading one never ends)."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match=r"pipe\.yaml'?: is a FIFO \(named pipe\), not a "
                       "scenario file"):
        load_scenario(fifo)


def test_105_character_device_as_scenario__named_as_such(tmp_path, capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(DataError, match=r"'/dev/zero': is a character device, not a scenario"):
        load_scenario("/dev/zero")
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    assert main(["check", str(link), "--out", str(tmp_path / "out"), "--no-map"]) == 2
    assert "is a character device" in capsys.readouterr().err


def test_105_folder_and_missing_file__named(tmp_path):
    (tmp_path / "d.yaml").mkdir()
    with pytest.raises(DataError, match="scenario file is a folder"):
        load_scenario(tmp_path / "d.yaml")
    with pytest.raises(DataError, match="scenario file not found"):
        load_scenario(tmp_path / "nope.yaml")


# 106 ----------------------------------------------------------------------- YAML duplicate keys
def test_106_yaml_duplicate_key__refused_as_json_does(tmp_path):
    """`by: RUS ... by: USA` was checked as USA; JSON refuses the same mistake."""
    path = tmp_path / "dup.yaml"
    path.write_text("deployments:\n  - by: RUS\n    at: [20.5, 54.7]\n    date: 2022-01-01\n"
                    "    by: USA\n    personnel: 10\n")
    with pytest.raises(DataError, match=r"key 'by' appears twice in one mapping \(line 2 and "
                       r"line 5\); keep one"):
        load_scenario(path)
    twin = tmp_path / "dup.json"
    twin.write_text('[{"by": "RUS", "at": [20.5, 54.7], "date": "2022-01-01", "by": "USA"}]')
    with pytest.raises(DataError, match="key 'by' appears twice"):
        load_scenario(twin)


def test_106_yaml_duplicate_default__refused_and_merge_override_kept(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("defaults: {date: 2022-01-01, date: 2023-01-01}\n"
                    "deployments: [{by: USA, at: [20, 50], personnel: 1}]\n")
    with pytest.raises(DataError, match="key 'date' appears twice"):
        load_scenario(path)
    merged = tmp_path / "merge.yaml"
    merged.write_text("_d: &d {by: RUS, date: 2022-01-01, personnel: 5}\n"
                      "deployments:\n  - <<: *d\n    by: USA\n    at: [20.5, 54.7]\n")
    assert load_scenario(merged)[0].by == "USA"  # an explicit key overrides a merged one


# 107 ----------------------------------------------------------------------- personnel ceiling
@pytest.mark.parametrize("value", [1e20, 10**20, 1e78, 10_000_001])
def test_107_personnel_above_the_ceiling__refused(value):
    with pytest.raises(InvalidInputError, match=r"personnel must be at most 10,000,000 .*got"):
        Deployment(**WHERE, personnel=value)


def test_107_personnel_at_the_ceiling__accepted_and_from_a_file_refused_above(tmp_path):
    from deployguard.data.deployments import MAX_PERSONNEL

    assert Deployment(**WHERE, personnel=MAX_PERSONNEL).personnel == 10_000_000
    path = tmp_path / "s.csv"
    path.write_text("by,lon,lat,date,personnel\nUSA,20,50,2022-01-01,100000000000\n")
    with pytest.raises(DataError, match=r"deployment 0 \(line 2\): personnel must be at most"):
        load_scenario(path)


# 108 ----------------------------------------------------------------------- real coordinates
@pytest.mark.parametrize("at", [(b"5", "10"), (90.0000001, True), ("5", "10"), (True, 50.0),
                                (20.0, b"50")])
def test_108_coordinates_not_real_numbers__refused(at):
    with pytest.raises(InvalidInputError, match=r"(lon|lat) must be a real number .* not "
                       "booleans, text or bytes"):
        Deployment(by="USA", at=at, date="2022-01-01", personnel=1)


@pytest.mark.parametrize("func", [
    lambda lon, lat: dg.distance_km(lon, lat, "POL"),
    lambda lon, lat: dg.within_range(lon, lat, "POL", 100),
])
def test_108_public_functions_refuse_booleans_and_text(func):
    for lon, lat in ((True, 50.0), ("20", "50"), ([20.0, b"1"], [50.0, 50.0])):
        with pytest.raises(InvalidInputError, match="must be a real number"):
            func(lon, lat)


def test_108_text_of_numbers_from_a_record__still_parsed(tmp_path):
    """CSV cells are text: a record's lon/lat text is parsed where the record is read."""
    from decimal import Decimal

    import numpy as np

    d = Deployment.from_record({"by": "USA", "lon": " 20.5", "lat": "50", "date": "2022-01-01",
                                "personnel": "7"})
    assert d.lonlat == (20.5, 50.0)
    assert Deployment(by="USA", at=(np.float32(20.5), Decimal("50")), date="2022-01-01",
                      personnel=1).lonlat == (20.5, 50.0)
    with pytest.raises(InvalidInputError, match=r"lon must be degrees \(a number\), got 'x'"):
        Deployment.from_record({"by": "USA", "lon": "x", "lat": "50", "date": "2022-01-01"})


# 109 ----------------------------------------------------------------------- longitude range
@pytest.mark.parametrize("lon", [540.0001, -541, 1e308, -1e308])
def test_109_longitude_beyond_540__refused(lon):
    """1e308 was wrapped silently to some longitude: a wrong number, not a slip of the wrap."""
    with pytest.raises(InvalidInputError, match=r"lon must be degrees in \[-540, 540\]"):
        Deployment(by="USA", at=(lon, 50.0), date="2022-01-01", personnel=1)
    with pytest.raises(InvalidInputError, match=r"lon must be degrees in \[-540, 540\]"):
        dg.distance_km(lon, 50.0, "POL")


def test_109_longitude_within_540__wrapped():
    assert Deployment(by="USA", at=(540.0, 50.0), date="2022-01-01",
                      personnel=1).lonlat == (180.0, 50.0)
    assert Deployment(by="USA", at=(-380.0, 50.0), date="2022-01-01",
                      personnel=1).lonlat == pytest.approx((-20.0, 50.0))


# 110 ----------------------------------------------------------------------- swap warning
@pytest.mark.parametrize("at", [(71.43, 51.13), (43.85, 40.79)])  # Astana; Gyumri, Armenia
def test_110_land_system_on_foreign_land__no_swap_warning(at):
    """Iskanders in Kazakhstan (or Armenia) swap into Russia, but a deployment on land abroad is
    plausible: the README warns only for a land-based system at sea."""
    d = Deployment(by="RUS", at=at, date="2022-01-01", system="Iskander-M")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LikelyInputSlipWarning)
        dg.check(d, drafts="us")


def test_110_land_system_at_sea_swapping_home__warns_and_a_ship_does_not():
    """Hamburg typed as (lat, lon) lies in the Arabian Sea; swapped, in Germany."""
    forces = Deployment(by="DEU", at=(53.55, 9.99), date="2022-01-01", personnel=500)
    with pytest.warns(LikelyInputSlipWarning, match=r"land-based deployment at sea .*9\.99, "
                      r"53\.55 is in DEU"):
        dg.check(forces, drafts="nato")
    navy = Deployment(by="DEU", at=(53.55, 9.99), date="2022-01-01", personnel=500,
                      category="naval")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LikelyInputSlipWarning)
        dg.check(navy, drafts="nato")


# 111 ----------------------------------------------------------------------- distances
@pytest.mark.parametrize("km", [True, False, b"100"])
def test_111_range_as_boolean_or_bytes__refused(km):
    """Like coordinates: float() takes True as 1 km and b'100' as 100 km; both are slips."""
    with pytest.raises(InvalidInputError, match="range_km must be a number of kilometres"):
        dg.within_range(20.0, 50.0, "POL", km)


# 112 ----------------------------------------------------------------------- GeoJSON coordinates
@pytest.mark.parametrize("geometry", [
    {"type": "Point", "coordinates": [True, 5]},
    {"type": "Point", "coordinates": ["20", 50]},
    {"type": "LineString", "coordinates": [[20, 50], [b"21", 50]]},
    {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [20, False]}]},
])
def test_112_geojson_coordinates_not_real_numbers__refused(geometry):
    """shapely reads True as 1 and '20' as 20: the same slips as in a (lon, lat) pair."""
    with pytest.raises(InvalidInputError, match=r"at: GeoJSON coordinates must be real numbers"):
        Deployment(by="USA", at=geometry, date="2022-01-01", personnel=1)


def test_112_geojson_feature_with_boolean_coordinate__refused_in_a_file(tmp_path):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [True, 50]},
        "properties": {"by": "USA", "date": "2022-01-01", "personnel": 1}}]}))
    with pytest.raises(DataError, match=r"deployment 0: at: GeoJSON coordinates must be real"):
        load_scenario(path)
