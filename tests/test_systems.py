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
    # 9M729: Russia's declared 480 km is below the floor, the Western 2,500 km intermediate
    ssc8 = cat.get("9M729")
    assert ssc8.inf_class_for("low") is None and ssc8.inf_class_for("nominal") == "intermediate"
    # Oreshnik: 5,500 km sits exactly on the (inclusive) intermediate ceiling. The old 5,512 km
    # high was "3,425 miles" from a weak site, a conversion artefact of ~5,500 km, now dropped.
    oreshnik = cat.get("Oreshnik")
    assert oreshnik.inf_class_for("nominal") == oreshnik.inf_class_for("high") == "intermediate"
    sm6 = cat.get("SM-6 (Typhon)")
    assert sm6.inf_class_for("nominal") is None and sm6.inf_class_for("high") == "shorter-range"
    # PrSM Increment 1: 499 km declared (INF era, deliberately under the floor); a 2021 test
    # flew beyond it, so the high is the 500 km floor and the missile straddles the boundary
    prsm = cat.get("PrSM")
    assert prsm.inf_class_for("nominal") is None and prsm.inf_class_for("high") == "shorter-range"
    assert prsm.straddles_inf_boundary


def test_ranges__spread_ordered_and_from_facts(cat):
    isk = cat.get("Iskander-M")
    assert (isk.range_for("low"), isk.range_for("nominal"), isk.range_for("high")) == (
        400,
        500,
        700,
    )
    # 1,725 mi x 1.609344 = 2,776.1 km (the old 2,775 copied an outlet's rounding)
    assert cat.get("Dark Eagle").range_km == {"low": 2750, "nominal": 2776, "high": 3500}
    # CNBC quoting CSIS: "800 to 1,553 miles" -> low 1,287 km; nominal 1,600; high 2,500
    assert cat.get("Tomahawk (Typhon)").range_km == {"low": 1287, "nominal": 1600, "high": 2500}
    assert cat.get("Kh-101").range_km == {"low": 4500, "nominal": 4500, "high": 5500}
    for s in cat:
        known = [v for v in s.range_km.values() if v is not None]
        assert known == sorted(known), s.name


@pytest.mark.parametrize("name", ["Kinzhal", "MiG-31K"])
def test_ranges__not_found_is_none_not_zero(cat, name):
    # (JASSM-ER and B-1B were here; both now have sourced ranges: DSCA/Lockheed "620 miles",
    # Polish MoD "around 1,000 km"; CENTCOM 9,500 km, WP Tech 12,000 km)
    s = cat.get(name)
    assert s.range_for("nominal") is None and not s.range_known
    assert "not found" in s.notes.lower()


def test_min_range__never_invented(cat):
    # a minimum range is given only where a source names it: Iskander-M, "50 to 500 kilometers"
    with_min = {s.name: s.min_range_km for s in cat if s.min_range_km is not None}
    assert with_min == {"Iskander-M": 50.0}
    isk = cat.get("Iskander-M")
    assert any("50 to 500" in r.says and r.km == 50 for r in isk.min_range_sources)


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


# ------------------------------------------------------------------ sources (issue 13, item 1)
def test_every_estimate_names_its_source(cat):
    """Every non-null estimate has a source record whose km is that estimate, with the words."""
    for s in cat:
        for e, km in s.range_km.items():
            if km is None:
                continue
            backing = [r for r in s.range_sources if e in r.estimates]
            assert any(r.km == km for r in backing), (s.name, e)
            for r in backing:
                assert r.source.startswith("http") and r.outlet and r.says and r.date, (s.name, e)
        if s.range_known:
            assert s.nominal_basis, s.name


def test_conversions_are_shown_and_right(cat):
    """A figure given in miles or nautical miles shows the conversion, and the km follow it."""
    import re

    checked = 0
    for s in cat:
        for r in s.range_sources:
            m = re.match(r"([\d,.]+) (mi|nmi) x ([\d.]+)", r.conversion)
            if not m:
                continue
            factor = {"mi": 1.609344, "nmi": 1.852}[m.group(2)]
            assert float(m.group(3)) == factor, (s.name, r.conversion)
            assert round(float(m.group(1).replace(",", "")) * factor) == r.km, (s.name, r)
            checked += 1
    assert checked >= 5


def test_weak_sources_say_why_and_stay_low(cat):
    """An estimate set by an L-quality source is explained; one set only by L sources is L."""
    for s in cat:
        if any(r.quality == "L" for r in s.range_sources if r.estimates):
            assert s.weak_source_note, s.name
        nominal = [r for r in s.range_sources if "nominal" in r.estimates]
        if nominal and all(r.quality == "L" for r in nominal):
            assert s.confidence == "L", s.name


def test_issue13_weak_sites_are_gone_or_flagged(cat):
    """prisonplanet.com and fresh.yiaap.com are no longer cited; centralmirror.com and
    worldwide-military.com remain only as L sources with a reason."""
    for s in cat:
        refs = " ".join(s.references)
        assert "prisonplanet.com" not in refs and "yiaap.com" not in refs, s.name
        for r in s.range_sources:
            if "centralmirror.com" in r.source or "worldwide-military.com" in r.source:
                assert r.quality == "L" and s.weak_source_note, s.name


def test_references_are_unique_and_cover_every_record(cat):
    for s in cat:
        refs = s.references
        assert len(refs) == len(set(refs)), s.name
        for r in (*s.range_sources, *s.min_range_sources, *s.other_figures):
            assert r.source in refs


def test_sources_frame(cat):
    f = cat.sources_frame()
    assert set(f.system) == {s.name for s in cat if s.range_sources or s.other_figures}
    assert len(f[f.kind == "range"]) == sum(len(s.range_sources) for s in cat)
    assert {"km", "says", "conversion", "quality", "source"} <= set(f.columns)


def test_to_frame__flat_and_flags(cat):
    f = cat.to_frame().set_index("name")
    assert f.loc["Iskander-M", "straddles_inf_boundary"]
    assert f.loc["B-52H", "new_start_accountable"] and not f.loc["B-1B", "new_start_accountable"]
    assert "range_sources" not in f.columns


# ------------------------------------------------------------------ spreads (issue 13, item 2)
def test_spreads__issue13_systems_span_their_sources(cat):
    """The spreads the issue named now span the published figures."""
    assert cat.get("Kh-101").range_for("high") == 5500  # Ukrainian Air Force, June 2022
    assert cat.get("SM-6 (ship)").range_for("low") == 370  # 230 mi
    assert cat.get("9M729").range_km == {"low": 480, "nominal": 2500, "high": 2500}
    assert cat.get("Oreshnik").range_km == {"low": 5000, "nominal": 5500, "high": 5500}
    assert cat.get("B-2A").range_for("low") == 11112  # "<10,000" was an upper bound
    for s in cat:  # low / nominal / high cover every figure that sets an estimate
        kms = [r.km for r in s.range_sources if r.estimates and r.km is not None]
        if kms:
            assert s.range_for("low") == min(kms) and s.range_for("high") == max(kms), s.name


# PrSM (499 declared, 500 tested), Bastion-P (300, up to 500) and Storm Shadow (250 export, 560)
# were added with their published spreads.
STRADDLING = {"Iskander-M", "9M728", "9M729", "SM-6 (ship)", "SM-6 (Typhon)", "PrSM", "Bastion-P",
              "Storm Shadow"}


def test_straddles__known_cases(cat):
    assert {s.name for s in cat if s.straddles_inf_boundary} == STRADDLING
    isk = cat.get("Iskander-M")
    assert isk.inf_classes_by_estimate == {
        "low": "below-inf", "nominal": "shorter-range", "high": "shorter-range"}
    assert isk.inf_straddle_note.startswith(
        "At the low estimate (400 km) Iskander-M is below the INF 500 km floor")
    assert "shorter-range" in isk.inf_straddle_note
    # Oreshnik no longer straddles 5,500 km; a platform has no INF bands at all
    assert not cat.get("Oreshnik").straddles_inf_boundary
    assert cat.get("Oreshnik").inf_straddle_note == ""
    assert cat.get("B-52H").inf_classes_by_estimate == {}
    # SM-6 (ship) is sea-launched: the note says the classes apply by analogy only
    assert "by analogy" in cat.get("SM-6 (ship)").inf_straddle_note
    assert "by analogy" not in cat.get("SM-6 (Typhon)").inf_straddle_note


def test_straddles__user_system():
    s = WeaponSystem("Test", "GLCM", "land", "USA", 450, 1200, 5600)
    assert s.straddles_inf_boundary
    assert s.inf_straddle_note == (
        "At the low estimate (450 km) Test is below the INF 500 km floor; at the nominal "
        "estimate (1,200 km) it is an intermediate-range missile (INF 1,000-5,500 km); at the "
        "high estimate (5,600 km) it is above the INF 5,500 km ceiling.")
    assert not WeaponSystem("Flat", "GLCM", "land", "USA", 600, 700, 900).straddles_inf_boundary


def test_bombers__nuclear_role_and_new_start(cat):
    for s in cat:
        if s.is_bomber:
            assert s.nuclear_capable is not None and s.nuclear_basis, s.name
            assert s.new_start is not None, s.name
    b52 = cat.get("B-52H").new_start
    assert (b52.as_of, b52.deployed, b52.non_deployed, b52.test, b52.non_nuclear) == (
        "2020-09-01", 36, 10, 4, 41)
    b2 = cat.get("B-2A").new_start
    assert (b2.deployed, b2.non_deployed, b2.test, b2.non_nuclear) == (12, 8, 1, 0)
    assert not cat.get("B-1B").new_start.accountable and cat.get("B-1B").nuclear_capable is False
    tu95 = cat.get("Tu-95MS").new_start
    assert tu95.accountable and tu95.deployed is None  # Russia reports only aggregates
    assert not cat.get("Tu-22M3").new_start.accountable  # not a START heavy bomber


# ------------------------------------------------------------------ record validation
def test_weaponsystem__unbacked_estimate_rejected():
    src = {"km": 500, "estimates": ["nominal"], "source": "https://example.org/a", "outlet": "X",
           "says": "500 km", "date": "2020", "quality": "M"}
    ok = WeaponSystem("A", "GLBM", "land", "RUS", None, 500, None, range_sources=[src])
    assert ok.range_sources[0].km == 500
    with pytest.raises(InvalidInputError, match=r"range_high_km \(600\) of system 'B'"):
        WeaponSystem("B", "GLBM", "land", "RUS", None, 500, 600, range_sources=[src])


@pytest.mark.parametrize(
    "change, message",
    [
        ({"km": "500"}, "km of a source"),
        ({"estimates": ["median"]}, "estimates of a source"),
        ({"source": "facts.md"}, "must be an http"),
        ({"date": "May 2020"}, "YYYY"),
        ({"quality": "A"}, "quality of a source"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_range_source__validation_names_field(change, message):
    from deployguard.data.sources import RangeSource

    rec = {"km": 500, "estimates": ["nominal"], "source": "https://example.org/a", "outlet": "X",
           "says": "500 km", "date": "2020", "quality": "M", **change}
    with pytest.raises(InvalidInputError, match=message):
        RangeSource.from_record(rec, "system 'T'")
