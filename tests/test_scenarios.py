"""Scenario files: every format, the defaults, every problem at once, hostile files refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import deployguard as dg
from deployguard.data.scenarios import (
    Scenario,
    as_deployments,
    builtin_names,
    builtin_scenario,
    load_scenario,
)
from deployguard.errors import DataError, InvalidInputError, ScenarioError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [str(p) for p in info.value.problems]


# ------------------------------------------------------------------------------ formats
@pytest.mark.parametrize("name, count", [
    ("kaliningrad.yaml", 3), ("us_missiles.csv", 4), ("forces_europe_semicolon.csv", 3),
    ("accessions.json", 3), ("patrols.geojson", 3), ("forces_east.parquet", 2),
])
def test_examples__load(name, count):
    scenario = load_scenario(EXAMPLES / name)
    assert isinstance(scenario, Scenario) and len(scenario) == count
    assert all(d.label and d.why for d in scenario)
    assert scenario.origin.endswith(name)
    assert bool(scenario.title) != name.endswith(".csv")  # a CSV file has no title


def test_yaml__defaults_and_positions():
    s = load_scenario(EXAMPLES / "kaliningrad.yaml")
    assert s.defaults.date == dt.date(2018, 2, 5) and s.defaults.range_estimate == "nominal"
    assert s.defaults.readings == {"territorial_sea": True}
    assert s[1].date == dt.date(2018, 2, 5)  # the default date
    assert s[2].date == dt.date(2022, 1, 1) and s[2].lonlat == (-173.2333, 64.4236)


def test_csv__wkt_base_and_lonlat_columns():
    s = load_scenario(EXAMPLES / "us_missiles.csv")
    assert s[0].at == "Wiesbaden (Clay Kaserne)"
    assert s[1].lonlat == (11.9406, 49.6992) and isinstance(s[1].at, shapely.Point)
    assert s[3].lonlat == (-106.42, 31.81)


def test_csv__semicolon_bom_and_decimal_comma():
    raw = (EXAMPLES / "forces_europe_semicolon.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    s = load_scenario(EXAMPLES / "forces_europe_semicolon.csv")
    assert s[0].lonlat == (15.317, 51.617) and s[0].personnel == 3500
    assert s[0].label == "US armoured brigade in Poland"  # the BOM is not part of 'label'


def test_geojson__geometry_is_at_and_defaults():
    s = load_scenario(EXAMPLES / "patrols.geojson")
    assert s[2].lonlat == (-178.0, 58.5) and s[2].weapon.name == "Kh-101"
    assert s.defaults.drafts == ("us",)


def test_geoparquet__metadata_defaults_and_crs(tmp_path):
    s = load_scenario(EXAMPLES / "forces_east.parquet")
    assert s.defaults.drafts == ("us", "nato") and s[1].host == "GEO"
    frame = gpd.GeoDataFrame({"by": ["USA"], "date": ["2022-01-01"], "personnel": [10]},
                             geometry=[shapely.Point(21.0, 52.2)], crs="EPSG:4326")
    frame.to_crs("EPSG:3857").to_parquet(tmp_path / "m.parquet")
    (d,) = load_scenario(tmp_path / "m.parquet")
    assert d.lonlat == pytest.approx((21.0, 52.2), abs=1e-9)  # reprojected to lon/lat


def test_plain_parquet_with_lonlat(tmp_path):
    import pandas as pd

    pd.DataFrame({"by": ["USA"], "lon": [21.0], "lat": [52.2], "date": ["2022-01-01"],
                  "personnel": [10]}).to_parquet(tmp_path / "p.parquet")
    (d,) = load_scenario(tmp_path / "p.parquet")
    assert d.kind == "forces" and d.lonlat == (21.0, 52.2)


def test_json__list_and_comments(tmp_path):
    path = _write(tmp_path, "s.json", json.dumps(
        {"_about": "a comment", "deployments": [{"by": "USA", "at": "Aviano", "_note": "x",
                                                 "date": "2022-01-01", "personnel": 7}]}))
    (d,) = load_scenario(path)
    assert d.at == "Aviano Air Base"


# ------------------------------------------------------------------------------ python API
def test_check_accepts_scenario_and_geodataframe():
    s = load_scenario(EXAMPLES / "accessions.json")
    report = dg.check(s, drafts="nato")
    assert [f.status.value for f in report.findings] == ["violation"] * 3
    frame = gpd.GeoDataFrame({"by": ["RUS"], "date": ["2018-02-05"], "system": ["Iskander-M"]},
                             geometry=[shapely.Point(20.511, 54.7065)], crs="EPSG:4326")
    assert dg.check(frame, drafts="nato").finding("NATO-5").status.value == "violation"
    assert as_deployments(s) == list(s)


def test_as_deployments__rejects_other_things():
    with pytest.raises(InvalidInputError, match="deployments\\[1\\] must be"):
        as_deployments([builtin_scenario()[0], 5])
    with pytest.raises(InvalidInputError, match="must be a Deployment"):
        as_deployments("Kaliningrad")


def test_scenario_is_frozen_and_a_sequence():
    s = builtin_scenario()
    with pytest.raises(AttributeError):
        s.origin = "x"  # type: ignore[misc]
    assert list(s[:2]) == [s[0], s[1]] and s[-1] is s.deployments[-1]


# ------------------------------------------------------------------------------ problems
def test_every_problem_at_once__with_entry_label_field_and_suggestion(tmp_path):
    path = _write(tmp_path, "s.csv",
                  "label,by,at,date,sytem,kind\n"
                  "A,RUS,Kaliningrd,2018-02-31,Iskander-M,misile\n"
                  "B,,Wiesbaden,2026-07-01,,\n"
                  "C,USA,Wiesbaden,2026-07-01,,forces\n")
    problems = _problems(path)
    text = "\n".join(problems)
    assert "line 1: column 'sytem' is not a deployment field; did you mean 'system'?" in text
    assert "date '2018-02-31' is not a calendar date: day is out of range for month" in text
    assert "at: unknown base or site 'Kaliningrd'; did you mean 'Kaliningrad'?" in text
    assert "got 'misile'; did you mean 'missile'?" in text
    assert "deployment 1 'B' (line 3): by is required" in text
    # an unknown column is reported once, for the header, not once per row
    assert sum("'sytem'" in p for p in problems) == 1 and "line 1" in text
    assert not any("deployment 2" in p for p in problems)
    assert len(problems) == 5


def test_problem_is_both_invalid_input_and_data_error(tmp_path):
    path = _write(tmp_path, "s.json", "[5]")
    with pytest.raises(InvalidInputError, match="deployment 0: expected an object"):
        load_scenario(path)
    with pytest.raises(DataError):
        load_scenario(tmp_path / "missing.json")


def test_yaml_booleans_get_a_hint(tmp_path):
    path = _write(tmp_path, "s.yaml", "- {label: yes, by: RUS, at: Kaliningrad, "
                                      "date: 2018-02-05, system: Iskander-M}\n")
    (problem,) = _problems(path)
    assert "label must be text, got True" in problem and "quote the word" in problem
    assert "(line 1)" in problem


def test_defaults_problems(tmp_path):
    path = _write(tmp_path, "s.yaml", "defaults: {date: soon, range_estimate: median, colour: red}"
                                      "\nsettings: 1\ndeployments: []\n")
    text = "\n".join(_problems(path))
    assert "defaults.date must be an ISO date" in text
    assert "defaults.range_estimate must be one of ['low', 'nominal', 'high', 'all']" in text
    assert "unknown default 'colour'" in text and "unknown top-level key 'settings'" in text


@pytest.mark.parametrize("content, message", [
    (b"by,at,date\nUSA,M\xfcnchen,2022-01-01\n", "not UTF-8 text: byte 0xfc at line 2"),
    (b"\xff\xfeb\x00y\x00", "UTF-16"),
    (b"", "the file is empty"),
    (b"by,at,date\n\"unclosed,x\n", "not valid CSV at line 2"),
])
def test_csv_encoding_and_structure(tmp_path, content, message):
    assert any(message in p for p in _problems(_write(tmp_path, "s.csv", content)))


@pytest.mark.parametrize("name, content, message", [
    ("s.json", "[" * 100_000, "nested too deeply"),
    ("s.json", "[" * 70 + "1" + "]" * 70, "nested more than 64 levels"),
    ("s.json", '[{"by": "USA", "personnel": ' + "9" * 5000 + "}]", "a number with 5,000 digits"),
    ("s.json", '[{"by": "USA", "at": [' + "9" * 400 + ', 1]}]', "an integer with 400 digits"),
    ("s.yaml", "- {by: USA, personnel: " + "9" * 5000 + "}", "a number with 5,000 digits"),
    ("s.yaml", "- " * 3000 + "x", "not valid YAML"),
    ("s.yaml", "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
               "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
               "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
               "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\ndeployments: [*g]\n", "after expanding"),
    ("s.yaml", "!!python/object/apply:os.system ['echo pwned']", "not valid YAML"),
    ("s.json", '{"a": 1, "a": 2}', "appears twice"),
    ("s.json", "{not json", "not valid JSON"),
    ("s.geojson", '{"type": "FeatureCollection", "features": 5}', "'features' list"),
    ("s.txt", "x", "unknown scenario format '.txt'"),
])
def test_hostile_files_are_refused_with_a_message(tmp_path, name, content, message):
    problems = _problems(_write(tmp_path, name, content))
    assert any(message in p for p in problems), problems


def test_parquet_that_is_not_parquet(tmp_path):
    assert "not a Parquet file" in _problems(_write(tmp_path, "s.parquet", b"PAR"))[0]


def test_builtin__only_bundled_names():
    assert builtin_names() == ["real_cases"]
    for name in ("../../pyproject", "/etc/passwd", "real_cases.json", "REAL_CASES"):
        with pytest.raises(InvalidInputError, match="unknown built-in scenario"):
            builtin_scenario(name)


def test_inputs_never_modified(tmp_path):
    path = _write(tmp_path, "s.yaml", (EXAMPLES / "kaliningrad.yaml").read_text())
    before = path.read_bytes()
    load_scenario(path)
    assert path.read_bytes() == before


def test_check_in_python_honours_the_scenario_defaults(tmp_path):
    """dg.check(load_scenario(f)) applies the file's defaults, as the command line does;
    an argument given to check() overrides them (regression: they were ignored)."""
    path = tmp_path / "s.yaml"
    path.write_text("defaults:\n  date: 2018-02-05\n  worldview: un\n  range_estimate: high\n"
                    "  readings:\n    territorial_sea: false\n"
                    "deployments:\n  - {by: RUS, at: Kaliningrad, system: Iskander-M}\n",
                    encoding="utf-8")
    scenario = dg.load_scenario(path)
    report = dg.check(scenario)
    assert report.settings["worldview"] == "un"
    assert report.settings["range_estimate"] == "high"
    assert report.settings["readings"]["territorial_sea"] is False
    assert report.finding("NATO-5").evidence["range_km"] == 700.0
    given = dg.check(scenario, worldview="de_facto", range_estimate="low")
    assert (given.settings["worldview"], given.settings["range_estimate"]) == ("de_facto", "low")
    assert given.settings["readings"]["territorial_sea"] is False
