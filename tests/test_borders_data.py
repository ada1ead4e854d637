"""The bundled borders data: Natural Earth 4.1.0 via world-atlas 2.0.2, repaired."""

import json

import pandas as pd
import pytest
import shapely

from deployguard.data.files import (
    data_file,
    has_data_file,
    read_countries,
    read_csv,
    read_disputed_areas,
)
from deployguard.errors import DataError, InvalidInputError

RES = ["50m", "10m"]


@pytest.mark.parametrize("resolution", RES)
def test_read_countries__loads_with_columns_and_crs(resolution):
    gdf = read_countries(resolution)
    assert {"iso_a3", "iso_n3", "name", "sovereign_a3", "kind", "geometry"} <= set(gdf.columns)
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == {"50m": 241, "10m": 255}[resolution]
    assert gdf["iso_a3"].is_unique
    assert gdf["iso_a3"].str.fullmatch(r"[A-Z]{3}").all()


@pytest.mark.parametrize("resolution", RES)
def test_read_countries__every_geometry_valid_and_inside_minus180_180(resolution):
    gdf = read_countries(resolution)
    assert shapely.is_valid(gdf.geometry.values).all()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = gdf.total_bounds
    assert minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90


@pytest.mark.parametrize("resolution", RES)
@pytest.mark.parametrize("code", ["RUS", "FJI", "USA", "ATA", "KIR", "NZL"])
def test_read_countries__antimeridian_states_valid(resolution, code):
    geom = read_countries(resolution).set_index("iso_a3").geometry[code]
    assert geom.is_valid and not geom.is_empty


@pytest.mark.parametrize("resolution", RES)
@pytest.mark.parametrize(
    "point",
    [(179.5, 66.0), (-179.5, 66.5), (180.0, 66.0), (-180.0, 66.0), (20.5, 54.7), (-179.5, 71.2)],
    ids=["chukotka-east-of-179", "chukotka-west", "on+180", "on-180", "kaliningrad", "wrangel"],
)
def test_russia__contains_points_across_180(resolution, point):
    rus = read_countries(resolution).set_index("iso_a3").geometry["RUS"]
    assert rus.intersects(shapely.Point(point))


@pytest.mark.parametrize("resolution", RES)
def test_russia__point_minus179_5_66_is_kresta_bay_water(resolution):
    # The issue suggested (-179.5, 66) as Chukotka land, but Natural Earth draws Kresta Bay
    # (Zaliv Kresta) there at both scales; the land test uses 66.5 N instead.
    rus = read_countries(resolution).set_index("iso_a3").geometry["RUS"]
    assert not rus.intersects(shapely.Point(-179.5, 66.0))


@pytest.mark.parametrize("resolution", RES)
def test_russia__area_is_about_17_million_km2(resolution):
    from pyproj import Geod

    rus = read_countries(resolution).set_index("iso_a3").geometry["RUS"]
    area = abs(Geod(ellps="WGS84").geometry_area_perimeter(rus)[0]) / 1e6
    assert 16.9e6 < area < 17.1e6  # a wrongly unwrapped ring would be off by millions


def test_read_countries__sovereigns():
    sov = read_countries("10m").set_index("iso_a3")["sovereign_a3"]
    expected = {
        "GRL": "DNK", "FRO": "DNK", "GUM": "USA", "PRI": "USA", "VIR": "USA", "ASM": "USA",
        "MNP": "USA", "ALA": "FIN", "HKG": "CHN", "MAC": "CHN", "ABW": "NLD", "CUW": "NLD",
        "FLK": "GBR", "GIB": "GBR", "NCL": "FRA", "PYF": "FRA", "NFK": "AUS", "COK": "NZL",
        "RUS": "RUS", "XKX": "XKX",
    }  # fmt: skip
    for code, sovereign in expected.items():
        assert sov[code] == sovereign, code


def test_read_countries__invented_codes_documented():
    gdf = read_countries("10m")
    readme = data_file("README.md").read_text(encoding="utf-8")
    for code in gdf.loc[gdf["iso_n3"].isna(), "iso_a3"]:
        assert code.startswith("X") and f"`{code}`" in readme, code


@pytest.mark.parametrize("resolution", RES)
def test_disputed_areas__crimea(resolution):
    areas = read_disputed_areas(resolution).set_index("id")
    crimea = areas.geometry["CRIMEA"]
    assert crimea.contains(shapely.Point(34.1, 45.0))
    assert crimea.contains(shapely.Point(33.52, 44.60))  # Sevastopol
    assert not crimea.contains(shapely.Point(30.52, 50.45))  # Kyiv
    assert (areas.loc["CRIMEA", ["de_facto", "un", "russia"]] == ["RUS", "UKR", "RUS"]).all()
    assert "68/262" in areas.loc["CRIMEA", "source"]
    rus = read_countries(resolution).set_index("iso_a3").geometry["RUS"]
    assert rus.contains(crimea.representative_point())


def test_disputed_areas__file_has_both_resolutions():
    doc = json.loads(data_file("disputed_areas.geojson").read_text(encoding="utf-8"))
    keys = {(f["properties"]["id"], f["properties"]["resolution"]) for f in doc["features"]}
    assert {("CRIMEA", "50m"), ("CRIMEA", "10m")} <= keys


@pytest.mark.parametrize(
    "name", ["nato_members.csv", "groups.csv", "regions.csv", "sovereignty.csv"]
)
def test_tables__every_row_has_a_source(name):
    table = read_csv(name)
    assert "source" in table.columns
    assert (table["source"].str.len() > 0).all()


def test_read_countries__bad_resolution():
    with pytest.raises(InvalidInputError, match="'25m'"):
        read_countries("25m")


def test_data_file__missing_raises_data_error():
    with pytest.raises(DataError, match="nope.csv"):
        data_file("nope.csv")
    assert not has_data_file("nope.csv")


def test_read_countries__iso_numeric():
    n3 = read_countries("50m").set_index("iso_a3")["iso_n3"]
    assert n3["RUS"] == 643 and n3["USA"] == 840 and pd.isna(n3["XKX"])
