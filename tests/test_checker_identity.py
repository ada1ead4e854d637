"""Identity and position of deployments in reports (issue 8, item 9)."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString

import deployguard as dg
from deployguard.errors import InvalidInputError


def _same_twice():
    d = dg.Deployment(by="USA", at=(21.0, 52.2), date="2022-03-01", personnel=100)
    return [d, d, dg.Deployment(by="USA", at=(21.0, 52.2), date="2022-03-01", personnel=100)]


def test_automatic_labels_are_unique_and_ids_are_indices():
    """Three unlabelled deployments that describe themselves alike once shared one name, so
    their findings could not be told apart. Now ids are their indices and labels unique."""
    report = dg.check(_same_twice(), drafts="nato")
    df = report.to_frame()
    per_dep = df.drop_duplicates("deployment_id")
    assert list(per_dep["deployment_id"]) == [0, 1, 2]
    assert per_dep["label"].is_unique
    assert {"deployment_id", "label", "lon", "lat"} <= set(df.columns)
    assert df["lon"].eq(21.0).all() and df["lat"].eq(52.2).all()
    assert report.findings[0].deployment_id == 0 and report.findings[-1].deployment_id == 2


def test_user_ids_are_kept_and_must_be_unique():
    a = dg.Deployment(by="USA", at=(21.0, 52.2), date="2022-03-01", personnel=100, id="row-7")
    b = dg.Deployment(by="USA", at=(24.1, 56.9), date="2022-03-01", personnel=100, id="row-9")
    report = dg.check([a, b], drafts="nato")
    assert set(report.to_frame()["deployment_id"]) == {"row-7", "row-9"}
    assert report.for_deployment("row-9")[0].deployment is b
    with pytest.raises(InvalidInputError, match="repeated ids"):
        dg.check([a, a], drafts="nato")


def test_route_position_is_a_representative_point_on_it():
    route = LineString([(11.94, 49.70), (25.28, 54.69)])
    f = dg.check(dg.Deployment(by="USA", at=route, date="2022-01-01", personnel=600),
                 drafts="nato").findings[0]
    assert route.distance(dg.Deployment(by="USA", at=(f.lon, f.lat), date="2022-01-01",
                                        personnel=1).geometry) < 1e-9


def test_records_and_geojson_carry_identity_distance_range_worldview(tmp_path):
    d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    report = dg.check(d, worldview="un")
    records = report.to_records()
    json.dumps(records)
    assert len(records) == len(report) and records[0]["deployment_id"] == 0
    ev = [f for f in report.iter_features() if f["properties"]["role"] == "evidence"]
    props = ev[0]["properties"]
    assert props["deployment_id"] == 0 and props["worldview"] == "un"
    assert props["range_km"] == 500.0 and props["distance_km"] > 0
    paths = report.write(tmp_path)
    gj = json.loads(paths["evidence"].read_text())
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 1 + len(ev)


def test_geodataframe_has_the_deployment_geometry():
    report = dg.check(_same_twice()[:1], drafts="nato")
    gdf = report.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == len(report)
    assert gdf.geometry.iloc[0].equals(report.deployments[0].geometry)
