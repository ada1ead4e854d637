import json
from importlib import resources

import pytest

from deployguard.data.catalogue import Catalogue
from deployguard.data.systems import ALL_CLASSES, WeaponSystem, inf_class_of, normalize_name
from deployguard.errors import InvalidInputError, UnknownSystemError

ISSUE4_SYSTEMS = [
    "Iskander-M",
    "9M728",
    "9M729",
    "Kalibr 3M14",
    "Kh-101",
    "Kinzhal",
    "Zircon",
    "Oreshnik",
    "Tu-95MS",
    "Tu-160",
    "Tu-22M3",
    "Tomahawk (Typhon)",
    "Tomahawk (ship)",
    "Tomahawk (submarine)",
    "SM-6 (ship)",
    "SM-6 (Typhon)",
    "PrSM",
    "ATACMS",
    "Dark Eagle",
    "JASSM-ER",
    "B-52H",
    "B-1B",
    "B-2A",
    "Arleigh Burke DDG",
    "Pershing II",
    "BGM-109G Gryphon",
]


@pytest.fixture(scope="module")
def cat():
    return Catalogue.load()


def test_load__is_cached(cat):
    assert Catalogue.load() is cat


@pytest.mark.parametrize("name", ISSUE4_SYSTEMS)
def test_catalogue__has_issue4_systems(cat, name):
    assert cat.get(name).name == name


@pytest.mark.parametrize(
    "query, expected",
    [
        ("iskander m", "Iskander-M"),
        ("9M723", "Iskander-M"),
        ("ISKANDER-M", "Iskander-M"),
        ("ss 26", "Iskander-M"),
        ("kh101", "Kh-101"),
        ("LRHW", "Dark Eagle"),
        ("tsirkon", "Zircon"),
        ("Kh-47M2", "Kinzhal"),
        ("typhon tomahawk", "Tomahawk (Typhon)"),
        ("UGM-109", "Tomahawk (submarine)"),
        ("agm 158b", "JASSM-ER"),
        ("Орешник", "Oreshnik"),
    ],
)
def test_get__aliases_case_and_punctuation(cat, query, expected):
    assert cat.get(query).name == expected


def test_get__miss_suggests(cat):
    with pytest.raises(UnknownSystemError) as exc:
        cat.get("Iskandr")
    assert "Iskandr" in str(exc.value) and "Iskander-M" in str(exc.value)


def test_get__plain_tomahawk_is_ambiguous_and_lists_forms(cat):
    # ground vs sea basing decides the INF class, so we refuse to guess the form
    with pytest.raises(UnknownSystemError) as exc:
        cat.get("tomahawk")
    msg = str(exc.value)
    assert "Tomahawk (Typhon)" in msg and "Tomahawk (ship)" in msg


@pytest.mark.parametrize(
    "km, expected",
    [
        (499, None),
        (500, "shorter-range"),
        (1000, "shorter-range"),
        (1001, "intermediate"),
        (5500, "intermediate"),
        (5501, None),
        (None, None),
        (0, None),
    ],
)
def test_inf_class_of__boundaries(km, expected):
    assert inf_class_of(km) == expected


def test_inf_class__ground_launched_only(cat):
    assert cat.get("Tomahawk (Typhon)").inf_class == "intermediate"
    assert cat.get("Tomahawk (ship)").inf_class is None  # same missile, sea-launched
    assert cat.get("Kh-101").inf_class is None
    assert cat.get("Tu-95MS").inf_class is None


def test_inf_class__depends_on_estimate(cat):
    isk = cat.get("Iskander-M")
    assert [isk.inf_class_for(e) for e in ("low", "nominal", "high")] == [
        None,
        "shorter-range",
        "shorter-range",
    ]
    oreshnik = cat.get("Oreshnik")
    assert oreshnik.inf_class_for("nominal") == "intermediate"
    assert oreshnik.inf_class_for("high") is None  # 3,425 mi = 5,512 km > 5,500
    sm6 = cat.get("SM-6 (Typhon)")
    assert sm6.inf_class_for("nominal") is None and sm6.inf_class_for("high") == "shorter-range"
    assert cat.get("PrSM").inf_class_for("high") is None  # 499 km, deliberately


def test_ranges__spread_ordered_and_from_facts(cat):
    isk = cat.get("Iskander-M")
    assert (isk.range_for("low"), isk.range_for("nominal"), isk.range_for("high")) == (
        400,
        500,
        700,
    )
    assert cat.get("Dark Eagle").range_for("nominal") == 2775
    assert cat.get("Tomahawk (Typhon)").range_km == {"low": 1600, "nominal": 1600, "high": 2500}
    for s in cat:
        known = [v for v in s.range_km.values() if v is not None]
        assert known == sorted(known), s.name


@pytest.mark.parametrize("name", ["JASSM-ER", "B-1B", "Kinzhal"])
def test_ranges__not_found_is_none_not_zero(cat, name):
    s = cat.get(name)
    assert s.range_for("nominal") is None and not s.range_known
    assert "not found" in s.notes.lower()


def test_min_range__never_invented(cat):
    assert all(s.min_range_km is None for s in cat)


def test_range_for__bad_estimate_names_value(cat):
    with pytest.raises(InvalidInputError, match="'median'"):
        cat.get("Iskander-M").range_for("median")


def test_classification_flags(cat):
    assert cat.get("Iskander-M").is_ground_launched
    assert cat.get("Dark Eagle").is_ground_launched and cat.get("Dark Eagle").is_missile
    assert not cat.get("Kalibr").is_ground_launched
    assert cat.get("B-52H").is_platform and not cat.get("B-52H").is_missile
    assert cat.get("Arleigh Burke").is_platform


def test_platform_weapons_resolve(cat):
    assert [w.name for w in cat.get("Tu-95MS").weapons] == ["Kh-101", "Kh-55"]
    assert "Tomahawk (ship)" in [w.name for w in cat.get("Arleigh Burke DDG").weapons]
    for s in cat:
        for w in s.weapons:
            assert w.is_missile, (s.name, w.name)


def test_every_bundled_record_has_source_and_valid_class():
    raw = json.loads(resources.files("deployguard.geodata").joinpath("systems.json").read_text())
    for rec in raw["systems"]:
        assert rec["source"], rec["name"]
        assert rec["system_class"] in ALL_CLASSES
        assert rec["confidence"] in {"H", "M", "L"}


@pytest.mark.parametrize(
    "kwargs, field, value",
    [
        ({"range_low_km": -1}, "range_low_km", "-1"),
        ({"range_low_km": 900, "range_nominal_km": 800}, "range_low_km", "900"),
        ({"system_class": "death_ray"}, "system_class", "death_ray"),
        ({"basing": "space"}, "basing", "space"),
        ({"operator": "Russia"}, "operator", "Russia"),
    ],
)
def test_weaponsystem__validation_names_field_and_value(kwargs, field, value):
    base = dict(
        name="X",
        system_class="GLCM",
        basing="land",
        operator="USA",
        range_low_km=100,
        range_nominal_km=200,
        range_high_km=300,
    )
    base.update(kwargs)
    with pytest.raises(InvalidInputError) as exc:
        WeaponSystem(**base)
    assert field in str(exc.value) and value in str(exc.value)


def test_add__user_system_and_clash():
    cat = Catalogue.load().copy()
    s = cat.add(WeaponSystem("Test GLBM", "GLBM", "land", "usa", 600, 700, 800, aliases=("tg",)))
    assert cat.get("TG") is s and s.operator == "USA" and s.inf_class == "shorter-range"
    assert "Test GLBM" not in Catalogue.load()  # the shared catalogue is untouched
    with pytest.raises(InvalidInputError, match="already used"):
        cat.add(WeaponSystem("Other", "GLBM", "land", "USA", aliases=("9M723",)))


def test_load_extra__csv_and_json(tmp_path):
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text(
        "name,aliases,operator,system_class,basing,range_low_km,range_nominal_km,range_high_km,"
        "source\nHwasong-X,hx|hwx,PRK,GLBM,land,900,1000,1200,our test\n"
    )
    cat = Catalogue.load(extra=csv_path)
    assert cat.get("hwx").inf_class_for("high") == "intermediate"
    json_path = tmp_path / "mine.json"
    json_path.write_text(
        json.dumps(
            [
                {
                    "name": "Bad",
                    "operator": "USA",
                    "system_class": "GLCM",
                    "basing": "land",
                    "range_km": {"low": 5, "high": 1},
                }
            ]
        )
    )
    with pytest.raises(InvalidInputError, match="Bad"):
        Catalogue.load(extra=json_path)


def test_normalize_name():
    assert normalize_name("Kh-101") == normalize_name("kh 101") == "kh101"
