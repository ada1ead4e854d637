"""deployguard.sweep: the same verdicts as check(), reach against within_range, the table."""

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import deployguard as dg
from deployguard.errors import InvalidInputError, UnknownStateError

ON = "2021-12-17"
ESTIMATES = ["low", "nominal", "high"]
CLAUSES = ("US-6", "NATO-5", "US-5.2")
# catalogue basing "land" or platforms: their launch mode on land is the same under the
# catalogue's basing and under "launch mode follows location"
LAND_SYSTEMS = ["Iskander-M", "9M729", "Dark Eagle", "Typhon", "B-52H", "Arleigh Burke DDG"]
# check() refuses a surface warship on land (issue 8: an impossible position is an error), so
# the comparisons with check() on land leave the warship out; the sweep calls it not applicable
CHECKABLE_ON_LAND = [s for s in LAND_SYSTEMS if s != "Arleigh Burke DDG"]
# Kaliningrad, Baltiysk, Narva, St Petersburg, Anadyr, Anchorage, Wiesbaden, Warsaw, Cape
# Dezhnev, Seattle, Minsk (not a Party), the Gulf of Finland (at sea), the North Pole
NAMED = np.array([(20.511, 54.7065), (19.9167, 54.65), (28.1791, 59.3797), (30.3158, 59.939),
                  (177.4968, 64.7337), (-149.9003, 61.2181), (8.3253, 50.0497),
                  (21.0122, 52.2297), (-169.6519, 66.0792), (-122.3321, 47.6062),
                  (27.559, 53.9006), (26.0, 59.8), (0.0, 90.0)])


def _sites():
    rng = np.random.default_rng(7)
    lon = np.r_[NAMED[:, 0], rng.uniform(-10, 60, 14), rng.uniform(-170, -65, 4),
                rng.uniform(140, 180, 3)]
    lat = np.r_[NAMED[:, 1], rng.uniform(36, 70, 14), rng.uniform(25, 70, 4),
                rng.uniform(45, 70, 3)]
    return lon, lat


@pytest.fixture(scope="module")
def table():
    lon, lat = _sites()
    return dg.sweep((lon, lat), LAND_SYSTEMS + ["Kalibr 3M14"], by="host", on=ON,
                    range_estimate=ESTIMATES, clauses=CLAUSES, progress=False)


def _check_statuses(lon, lat, hosts, systems, estimate):
    deps, keys = [], []
    for i, host in enumerate(hosts):
        if not host:
            continue
        for s in systems:
            deps.append(dg.Deployment(by=host, at=(lon[i], lat[i]), date=ON, system=s))
            keys.append((i, s))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.ModellingAssumptionWarning)
        report = dg.check(deps, range_estimate=estimate)
    found = {(id(f.deployment), f.clause_id): f.status.value for f in report.findings}
    return {(i, s, c): found.get((id(d), c), "not_applicable")
            for d, (i, s) in zip(deps, keys, strict=True) for c in CLAUSES}


@pytest.mark.slow
@pytest.mark.parametrize("estimate", ESTIMATES)
def test_sweep__same_verdicts_as_check_on_land(table, estimate):
    lon, lat = _sites()
    world = dg.World.load("50m")
    on_land = world.state_at(lon, lat) != ""
    sub = table[table.range_estimate == estimate].set_index(["site_id", "system"])
    hosts = sub.xs(LAND_SYSTEMS[0], level="system")["host"].reindex(range(lon.size))
    hosts = [h if on_land[i] and isinstance(h, str) else "" for i, h in enumerate(hosts)]
    want = _check_statuses(lon, lat, hosts, CHECKABLE_ON_LAND, estimate)
    got = {(i, s, c): sub.loc[(i, s), c] for (i, s, c) in want}
    assert len(want) > 150
    assert got == want
    # every status occurs: the comparison is not vacuous
    assert {"violation", "compliant", "not_applicable"} <= set(got.values())


@pytest.mark.slow
def test_sweep__same_verdicts_as_check_at_sea_and_for_sea_types(table):
    """Launch mode follows location (the checker's rule, issue 8): a missile at sea is not
    ground-launched, a sea-launched type on land is; check() applies the same rule."""
    lon, lat = _sites()
    sub = table[table.range_estimate == "nominal"].set_index(["site_id", "system"])
    hosts = [h if isinstance(h, str) else "" for h in
             sub.xs(LAND_SYSTEMS[0], level="system")["host"].reindex(range(lon.size))]
    systems = CHECKABLE_ON_LAND + ["Kalibr 3M14"]
    want = _check_statuses(lon, lat, hosts, systems, "nominal")
    assert {k: sub.loc[k[:2], k[2]] for k in want} == want


def test_sweep__reach_margin_and_nearest_against_within_range(table):
    lon, lat = _sites()
    world = dg.World.load("50m")
    rows = table[(table.system == "9M729") & (table.range_estimate == "nominal")
                 & (table.by == "RUS")]
    assert len(rows) > 5
    members = sorted(dg.nato.members(on=ON))
    terr = {c: world.territory(c, sea=True) for c in members}
    for r in rows.itertuples():
        d = {c: float(dg.distance_km(r.lon, r.lat, t)) for c, t in terr.items()}
        nearest = min(d, key=lambda c: (d[c], c))
        assert r.nearest_state == nearest
        assert r.distance_km == pytest.approx(d[nearest], abs=1e-6)
        assert r.margin_km == pytest.approx(2500.0 - d[nearest], abs=1e-6)
        hit = any(bool(dg.within_range(r.lon, r.lat, t, 2500.0)) for t in terr.values())
        assert bool(r.reaches) == hit


def test_sweep__minimum_range_is_exact():
    """A custom missile with a minimum range: reach only where the target enters the annulus."""
    w = dg.WeaponSystem("Test GLBM", "GLBM", "land", "RUS", 900, 900, 900, min_range_km=400)
    world = dg.World.load("50m")
    rng = np.random.default_rng(2)
    lon, lat = rng.uniform(20, 60, 40), rng.uniform(50, 60, 40)
    t = dg.sweep((lon, lat), [w], by="RUS", on=ON, clauses=["US-6", "NATO-5"], progress=False)
    members = dg.nato.members(on=ON)
    union = __import__("shapely").union_all([world.territory(c, sea=True) for c in members])
    want = dg.within_range(lon, lat, union, 900.0, min_range_km=400.0)
    assert list(t["reaches"].astype(bool)) == list(want)
    assert (~want).any() and want.any()


def test_sweep__table_columns_and_parquet(table, tmp_path):
    cols = ["site_id", "lon", "lat", "by", "host", "system", "weapon", "range_estimate",
            "range_km", "worldview", "reaches", "distance_km", "margin_km", "nearest_state",
            *CLAUSES]
    assert list(table.columns) == cols
    assert len(table) == len(_sites()[0]) * (len(LAND_SYSTEMS) + 1) * 3
    assert table.assumptions["on"] == ON
    path = tmp_path / "sweep.parquet"
    table.to_parquet(path)
    back = gpd.read_parquet(path)
    assert back.crs.to_epsg() == 4326
    assert list(back.geometry.x) == list(table.lon)
    pd.testing.assert_frame_equal(
        back.drop(columns="geometry").reset_index(drop=True),
        pd.DataFrame(table).reset_index(drop=True), check_dtype=False, check_categorical=False)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.parquet"]  # no temporary left


def test_sweep__takes_a_grid_and_a_geodataframe():
    sites = dg.grid((20.0, 54.4, 21.5, 55.2), 30)
    a = dg.sweep(sites, "Iskander-M", by="RUS", on=ON, progress=False)
    b = dg.sweep(gpd.GeoDataFrame(geometry=sites.geometry), "Iskander-M", by="RUS", on=ON,
                 progress=False)
    assert list(a.site_id) == list(sites.site_id)
    assert list(a["NATO-5"]) == list(b["NATO-5"])


def test_sweep__worldviews_and_silence(capsys):
    # Sevastopol: Russian territory de facto, Ukrainian under the UN worldview
    t = dg.sweep(([33.52], [44.6]), "Iskander-M", by="RUS", on=ON,
                 worldview=["de_facto", "un"], progress=None)
    us6 = dict(zip(t.worldview, t["US-6"], strict=True))
    assert us6 == {"de_facto": "compliant", "un": "violation"}
    assert capsys.readouterr().err == ""  # not a terminal: no progress bar


@pytest.mark.parametrize("kwargs, error, word", [
    ({"on": None}, InvalidInputError, "on is required"),
    ({"clauses": ["NATO-4"]}, InvalidInputError, "position"),
    ({"clauses": ["US-66"]}, KeyError, "clause"),
    ({"by": "NATO"}, InvalidInputError, "group"),
    ({"by": "Atlantis"}, UnknownStateError, "by"),
    ({"by": ["RUS", "USA", "RUS"]}, InvalidInputError, "one code per site"),
    ({"range_estimate": "max"}, InvalidInputError, "range_estimate"),
])
def test_sweep__bad_input_names_the_field(kwargs, error, word):
    args = {"by": "RUS", "on": ON, "progress": False, **kwargs}
    with pytest.raises(error) as info:
        dg.sweep(([20.5, 21.0], [54.7, 52.2]), "Iskander-M", **args)
    assert word in str(info.value)


def test_sweep__bad_sites():
    with pytest.raises(InvalidInputError, match="lat"):
        dg.sweep(([0.0], [95.0]), "Iskander-M", by="RUS", on=ON)
    with pytest.raises(InvalidInputError, match="points"):
        dg.sweep(gpd.GeoDataFrame(geometry=[dg.World.load().territory("LUX")]), "Iskander-M",
                 by="RUS", on=ON)
    with pytest.raises(InvalidInputError, match="empty"):
        dg.sweep(([], []), "Iskander-M", by="RUS", on=ON)


def test_sweep__warship_on_land_is_not_applicable_where_check_refuses_it(table):
    """A surface warship cannot stand in Warsaw: check() raises (naming the field), the sweep,
    which answers "where could it go", marks the site not applicable for every clause."""
    with pytest.raises(InvalidInputError, match="ship cannot stand on land"):
        dg.check(dg.Deployment(by="POL", at=(21.0122, 52.2297), date=ON,
                               system="Arleigh Burke DDG"))
    row = table[(table.site_id == 7) & (table.system == "Arleigh Burke DDG")]
    assert len(row) == len(ESTIMATES)
    assert set(row[list(CLAUSES)].to_numpy().ravel()) == {"not_applicable"}
