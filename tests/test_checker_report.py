"""check(): sensitivity, readings, inputs and the Report faces (table, GeoJSON, text, files)."""

from __future__ import annotations

import copy
import json
import time

import pytest

import deployguard as dg


@pytest.fixture(scope="module")
def scenario():
    return dg.builtin_scenario("real_cases")


@pytest.fixture(scope="module")
def report(scenario):
    return dg.check(scenario)


def test_check__sensitivity_range_estimate_flips_inf_class():
    """Iskander-M at Provideniya: low 400 km is below the INF floor, nominal 500 km is in it.

    US-6 is "not applicable" at the low estimate and a violation at nominal and high, so
    with sensitivity=True the finding is "depends" and names the range estimate. The worldview
    changes nothing in Chukotka.
    """
    d = dg.Deployment(by="RUS", at=(-173.2333, 64.4236), date="2022-01-01",
                      system="Iskander-M")
    f = dg.check(d, drafts="us", sensitivity=True).finding("US-6")
    assert f.status is dg.Status.DEPENDS
    assert f.flipped_by == ("range_estimate",)
    table = f.evidence["sensitivity"]
    assert table["low/de_facto"] == "not_applicable"
    assert table["nominal/de_facto"] == table["high/un"] == "violation"
    assert "range_estimate" in f.reason


def test_check__sensitivity_worldview_flips_crimea():
    """A ground-launched missile at Sevastopol: Crimea is Russian under de_facto and russia,
    Ukrainian under un.

    US-6 first limb: under "un" the launcher is outside Russian national territory
    (violation); under the others it is inside and Alaska is far away (compliant). A user
    system of 900/1,000/1,100 km stays in the INF classes at every estimate, so only the
    worldview flips it. (An Iskander-M would flip on both: its low 400 km is below the INF
    floor.)
    """
    glcm = dg.WeaponSystem("Test GLCM", "GLCM", "land", "RUS", 900, 1000, 1100)
    d = dg.Deployment(by="RUS", at="Sevastopol", date="2022-01-01", system=glcm)
    f = dg.check(d, drafts="us", sensitivity=True).finding("US-6")
    assert f.status is dg.Status.DEPENDS and f.flipped_by == ("worldview",)
    assert f.evidence["sensitivity"]["nominal/un"] == "violation"
    assert f.evidence["sensitivity"]["nominal/de_facto"] == "compliant"
    plain = dg.check(d, drafts="us", worldview="un").finding("US-6")
    assert plain.status is dg.Status.VIOLATION and plain.evidence["host"] == "UKR"


def test_check__sensitivity_keeps_stable_findings():
    """Where every estimate and worldview agree, the status stays and the table is attached.

    Tomahawk (Typhon) at Wiesbaden: 1,287-2,500 km is intermediate-range at every estimate and
    Russia (Kaliningrad, ~900 km) is reached under every worldview. (An Iskander-M in
    Kaliningrad would be "depends": its low 400 km falls below the INF floor.)
    """
    d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
    f = dg.check(d, drafts="nato", sensitivity=True).finding("NATO-5")
    assert f.status is dg.Status.VIOLATION and f.flipped_by == ()
    assert set(f.evidence["sensitivity"].values()) == {"violation"}
    assert len(f.evidence["sensitivity"]) == 9


def test_check__assumptions_are_reported():
    """Every finding carries the worldview, estimate and km used with its source, the date
    and all readings (with their defaults)."""
    d = dg.Deployment(by="USA", at="Grafenwohr", date="2026-07-01", system="Tomahawk (Typhon)")
    f = dg.check(d, drafts="nato").finding("NATO-5")
    a = f.assumptions
    assert a["worldview"] == "de_facto" and a["range_estimate"] == "nominal"
    assert a["range_km"] == 1600.0 and a["range_source"]
    assert a["date"] == "2026-07-01" and a["date_source"] == "deployment date"
    assert a["readings"] == dg.Readings().as_dict()
    assert a["readings"]["brigade_threshold"] == 5000
    on = dg.check(d, drafts="nato", on="2021-12-17").finding("NATO-5").assumptions
    assert on["date"] == "2021-12-17" and on["date_source"] == "on= argument"


def test_check__membership_on_the_date():
    """NATO-7.1 binds NATO members on the date: Finland before and after 4 Apr 2023."""
    before = dg.Deployment(by="FIN", at=(21.0, 52.2), date="2023-04-03", personnel=100)
    after = dg.Deployment(by="FIN", at=(21.0, 52.2), date="2023-04-04", personnel=100)
    r = dg.check([before, after], drafts="nato")
    assert r.finding("NATO-7.1", 0).status is dg.Status.NOT_APPLICABLE
    assert r.finding("NATO-7.1", 1).status is dg.Status.VIOLATION
    # NATO-4 names the members of 27 May 1997 only: Finland is never a deploying state
    assert r.finding("NATO-4", 1).status is dg.Status.NOT_APPLICABLE


def test_check__inputs_not_mutated(scenario):
    before = copy.deepcopy(scenario)
    readings = dg.Readings()
    dg.check(scenario, readings=readings)
    assert scenario == before and readings == dg.Readings()


def test_check__bad_arguments_name_field_and_value():
    d = dg.Deployment(by="UKR", kind="accession", date="2022-06-01")
    with pytest.raises(dg.InvalidInputError, match="range_estimate.*'max'"):
        dg.check(d, range_estimate="max")
    with pytest.raises(dg.InvalidInputError, match="drafts.*'osce'"):
        dg.check(d, drafts=("osce",))
    with pytest.raises(dg.InvalidInputError, match="deployments\\[0\\]"):
        dg.check(["not a deployment"])
    with pytest.raises(dg.InvalidInputError, match="nato72_zone_km.*-5"):
        dg.Readings(nato72_zone_km=-5)
    with pytest.raises(dg.InvalidInputError, match="unknown clause id 'US-9'"):
        dg.get_clause("US-9")


def test_clauses__records():
    """Fourteen clauses (US-7.3 added by issue 8), each quoting its words, naming whom it binds
    and its kinds."""
    ids = [c.id for c in dg.CLAUSES]
    assert ids == ["US-3", "US-4.1", "US-4.2", "US-5.1", "US-5.2", "US-6", "US-7.1", "US-7.2",
                   "US-7.3", "NATO-4", "NATO-5", "NATO-6", "NATO-7.1", "NATO-7.2"]
    for c in dg.CLAUSES:
        assert c.quote and c.wording and c.binds and c.applies_to
        assert c.draft in ("us", "nato")
    assert dg.get_clause("nato-4").quote.startswith("The Russian Federation and all the Parties")


def test_report__builtin_scenario_fast_and_complete(scenario):
    """The 16 built-in cases check in well under a minute at 50m."""
    t0 = time.perf_counter()
    r = dg.check(scenario)
    assert time.perf_counter() - t0 < 30
    assert {id(f.deployment) for f in r.findings} == {id(d) for d in scenario}
    assert all(f.status in dg.Status for f in r.findings)


def test_report__frame(report):
    df = report.to_frame()
    assert len(df) == len(report.findings)
    assert {"deployment", "clause", "article", "status", "reason", "distance_km", "margin_km",
            "states_reached", "quote", "assumptions"} <= set(df.columns)
    assert (df["status"] == "violation").sum() == len(report.violations)
    json.loads(df["evidence"].iloc[0])


def test_report__geojson(report):
    gj = report.to_geojson()
    assert gj["type"] == "FeatureCollection"
    roles = {f["properties"]["role"] for f in gj["features"]}
    assert roles == {"deployment", "evidence"}
    ev = [f for f in gj["features"] if f["properties"]["role"] == "evidence"]
    assert any(f["properties"]["clause"] == "NATO-5" for f in ev)
    json.dumps(gj)


def test_report__text_and_write(report, tmp_path):
    text = str(report)
    assert "Iskander-M in Kaliningrad" in text and "NATO draft Art. 5" in text
    assert "VIOLATION" in text and "readings:" in text
    paths = report.write(tmp_path / "out")
    # findings.json too since the command line and Report.write share one writer (issue 17)
    assert sorted(p.name for p in paths.values()) == [
        "evidence.geojson", "findings.csv", "findings.json", "report.md"]
    assert all(p.stat().st_size > 0 for p in paths.values())
    assert paths["report"].read_text().startswith("# deployguard report")


def test_named_base_keeps_its_sourced_host_where_generalised_borders_disagree():
    """Regression: Natural Earth draws the Narva river ~2 km west of its course, so the
    point of Narva (facts.md 6.2) falls in Russia at 1:50m and 1:10m. A US company there
    is in Estonia (a NATO member), not in a former-USSR state outside NATO (US-4.2)."""
    world = dg.World.load("50m")
    narva = dg.Bases.load().get("Narva")
    assert world.state_at(*narva.lonlat).item() == "RUS"  # the data's generalisation
    d = dg.Deployment(by="USA", at="Narva", date="2022-03-01", personnel=500, category="ground")
    f = dg.check([d]).finding("US-4.2")
    assert f.status == "compliant"
    assert f.evidence["host"] == "EST"
    assert "bases table" in f.assumptions["host_source"]
