"""World, worldviews, territories, lookups and point queries."""

import json
import warnings

import numpy as np
import pytest
import shapely

from deployguard.data.files import has_data_file
from deployguard.errors import (
    DataError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownStateError,
)
from deployguard.geography.world import Territory, World
from deployguard.geography.worldviews import Worldview

CRIMEA = (34.1, 45.0)
SEVASTOPOL = (33.52, 44.60)
GUAM = (144.8, 13.45)
ALASKA = (-150.0, 64.0)
GREENLAND = (-42.0, 72.0)
CHUKOTKA = [(179.5, 66.0), (-179.5, 66.5), (180.0, 66.0), (-180.0, 66.0)]
KALININGRAD = (20.5, 54.7)


@pytest.fixture(scope="session", params=["50m", "10m"])
def resolution(request):
    return request.param


@pytest.fixture(scope="session")
def world():
    return World.load("50m", "de_facto")


def contains(geom, point):
    return shapely.intersects_xy(geom, *point)


# ------------------------------------------------------------------ loading and caching
def test_load__cached_and_records_worldview(resolution):
    w = World.load(resolution, "un")
    assert w is World.load(resolution, "un")
    assert (w.resolution, w.worldview) == (resolution, "un")
    assert w.states.attrs == {"worldview": "un", "resolution": resolution}
    assert w.states.is_valid.all()


@pytest.mark.parametrize("bad", [("25m", "de_facto"), ("50m", "kremlin"), ("50m", None)])
def test_load__bad_arguments(bad):
    with pytest.raises(InvalidInputError, match=repr(bad[0]) if bad[0] == "25m" else "worldview"):
        World.load(*bad)


# ------------------------------------------------------------------ worldviews
@pytest.mark.parametrize(
    ("worldview", "holder"), [("de_facto", "RUS"), ("un", "UKR"), ("russia", "RUS")]
)
@pytest.mark.parametrize("point", [CRIMEA, SEVASTOPOL], ids=["crimea", "sevastopol"])
def test_crimea__holder_by_worldview(resolution, worldview, holder, point):
    w = World.load(resolution, worldview)
    assert w.state_at(*point).item() == holder
    other = "UKR" if holder == "RUS" else "RUS"
    assert contains(w.territory(holder), point)
    assert not contains(w.territory(other), point)
    assert w.territory(holder).is_valid and w.territory(other).is_valid


def test_crimea__kyiv_and_moscow_unaffected():
    for wv in ("de_facto", "un", "russia"):
        assert World.load("50m", wv).state_at([30.52, 37.62], [50.45, 55.75]).tolist() == [
            "UKR",
            "RUS",
        ]


def test_worldview__whole_unit_areas():
    assert World.load("50m", "un").state_at(21.17, 42.67).item() == "SRB"  # Pristina
    assert World.load("50m", "de_facto").state_at(21.17, 42.67).item() == "XKX"
    assert World.load("50m", "un").territory("XKX").is_empty
    assert World.load("50m", "russia").state_at(33.9, 35.3).item() == "CYP"  # north Cyprus


@pytest.fixture
def claims_file(tmp_path):
    # a box in Zaporizhzhia oblast, standing in for the 2022 annexation claims
    feature = {
        "type": "Feature",
        "properties": {"id": "ZAP", "owner": "RUS"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[34.5, 47.5], [36.0, 47.5], [36.0, 46.8], [34.5, 46.8], [34.5, 47.5]]],
        },
    }
    path = tmp_path / "claims.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_worldview__from_geojson(claims_file):
    wv = Worldview.from_geojson(claims_file, name="russia_2022", holder_property="owner")
    w = World.load("50m", wv)
    assert w is World.load("50m", wv)
    assert w.worldview == "russia_2022" and w.states.attrs["worldview"] == "russia_2022"
    assert w.state_at([35.2, 34.1, 30.52], [47.2, 45.0, 50.45]).tolist() == ["RUS", "RUS", "UKR"]
    assert World.load("50m", "russia").state_at(35.2, 47.2).item() == "UKR"
    assert w.territory("UKR").is_valid and w.territory("RUS").is_valid
    assert w.territory_record("RUS").worldview == "russia_2022"


def test_worldview__from_geojson_on_un_base(claims_file):
    wv = Worldview.from_geojson(claims_file, name="x", holder_property="owner", base="un")
    assert World.load("50m", wv).state_at([35.2, 34.1], [47.2, 45.0]).tolist() == ["RUS", "UKR"]


def test_worldview__from_geojson_errors(tmp_path, claims_file):
    with pytest.raises(DataError, match="lacks property 'holder'"):
        Worldview.from_geojson(claims_file, name="x")
    with pytest.raises(InvalidInputError, match="'un'"):
        Worldview.from_geojson(claims_file, name="un", holder_property="owner")
    with pytest.raises(DataError, match="cannot read"):
        Worldview.from_geojson(tmp_path / "missing.geojson", name="x")
    bad = json.loads(claims_file.read_text())
    bad["features"][0]["properties"]["owner"] = "ZZZ"
    (tmp_path / "bad.geojson").write_text(json.dumps(bad))
    with pytest.raises(DataError, match="ZZZ"):
        Worldview.from_geojson(tmp_path / "bad.geojson", name="x", holder_property="owner")


# ------------------------------------------------------------------ territories
def test_territory__russia_across_180_and_kaliningrad(resolution):
    rus = World.load(resolution).territory("RUS")
    assert rus.is_valid
    for point in [*CHUKOTKA, KALININGRAD]:
        assert contains(rus, point), point
    assert rus.bounds[0] == -180.0 and rus.bounds[2] == 180.0


def test_territory__dependencies(resolution):
    w = World.load(resolution)
    assert contains(w.territory("DNK"), GREENLAND)
    assert not contains(w.territory("DNK", with_dependencies=False), GREENLAND)
    usa = w.territory("United States")
    assert contains(usa, GUAM) and contains(usa, ALASKA)
    assert not contains(w.territory("USA", with_dependencies=False), GUAM)
    assert contains(w.territory("USA", with_dependencies=False), ALASKA)
    assert contains(w.territory("GRL"), GREENLAND)


def test_territory__cached_and_record(world):
    assert world.territory("RUS") is world.territory("Russia")
    rec = world.territory_record("DNK")
    assert isinstance(rec, Territory)
    assert (rec.code, rec.worldview, rec.resolution, rec.sea) == ("DNK", "de_facto", "50m", False)
    assert set(rec.units) == {"DNK", "GRL", "FRO"}


def test_territory__states_frame_not_mutated(world):
    before = world.states.copy()
    world.territory("FRA")
    world.state_at([2.35], [48.85])
    assert world.states.equals(before)


SEA_FILE = "territorial_sea_50m.parquet"


def test_territory__sea_adds_belt(world):
    land = world.territory("RUS")
    with_sea = world.territory("RUS", sea=True)
    assert with_sea.is_valid and with_sea.area > land.area
    assert contains(with_sea, (-179.5, 66.0))  # Kresta Bay, inside the 12-nmi belt
    assert world.state_at(-179.5, 66.0, sea=True).item() == "RUS"


def test_territory__crimea_sea_follows_worldview():
    off_sevastopol = (33.3, 44.6)  # about 10 km off the coast
    assert World.load("50m", "un").state_at(*off_sevastopol, sea=True).item() == "UKR"
    assert World.load("50m", "russia").state_at(*off_sevastopol, sea=True).item() == "RUS"


def test_territory__user_area_sea_warns(claims_file):
    wv = Worldview.from_geojson(claims_file, name="warned", holder_property="owner")
    with pytest.warns(ModellingAssumptionWarning, match="not reassigned"):
        World.load("50m", wv).territory("RUS", sea=True)


def test_territory__sea_file_is_bundled():
    assert has_data_file(SEA_FILE) and has_data_file("territorial_sea_10m.parquet")


def test_territory__sea_without_file_raises_data_error(monkeypatch):
    import deployguard.data.files as data

    monkeypatch.setattr(data, "has_data_file", lambda name: False)
    with pytest.raises(DataError, match="territorial_sea_50m"):
        data.read_territorial_sea.__wrapped__("50m")


# ------------------------------------------------------------------ lookups
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("RUS", "RUS"), ("rus", "RUS"), (643, "RUS"), ("643", "RUS"), (np.int64(643), "RUS"),
        ("Russia", "RUS"), ("Russian Federation", "RUS"), ("  russian federation ", "RUS"),
        ("United States", "USA"), ("USA", "USA"), ("U.S.", "USA"),
        ("United States of America", "USA"), ("UK", "GBR"), ("Britain", "GBR"),
        ("United Kingdom", "GBR"), ("Türkiye", "TUR"), ("turkey", "TUR"), ("TURKIYE", "TUR"),
        ("Côte d'Ivoire", "CIV"), ("cote d ivoire", "CIV"), ("Czech Republic", "CZE"),
        ("Czechia", "CZE"), ("Greenland", "GRL"), ("Kosovo", "XKX"), ("8", "ALB"),
    ],
)  # fmt: skip
def test_lookup__accepts(world, query, code):
    assert world.lookup(query) == code


def test_lookup__unknown_suggests(world):
    with pytest.raises(UnknownStateError, match="Rusia") as info:
        world.lookup("Rusia")
    assert "RUS" in str(info.value)
    with pytest.raises(UnknownStateError, match="999"):
        world.lookup(999)


@pytest.mark.parametrize("bad", [None, 3.5, True, ["RUS"]])
def test_lookup__wrong_type(world, bad):
    with pytest.raises(InvalidInputError, match="state must be"):
        world.lookup(bad)


def test_name_sovereign_dependencies(world):
    assert world.name("RUS") == "Russian Federation"
    assert world.sovereign("Guam") == "USA" and world.sovereign("FRA") == "FRA"
    assert {"GUM", "PRI", "VIR", "ASM", "MNP"} <= world.dependencies("USA")
    assert world.dependencies("DNK") == {"GRL", "FRO"}
    assert world.dependencies("POL") == frozenset()


# ------------------------------------------------------------------ state_at
def test_state_at__vectorised_shapes(world):
    lon = np.array([[179.5, -179.5], [20.5, 0.0]])
    lat = np.array([[66.0, 66.5], [54.7, 0.0]])
    out = world.state_at(lon, lat)
    assert out.shape == (2, 2) and out.dtype == object
    assert out.tolist() == [["RUS", "RUS"], ["RUS", ""]]
    assert world.state_at(*GUAM).shape == ()
    assert world.state_at(*GUAM, sovereign=False).item() == "GUM"
    assert world.state_at(*GUAM).item() == "USA"
    assert world.state_at(200.0, 66.5).item() == "USA"  # 200 E wraps to 160 W: Alaska
    assert world.state_at([], []).shape == (0,)


def test_state_at__antimeridian_points(resolution):
    w = World.load(resolution)
    lon, lat = np.array(CHUKOTKA).T
    assert (w.state_at(lon, lat) == "RUS").all()


def test_state_at__agrees_with_territory(world):
    rng = np.random.default_rng(0)
    lon = rng.uniform(10, 40, 2000)
    lat = rng.uniform(40, 60, 2000)
    codes = world.state_at(lon, lat)
    for code in ("POL", "UKR", "DEU"):
        inside = shapely.intersects_xy(world.territory(code), lon, lat)
        assert np.array_equal(inside, codes == code), code


def test_state_at__inputs_not_mutated(world):
    lon = np.array([180.0, 540.0, -180.0])
    lat = np.array([66.0, 66.0, 66.0])
    lon0, lat0 = lon.copy(), lat.copy()
    world.state_at(lon, lat)
    assert np.array_equal(lon, lon0) and np.array_equal(lat, lat0)


@pytest.mark.parametrize(
    ("lon", "lat", "match"),
    [(0.0, 95.0, "95"), (0.0, np.nan, "nan"), (np.inf, 0.0, "inf"), ("east", 0.0, "east"),
     ([0.0, 1.0], [0.0, 1.0, 2.0], "broadcast")],
)  # fmt: skip
def test_state_at__bad_coordinates(world, lon, lat, match):
    with pytest.raises(InvalidInputError, match=match):
        world.state_at(lon, lat)


def test_no_warnings_on_plain_use(world):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        world.territory("NOR")
        world.state_at(10.0, 60.0)
