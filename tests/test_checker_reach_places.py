"""Reach findings say who lives within reach: capitals and the listed places' population,
checked against an independent pyproj.Geod computation over the places table."""

import json

import numpy as np
import pytest
from pyproj import Geod

import deployguard as dg
from tests.test_places import read_places_csv

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def places():
    """places.csv read with the csv module, independently of deployguard's reader."""
    raw = read_places_csv()
    return {"name": np.array(raw["name"], dtype=object), "country": raw["country"],
            "lon": raw["lon"], "lat": raw["lat"], "pop": raw["pop"], "cap": raw["cap"]}


def within(places, lon, lat, lo_km, hi_km):
    n = places["lon"].size
    _, _, m = GEOD.inv(np.full(n, lon), np.full(n, lat), places["lon"], places["lat"])
    km = np.asarray(m) / 1000.0
    return (km >= lo_km) & (km <= hi_km), km


@pytest.fixture(scope="module")
def kaliningrad():
    d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    return {e: dg.check(d, range_estimate=e) for e in ("nominal", "high")}


@pytest.mark.parametrize(("estimate", "km"), [("nominal", 500.0), ("high", 700.0)])
def test_iskander_kaliningrad__capitals_agree_with_geod(places, kaliningrad, estimate, km):
    f = kaliningrad[estimate].finding("NATO-5")
    assert f.status is dg.Status.VIOLATION
    ev = f.evidence
    inside, dist = within(places, f.lon, f.lat, 50.0, km)  # Iskander-M: 50 km minimum range
    caps = np.flatnonzero(inside & places["cap"])
    caps = caps[np.argsort(dist[caps], kind="stable")]
    want = [[str(places["name"][i]), str(places["country"][i])] for i in caps]
    assert ev["capitals_reached"] == want
    names = [c for c, _ in ev["capitals_reached"]]
    assert names[:3] == ["Warsaw", "Vilnius", "Riga"]
    assert ("Berlin" in names) is (estimate == "high")  # Berlin is 529 km from Kaliningrad
    p = ev["places_in_range"]
    assert p["n_places"] == int(inside.sum())
    assert p["population_listed"] == int(places["pop"][inside].sum())
    assert p["range_km"] == km and p["min_range_km"] == 50.0 and p["worldview"] == "de_facto"
    assert "counted twice" in p["population_label"]
    assert p["credit"] == "Places: GeoNames (CC BY 4.0)"
    assert "Kaliningrad" not in [n for n, _, _ in p["largest"]]  # inside the minimum range


def test_only_reach_findings_carry_places(kaliningrad):
    report = kaliningrad["nominal"]
    # US-6: inside Russia, the USA 5,851 km away: nothing of the other side is reached
    assert "capitals_reached" not in report.finding("US-6").evidence
    assert "places_in_range" not in report.finding("US-3").evidence
    accession = dg.check(dg.Deployment(by="UKR", kind="accession", date="2022-06-01"))
    assert all("places_in_range" not in f.evidence for f in accession.findings)
    assert "GeoNames" not in accession.to_markdown() and "GeoNames" not in str(accession)


def test_places_shared_by_the_clauses_of_one_weapon():
    """A Typhon at Wiesbaden: US-6 and NATO-5 measure the same Tomahawk from the same site,
    so they give the same places; the capitals include Berlin and Warsaw, not Moscow."""
    d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
    r = dg.check(d)
    us6, nato5 = r.finding("US-6").evidence, r.finding("NATO-5").evidence
    assert us6["places_in_range"] == nato5["places_in_range"]
    names = {c for c, _ in nato5["capitals_reached"]}
    assert {"Berlin", "Warsaw", "Paris", "London"} <= names and "Moscow" not in names


def test_report_credits_places_once(kaliningrad, tmp_path):
    report = kaliningrad["high"]
    md = report.to_markdown()
    refs = md.split("## References", 1)[1].split("###", 1)[0]
    assert refs.count("Places: GeoNames \\(CC BY 4.0\\)") == 1
    assert md.count("Within reach") == 1 and "capitals Warsaw \\(POL\\)" in md
    assert "counted twice" in refs
    text = str(report)
    assert text.count("Places: GeoNames (CC BY 4.0)") == 1 and "Within reach (50-700 km)" in text
    records = json.loads(json.dumps(report.to_records()))
    nato5 = next(r for r in records if r["clause"] == "NATO-5")
    assert nato5["evidence"]["capitals_reached"][0] == ["Warsaw", "POL"]
    written = report.write(tmp_path)
    assert "Places: GeoNames" in written["report"].read_text(encoding="utf-8")


def test_places_follow_the_worldview():
    """An Iskander-M in Crimea: the places evidence is the summary under the run's worldview
    (Crimean places are Russia's under de_facto, Ukraine's under the UN reading)."""
    from deployguard.geography.places import reach_summary

    d = dg.Deployment(by="RUS", at=(34.10, 44.95), date="2024-06-01", system="Iskander-M")
    for wv in ("de_facto", "un"):
        f = dg.check(d, worldview=wv).finding("NATO-5")
        want = reach_summary(f.lon, f.lat, 500, worldview=wv, min_range_km=50).as_dict()
        assert f.evidence["places_in_range"] == want
    assert reach_summary(34.10, 44.95, 60, worldview="un").countries == ("UKR",)
    assert "RUS" in reach_summary(34.10, 44.95, 60, worldview="de_facto").countries
