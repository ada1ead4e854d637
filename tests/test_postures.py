"""The real postures (geodata/postures/): every row sourced, dated and placed on land in its
host; both postures load and check; estimates are said in the report."""

import collections
import datetime as dt
import warnings
from importlib import resources

import geopandas as gpd
import pytest
import shapely

import deployguard as dg
from deployguard.data.bases import Bases
from deployguard.data.catalogue import Catalogue
from deployguard.data.postures import (
    FILES,
    POSTURES,
    SCENARIO_NAMES,
    PostureRow,
    posture,
    posture_rows,
)
from deployguard.data.sources import domain_of, reviewed_domains
from deployguard.errors import DataError, DeployguardError, InvalidInputError
from deployguard.geography.world import World

ROWS = posture_rows()


def _ids(rows):
    return [r.fields["id"] for r in rows]


def _quiet(key):
    """The posture, without the warning about rows waiting for the catalogue."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return posture(key)


# ------------------------------------------------------------------ the rows
def test_both_files_are_read_and_ids_are_unique():
    assert {r.file for r in ROWS} == set(FILES)
    counts = collections.Counter(_ids(ROWS))
    assert not [i for i, n in counts.items() if n > 1]


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_every_row_has_a_reviewed_source_a_date_and_a_confidence(row):
    f = row.fields
    assert f["source"].startswith("https://"), row.where
    assert domain_of(f["source"]) in reviewed_domains(), (row.where, f["source"])
    day = dt.date.fromisoformat(f["date"])
    # a row is never dated after the posture it belongs to
    assert all(day <= POSTURES[p] for p in row.postures), (row.where, f["date"])
    assert f["confidence"] in {"H", "M", "L"}
    row.flag("position_estimate"), row.flag("size_estimate")  # raise on anything but true/false
    assert f["by"] and f["host"] and f["label"] and f["notes"]


def _holder_by_polygons(lon, lat):
    """Independent of World: the sovereign of the 1:10m unit whose polygon holds the point."""
    path = resources.files("deployguard.geodata").joinpath("countries_10m.parquet")
    with resources.as_file(path) as p:
        units = gpd.read_parquet(p)
    points = shapely.points(lon, lat)
    tree = shapely.STRtree(units.geometry.values)
    hit_point, hit_unit = tree.query(points, predicate="intersects")
    holders = collections.defaultdict(set)
    for i, u in zip(hit_point, hit_unit, strict=True):
        holders[int(i)].add(units.sovereign_a3.iloc[int(u)])
    return [holders.get(i, set()) for i in range(len(lon))]


def _position(row):
    """The row's point: its bases.csv site, or its own lon/lat (never both)."""
    f = row.fields
    if f["base"]:
        assert not f["lon"] and not f["lat"], row.where
        return Bases.load().get(f["base"]).lonlat
    return float(f["lon"]), float(f["lat"])


def test_every_position_is_on_land_in_its_host():
    """A garrison stands on land in its host: World.state_at at 1:10m (de facto and UN views,
    sovereign of the unit) and, independently, the raw 1:10m polygons agree with the host."""
    lon, lat = zip(*(_position(r) for r in ROWS), strict=True)
    hosts = [r.fields["host"] for r in ROWS]
    for view in ("de_facto", "un"):
        got = World.load("10m", view).state_at(list(lon), list(lat)).tolist()
        wrong = [(r.fields["id"], h, g) for r, h, g in zip(ROWS, hosts, got, strict=True)
                 if g != h]
        assert not wrong, (view, wrong)
    by_polygon = _holder_by_polygons(list(lon), list(lat))
    wrong = [(r.fields["id"], h, sorted(s)) for r, h, s in zip(ROWS, hosts, by_polygon,
                                                                 strict=True) if s != {h}]
    assert not wrong


def test_a_deployment_stands_where_its_row_says():
    for key in POSTURES:
        for d in _quiet(key):
            row = next(r for r in ROWS if r.fields["id"] == d.id)
            assert d.lonlat == pytest.approx(_position(row), abs=1e-9)
            assert (d.base is not None) == bool(row.fields["base"])


def test_every_system_is_in_the_catalogue_or_marked_pending():
    """Names resolve against the bundled catalogue; a row marked ``catalogue=pending`` names
    a system that is being added to it (it is left out, with a warning, until it is)."""
    cat = Catalogue.load()
    for r in ROWS:
        for name in ("system", "weapon"):
            value = r.fields[name]
            if not value:
                continue
            try:
                cat.get(value)
            except DeployguardError:
                assert r.fields["catalogue"] == "pending", (r.where, value)


# ------------------------------------------------------------------ loading
def test_posture_spellings_agree_and_bad_dates_are_refused():
    a = _quiet("2021")
    assert [d.id for d in a] == [d.id for d in _quiet("2021-12-17")]
    assert [d.id for d in a] == [d.id for d in _quiet(dt.date(2021, 12, 17))]
    assert a.defaults.on == dt.date(2021, 12, 17)
    assert _quiet("latest").defaults.on == POSTURES["latest"]
    for bad in ("2022", "2021-12-18", None, 2021, dt.date(2025, 1, 1)):
        with pytest.raises(InvalidInputError, match="posture must be"):
            posture(bad)
    assert dg.posture is posture
    assert set(SCENARIO_NAMES.values()) == set(POSTURES)


def test_each_posture_holds_its_rows_except_those_waiting_for_the_catalogue():
    cat = Catalogue.load()

    def waiting(r):
        if r.fields["catalogue"] != "pending":
            return False
        try:
            cat.get(r.fields["system"])
        except DeployguardError:
            return True
        return False

    for key in POSTURES:
        expected = [r.fields["id"] for r in ROWS if key in r.postures and not waiting(r)]
        assert [d.id for d in _quiet(key)] == expected


def test_estimates_are_said_in_label_and_notes():
    rows = {r.fields["id"]: r for r in ROWS}
    for key in POSTURES:
        for d in _quiet(key):
            r = rows[d.id]
            pos, size = r.flag("position_estimate"), r.flag("size_estimate")
            assert ("position" in d.label.partition("[est.")[2]) == pos, d.label
            assert ("size" in d.label.partition("[est.")[2]) == size, d.label
            assert ("position: an estimate" in d.notes) == pos
            assert ("size: an estimate" in d.notes) == size
            assert r.fields["source"] in d.notes and d.why == r.fields["notes"]


def test_the_minimum_content_is_there():
    """What the postures must hold at least: the eFP battlegroups by lead nation and host,
    US nuclear weapons, Aegis Ashore, Iskander-M in Kaliningrad, Oreshnik in Belarus."""
    f = {r.fields["id"]: r for r in ROWS}
    lead_2021 = {(f[i].fields["by"], f[i].fields["host"]) for i in f if i.startswith("efp-2021")}
    assert lead_2021 == {("GBR", "EST"), ("CAN", "LVA"), ("DEU", "LTU"), ("USA", "POL")}
    hosts_latest = {f[i].fields["host"] for i in f if i.startswith("efp-latest")}
    assert hosts_latest == {"EST", "LVA", "LTU", "POL", "SVK", "HUN", "ROU", "BGR"}
    b61 = {f[i].fields["host"] for i in f if i.startswith("b61-")}
    assert b61 == {"ITA", "DEU", "BEL", "NLD", "TUR", "GBR"}
    assert f["oreshnik-blr"].postures == ("latest",)
    assert f["isk-152-chernyakhovsk"].fields["system"] == "Iskander-M"


def test_a_bad_row_is_a_data_error_naming_file_line_and_field():
    good = dict(ROWS[0].fields)
    with pytest.raises(DataError, match=r"geodata/postures/x\.csv:7: position_estimate must be "
                                        r"true or false, got 'maybe'"):
        PostureRow("x.csv", 7, {**good, "position_estimate": "maybe"}).flag("position_estimate")
    with pytest.raises(DataError, match=r"x\.csv:7 \(.+\): personnel must be a whole number"):
        PostureRow("x.csv", 7, {**good, "personnel": "-5"}).deployment()


# ------------------------------------------------------------------ checking
@pytest.fixture(scope="module")
def reports():
    out = {}
    for key in POSTURES:
        s = _quiet(key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[key] = (s, dg.check(s, on=s.defaults.on))
    return out


def _violations(report):
    return collections.Counter(f.clause_id for f in report if str(f.status) == "violation")


def test_both_postures_check(reports):
    for key, (s, report) in reports.items():
        assert {f.deployment_id for f in report} == {d.id for d in s}, key
        counts = _violations(report)
        # US B61 bombs abroad break US-draft Art. 7 para 1 in both postures
        assert counts["US-7.1"] >= 6, (key, counts)
    latest = {f.deployment_id: f for f in reports["latest"][1]
              if f.clause_id == "US-6" and str(f.status) == "violation"}
    # a ground-launched intermediate-range missile outside Russia's territory
    assert "oreshnik-blr" in latest


def test_cli_names_load_the_postures():
    from deployguard.cli.check import _load

    for name, key in SCENARIO_NAMES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            assert _load(name, None).origin == f"posture:{key}"
