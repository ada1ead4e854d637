"""Who lives within reach: the GeoNames places layer against an independent pyproj.Geod check."""

import csv
import json
from importlib import resources

import numpy as np
import pytest
from pyproj import Geod

import deployguard as dg
from deployguard.data.bases import Bases
from deployguard.errors import InvalidInputError, UnknownNameError
from deployguard.geography.places import (
    PLACES_CREDIT,
    POPULATION_LABEL,
    ReachSummary,
    places_in_reach,
    reach_summary,
)

GEOD = Geod(ellps="WGS84")


def read_places_csv():
    """places.csv read with the csv module, independently of deployguard's reader."""
    text = resources.files("deployguard.geodata").joinpath("places.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return {
        "country": np.array([r["country_a3"] for r in rows], dtype=object),
        "id": np.array([int(r["geonameid"]) for r in rows]),
        "lon": np.array([float(r["lon"]) for r in rows]),
        "lat": np.array([float(r["lat"]) for r in rows]),
        "pop": np.array([int(r["population"]) for r in rows]),
        "cap": np.array([r["capital"] == "true" for r in rows]),
        "name": [r["name"] for r in rows],
        "header": [line for line in text.splitlines() if line.startswith("#")],
    }


@pytest.fixture(scope="module")
def raw():
    return read_places_csv()


def brute(raw, lon, lat, range_km):
    _, _, m = GEOD.inv(np.full(raw["lon"].size, lon), np.full(raw["lon"].size, lat),
                       raw["lon"], raw["lat"])
    km = np.asarray(m) / 1000.0
    inside = km <= range_km
    return dict(zip(raw["id"][inside].tolist(), km[inside].tolist(), strict=True))


# (lon, lat, range): Kaliningrad at the Iskander-M estimates, Anadyr across 180 deg, the North
# Pole, Wiesbaden at the Tomahawk high estimate, mid-Pacific, a zero range on Berlin's point
CASES = [
    (20.511, 54.7065, 400), (20.511, 54.7065, 700), (177.4968, 64.7337, 1700),
    (0.0, 90.0, 2000), (8.3253, 50.0497, 2500), (-150.0, 0.0, 3000), (13.41053, 52.52437, 0.0),
]


@pytest.mark.parametrize(("lon", "lat", "range_km"), CASES)
def test_places_in_reach__equals_brute_force_geod(raw, lon, lat, range_km):
    """The same places and distances as pyproj.Geod.inv over every place: the prefilter
    loses nothing and every distance is the WGS84 geodesic."""
    want = brute(raw, lon, lat, range_km)
    got = places_in_reach(lon, lat, range_km)
    assert set(got.geonameid) == set(want)
    for gid, km in zip(got.geonameid, got.distance_km, strict=True):
        assert km == pytest.approx(want[gid], abs=1e-9)
    assert list(got.distance_km) == sorted(got.distance_km)


@pytest.mark.parametrize(
    ("a", "b", "reference_km"),
    [("Kaliningrad", "Warsaw", 277.7), ("Kaliningrad", "Berlin", 531.0),
     ("Berlin", "Moscow", 1615.9), ("Washington", "Moscow", 7843.0)],
)
def test_known_city_pairs(raw, a, b, reference_km):
    """Known pairs of cities: the table's distance is the pyproj one, and the published
    centre-to-centre figure agrees within the few km where gazetteers put a centre."""
    ids = {"Kaliningrad": 554234, "Warsaw": 756135, "Berlin": 2950159, "Moscow": 524901,
           "Washington": 4140963}
    i, j = (int(np.flatnonzero(raw["id"] == ids[n])[0]) for n in (a, b))
    km = GEOD.inv(raw["lon"][i], raw["lat"][i], raw["lon"][j], raw["lat"][j])[2] / 1000.0
    assert km == pytest.approx(reference_km, abs=5.0)
    row = places_in_reach(raw["lon"][i], raw["lat"][i], km + 0.001).set_index("geonameid")
    assert row.loc[ids[b], "distance_km"] == pytest.approx(km, abs=1e-9)
    # a place exactly at the range is within it; a metre short, it is not
    assert ids[b] in set(places_in_reach(raw["lon"][i], raw["lat"][i], km).geonameid)
    assert ids[b] not in set(places_in_reach(raw["lon"][i], raw["lat"][i], km - 0.001).geonameid)


def test_iskander_kaliningrad_berlin_depends_on_estimate():
    at_500 = places_in_reach(20.511, 54.7065, 500, capitals_only=True)
    at_700 = places_in_reach(20.511, 54.7065, 700, capitals_only=True)
    assert "Berlin" not in set(at_500.name) and "Berlin" in set(at_700.name)
    assert {"Warsaw", "Vilnius", "Riga", "Minsk"} <= set(at_500.name)


def test_country_follows_the_worldview():
    """Sevastopol is held by Russia de facto and is Ukraine's under the UN reading; GeoNames'
    own code (UKR) is kept separately. Coastal Crimean towns whose point lies off the drawn
    coast follow the area too (its territorial-sea belt)."""
    de_facto = places_in_reach(33.5254, 44.6167, 3).set_index("name")
    un = places_in_reach(33.5254, 44.6167, 3, worldview="un").set_index("name")
    assert de_facto.loc["Sevastopol", "country"] == "RUS"
    assert un.loc["Sevastopol", "country"] == "UKR"
    assert de_facto.loc["Sevastopol", "geonames_country"] == "UKR"
    assert de_facto.loc["Sevastopol", "country_from"] == "disputed area"
    crimea = places_in_reach(34.1, 45.0, 200, 30_000)
    crimea = crimea[crimea.geonames_country == "UKR"]
    in_area = crimea[crimea.country_from == "disputed area"]
    assert {"Simferopol", "Kerch", "Yalta", "Yevpatoriya", "Feodosiya"} <= set(in_area.name)
    assert set(in_area.country) == {"RUS"}
    # Kherson (mainland Ukraine) is no part of the area
    assert places_in_reach(32.6169, 46.6354, 3).set_index("name").loc["Kherson", "country"] == "UKR"


def test_border_towns_keep_geonames_country():
    """The generalised map puts Narva in Russia's polygon; the place is Estonian, and the
    table shows both."""
    for resolution in ("50m", "10m"):
        narva = places_in_reach(28.19028, 59.37722, 1, resolution=resolution).iloc[0]
        assert (narva["country"], narva["sovereign"], narva["map_unit"]) == ("EST", "EST", "RUS")


def test_country_unit_and_sovereign():
    guam = places_in_reach(144.74886, 13.47567, 1, capitals_only=True).iloc[0]
    assert (guam["name"], guam["country"], guam["sovereign"]) == ("Hagåtña", "GUM", "USA")
    # a French overseas department: GeoNames' code, the sovereign from the map
    fdf = places_in_reach(-61.07, 14.6, 3, 50_000).iloc[0]
    assert (fdf["country"], fdf["sovereign"]) == ("MTQ", "FRA")
    # Somaliland's capital: its own unit de facto, Somalia's under the UN reading
    assert places_in_reach(44.065, 9.56, 5, 100_000).country.iloc[0] == "XSL"
    assert places_in_reach(44.065, 9.56, 5, 100_000, worldview="un").country.iloc[0] == "SOM"
    # Kosovo: its own unit de facto, Serbia's under the UN reading
    assert places_in_reach(21.16688, 42.67272, 1, worldview="un").country.iloc[0] == "SRB"


def test_every_place_gets_a_country(raw):
    allp = places_in_reach(0.0, 0.0, 20_100)  # further than any point of the Earth
    assert len(allp) == raw["id"].size
    assert (allp.country != "").all() and (allp.sovereign != "").all()
    assert set(allp.country_from) == {"disputed area", "geonames"}
    assert 20 < (allp.country_from == "disputed area").sum() < 200


def test_filters_and_order():
    t = places_in_reach(37.6175, 55.752, 700, min_population=1_000_000)
    assert (t.population >= 1_000_000).all() and t.name.iloc[0] == "Moscow"
    caps = places_in_reach(37.6175, 55.752, 1000, capitals_only=True)
    assert caps.capital.all() and {"Moscow", "Minsk"} <= set(caps.name)
    empty = places_in_reach(-150.0, -60.0, 500)
    assert len(empty) == 0 and list(empty.columns) == list(t.columns)
    assert t.attrs["credit"] == PLACES_CREDIT and t.attrs["range_km"] == 700


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lon": float("nan")}, "lon"),
        ({"lat": 91}, "lat"),
        ({"range_km": -1}, "range_km"),
        ({"range_km": "far"}, "range_km"),
        ({"min_population": -5}, "min_population"),
        ({"min_population": 1.5}, "min_population"),
        ({"min_population": True}, "min_population"),
        ({"lon": [1, 2], "lat": [3, 4]}, "one point"),
        ({"resolution": "1m"}, "resolution"),
    ],
)
def test_bad_input_names_the_field(kwargs, message):
    args = {"lon": 20.0, "lat": 54.0, "range_km": 100, **kwargs}
    with pytest.raises(InvalidInputError, match=message):
        places_in_reach(**args)


def test_bad_worldview():
    with pytest.raises((InvalidInputError, UnknownNameError), match="worldview|kremlin"):
        places_in_reach(20.0, 54.0, 100, worldview="kremlin")


def test_reach_summary__true_figures(raw):
    table = places_in_reach(20.511, 54.7065, 700)
    s = ReachSummary.from_table(table)
    assert s == reach_summary(20.511, 54.7065, 700)
    assert [c for c, _ in s.capitals] == table[table.capital].name.tolist()
    assert ("Berlin", "DEU") in s.capitals and s.n_places == len(table)
    assert s.population_listed == int(table.population.sum())
    assert s.n_places_100k == int((table.population >= 100_000).sum())
    assert s.largest[0][:2] == ("Berlin", "DEU") and len(s.largest) == 10
    assert s.population_label == POPULATION_LABEL and "counted twice" in s.population_label
    assert json.loads(json.dumps(s.as_dict()))["capitals"][0] == list(s.capitals[0])
    assert "Places: GeoNames (CC BY 4.0)" in s.sentence()


# centres and ranges for the fast summary: the Iskander-M in Kaliningrad with its 50 km minimum
# range, Anadyr across 180 deg, the North Pole, Wiesbaden at 2,500 km, the Oreshnik's 5,500 km,
# a near-antipodal 19,990 km (beyond Schur's pi/k: the chord bound must not be used), a ring
SUMMARY_CASES = [
    (20.511, 54.7065, 500, 50), (177.4968, 64.7337, 1700, 0), (0.0, 90.0, 2000, 0),
    (8.3253, 50.0497, 2500, 0), (37.6175, 55.752, 5500, 0), (-150.0, 0.0, 19990, 0),
    (13.41053, 52.52437, 800, 700),
]


@pytest.mark.parametrize(("lon", "lat", "range_km", "min_km"), SUMMARY_CASES)
def test_reach_summary__fast_path_equals_table_and_brute_force(raw, lon, lat, range_km, min_km):
    """The summary decides most places by chord bounds without a geodesic; it must count
    exactly the places a brute-force pyproj.Geod.inv over every place puts in
    [min_range, range], and equal the summary of the full table."""
    s = reach_summary(lon, lat, range_km, min_range_km=min_km)
    want = {g for g, km in brute(raw, lon, lat, range_km).items() if km >= min_km}
    table = places_in_reach(lon, lat, range_km, min_range_km=min_km)
    assert set(table.geonameid) == want
    assert s == ReachSummary.from_table(table)
    assert s.n_places == len(want)
    assert s.population_listed == int(raw["pop"][np.isin(raw["id"], list(want))].sum())


def test_chord_bound__never_wrong(raw):
    """The bounds behind the fast path, on random pairs: chord <= geodesic <= Schur's bound."""
    from deployguard.geography.place_index import _KAPPA

    rng = np.random.default_rng(13)
    i, j = rng.integers(0, raw["lon"].size, (2, 20_000))
    km = GEOD.inv(raw["lon"][i], raw["lat"][i], raw["lon"][j], raw["lat"][j])[2] / 1000.0
    ok = km < np.pi / _KAPPA
    xyz = np.stack([ecef_pyproj(raw["lon"][k], raw["lat"][k]) for k in (i, j)])
    chord = np.linalg.norm(xyz[0] - xyz[1], axis=1)
    assert (chord <= km + 1e-9).all()
    assert (chord[ok] >= 2 / _KAPPA * np.sin(_KAPPA * km[ok] / 2) - 1e-9).all()


def ecef_pyproj(lon, lat):  # an independent ECEF (pyproj's transformer)
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
    x, y, z = t.transform(lon, lat, np.zeros_like(lon))
    return np.stack([x, y, z], axis=-1) / 1000.0


def test_min_range__leaves_out_the_nearest_places():
    """Iskander-M in Kaliningrad: its 50 km minimum range spares Kaliningrad itself."""
    near = places_in_reach(20.511, 54.7065, 500)
    far = places_in_reach(20.511, 54.7065, 500, min_range_km=50)
    assert "Kaliningrad" in set(near.name) and "Kaliningrad" not in set(far.name)
    assert (far.distance_km >= 50).all() and far.attrs["min_range_km"] == 50
    s = reach_summary(20.511, 54.7065, 500, min_range_km=50)
    assert s.sentence().startswith(
        "Between 50 and 500 km: 4 capitals (Warsaw, Vilnius, Riga, Minsk)")
    with pytest.raises(InvalidInputError, match="min_range_km"):
        places_in_reach(20.511, 54.7065, 100, min_range_km=200)


def test_reach_summary__population_sum_counts_sections_twice():
    """Why the sum is labelled, not called a population: within 50 km of Berlin the listed
    places add up to about twice Berlin's own figure, because its districts are listed too."""
    s = reach_summary(13.41053, 52.52437, 50)
    berlin = dict((n, p) for n, _, p in s.largest)["Berlin"]
    assert s.population_listed > 2 * berlin


def test_licence_and_dates_in_header(raw):
    header = " ".join(raw["header"])
    assert "CC BY 4.0" in header and PLACES_CREDIT in header
    assert "# describes:" in header and "# compiled:" in header
    assert raw["cap"].sum() == 243 and raw["id"].size == 34006


@pytest.mark.parametrize("name", ["Berlin", "Warsaw", "Vilnius", "Riga", "Tallinn", "Minsk",
                                  "Paris", "London", "Moscow Kremlin", "Kaliningrad",
                                  "Anchorage", "Honolulu", "Vladivostok", "Seattle"])
def test_bases_reference_points_agree_with_geonames(name):
    """Our chosen points lie within a few km of GeoNames' point of the same city."""
    b = Bases.load().get(name)
    near = places_in_reach(b.lon, b.lat, 6, 100_000)
    assert len(near), name
    city = name.split()[0]
    assert city in set(near.name), (name, near.name.tolist()[:5])


def test_public_api():
    assert dg.places_in_reach is places_in_reach
    assert "places_in_reach" in dg.__all__
