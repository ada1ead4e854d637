"""The real cases of issue 4, checked clause by clause.

Every distance asserted here is recomputed independently of deployguard's geodesic engine: a
brute force over the territory's boundary densified to 0.05 deg, with ``pyproj.Geod`` (WGS84)
to every vertex. The brute force is an upper bound of the true distance that is at most half a
segment (< 3 km) too long, so the checker's exact figure must lie in [brute - 3 km, brute].
"""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg

GEOD = pyproj.Geod(ellps="WGS84")
SEG_DEG = 0.05
SLACK_KM = 3.0  # half of a 0.05 deg segment at most, with room
TERRITORIAL_SEA_KM = 12 * 1.852


@pytest.fixture(scope="module")
def world():
    return dg.World.load("50m")


def brute_km(lon: float, lat: float, geom) -> float:
    """Least WGS84 distance from a point to a territory: 0 inside, else to densified vertices."""
    if shapely.intersects(geom, shapely.Point(lon, lat)):
        return 0.0
    xy = shapely.get_coordinates(shapely.segmentize(geom.boundary, SEG_DEG))
    _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return float(np.min(d)) / 1000.0


def assert_distance(checker_km: float, brute: float) -> None:
    assert brute - SLACK_KM <= checker_km <= brute + 0.01, (checker_km, brute)


def one(report, clause_id, i=0):
    return report.finding(clause_id, deployment=i)


def test_check__iskander_kaliningrad(world):
    """Iskander-M (nominal 500 km, CSIS) at Kaliningrad city, 5 Feb 2018.

    NATO-5: Poland's border is ~33 km away and Lithuania's ~70 km, far inside 500 km, so the
    missile "can reach the territory of the other Parties": violation, with both named.
    US-6: a 500-km missile is "shorter-range" (INF [500, 1000] km) but the nearest US territory
    (Maine) is ~5,850 km away: inside Russia's own territory and out of reach, compliant.
    """
    d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    r = dg.check(d)
    n5 = one(r, "NATO-5")
    assert n5.status is dg.Status.VIOLATION
    assert {"POL", "LTU"} <= set(n5.evidence["states_reached"])
    lon, lat = d.lonlat
    for code in ("POL", "LTU"):
        brute = brute_km(lon, lat, world.territory(code, sea=True))
        assert brute < 500
        assert_distance(n5.evidence["distances_km"][code], brute)
    assert n5.geometry is not None and n5.geometry.intersects(world.territory("POL"))
    us6 = one(r, "US-6")
    assert us6.status is dg.Status.COMPLIANT
    brute_us = brute_km(lon, lat, world.territory("USA", sea=True))
    assert brute_us > 5500
    assert_distance(us6.evidence["distance_km"], brute_us)
    assert "Art. 6" in us6.article and "ground-launched" in us6.quote


def test_check__iskander_chukotka_across_180(world):
    """Iskander-M in Chukotka: Provideniya (173.2 W) and Anadyr (177.5 E).

    Provideniya: St Lawrence Island, Alaska, is under 100 km away. At the nominal 500 km the
    missile is INF "shorter-range" and reaches US national territory from Russian territory:
    US-6 violation (second limb). At the low 400 km it is below the INF floor, so facts.md
    §6.4 applies: outside Art. 6 altogether (not applicable), not "compliant".
    Anadyr lies west of 180 deg and Alaska east of it, so the geodesic crosses the
    antimeridian; Alaska is between 500 and 700 km away: not reached at nominal, reached at
    the high (700 km, Linkevicius) estimate.
    """
    prov = dg.Deployment(by="RUS", at=(-173.2333, 64.4236), date="2022-01-01",
                         system="Iskander-M")
    usa = world.territory("USA", sea=True)
    brute_p = brute_km(-173.2333, 64.4236, usa)
    assert brute_p < 400
    f = one(dg.check(prov, drafts="us"), "US-6")
    assert f.status is dg.Status.VIOLATION and f.evidence["states_reached"] == ["USA"]
    assert_distance(f.evidence["distance_km"], brute_p)
    low = one(dg.check(prov, drafts="us", range_estimate="low"), "US-6")
    assert low.status is dg.Status.NOT_APPLICABLE and "INF" in low.reason

    anadyr = dg.Deployment(by="RUS", at="Anadyr", date="2022-01-01", system="Iskander-M")
    brute_a = brute_km(*anadyr.lonlat, usa)
    assert 500 < brute_a < 700
    nominal = one(dg.check(anadyr, drafts="us"), "US-6")
    high = one(dg.check(anadyr, drafts="us", range_estimate="high"), "US-6")
    assert nominal.status is dg.Status.COMPLIANT
    assert high.status is dg.Status.VIOLATION
    assert high.assumptions["range_km"] == 700.0
    assert_distance(high.evidence["distance_km"], brute_a)
    # the reached part of Alaska lies east of 180 deg although Anadyr is west of it
    assert high.geometry is not None and high.geometry.bounds[0] < -160


def test_check__typhon_tomahawk_wiesbaden_2026(world):
    """Typhon with Tomahawk (1,600 km nominal) at Wiesbaden, 2026 (US-German statement 2024).

    US-6: a ground-launched intermediate-range missile (INF (1000, 5500] km) outside US
    national territory at all: violation on the first limb, whatever it reaches.
    NATO-5: the US is a Party and Russia's territory (Kaliningrad, ~900 km) is within 1,600 km:
    violation. Moscow (pyproj: ~2,053 km) is not within the nominal 1,600 km.
    """
    d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Typhon")
    r = dg.check(d)
    us6 = one(r, "US-6")
    assert us6.status is dg.Status.VIOLATION
    assert us6.evidence["host"] == "DEU" and us6.evidence["inside_own_territory"] is False
    assert us6.evidence["missile_class"] == "intermediate"
    assert "longest-ranged" in us6.evidence["weapon_choice"]  # Tomahawk, not SM-6
    n5 = one(r, "NATO-5")
    assert n5.status is dg.Status.VIOLATION and n5.evidence["states_reached"] == ["RUS"]
    brute = brute_km(*d.lonlat, world.territory("RUS", sea=True))
    assert brute < 1600
    assert_distance(n5.evidence["distance_km"], brute)
    _, _, moscow_m = GEOD.inv(8.3253, 50.0497, 37.6175, 55.752)
    assert 1600 < moscow_m / 1000 < 2500


@pytest.mark.parametrize(
    ("base", "expected", "reaches"),
    [("Fort Greely", dg.Status.VIOLATION, True), ("Fort Bliss", dg.Status.COMPLIANT, False)],
)
def test_check__dark_eagle_alaska_vs_texas(world, base, expected, reaches):
    """Dark Eagle (2,776 km nominal, 3,500 km high) inside US national territory.

    Both sites are in the USA, so only US-6's second limb can bite: "areas of their national
    territories from which such weapons can attack targets in the national territory of the
    other Party". From Fort Greely, Chukotka is ~1,100 km away (violation); from Fort Bliss,
    Russia is ~5,600 km away, beyond even the high estimate (compliant).
    """
    d = dg.Deployment(by="USA", at=base, date="2025-01-01", system="Dark Eagle")
    f = one(dg.check(d, drafts="us"), "US-6")
    assert f.status is expected and f.evidence["inside_own_territory"]
    brute = brute_km(*d.lonlat, world.territory("RUS", sea=True))
    assert (brute < 2776) is reaches
    if not reaches:
        assert brute > 3500
    assert_distance(f.evidence["distance_km"], brute)


def test_check__arleigh_burke_black_sea_vs_us_waters(world):
    """Arleigh Burke DDG with Tomahawk (1,600 km): central Black Sea vs off Virginia Beach.

    US-5.2 bars surface warships "outside ... national territorial waters, from where they can
    attack targets in the territory of the other Party". In the Black Sea the ship is more
    than 12 nmi (22.224 km) from any coast and Russia is within 1,600 km: violation. Off
    Virginia Beach it is within 12 nmi of US land, inside US territorial waters: compliant,
    whatever Tomahawk could reach.
    """
    sea = dg.Deployment(by="USA", at=(34.5, 43.2), date="2022-01-01",
                        system="Arleigh Burke DDG", weapon="Tomahawk (ship)")
    home = dg.Deployment(by="USA", at=(-75.916, 36.85), date="2022-01-01",
                         system="Arleigh Burke DDG", weapon="Tomahawk (ship)")
    r = dg.check([sea, home], drafts="us")
    f_sea, f_home = one(r, "US-5.2", 0), one(r, "US-5.2", 1)
    assert f_sea.status is dg.Status.VIOLATION
    assert f_sea.evidence["inside_national_airspace_or_waters"] is False
    for code in ("RUS", "TUR", "UKR", "ROU", "BGR", "GEO"):
        assert brute_km(34.5, 43.2, world.territory(code)) > TERRITORIAL_SEA_KM
    brute_rus = brute_km(34.5, 43.2, world.territory("RUS", sea=True))
    assert brute_rus < 1600
    assert_distance(f_sea.evidence["distance_km"], brute_rus)
    assert f_home.status is dg.Status.COMPLIANT
    assert brute_km(-75.916, 36.85, world.territory("USA")) < TERRITORIAL_SEA_KM


def test_check__tu95_bering_vs_norwegian_sea(world):
    """Tu-95MS with Kh-101 (4,500 km, Putin 2017): over the Bering Sea vs the Norwegian Sea.

    US-5.2 (heavy bombers). Both positions are outside Russian national airspace. From the
    Bering Sea Alaska is a few hundred km away: violation. From the Norwegian Sea the nearest
    US territory is ~4,600 km away, beyond 4,500 km: compliant. Greenland is within reach
    but is Danish (sovereign DNK), not US territory, so it does not count.
    """
    bering = dg.Deployment(by="RUS", at=(-178.0, 58.5), date="2022-01-01",
                           system="Tu-95MS", weapon="Kh-101")
    norway = dg.Deployment(by="RUS", at=(5.0, 66.0), date="2022-01-01",
                           system="Tu-95MS", weapon="Kh-101")
    r = dg.check([bering, norway], drafts="us")
    usa = world.territory("USA", sea=True)
    f_b, f_n = one(r, "US-5.2", 0), one(r, "US-5.2", 1)
    assert brute_km(-178.0, 58.5, world.territory("RUS")) > TERRITORIAL_SEA_KM
    assert f_b.status is dg.Status.VIOLATION
    brute_b = brute_km(-178.0, 58.5, usa)
    assert brute_b < 4500
    assert_distance(f_b.evidence["distance_km"], brute_b)
    assert f_n.status is dg.Status.COMPLIANT
    brute_n = brute_km(5.0, 66.0, usa)
    assert brute_n > 4500
    assert_distance(f_n.evidence["distance_km"], brute_n)
    assert world.sovereign("Greenland") == "DNK"
    assert brute_km(5.0, 66.0, world.territory("GRL")) < 4500


def test_check__us_brigade_poland():
    """A US brigade (3,500, our round figure) in Poland, March 2022.

    NATO-4: the USA was a NATO member on 27 May 1997, Poland is a State in Europe, and the US
    presence there on that date was a token 19-20 (DMDC): 3,500 exceeds it, violation.
    NATO-7.1: under UN M49 Poland is in "Eastern Europe" (violation); under the post-Soviet
    reading Eastern Europe is Ukraine, Belarus, Moldova and Russia (compliant).
    """
    d = dg.Deployment(by="USA", at=(15.317, 51.617), date="2022-03-01", personnel=3500,
                      category="ground")
    n4 = one(dg.check(d, drafts="nato"), "NATO-4")
    lvl = dg.Baseline1997.load().level("POL", "USA")
    assert n4.status is dg.Status.VIOLATION and 3500 > lvl.high
    assert n4.evidence["baseline_1997"]["high"] == lvl.high
    m49 = one(dg.check(d, drafts="nato", readings=dg.Readings(art7_reading="m49")), "NATO-7.1")
    post = one(dg.check(d, drafts="nato", readings=dg.Readings(art7_reading="post_soviet")),
               "NATO-7.1")
    assert m49.status is dg.Status.VIOLATION and m49.evidence["region"] == "Eastern Europe"
    assert post.status is dg.Status.COMPLIANT
    assert post.assumptions["readings"]["art7_reading"] == "post_soviet"


@pytest.mark.parametrize(("personnel", "expected"),
                         [(1500, dg.Status.COMPLIANT), (8000, dg.Status.VIOLATION)])
def test_check__us_troops_hungary_vs_1997(personnel, expected):
    """US forces in Hungary, 2022, against the 27 May 1997 level (Hungary joined NATO in 1999).

    The US had 6,523 (Sep 1996) and 4,220 (Sep 1997) in Hungary (DMDC): 1,500 is at or below
    every bracket value (compliant); 8,000 is above all of them (violation).
    """
    d = dg.Deployment(by="USA", at=(17.92, 46.39), date="2022-03-01", personnel=personnel)
    f = one(dg.check(d, drafts="nato"), "NATO-4")
    lvl = dg.Baseline1997.load().level("HUN", "USA")
    assert f.status is expected
    assert (personnel <= lvl.low) is (expected is dg.Status.COMPLIANT)
    assert f.evidence["host"] == "HUN"


def test_check__russian_troops_belarus_2022(world):
    """Russian forces in Belarus for Union Resolve, Feb 2022 (~30,000, widely reported).

    NATO-4 binds Russia too, but its 1997 presence in Belarus has no personnel count: the
    baseline is unknown (not zero), so the finding is "depends". NATO-7.2: far above the
    brigade level and near the border line with Lithuania (a NATO member), but the draft leaves
    the zone's width to agreement: depends by default, decided once a width is chosen.
    Russia is not bound by NATO-7.1 or US-4.2.
    """
    d = dg.Deployment(by="RUS", at="Minsk", date="2022-02-10", personnel=30000, kind="exercise")
    r = dg.check(d)
    assert one(r, "NATO-4").status is dg.Status.DEPENDS
    assert one(r, "NATO-4").evidence["baseline_1997"]["known"] is False
    n72 = one(r, "NATO-7.2")
    assert n72.status is dg.Status.DEPENDS and n72.evidence["nearest_state"] == "LTU"
    brute = brute_km(*d.lonlat, world.territory("LTU", sea=True))
    assert_distance(n72.evidence["distance_km"], brute)
    wide = dg.Readings(nato72_zone_km=brute + SLACK_KM)
    narrow = dg.Readings(nato72_zone_km=brute - 2 * SLACK_KM)
    assert one(dg.check(d, readings=wide), "NATO-7.2").status is dg.Status.VIOLATION
    assert one(dg.check(d, readings=narrow), "NATO-7.2").status is dg.Status.COMPLIANT
    assert one(r, "NATO-7.1").status is dg.Status.NOT_APPLICABLE
    assert one(r, "US-4.2").status is dg.Status.NOT_APPLICABLE


def test_check__accessions():
    """Ukraine (named in NATO-6; former USSR for US-4.1), Finland and an existing member.

    Ukraine: both clauses are violated. Finland (2023) is not former-USSR, so US-4.1's "deny
    accession" part does not name it and "eastward expansion" is undefined (depends), while
    NATO-6 bars "any further enlargement" (violation). A state already a member on the day
    before has nothing to accede to (not applicable).
    """
    ukr = dg.Deployment(by="UKR", kind="accession", date="2022-06-01")
    fin = dg.Deployment(by="FIN", kind="accession", date="2023-04-04")
    pol = dg.Deployment(by="POL", kind="accession", date="2022-06-01")
    r = dg.check([ukr, fin, pol])
    assert one(r, "US-4.1", 0).status is dg.Status.VIOLATION
    assert one(r, "NATO-6", 0).status is dg.Status.VIOLATION
    assert "Ukraine is named" in one(r, "NATO-6", 0).reason
    assert one(r, "US-4.1", 1).status is dg.Status.DEPENDS
    assert one(r, "NATO-6", 1).status is dg.Status.VIOLATION
    assert one(r, "NATO-6", 2).status is dg.Status.NOT_APPLICABLE


@pytest.mark.parametrize("reading", ["m49", "post_soviet"])
def test_check__us_base_georgia(reading):
    """A US base at Vaziani, Georgia (former Soviet base), Jan 2022.

    US-4.2: Georgia is a former-USSR State outside NATO, so "shall not establish military
    bases" is violated. NATO-7.1: Georgia is in the South Caucasus under both readings.
    """
    d = dg.Deployment(by="USA", at="Vaziani", date="2022-01-01", kind="base", host="GEO")
    r = dg.check(d, readings=dg.Readings(art7_reading=reading))
    assert one(r, "US-4.2").status is dg.Status.VIOLATION
    n71 = one(r, "NATO-7.1")
    assert n71.status is dg.Status.VIOLATION and n71.evidence["region"] == "South Caucasus"


def test_check__nuclear_weapons_abroad_and_home():
    """US-7.1/7.2: nuclear weapons (and their infrastructure) outside national territory.

    US bombs at Buchel, Germany (nuclear sharing, facts.md §3.3) are outside US territory:
    violation of both paragraphs; the same at Fort Greely, Alaska, is compliant.
    """
    abroad = dg.Deployment(by="USA", at="Buchel", date="2022-01-01", kind="nuclear")
    home = dg.Deployment(by="USA", at="Fort Greely", date="2022-01-01", kind="nuclear")
    r = dg.check([abroad, home], drafts="us")
    for cid in ("US-7.1", "US-7.2"):
        assert one(r, cid, 0).status is dg.Status.VIOLATION
        assert one(r, cid, 1).status is dg.Status.COMPLIANT
    assert "recalled" in one(r, "US-7.1", 0).wording


def test_check__unknown_range_and_medium_bomber():
    """A missing range is "depends", never a guess; a medium bomber is not a heavy bomber.

    A heavy bomber whose cruise missile has no published range (a user-built record: every
    US bomber weapon in the catalogue now has a sourced range, JASSM-ER 998-1,000 km since
    issue 13), off the Kamchatka coast: US-5.2 depends. Tu-22M3 is a medium bomber: outside
    US-5.2 under the New START reading; with ``heavy_bombers="include_medium"`` it counts, but
    its Kinzhal has no range: depends.
    """
    alcm = dg.WeaponSystem("Unranged ALCM", "ALCM", "air", "USA")
    bomber = dg.WeaponSystem("Unranged bomber", "heavy_bomber", "air", "USA",
                             platform_weapons=("Unranged ALCM",), carried=(alcm,))
    b1 = dg.Deployment(by="USA", at=(165.0, 52.0), date="2022-01-01", system=bomber)
    tu22 = dg.Deployment(by="RUS", at=(-170.0, 60.0), date="2022-01-01", system="Tu-22M3")
    r = dg.check([b1, tu22], drafts="us")
    f = one(r, "US-5.2", 0)
    assert f.status is dg.Status.DEPENDS and "unknown" in f.reason
    assert f.evidence["range_km"] is None
    assert one(r, "US-5.2", 1).status is dg.Status.NOT_APPLICABLE
    wide = dg.check(tu22, drafts="us", readings=dg.Readings(heavy_bombers="include_medium"))
    assert one(wide, "US-5.2").status is dg.Status.DEPENDS
    # the real B-1B there: its JASSM-ER (1,000 km) reaches Russia, whose coast is much nearer
    real = one(dg.check(dg.Deployment(by="USA", at=(165.0, 52.0), date="2022-01-01",
                                      system="B-1B"), drafts="us"), "US-5.2")
    assert real.status is dg.Status.VIOLATION and real.evidence["range_km"] == 1000.0


def test_check__nato5_other_parties_reading():
    """NATO-5 "the other Parties": adversary side by default, every other Party when "all".

    Dark Eagle at Fort Greely reaches Russia either way; with "all" it also reaches Canada,
    another Party, which the default reading does not list.
    """
    d = dg.Deployment(by="USA", at="Fort Greely", date="2025-01-01", system="Dark Eagle")
    adv = one(dg.check(d, drafts="nato"), "NATO-5")
    every = one(dg.check(d, drafts="nato", readings=dg.Readings(nato5_other_parties="all")),
                "NATO-5")
    assert adv.evidence["states_reached"] == ["RUS"]
    assert {"CAN", "RUS"} <= set(every.evidence["states_reached"])
