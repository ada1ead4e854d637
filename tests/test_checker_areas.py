"""Area and route deployments: every state they touch counts (found in review)."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, box

import deployguard as dg


def test_route_across_several_states_is_judged_on_each():
    """Grafenwöhr to Vilnius: the route crosses Poland (Eastern Europe under M49) and ends in
    Lithuania, where the 1997 US level was a handful. Judged from its first vertex (Germany)
    it once came out compliant under NATO-4 and NATO-7.1."""
    route = LineString([(11.94, 49.70), (25.28, 54.69)])
    world = dg.World.load("50m")
    touched, _ = world.states_touching(route)
    assert {"DEU", "POL", "LTU"} <= set(touched)
    report = dg.check(dg.Deployment(by="USA", at=route, date="2022-01-01", personnel=6000))
    nato4 = report.finding("NATO-4")
    assert nato4.status == "violation"
    assert nato4.evidence["status_per_host"]["LTU"] == "violation"
    nato71 = report.finding("NATO-7.1")
    assert nato71.status == "violation"
    assert nato71.evidence["status_per_host"]["POL"] == "violation"
    assert nato71.evidence["status_per_host"]["DEU"] == "compliant"


def test_patrol_box_over_kaliningrad_is_not_just_high_seas():
    """A Baltic box that covers Kaliningrad's land and sea: the part over Russia counts."""
    report = dg.check(dg.Deployment(by="USA", at=box(18, 54.5, 21, 57), date="2022-01-01",
                                    system="B-52H"))
    us42 = report.finding("US-4.2")
    assert us42.evidence["status_per_host"]["RUS"] != "compliant"
    assert "none" in us42.evidence["hosts"].split(",")
    assert report.finding("US-5.2").status == "violation"


def test_host_override_is_applied_consistently():
    """Review: host='USA' for a point in Warsaw gave 'own territory' (US-3) and 'outside
    national territory' (US-6) in one report. The override now holds for every clause."""
    dep = dg.Deployment(by="USA", at=(21.0, 52.2), host="USA", date="2022-01-01",
                        system="Dark Eagle")
    with pytest.warns(dg.ModellingAssumptionWarning, match="borders put the point in POL"):
        report = dg.check(dep)
    assert report.finding("US-3").status == "compliant"
    us6 = report.finding("US-6")
    assert us6.evidence["inside_own_territory"] is True
    assert us6.reason.startswith("inside USA's territory")
    assert "POL" in us6.assumptions["host_source"]


@pytest.mark.parametrize("geom", [box(10, 50, 12, 51)])
def test_area_inside_one_state_has_one_host(geom):
    report = dg.check(dg.Deployment(by="USA", at=geom, date="2022-01-01", personnel=500))
    assert "status_per_host" not in report.finding("NATO-4").evidence
