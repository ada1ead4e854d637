"""Classes of reading that analysts tested on real cases: interceptors, land of no State, Europe
without UN membership and successor States, sourced 1997 zeros, the regions of NATO Art. 7,
and the platforms and missiles the catalogue lacked.

Every distance asserted here is recomputed independently of deployguard's geodesic engine
(``pyproj.Geod`` over boundaries densified with shapely; see ``brute_km``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pyproj
import pytest
import shapely

import deployguard as dg
from deployguard.data.catalogue import Catalogue
from deployguard.data.files import read_territorial_sea
from deployguard.data.systems import WeaponSystem

GEOD = pyproj.Geod(ellps="WGS84")
SEG_DEG = 0.005  # ~0.5 km: a vertex bound at most ~0.3 km too long

# sites (lon, lat): our points from public maps, to ~1 km
MCMURDO = (166.676, -77.846)
BONDSTEEL = (21.255, 42.367)
TAPA = (25.963, 59.266)
RUKLA = (24.39, 55.03)
ADAZI = (24.33, 57.08)
ZAGAN = (15.317, 51.617)
KOGALNICEANU = (28.488, 44.362)
TASZAR = (17.917, 46.393)
PABRADE = (25.76, 54.98)
BALTIYSK = (19.9167, 54.65)


def check(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dg.check(*args, **kwargs)


def brute_km(lon: float, lat: float, geom) -> float:
    """Least WGS84 distance (km) from a point to the densified boundary of ``geom``; 0 inside."""
    if shapely.intersects(geom, shapely.Point(lon, lat)):
        return 0.0
    xy = shapely.get_coordinates(shapely.segmentize(shapely.boundary(geom), SEG_DEG))
    _, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return float(np.min(d)) / 1000.0


# ------------------------------------------------------------------ class 2: interceptors
@pytest.mark.parametrize("site", ["Deveselu", "Redzikowo"])
def test_aegis_ashore__interceptors_are_not_inf_missiles(site):
    """The Aegis Ashore sites hold SM-3 interceptors in Mk 41 launchers (Reuters, May 2014).

    The INF Treaty (Art. VII para 3) leaves out a missile "developed and tested solely to
    intercept and counter objects not located on the surface of the earth", so neither US
    Art. 6 nor NATO Art. 5 (read with the INF classes) applies, whatever the interceptor's
    range. Under Russia's stated reading that the Mk 41 launchers can fire Tomahawk
    (Readings(aegis_ashore="mk41_can_fire_tomahawk")) both are ``depends``, with that reason.
    """
    d = dg.Deployment(by="USA", at=site, date="2022-01-01", system="Aegis Ashore")
    r = check(d)
    for cid in ("US-6", "NATO-5"):
        f = r.finding(cid)
        assert f.status is dg.Status.NOT_APPLICABLE, (cid, f.reason)
        assert "INF Treaty Art. VII para 3" in f.reason and "SM-3" in f.reason
    r = check(d, readings=dg.Readings(aegis_ashore="mk41_can_fire_tomahawk"))
    for cid in ("US-6", "NATO-5"):
        f = r.finding(cid)
        assert f.status is dg.Status.DEPENDS and "Mk 41" in f.reason and "Tomahawk" in f.reason
        assert f.assumptions["readings"]["aegis_ashore"] == "mk41_can_fire_tomahawk"


def test_interceptor_given_by_hand__range_does_not_make_it_inf():
    """A land-based interceptor of 600-800 km given by hand at Redzikowo (Poland).

    As a GLBM of that range it would be a shorter-range INF missile, and Russia (Kaliningrad,
    ~150 km away) lies well inside its reach: US-6 and NATO-5 violations. As an interceptor it
    is outside both clauses (INF Art. VII para 3), range or not.
    """
    kw = dict(operator="USA", range_low_km=600, range_nominal_km=700, range_high_km=800)
    glbm = WeaponSystem("Test GLBM 700", "GLBM", "land", **kw)
    interceptor = WeaponSystem("Test interceptor 700", "interceptor", "land", **kw)
    as_glbm = check(dg.Deployment(by="USA", at="Redzikowo", date="2022-01-01", system=glbm))
    as_int = check(dg.Deployment(by="USA", at="Redzikowo", date="2022-01-01",
                                 system=interceptor))
    n5 = as_glbm.finding("NATO-5")
    assert as_glbm.finding("US-6").status is dg.Status.VIOLATION
    assert n5.status is dg.Status.VIOLATION and n5.evidence["states_reached"] == ["RUS"]
    rus = dg.World.load("50m").territory("RUS", sea=True)
    brute = brute_km(17.097, 54.479, rus)
    assert brute - 3.0 <= n5.evidence["distance_km"] <= brute + 0.01
    assert brute < 700
    for cid in ("US-6", "NATO-5"):
        f = as_int.finding(cid)
        assert f.status is dg.Status.NOT_APPLICABLE and "Art. VII para 3" in f.reason


def test_russian_air_defence__not_inf_missiles():
    """S-400 (400 km) and S-500 (~480 km, CSIS) at Kaliningrad: air defence, outside NATO-5."""
    for name in ("S-400", "S-500"):
        r = check(dg.Deployment(by="RUS", at=(20.511, 54.7065), date="2022-01-01",
                                system=name), drafts="nato")
        f = r.finding("NATO-5")
        assert f.status is dg.Status.NOT_APPLICABLE and "interceptor" in f.reason


def test_interceptor_class_in_the_catalogue():
    """The interceptors carry no INF class at any estimate; SM-6 (land-attack mode) does."""
    cat = Catalogue.load()
    for name in ("SM-3 Block IB", "SM-3 Block IIA", "Patriot PAC-3 MSE", "GBI", "S-400",
                 "S-500"):
        s = cat.get(name)
        assert s.is_interceptor and s.is_missile
        assert all(s.inf_class_for(e) is None for e in ("low", "nominal", "high"))
    assert not cat.get("SM-6 (Typhon)").is_interceptor
    aegis = cat.get("Aegis Ashore")
    assert aegis.system_class == "launcher" and aegis.basing == "land"
    assert [w.name for w in aegis.weapons] == ["SM-3 Block IB", "SM-3 Block IIA"]
    assert cat.get("Patriot").name == cat.get("PAC-3").name == "Patriot PAC-3 MSE"


# ------------------------------------------------------------- class 3: land of no State
def test_mcmurdo__antarctica_is_land_of_no_state():
    """1,000 US personnel at McMurdo Station, Antarctica.

    The Antarctic Treaty (Art. IV) freezes every territorial claim: Antarctica is no State's
    territory. US-3 ("the territories of other States") and NATO-4 ("the territory of any of
    the other States") do not apply as to a host; US-5.1 is outside US national territory with
    no host. It is still land: a Dark Eagle there is ground-launched, outside US territory
    (US-6 violation; Russia is far beyond its range, so NATO-5 is compliant).
    """
    r = check(dg.Deployment(by="USA", at=MCMURDO, date="2022-01-01", personnel=1000))
    us3, n4, us51 = r.finding("US-3"), r.finding("NATO-4"), r.finding("US-5.1")
    assert us3.status is dg.Status.COMPLIANT and "no State's territory" in us3.reason
    assert "Antarctic" in us3.reason and "ATA" not in us3.reason
    assert n4.status is dg.Status.NOT_APPLICABLE and "not on the territory of any State" in (
        n4.reason)
    assert "host: none" in us51.reason
    de = check(dg.Deployment(by="USA", at=MCMURDO, date="2022-01-01", system="Dark Eagle"))
    us6 = de.finding("US-6")
    assert us6.status is dg.Status.VIOLATION and us6.evidence["launch_mode"] == "land"
    assert de.finding("NATO-5").status is dg.Status.COMPLIANT


def test_nuclear_weapons_in_antarctica_are_not_at_sea():
    """US-7.1's 'not_deploying' reading spares ships and bombers on the high seas, not land of
    no State: nuclear weapons stored at McMurdo are outside US national territory (violation).
    """
    r = check(dg.Deployment(by="USA", at=MCMURDO, date="2022-01-01", kind="nuclear"),
              drafts="us")
    assert r.finding("US-7.1").status is dg.Status.VIOLATION


# ------------------------------------------------- class 4: Kosovo and successor States
@pytest.mark.parametrize("europe", ["m49_europe", "conventional"])
def test_camp_bondsteel__kosovo_is_in_europe_and_bounded_by_yugoslavia(europe):
    """About 600 US troops at Camp Bondsteel, Kosovo (KFOR, since 1999).

    Kosovo is in Europe under every reading (M49 omits it only because it is not a UN member).
    On 27 May 1997 it was part of the Federal Republic of Yugoslavia, whose US presence the
    DMDC counts as one line (8 on 30 Sep 1996, 13 on 30 Sep 1997): that whole bounds Kosovo
    from above, so 600 is 'in addition' (violation) and 10 cannot be decided (depends).
    """
    rd = dg.Readings(europe=europe)
    f = check(dg.Deployment(by="USA", at=BONDSTEEL, date="2022-01-01", personnel=600),
              drafts="nato", readings=rd).finding("NATO-4")
    assert f.evidence["host"] == "XKX" and f.evidence["host_in_europe"] is True
    assert f.status is dg.Status.VIOLATION and "at most 13" in f.reason and "SRB" in f.reason
    assert f.evidence["baseline_1997"]["bounded_by"] == "SRB"
    g = check(dg.Deployment(by="USA", at=BONDSTEEL, date="2022-01-01", personnel=10),
              drafts="nato", readings=rd).finding("NATO-4")
    assert g.status is dg.Status.DEPENDS and "predecessor" in g.reason


# ------------------------------------------------------------- class 5: sourced zeros
@pytest.mark.parametrize(("by", "site", "host", "personnel"), [
    ("GBR", TAPA, "EST", 850),    # UK-led eFP battlegroup, Tapa
    ("DEU", RUKLA, "LTU", 1000),  # German-led eFP battlegroup, Rukla
    ("CAN", ADAZI, "LVA", 700),   # Canadian-led eFP battlegroup, Adazi
    ("GBR", ZAGAN, "POL", 150),   # UK contribution to the US-led battlegroup in Poland
])
def test_efp_battlegroups__compared_with_sourced_zeros(by, site, host, personnel):
    """NATO's battlegroups of 2017 in the Baltic states and Poland, against 27 May 1997.

    The Baltic states hosted no permanent foreign troops before 2014 (Reuters, 28 Apr 2014);
    Poland none after the last Soviet troops left in 1993. So the sender's 1997 level is a
    sourced zero and any personnel are 'in addition': violation, not 'unknown'.
    """
    f = check(dg.Deployment(by=by, at=site, date="2022-01-01", personnel=personnel),
              drafts="nato").finding("NATO-4")
    assert f.evidence["host"] == host
    assert f.status is dg.Status.VIOLATION and "sourced zero" in f.reason
    assert f.evidence["baseline_1997"]["sourced_zero"] is True
    assert f.evidence["baseline_1997"]["coverage_source"].startswith("https://")


def test_moldova__russian_operational_group_has_a_sourced_spread():
    """Russia's Operational Group in Transnistria on 27 May 1997: more than 3,000 by the OSCE's
    Nov 1997 estimate and at most Russia's 8,500 of 1994 (RFE/RL, 10 Jul 1998). Today's ~1,500
    is within it (compliant); 9,000 is above it (violation); 3,500 lies in the spread."""
    expect = {1500: dg.Status.COMPLIANT, 3500: dg.Status.DEPENDS, 9000: dg.Status.VIOLATION}
    for p, status in expect.items():
        f = check(dg.Deployment(by="RUS", at="Tiraspol", date="2022-01-01", personnel=p),
                  drafts="nato").finding("NATO-4")
        assert f.status is status, (p, f.reason)
    lvl = dg.Baseline1997.load().level("MDA", "RUS")
    assert (lvl.low, lvl.high) == (3000, 8500) and "rferl.org" in lvl.entries[0].source


# -------------------------------------------------------- class 7: the regions of Art. 7
@pytest.mark.parametrize(("site", "host"), [
    (ZAGAN, "POL"), (KOGALNICEANU, "ROU"), (TASZAR, "HUN"), (TAPA, "EST"), (PABRADE, "LTU"),
])
def test_nato71__regions_coherent_under_the_default(site, host):
    """1,000 US troops at Zagan, Mihail Kogalniceanu, Taszar, Tapa and Pabrade, 2022.

    All five hosts lie east of NATO's line of 27 May 1997. Under the default reading
    (nato_1997_line: the former Warsaw Pact and the former USSR in Europe) every one is in
    "Eastern Europe": violation alike. Under M49 the Baltic states are "Northern Europe" and
    comply while Poland, Romania and Hungary do not; under post_soviet all five comply.
    """
    d = dg.Deployment(by="USA", at=site, date="2022-03-01", personnel=1000)
    status = {rd: check(d, drafts="nato", readings=dg.Readings(art7_reading=rd)).finding(
        "NATO-7.1") for rd in ("nato_1997_line", "m49", "post_soviet")}
    assert status["nato_1997_line"].evidence["host"] == host
    assert status["nato_1997_line"].status is dg.Status.VIOLATION
    assert status["nato_1997_line"].evidence["region"] == "Eastern Europe"
    baltic = host in ("EST", "LTU")
    assert status["m49"].status is (dg.Status.COMPLIANT if baltic else dg.Status.VIOLATION)
    assert status["post_soviet"].status is dg.Status.COMPLIANT
    assert dg.Readings().art7_reading == "nato_1997_line"


# ------------------------------------------------- class 8: platforms, missiles, harbours
POSTURE_NAMES = ["SM-3 Block IB", "SM-3 Block IIA", "Aegis Ashore", "Patriot PAC-3 MSE", "GBI",
                 "S-400", "S-500", "Bastion-P", "Kh-32", "Kh-22", "Storm Shadow",
                 "Taurus KEPD 350", "ASMP-A", "Admiral Gorshkov-class frigate", "Yasen-M",
                 "Virginia-class submarine", "Astute-class submarine"]


def test_catalogue__new_systems_by_their_names():
    cat = Catalogue.load()
    assert [cat.get(n).name for n in POSTURE_NAMES] == POSTURE_NAMES
    assert "Zircon" in [w.name for w in cat.get("Admiral Gorshkov-class frigate").weapons]
    assert "Kalibr 3M14" in [w.name for w in cat.get("Yasen-M").weapons]
    for sub in ("Virginia-class submarine", "Astute-class submarine"):
        assert [w.name for w in cat.get(sub).weapons] == ["Tomahawk (submarine)"]
    assert cat.get("SCALP").name == "Storm Shadow" and cat.get("Taurus").name == (
        "Taurus KEPD 350")
    prsm = cat.get("PrSM")
    assert prsm.range_km == {"low": 499, "nominal": 499, "high": 500}
    assert cat.get("Bastion-P").is_ground_launched and cat.get("Kh-32").basing == "air"
    asmp = cat.get("ASMP-A")
    assert asmp.range_for("nominal") == 500 and asmp.nuclear_capable is True
    assert {w.name for w in cat.get("Karakurt").weapons} == {"Kalibr 3M14", "P-800 Oniks"}


def test_kalibr_bare_at_baltiysk__depends_naming_its_ships():
    """Kalibr 3M14 (catalogued sea-launched only) given bare at Baltiysk, the Baltic Fleet's
    harbour, ~1.9 km from the sea.

    By location it stands on land, but at a harbour it may as well be aboard a ship in port,
    which is not ground-launched: US-6 and NATO-5 are ``depends`` naming the catalogue's ships
    and submarines that carry it, never a silent violation. The distance to the sea (the
    nearest territorial-sea belt) is recomputed by brute force. Inland, 17 km from the sea, a
    sea-launched type in a land launcher (Tomahawk at Redzikowo) stays ground-launched.
    """
    r = check(dg.Deployment(by="RUS", at="Baltiysk", date="2022-01-01", system="Kalibr 3M14"))
    belts = read_territorial_sea("10m")
    near = belts.geometry[belts.intersects(shapely.box(19.5, 54.4, 20.3, 54.9))]
    brute = brute_km(*BALTIYSK, shapely.union_all(near.to_numpy()))
    for cid in ("US-6", "NATO-5"):
        f = r.finding(cid)
        assert f.status is dg.Status.DEPENDS, (cid, f.reason)
        assert "Admiral Gorshkov-class frigate" in f.reason and "Buyan-M" in f.reason
        assert brute - 0.3 <= f.evidence["km_to_sea"] <= brute + 0.001
    assert brute < 5.0
    inland = check(dg.Deployment(by="USA", at="Redzikowo", date="2022-01-01",
                                 system="Tomahawk (ship)", kind="missile"))
    assert inland.finding("US-6").status is dg.Status.VIOLATION
    cat = check(dg.Deployment(by="RUS", at="Baltiysk", date="2022-01-01",
                              system="Kalibr 3M14"),
                readings=dg.Readings(launch_mode="catalogue"))
    assert cat.finding("NATO-5").status is dg.Status.NOT_APPLICABLE


def test_sweep__interceptors_and_harbours_as_check():
    """The sweep applies the same rules as check(): interceptors are outside NATO-5 (and the
    Aegis Ashore site depends under Russia's reading); a Kalibr bare at Baltiysk depends."""
    lon, lat = np.array([17.097, 20.511, 19.9167]), np.array([54.479, 54.7065, 54.65])
    for rd, aegis in ((dg.Readings(), "not_applicable"),
                      (dg.Readings(aegis_ashore="mk41_can_fire_tomahawk"), "depends")):
        t = dg.sweep((lon, lat), ["Aegis Ashore", "S-400", "Kalibr 3M14"], by="host",
                     on="2022-01-01", clauses=("NATO-5",), readings=rd, progress=False)
        est = t[t.range_estimate == "nominal"]
        got = {(int(i), s): v for i, s, v in zip(est.site_id, est.system, est["NATO-5"],
                                                   strict=True)}
        assert got[(0, "Aegis Ashore")] == aegis
        assert got[(1, "S-400")] == "not_applicable"
        assert got[(2, "Kalibr 3M14")] == "depends"
        assert got[(1, "Kalibr 3M14")] == "violation"  # Kaliningrad city, 26 km from the sea


def test_admiral_gorshkov_off_havana__us52_applies_to_russian_warships():
    """The frigate Admiral Gorshkov called at Havana in June 2024 (with the Yasen-class
    submarine Kazan). A Russian surface warship in Cuban waters is outside *its own* national
    territorial waters, so US-5.2 applies; its longest-ranged weapon, Kalibr 3M14 (1,500 km),
    reaches US territory (the Florida Keys, ~140 km): violation. The submarine is not a
    "surface warship" (not applicable). The distance is recomputed by brute force over US
    territory (with its territorial sea) near Florida.
    """
    at = (-82.36, 23.17)  # Havana harbour mouth, our point
    r = check(dg.Deployment(by="RUS", at=at, date="2024-06-12",
                            system="Admiral Gorshkov-class frigate"), drafts="us")
    f = r.finding("US-5.2")
    assert f.status is dg.Status.VIOLATION and f.evidence["weapon"] == "Kalibr 3M14"
    usa = dg.World.load("50m").territory("USA", sea=True)
    near = shapely.intersection(usa, shapely.box(-90.0, 20.0, -75.0, 30.0))
    brute = brute_km(*at, near)
    assert brute - 3.0 <= f.evidence["distance_km"] <= brute + 0.01
    assert brute < 1500.0
    sub = check(dg.Deployment(by="RUS", at=(-82.36, 23.30), date="2024-06-12",
                              system="Yasen-M"), drafts="us")
    assert sub.finding("US-5.2").status is dg.Status.NOT_APPLICABLE


def test_permitted_zone__an_interceptor_is_permitted_everywhere():
    """permitted_zone asks where US-6/NATO-5 allow a missile: an interceptor of 600-800 km is no
    INF missile (Art. VII para 3), so the whole of the deployer's territory is permitted."""
    interceptor = WeaponSystem("Test interceptor 700", "interceptor", "land", "USA", 600, 700,
                               800)
    z = dg.permitted_zone("USA", interceptor, on="2022-01-01", progress=False)
    assert not z.restricted and z.missile_class is None and "Art. VII para 3" in z.note
