"""Fuzzing of the public functions (issue 22): any input either works or raises a deployguard
error (:class:`deployguard.errors.DeployguardError` and its subclasses), never a ``TypeError``,
``ValueError``, ``IndexError`` or a GEOS exception from inside.

Deterministic for CI: every test is ``derandomize=True`` (the examples follow from the test's
source), with no example database and no deadline. A few thousand cases in all, within about a
minute: cheap functions get many examples, the costly ones (check, sweep, zones) a few, mostly
bad arguments that must be refused before any work is done.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deployguard as dg
from deployguard.errors import DeployguardError

FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(autouse=True)
def _no_local_constants(monkeypatch):
    """The same examples whatever else the process has imported.

    Hypothesis (>= 6.131) also draws numbers from constants found in the local modules loaded
    so far, so which tests ran before (a ``-k`` selection, an xdist worker's share) changed the
    examples despite ``derandomize``. The fuzz tests draw from Hypothesis's own pool only.
    """
    from hypothesis.internal.conjecture import providers

    if hasattr(providers, "_get_local_constants") and hasattr(providers, "CONSTANTS_CACHE"):
        empty = providers.Constants()
        monkeypatch.setattr(providers, "_get_local_constants", lambda: empty)
        monkeypatch.setattr(providers, "CONSTANTS_CACHE", {})


def fuzz(n: int) -> settings:
    return settings(FUZZ, max_examples=n)


def attempt(func, *args, **kwargs):
    """Call ``func``; a deployguard error is an answer, anything else fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are answers too
        try:
            return func(*args, **kwargs)
        except DeployguardError:
            return None


# ------------------------------------------------------------------------------ strategies
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
weird_number = st.one_of(
    st.floats(width=64),  # NaN, infinities, 1e308, -0.0
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.binary(max_size=4),
    st.text(max_size=6),
    st.none(),
    st.just(np.float32(1.5)),
    st.just(np.int64(-3)),
    st.lists(finite, max_size=3),
    st.just(complex(1, 2)),
)
lon_ok = st.floats(min_value=-180, max_value=180)
lat_ok = st.floats(min_value=-90, max_value=90)
coord = st.one_of(lon_ok, weird_number)
date_like = st.one_of(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.dates().map(dt.date.isoformat),
    st.text(max_size=12),
    st.integers(),
    st.none(),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=5))])),
)
states = st.sampled_from(["USA", "RUS", "POL", "DEU", "FRA", "LTU", "NATO", "usa", "XXX", "",
                          "BLR", "UKR", "KAZ", "EST"])
systems = st.sampled_from([None, "Iskander-M", "Typhon", "Tomahawk", "Tu-95MS", "Kh-101",
                           "Zircon", "Avangard", "B-52H", "Arleigh Burke", "nope", "iskander m"])
kinds = st.sampled_from([None, "missile", "forces", "patrol", "nuclear", "base", "accession",
                         "exercise", "cooperation", "nuclear_training", "bogus"])
places = st.sampled_from(["Kaliningrad", "Aviano", "Ramstein", "Avaino", "Anadyr", "nowhere"])
pair = st.tuples(coord, coord)
good_pair = st.tuples(lon_ok, lat_ok)
small_box = st.builds(
    lambda x, y, w, h: shapely.box(x, y, x + w, y + h),
    st.floats(-179, 178), st.floats(-89, 88), st.floats(0, 1), st.floats(0, 1),
)
geometry = st.one_of(
    small_box,
    st.lists(st.tuples(finite, finite), min_size=0, max_size=4).map(
        lambda pts: shapely.LineString(pts) if len(pts) != 1 else shapely.Point(pts[0])),
    st.sampled_from([shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),  # a bow tie
                     shapely.GeometryCollection(), shapely.Point(),
                     shapely.MultiPoint([(10, 50), (190, 50)]),
                     shapely.Polygon([(170, 60), (-170, 60), (-170, 61), (170, 61)])]),
)
where = st.one_of(good_pair, pair, places, geometry, st.lists(finite, max_size=3),
                  st.dictionaries(st.sampled_from(["type", "coordinates"]),
                                  st.one_of(st.text(max_size=5), st.lists(finite, max_size=2)),
                                  max_size=2),
                  st.none(), st.integers())
personnel = st.one_of(st.none(), st.integers(-5, 10**12), st.floats(), st.text(max_size=4),
                      st.booleans())


# ------------------------------------------------------------------------------ Deployment
@fuzz(1000)
@given(by=states, at=where, date=date_like, system=systems, personnel=personnel, kind=kinds,
       consent=st.one_of(st.lists(states, max_size=2), st.text(max_size=3), st.integers()),
       host=st.one_of(st.none(), states), label=st.one_of(st.none(), st.text(max_size=8),
                                                          st.integers()))
def test_fuzz_deployment(by, at, date, system, personnel, kind, consent, host, label):
    d = attempt(dg.Deployment, by=by, at=at, date=date, system=system, personnel=personnel,
                kind=kind, consent=consent, host=host, label=label)
    if d is not None:
        assert isinstance(d.name, str)
        assert d.personnel is None or 0 <= d.personnel <= 10_000_000


@fuzz(400)
@given(record=st.dictionaries(
    st.sampled_from(["by", "at", "lon", "lat", "date", "system", "personnel", "kind", "consent",
                     "weapon", "id", "trainees", "extra"]),
    st.one_of(st.text(max_size=8), finite, st.integers(-3, 10**9), st.none(), st.booleans(),
              st.lists(finite, max_size=3)),
    max_size=8))
def test_fuzz_deployment_from_record(record):
    attempt(dg.Deployment.from_record, record)


# ------------------------------------------------------------------------------ geodesy
TARGET = shapely.box(20.0, 50.0, 21.0, 51.0)


@fuzz(300)
@given(lon=st.one_of(coord, st.lists(finite, max_size=4)),
       lat=st.one_of(coord, st.lists(finite, max_size=4)),
       target=st.sampled_from([TARGET, "POL", "LTU", "nope", None, 5, shapely.Point(0, 0),
                               shapely.Polygon()]))
def test_fuzz_distance_km(lon, lat, target):
    out = attempt(dg.distance_km, lon, lat, target)
    if out is not None:
        assert np.all(np.asarray(out) >= 0)


@fuzz(200)
@given(lon=coord, lat=coord, range_km=weird_number, min_range_km=weird_number)
def test_fuzz_within_range(lon, lat, range_km, min_range_km):
    attempt(dg.within_range, lon, lat, TARGET, range_km, min_range_km)


@fuzz(80)
@given(lon=coord, lat=coord,
       range_km=st.one_of(st.floats(0.5, 3000), weird_number),
       min_range_km=st.one_of(st.just(0.0), st.floats(0, 500), weird_number),
       tolerance_km=st.one_of(st.just(0.01), st.floats(0.001, 50), weird_number))
def test_fuzz_range_ring(lon, lat, range_km, min_range_km, tolerance_km):
    ring = attempt(dg.range_ring, lon, lat, range_km, min_range_km, tolerance_km)
    if ring is not None:  # one ring, or an array of them for array arguments
        assert not any(r.is_empty for r in np.atleast_1d(np.asarray(ring, dtype=object)))


@fuzz(20)
@given(lon=lon_ok, lat=lat_ok, range_km=st.floats(1, 3000),
       min_range_km=st.one_of(st.just(0.0), st.floats(0.5, 0.9)))
def test_fuzz_range_ring_valid(lon, lat, range_km, min_range_km):
    """Valid rings anywhere (the poles, the antimeridian): a non-empty ring, never an error."""
    ring = dg.range_ring(lon, lat, range_km, min_range_km * range_km, 1.0)
    assert not ring.is_empty


def test_fuzz_known_range_ring_tiny_min_range():
    """Issue 22 item 2: a minimum range under 1 m gave a NaN tolerance and a raw ValueError
    'cannot convert float NaN to integer'; it is now refused naming the floor."""
    assert attempt(dg.range_ring, 0, 0, 1851, 1e-20) is None


def test_fuzz_known_reach_zone_tiny_range():
    """Issue 22 item 2: reach_zone(Point(10, 50), 1e-6) returned an empty zone without its own
    target; a radius under 1 m is now refused."""
    target = shapely.Point(10, 50)
    zone = attempt(dg.reach_zone, target, 1e-6)
    assert zone is None or zone.covers(target)


@fuzz(40)
@given(range_km=st.one_of(st.floats(1, 2000), weird_number),
       tolerance_km=st.one_of(st.none(), st.floats(0.05, 50), weird_number),
       target=st.sampled_from([shapely.Point(10, 50), shapely.box(10, 50, 10.5, 50.5), "LTU",
                               None, shapely.Polygon()]))
def test_fuzz_reach_zone(range_km, tolerance_km, target):
    zone = attempt(dg.reach_zone, target, range_km, tolerance_km)
    if zone is not None and isinstance(target, shapely.Point):
        assert zone.covers(target)  # a zone holds its own target


# ------------------------------------------------------------------------------ grid, sweep
@fuzz(60)
@given(area=st.one_of(small_box, st.sampled_from(["LTU", "nope", None, 7, shapely.Point(1, 1)])),
       spacing_km=st.one_of(st.floats(20, 400), weird_number),
       resolution=st.sampled_from(["50m", "10m", "1m", 5]),
       worldview=st.sampled_from(["de_facto", "nope"]), sea=st.booleans())
def test_fuzz_grid(area, spacing_km, resolution, worldview, sea):
    attempt(dg.grid, area, spacing_km, resolution=resolution, worldview=worldview, sea=sea)


@fuzz(25)
@given(sites=st.one_of(st.lists(good_pair, min_size=1, max_size=3), st.lists(pair, max_size=2),
                       st.sampled_from([None, "x", 5])),
       systems=st.sampled_from(["Iskander-M", ["Iskander-M", "Tomahawk"], "nope", None, []]),
       by=st.sampled_from(["host", "RUS", "USA", "nope", None]),
       on=st.one_of(st.just("2022-01-01"), date_like),
       clauses=st.sampled_from([("US-6", "NATO-5"), "US-6", "NOPE-1", ()]))
def test_fuzz_sweep(sites, systems, by, on, clauses):
    attempt(dg.sweep, sites, systems, by=by, on=on, clauses=clauses)


@fuzz(4)
@given(sites=st.lists(good_pair, min_size=1, max_size=3),
       systems=st.sampled_from(["Iskander-M", ["Iskander-M", "Tomahawk"], "Typhon"]),
       by=st.sampled_from(["host", "RUS", "USA"]),
       on=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)))
def test_fuzz_sweep_valid(sites, systems, by, on):
    """Tiny valid sweeps anywhere: a table with one row per site, system and clause."""
    lon, lat = (list(c) for c in zip(*sites, strict=True))
    table = attempt(dg.sweep, (lon, lat), systems, by=by, on=on)
    assert table is not None


# ------------------------------------------------------------------------------ zones
@fuzz(40)
@given(party=st.sampled_from(["RUS", "USA", "nope", None, 3, "NATO"]),
       system=st.sampled_from(["nope", None, 5, "Iskander-M"]),
       on=st.one_of(date_like, st.just("2022-01-01")),
       range_estimate=st.sampled_from(["nominal", "nope", None]),
       worldview=st.sampled_from(["de_facto", "nope", 3]),
       tolerance_km=st.one_of(st.none(), weird_number))
def test_fuzz_permitted_zone_bad_args(party, system, on, range_estimate, worldview,
                                      tolerance_km):
    """Bad arguments only (a valid call takes seconds): at least one of them is wrong."""
    good = (party in ("RUS", "USA") and system == "Iskander-M" and range_estimate == "nominal"
            and worldview == "de_facto" and tolerance_km is None
            and isinstance(attempt(dg.Deployment, by="USA", at=(0, 0), date=on, personnel=1),
                           dg.Deployment))
    if good:
        return
    attempt(dg.permitted_zone, party, system, on=on, range_estimate=range_estimate,
            worldview=worldview, tolerance_km=tolerance_km)


# ------------------------------------------------------------------------------ check
@fuzz(60)
@given(by=st.sampled_from(["USA", "RUS", "DEU"]), at=st.one_of(good_pair, places, small_box),
       date=st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2035, 1, 1)),
       system=systems, personnel=st.one_of(st.none(), st.integers(0, 10**7)),
       drafts=st.sampled_from([None, "us", "nato", ["us", "nato"], "nope"]),
       worldview=st.sampled_from([None, "de_facto", "nope"]),
       range_estimate=st.sampled_from([None, "low", "high", "nope"]),
       on=st.sampled_from([None, "2022-01-01", "1900-01-01", "x"]))
def test_fuzz_check_single(by, at, date, system, personnel, drafts, worldview, range_estimate,
                           on):
    d = attempt(dg.Deployment, by=by, at=at, date=date, system=system, personnel=personnel)
    if d is None:
        return
    report = attempt(dg.check, d, drafts=drafts, worldview=worldview,
                     range_estimate=range_estimate, on=on)
    if report is not None:
        assert all(f.status in dg.Status for f in report.findings)


# ------------------------------------------------------------------------------ scenario files
yaml_scalar = st.one_of(st.text(max_size=8), finite, st.integers(-10, 10**20), st.booleans(),
                        st.none(), st.dates().map(dt.date.isoformat))
record = st.dictionaries(
    st.sampled_from(["by", "at", "lon", "lat", "date", "system", "personnel", "kind", "label",
                     "_note", "bogus"]),
    st.one_of(yaml_scalar, st.lists(finite, max_size=3)), max_size=7)


def _yaml_text(doc) -> str:
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True)


@fuzz(150)
@given(rows=st.lists(record, max_size=4), top=st.sampled_from(["list", "mapping", "scalar"]),
       fmt=st.sampled_from([".json", ".yaml", ".csv"]),
       mangle=st.sampled_from([None, "truncate", "dup", "bom", "latin1", "deep"]))
def test_fuzz_load_scenario(tmp_path_factory, rows, top, fmt, mangle):
    doc = rows if top == "list" else {"deployments": rows} if top == "mapping" else "x"
    if fmt == ".json":
        text = json.dumps(doc, default=str)
    elif fmt == ".yaml":
        text = _yaml_text(doc)
    else:
        cols = sorted({k for r in rows for k in r}) or ["by"]
        text = ",".join(cols) + "\n" + "".join(
            ",".join(json.dumps(r.get(k, ""), default=str) for k in cols) + "\n" for r in rows)
    data = text.encode("utf-8")
    if mangle == "truncate":
        data = data[: len(data) // 2]
    elif mangle == "dup" and fmt == ".yaml":
        data += b"\ndeployments: []\n"
    elif mangle == "bom":
        data = b"\xef\xbb\xbf" + data
    elif mangle == "latin1":
        data += "\u00e9".encode("latin-1")
    elif mangle == "deep":
        data = (b"[" * 200) + (b"]" * 200) if fmt != ".csv" else data
    path = tmp_path_factory.mktemp("fuzz") / f"s{fmt}"
    path.write_bytes(data)
    scenario = attempt(dg.load_scenario, path)
    if scenario is not None:
        assert len(scenario) == len(scenario.deployments) > 0


@fuzz(100)
@given(features=st.lists(st.fixed_dictionaries(
    {"type": st.sampled_from(["Feature", "Feature", "Point", 5]),
     "geometry": st.one_of(st.none(), st.fixed_dictionaries(
         {"type": st.sampled_from(["Point", "Polygon", "LineString", "Nope"]),
          "coordinates": st.one_of(st.lists(finite, max_size=3),
                                   st.lists(st.lists(finite, max_size=2), max_size=4))})),
     "properties": st.one_of(st.none(), record, st.integers())}), max_size=3),
       collection=st.booleans())
def test_fuzz_load_geojson(tmp_path_factory, features, collection):
    doc = {"type": "FeatureCollection", "features": features} if collection else (
        features[0] if features else {"type": "Feature"})
    path = tmp_path_factory.mktemp("fuzz") / "s.geojson"
    path.write_text(json.dumps(doc, default=str))
    attempt(dg.load_scenario, path)


@fuzz(300)
@given(text=st.text(max_size=200), fmt=st.sampled_from([".json", ".yaml", ".csv",
                                                        ".geojson"]))
def test_fuzz_load_scenario_arbitrary_text(tmp_path_factory, text, fmt):
    path = tmp_path_factory.mktemp("fuzz") / f"s{fmt}"
    path.write_text(text, encoding="utf-8")
    attempt(dg.load_scenario, path)


# ------------------------------------------------------------------------------ small lookups
@fuzz(200)
@given(name=st.one_of(st.text(max_size=10), st.integers(), st.none(),
                      st.sampled_from(["US-6", "NATO-5", "us-6", "NATO-7.1"])),
       reading=st.one_of(st.text(max_size=10), st.none(), st.integers(),
                         st.sampled_from(["m49_europe", "nato_1997_line"])))
def test_fuzz_lookups(name, reading):
    attempt(dg.get_clause, name)
    attempt(dg.states_in_europe, reading)
    attempt(dg.art7_regions, reading)
    attempt(dg.builtin_scenario, name)


@fuzz(40)
@given(lon=coord, lat=coord, range_km=st.one_of(st.floats(0, 300), weird_number),
       min_population=st.one_of(st.integers(0, 10**7), weird_number))
def test_fuzz_places_in_reach(lon, lat, range_km, min_population):
    attempt(dg.places_in_reach, lon, lat, range_km, min_population)


def test_fuzz_settings_are_deterministic():
    """CI runs the same examples every time: no randomness, no example database."""
    assert FUZZ.derandomize and FUZZ.database is None
