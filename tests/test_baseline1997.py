import csv
import datetime as dt
from importlib import resources

import pytest

from deployguard.data.baseline1997 import Baseline1997, BaselineEntry
from deployguard.errors import InvalidInputError


@pytest.fixture(scope="module")
def base():
    return Baseline1997.load()


def _rows():
    text = resources.files("deployguard.geodata").joinpath("baseline_1997.csv").read_text()
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def test_every_row_has_source_and_confidence():
    for row in _rows():
        assert row["source"].strip() and row["confidence"] in {"H", "M", "L"}, row


def test_dmdc_interpolation_is_reproducible():
    # 27 May 1997 lies 239 of 365 days after 30 Sep 1996
    frac = (dt.date(1997, 5, 27) - dt.date(1996, 9, 30)).days / (
        dt.date(1997, 9, 30) - dt.date(1996, 9, 30)
    ).days
    n = 0
    for row in _rows():
        if row["estimate_method"] == "linear_interpolation_dmdc":
            a, b = int(row["count_1996_09_30"]), int(row["count_1997_09_30"])
            assert int(row["personnel"]) == round(a + (b - a) * frac)
            assert int(row["personnel_low"]) == min(a, b) and int(row["personnel_high"]) == max(
                a, b
            )
            n += 1
    # the 38 DMDC rows of the first baseline plus IRL, LUX, MLT, CYP, SRB, SVN (baseline research)
    assert n == 44


def test_hungary__us_level_with_spread(base):
    lvl = base.level("HUN", "USA")
    assert (lvl.low, lvl.high) == (4220, 6523)
    assert lvl.low <= lvl.personnel <= lvl.high and lvl.known
    assert "linear_interpolation_dmdc" in lvl.note


def test_level__accepts_lowercase_codes(base):
    assert base.level("hun", "usa").personnel == base.level("HUN", "USA").personnel


@pytest.mark.parametrize(
    "host, sender",
    [
        ("DEU", "GBR"),
        ("DEU", "NLD"),
        ("DEU", "BEL"),
        ("MDA", "RUS"),
        ("ARM", "RUS"),
        ("BLR", "RUS"),
        ("KAZ", "RUS"),
        ("AZE", "RUS"),
    ],
)
def test_unknown_is_not_zero(base, host, sender):
    lvl = base.level(host, sender)
    assert lvl.recorded and lvl.present is True
    assert lvl.personnel is None and lvl.known is False
    assert lvl.personnel != 0
    assert "no count" in lvl.note


def test_france_in_germany_now_sourced(base):
    """The French Senate report of Oct 1996 gives the FFA as 'reduced to 18,000' (carried
    forward to 27 May 1997, an upper value): DEU/FRA is no longer unknown."""
    lvl = base.level("DEU", "FRA")
    assert lvl.personnel == 18000 and "senat.fr" in lvl.entries[0].source


def test_sourced_zero_needs_an_authoritative_list(base):
    """Norway had no national forces in Germany on the French Senate's list of the six sending
    states: a sourced zero, with its source. Nothing lists Canada's forces in Cyprus: unknown."""
    zero = base.level("DEU", "NOR")
    assert zero.sourced_zero and zero.known and zero.personnel == 0 and not zero.recorded
    assert "senat.fr" in zero.coverage_source
    unknown = base.level("CYP", "CAN")
    assert not unknown.sourced_zero and not unknown.known and unknown.coverage == "unknown"
    nuke = base.level("POL", "USA", "nuclear_weapons")
    assert nuke.sourced_zero and "bits" in nuke.coverage_source
    assert base.level("DEU", "USA", "nuclear_weapons").present is True


def test_coverage_records_have_sources(base):
    for c in base.coverage_records:
        assert c.source.startswith("http") or "DMDC" in c.source, c
        assert c.coverage in ("listed", "within_predecessor", "sourced_zero", "unknown")
        # a successor is bounded by a predecessor the baseline has rows for
        assert (c.coverage == "within_predecessor") == bool(c.bounded_by), c
        if c.bounded_by:
            assert base.stationed(c.bounded_by, c.sender), c


def test_successor_is_bounded_by_its_predecessor(base):
    """Kosovo and Montenegro were part of the Federal Republic of Yugoslavia on 27 May 1997;
    the DMDC's 'Yugoslavia' line (filed under SRB: 8 on 30 Sep 1996, 13 on 30 Sep 1997) counts
    them with Serbia. Their own level is unknown but at most the whole: 13."""
    whole = base.level("SRB", "USA")
    for host in ("XKX", "MNE"):
        lvl = base.level(host, "USA")
        assert lvl.coverage == "within_predecessor" and lvl.bounded_by == "SRB"
        assert lvl.high == whole.high == 13 and lvl.personnel is None and lvl.low is None
        assert not lvl.known and not lvl.sourced_zero and "SRB" in lvl.note
        assert lvl.entries == whole.entries  # its sources are the predecessor's


def test_no_row_is_unknown_not_zero(base):
    lvl = base.level("KGZ", "RUS")  # Kant opened in 2003
    assert not lvl.recorded and lvl.personnel is None and not lvl.known
    assert "UNKNOWN" in lvl.note


def test_token_presences_flagged(base):
    for host in ("POL", "EST", "LVA", "LTU", "RUS", "UKR", "GEO"):
        assert all(e.token for e in base.stationed(host, "USA")), host
    assert not any(e.token for e in base.stationed("HUN", "USA"))
    assert base.level("POL", "USA").high == 20


def test_black_sea_fleet_treatment_switch(base):
    present = base.stationed("UKR", "RUS")
    assert [e.category for e in present] == ["naval"] and present[0].treatment == "black_sea_fleet"
    assert "28 May 1997" in present[0].notes
    assert base.stationed("UKR", "RUS", black_sea_fleet="excluded") == []
    lvl = base.level("UKR", "RUS", black_sea_fleet="excluded")
    assert not lvl.recorded and "excluded" in lvl.note
    assert base.level("UKR", "RUS").present is True
    # the switch touches only the fleet row
    assert len(base.stationed("UKR", "USA", black_sea_fleet="excluded")) == 1
    with pytest.raises(InvalidInputError, match="'maybe'"):
        base.stationed("UKR", black_sea_fleet="maybe")


def test_us_nuclear_weapons_in_seven_states(base):
    hosts = {e.host for e in base.entries if e.sender == "USA" and e.category == "nuclear_weapons"}
    assert hosts == {"BEL", "DEU", "GRC", "ITA", "NLD", "TUR", "GBR"}
    lvl = base.level("DEU", "USA", "nuclear_weapons")
    assert lvl.present is True and lvl.personnel is None and lvl.high is None
    assert "150-480" in lvl.entries[0].notes


def test_uk_we177_in_germany(base):
    (e,) = base.stationed("DEU", "GBR", "nuclear_weapons")
    assert "Brueggen" in e.notes and e.unit == "weapons"


def test_sfor_and_alba(base):
    sfor = base.level("BIH", "SFOR")
    assert sfor.personnel is None and (sfor.low, sfor.high) == (31000, 34000)
    alba = {
        e.sender: e.personnel
        for e in base.stationed("ALB")
        if e.estimate_method != "linear_interpolation_dmdc"
    }
    assert alba["ITA"] == 3800 and alba["ALBA"] == 7265 and alba["PRT"] is None
    nations = sum(v for k, v in alba.items() if k not in {"ALBA", "PRT"})
    assert nations == 7265  # the published contributions add up to the published total


def test_russian_forces_abroad(base):
    for host in ("MDA", "GEO", "ARM", "BLR", "KAZ", "TJK", "AZE", "UKR"):
        assert base.stationed(host, "RUS"), host
    tjk = base.level("TJK", "RUS")
    assert (tjk.low, tjk.high) == (22000, 40000) and tjk.personnel is None


def test_category_ground_from_mixed_total_is_bounded_unknown(base):
    lvl = base.level("HUN", "USA", "ground")
    assert lvl.personnel is None and lvl.high == 6523 and not lvl.known
    assert base.stationed("HUN", "USA", "ground") == []


@pytest.mark.parametrize("bad", ["Germany", "DE", "12X", None])
def test_host_must_be_alpha3(base, bad):
    with pytest.raises(InvalidInputError) as exc:
        base.stationed(bad)
    assert "host" in str(exc.value) and repr(bad) in str(exc.value)


def test_bad_category_named(base):
    with pytest.raises(InvalidInputError, match="'tanks'"):
        base.level("DEU", "USA", "tanks")


def test_entries_are_frozen(base):
    e = base.entries[0]
    assert isinstance(e, BaselineEntry)
    with pytest.raises(AttributeError):
        e.personnel = 0


def test_to_frame(base):
    frame = base.to_frame()
    assert len(frame) == len(base.entries)
    assert frame["personnel"].isna().sum() > 10  # unknowns stay missing, not 0
