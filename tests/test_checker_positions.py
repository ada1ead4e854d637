"""Every position of the globe works, for every kind of deployment (issue 8, item 2).

Before the rebuild, ``state_at`` raised on every point no unit's bounding box held (about 10 %
of uniformly random positions: 84N to the pole, the Southern Ocean, near Guam). Here random
global positions, the poles, both spellings of the antimeridian, a border and the open ocean
are checked for missiles, bombers, warships, launchers, forces, nuclear weapons, bases,
exercises and the state-wide kinds. Nothing may raise except the one documented error: a
warship or submarine placed on land.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, box

import deployguard as dg
from deployguard.errors import InvalidInputError

KINDS = [
    {"by": "RUS", "system": "Iskander-M"},
    {"by": "USA", "system": "Tomahawk (ship)", "kind": "missile"},
    {"by": "USA", "system": "Typhon"},
    {"by": "RUS", "system": "Tu-95MS", "weapon": "Kh-101"},
    {"by": "USA", "system": "B-1B"},
    {"by": "USA", "system": "Arleigh Burke DDG", "weapon": "Tomahawk (ship)"},
    {"by": "USA", "personnel": 6000},
    {"by": "RUS", "personnel": 30000, "kind": "exercise"},
    {"by": "USA", "kind": "nuclear"},
    {"by": "USA", "kind": "base", "category": "nuclear_weapons"},
    {"by": "USA", "system": "B-52H", "kind": "nuclear"},
    {"by": "GBR", "personnel": 800, "category": "ground"},
]
SPECIAL = [(0.0, 90.0), (0.0, -90.0), (180.0, 66.0), (-180.0, 66.0), (179.999, -10.0),
           (-179.999, 0.0), (27.7, 59.0), (-150.0, -60.0), (144.8, 13.3), (20.0, 88.0)]


def _check_all(deps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return dg.check(deps)
        except InvalidInputError as exc:
            # the only refusal: a ship on land; the others are retried without it
            assert "a ship cannot stand on land" in str(exc)
            ships = {"surface_warship", "submarine"}
            rest = [d for d in deps if getattr(d.system, "system_class", None) not in ships]
            return dg.check(rest)


def _assert_complete(report):
    df = report.to_frame()
    assert len(df) == len(report)
    # one label per deployment id, and labels unique across deployments
    assert (df.groupby("deployment_id")["label"].nunique() == 1).all()
    assert df.drop_duplicates("deployment_id")["label"].is_unique
    assert set(df["status"]) <= {s.value for s in dg.Status}
    assert df["reason"].map(bool).all()
    report.to_records()


@pytest.mark.slow
def test_special_positions_every_kind():
    deps = [dg.Deployment(at=pos, date="2022-01-01", **kind) for pos in SPECIAL for kind in KINDS]
    report = _check_all(deps)
    _assert_complete(report)
    assert len(report.deployments) >= len(deps) - 2 * len(SPECIAL)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90),
                          st.integers(0, len(KINDS) - 1)), min_size=1, max_size=25))
def test_random_global_positions_never_raise(points):
    deps = [dg.Deployment(at=(lon, lat), date="2022-01-01", **KINDS[k])
            for lon, lat, k in points]
    _assert_complete(_check_all(deps))


def test_areas_routes_and_state_wide_kinds():
    deps = [
        dg.Deployment(by="USA", at=box(170, 60, 180, 70), date="2022-01-01", personnel=100),
        dg.Deployment(by="RUS", at=LineString([(-10, 80), (100, 89)]), date="2022-01-01",
                      system="Tu-160"),
        dg.Deployment(by="UKR", kind="accession", date="2022-06-01"),
        dg.Deployment(by="USA", kind="cooperation", host="GEO", date="2022-01-01"),
        dg.Deployment(by="USA", kind="nuclear_training", trainees="DEU", date="2022-01-01"),
    ]
    _assert_complete(_check_all(deps))


def test_warship_on_land_is_an_error_naming_it():
    """A destroyer in central Germany is impossible: an error, not a verdict."""
    d = dg.Deployment(by="USA", at=(10.5, 51.0), date="2022-01-01", system="Arleigh Burke DDG")
    with pytest.raises(InvalidInputError, match=r"a ship cannot stand on land.*surface warship"):
        dg.check(d)
    # in port: a named base, or host= for a river port, is accepted
    dg.check(dg.Deployment(by="USA", at="Rota", date="2022-01-01", system="Arleigh Burke DDG"))
