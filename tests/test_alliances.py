"""Alliances, groups and regions over time."""

import datetime as dt

import pytest

from deployguard.errors import InvalidInputError, UnknownStateError
from deployguard.geography.groups import (
    FORMER_USSR,
    art7_regions,
    csto,
    nato,
    states_in_europe,
)
from deployguard.geography.world import World

NATO_1997 = {
    "BEL", "CAN", "DNK", "FRA", "ISL", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR", "USA",
    "GRC", "TUR", "DEU", "ESP",
}  # fmt: skip


@pytest.mark.parametrize(
    ("on", "count"),
    [("1997-05-27", 16), (dt.date(1999, 3, 12), 19), ("2004-03-29", 26), ("2009-04-01", 28),
     ("2017-06-05", 29), ("2020-03-27", 30), ("2021-12-17", 30), ("2023-04-04", 31),
     ("2024-03-06", 31), ("2024-03-07", 32), (dt.datetime(2025, 1, 1, 12), 32)],
)  # fmt: skip
def test_nato_members__counts(on, count):
    assert len(nato.members(on=on)) == count


def test_nato_members__1997_exact():
    assert nato.members(on="1997-05-27") == NATO_1997


def test_nato__art4_newcomers_are_14():
    new = nato.members(on="2021-12-17") - nato.members(on="1997-05-27")
    assert len(new) == 14 and {"POL", "EST", "MKD", "MNE"} <= new


def test_nato__is_member_and_accession():
    assert not nato.is_member("POL", on="1999-03-11")
    assert nato.is_member("pol", on="1999-03-12")
    assert nato.accession_date("FIN") == dt.date(2023, 4, 4)
    assert nato.accession_date("DEU") == dt.date(1955, 5, 6)
    with pytest.raises(UnknownStateError, match="UKR"):
        nato.accession_date("UKR")
    assert all(src and conf in {"H", "M", "L"} for src, conf in nato.source("SWE"))


def test_nato__codes_known_to_world():
    world = World.load()
    for code in nato.codes | csto.codes | FORMER_USSR:
        assert world.lookup(code) == code


@pytest.mark.parametrize("bad", ["1997-13-01", "yesterday", 1997, None])
def test_nato__bad_date(bad):
    if bad is None:  # None means today
        assert len(nato.members(on=None)) >= 32
        return
    with pytest.raises(InvalidInputError, match=repr(bad)):
        nato.members(on=bad)


@pytest.mark.parametrize("bad", ["Poland", 616, None])
def test_nato__bad_state(bad):
    with pytest.raises(InvalidInputError, match="alpha-3"):
        nato.is_member(bad, on="2020-01-01")


def test_former_ussr():
    assert len(FORMER_USSR) == 15
    assert {"RUS", "UKR", "EST", "GEO", "UZB"} <= FORMER_USSR
    assert not FORMER_USSR & {"POL", "FIN", "MNG"}
    us_art4 = FORMER_USSR - nato.members(on="2021-12-17")
    assert len(us_art4) == 12 and "RUS" in us_art4


def test_csto__over_time():
    assert csto.members(on="2021-12-17") == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}
    assert {"AZE", "GEO", "UZB"} <= csto.members(on="1998-06-01")
    assert not {"AZE", "GEO", "UZB"} & csto.members(on="2000-01-01")
    assert csto.is_member("UZB", on="2008-01-01") and not csto.is_member("UZB", on="2014-01-01")
    assert csto.is_member("ARM", on="2024-06-01")  # frozen, not left
    assert csto.members(on="1990-01-01") == frozenset()
    assert csto.accession_date("UZB") == dt.date(1992, 5, 15)


def test_art7_regions__readings():
    m49 = art7_regions("m49")
    post = art7_regions("post_soviet")
    assert set(m49) == set(post) == {"Eastern Europe", "South Caucasus", "Central Asia"}
    assert len(m49["Eastern Europe"]) == 10
    assert {"POL", "ROU", "BGR", "CZE", "HUN", "SVK"} <= m49["Eastern Europe"]
    assert post["Eastern Europe"] == {"UKR", "BLR", "MDA", "RUS"}
    assert m49["South Caucasus"] == post["South Caucasus"] == {"ARM", "AZE", "GEO"}
    assert m49["Central Asia"] == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert not {"EST", "LVA", "LTU"} & m49["Eastern Europe"]


def test_states_in_europe__readings():
    m49 = states_in_europe("m49_europe")
    conv = states_in_europe("conventional")
    # the 44 sovereign states of M49 Europe and Kosovo, which M49 omits only because it is
    # not a UN member: a European territory is in Europe under every reading
    assert len(m49) == 45 and {"RUS", "UKR", "ISL", "VAT", "XKX"} <= m49
    assert not {"TUR", "CYP", "GEO", "KAZ"} & m49
    assert conv - m49 == {"TUR", "CYP", "GEO", "ARM", "AZE"}
    # every NATO member in Dec 2021 but the USA and Canada is in Europe on the conventional reading
    assert nato.members(on="2021-12-17") - conv == {"USA", "CAN"}


@pytest.mark.parametrize("func", [art7_regions, states_in_europe])
def test_regions__unknown_reading_lists_valid(func):
    with pytest.raises(InvalidInputError, match="got 'wiki'") as info:
        func("wiki")
    assert "m49" in str(info.value)


def test_regions__results_are_frozen():
    regions = art7_regions("m49")
    regions["Eastern Europe"] = frozenset()
    assert len(art7_regions("m49")["Eastern Europe"]) == 10
