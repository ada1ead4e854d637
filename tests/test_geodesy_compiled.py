"""The compiled distance search: the same numbers as the numpy reference, and rigorous bounds.

Three kinds of check:

- the compiled branch and bound (``DistanceIndex(compiled=True)``) gives bit for bit the
  numbers of the numpy search (``compiled=False``), which the other geodesy tests compare
  with an independent brute force (tests/reference.py);
- every pruning bound the compiled search uses holds against GeographicLib on random pairs:
  the anchor bound ``d(v) >= g + F``, the tangent-plane offset error, Schur's chord bound
  and the monotonicity of ``G`` that lets a whole group be tested at one corner;
- GeographicLib's C inverse is found inside pyproj and agrees with ``pyproj.Geod``; without
  it (or with ``DEPLOYGUARD_NO_JIT``) the numpy path answers, and ``import deployguard``
  never loads numba.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely

import deployguard as dg
from deployguard.geodesy import branch
from deployguard.geodesy.ellipsoid import A_M, B_M, ecef_m
from deployguard.geodesy.geodlib import geodesic_c
from deployguard.geodesy.index import DistanceIndex
from tests import zoo
from tests.reference import GEOD

R_MIN_M = B_M * B_M / A_M


def test_compiled_path_is_available_here():
    # CI installs numba from wheels: the fast path must be the one the suite exercises
    assert branch.compiled_available()
    assert DistanceIndex(shapely.box(0, 0, 1, 1)).compiled


@pytest.fixture(scope="module")
def world10():
    return dg.World.load("10m")


@pytest.fixture(scope="module")
def russia_pair(world10):
    rus = world10.territory("RUS")
    return DistanceIndex(rus, compiled=True), DistanceIndex(rus, compiled=False)


def _globe(rng, n):
    return rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))


def _near_boundary(index, rng, n, max_km):
    """Points within ``max_km`` of boundary vertices, on either side."""
    b = index.boundary
    pick = rng.integers(0, b.size, n)
    lon, lat, _ = GEOD.fwd(b.lon[pick], b.lat[pick], rng.uniform(0, 360, n),
                           rng.uniform(0, max_km * 1000, n))
    return np.asarray(lon), np.asarray(lat)


def _same(fast, slow, lon, lat):
    d_fast = fast.distance_m(lon, lat)
    d_slow = slow.distance_m(lon, lat)
    assert np.array_equal(d_fast, d_slow), np.abs(d_fast - d_slow).max()
    return d_fast


def test_compiled__russia_globe_and_box_identical_to_numpy(russia_pair):
    rng = np.random.default_rng(9)
    fast, slow = russia_pair
    d = _same(fast, slow, *_globe(rng, 4000))
    assert (d > 0).mean() > 0.9
    _same(fast, slow, rng.uniform(10, 180, 3000), rng.uniform(25, 85, 3000))


def test_compiled__russia_near_the_coast_identical_to_numpy(russia_pair):
    # near the border the anchors are few (under 20 km none are made): caps and chords decide
    rng = np.random.default_rng(10)
    fast, slow = russia_pair
    for max_km in (0.5, 5.0, 60.0, 400.0):
        d = _same(fast, slow, *_near_boundary(fast, rng, 1500, max_km))
        assert (d > 0).any()


def test_compiled__antipodes_identical_to_numpy(world10):
    # beyond 18,500 km the numpy search leaves the far route; the anchors stop at 19,500 km
    rng = np.random.default_rng(11)
    for geom in (shapely.box(10.0, 50.0, 11.0, 51.0), world10.territory("LTU")):
        fast, slow = DistanceIndex(geom, compiled=True), DistanceIndex(geom, compiled=False)
        lon, lat = _near_boundary(fast, rng, 1500, 300.0)
        anti_lon = np.where(lon > 0, lon - 180, lon + 180)
        d = _same(fast, slow, anti_lon, -lat)
        assert d.max() > 19_800_000 and d.min() < 19_600_000


@pytest.mark.parametrize("name", sorted(zoo.SHAPES))
def test_compiled__zoo_shapes_identical_to_numpy(name):
    geom = zoo.SHAPES[name]
    fast, slow = DistanceIndex(geom, compiled=True), DistanceIndex(geom, compiled=False)
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    _same(fast, slow, *_globe(rng, 1500))
    _same(fast, slow, *_near_boundary(fast, rng, 1500, 30.0))


@pytest.mark.parametrize("geom", [
    shapely.Point(20.0, 50.0),
    shapely.MultiPoint([(20.0, 50.0), (-160.0, -50.0), (179.9, 0.0)]),
    shapely.LineString([(0.0, 0.0), (5.0, 5.0), (10.0, 0.0)]),
    shapely.Polygon(shapely.box(0, 0, 20, 20).exterior, [shapely.box(5, 5, 15, 15).exterior]),
], ids=["point", "multipoint", "line", "hole"])
def test_compiled__points_lines_holes_identical_to_numpy(geom):
    fast, slow = DistanceIndex(geom, compiled=True), DistanceIndex(geom, compiled=False)
    rng = np.random.default_rng(12)
    _same(fast, slow, *_globe(rng, 1500))
    _same(fast, slow, rng.uniform(-2, 22, 1500), rng.uniform(-2, 22, 1500))


def test_compiled__lithuania_and_islands_identical_to_numpy(world10):
    for code in ("LTU", "JPN", "GRL"):
        geom = world10.territory(code)
        fast, slow = DistanceIndex(geom, compiled=True), DistanceIndex(geom, compiled=False)
        rng = np.random.default_rng(13)
        _same(fast, slow, *_globe(rng, 1500))
        _same(fast, slow, *_near_boundary(fast, rng, 800, 50.0))


# ---------------------------------------------------------------- rigour of the bounds
def _kernel_bounds():
    from deployguard.geodesy import _bnb_bounds

    return _bnb_bounds


def _prm():
    return branch.build_branch_table(
        DistanceIndex(shapely.Point(0, 0), compiled=False).boundary, np.array([[1.0, 0, 0]]),
        ecef_m([0.0], [0.0]), 1000.0, DistanceIndex(shapely.Point(0, 0))._tree).prm


def _random_triples(rng, n, s_max_m):
    """Query point P, anchor A and vertex v at most ``s_max_m`` from A, all over the globe."""
    plon, plat = _globe(rng, n)
    alon, alat = _globe(rng, n)
    # half the vertices across the gradient (where the bound works hardest), half anywhere
    s = s_max_m * rng.uniform(0, 1, n) ** 2
    _, az_pa, g = GEOD.inv(plon, plat, alon, alat, return_back_azimuth=False)
    turn = np.where(rng.uniform(size=n) < 0.5, rng.normal(90, 10, n) * rng.choice([-1, 1], n),
                    rng.uniform(-180, 180, n))
    vlon, vlat, _ = GEOD.fwd(alon, alat, np.asarray(az_pa) + turn, s)
    d_v = GEOD.inv(plon, plat, vlon, vlat)[2]
    return plon, plat, alon, alat, np.asarray(az_pa), np.asarray(g), np.asarray(vlon), \
        np.asarray(vlat), np.asarray(d_v)


def test_anchor_bound__never_above_geographiclib_and_tight():
    kb = _kernel_bounds()
    prm = _prm()
    prm[2] = 800_000.0  # windows twice the kernel's widest: the bound must hold there too
    rng = np.random.default_rng(2021)
    n = 20_000
    plon, plat, alon, alat, az2, g, vlon, vlat, d_v = _random_triples(rng, n, 800_000.0)
    anc = np.zeros((1, kb.AW))
    gaps, rel = [], []
    for i in range(n):
        lon2, lat2 = np.array([alon[i], vlon[i]]), np.array([alat[i], vlat[i]])
        vx = ecef_m(lon2, lat2)
        if kb.make_anchor(anc, 0, 0, g[i], az2[i], vx, lon2, lat2, prm) == 0:
            continue  # no window here (too near P or its cut locus)
        low = kb.anchor_lower_bound(anc, 0, vx, 1, R_MIN_M)
        if not math.isfinite(low):
            continue
        gaps.append(d_v[i] - low)
        s = np.linalg.norm(vx[1] - vx[0])
        rel.append((d_v[i] - low) / max(s * s / (2 * g[i]), 1.0))
        # the production tests, at a threshold equal to the truth, must not prune
        kb.set_thresholds(anc, 1, d_v[i])
        e = vx[1] - vx[0]
        y, x = float(e @ anc[0, kb.AT:kb.AT + 3]), float(e @ anc[0, kb.AB:kb.AB + 3])
        assert kb.anchor_prunes(anc, 0, y, x, x, float(np.linalg.norm(e)), R_MIN_M) != 1, i
        assert not kb.lower_exceeds(anc, 1, ecef_m(plon[i], plat[i]), vx, 1, d_v[i], R_MIN_M), i
        assert not kb.vertex_beyond(anc, 1, vx, 1, R_MIN_M), i
    gaps_a = np.array(gaps)
    assert gaps_a.size > 10_000
    assert gaps_a.min() >= 0.0, gaps_a.min()
    # not vacuous: most bounds are within a fraction of the second-order term of the truth
    assert np.median(rel) < 0.5


def test_tangent_offsets__within_the_cubic_slack_of_the_geodesic():
    # the kernel offsets v by projecting the chord A->v on A's tangent plane
    rng = np.random.default_rng(7)
    n = 50_000
    alon, alat = _globe(rng, n)
    s = 800_000.0 * rng.uniform(0, 1, n) ** 1.5
    az = rng.uniform(-180, 180, n)
    vlon, vlat, _ = GEOD.fwd(alon, alat, az, s)
    chord = ecef_m(vlon, vlat) - ecef_m(alon, alat)
    lam, phi = np.radians(alon), np.radians(alat)
    east = np.stack([-np.sin(lam), np.cos(lam), np.zeros(n)], axis=1)
    north = np.stack([-np.sin(phi) * np.cos(lam), -np.sin(phi) * np.sin(lam), np.cos(phi)], 1)
    x, y = np.einsum("ij,ij->i", chord, east), np.einsum("ij,ij->i", chord, north)
    a = np.radians(az)
    err = np.hypot(x - s * np.sin(a), y - s * np.cos(a))
    c = np.linalg.norm(chord, axis=1)
    slack = 1.2 * (c * 1.001) ** 3 / (6 * R_MIN_M**2) + 1e-4
    assert (err <= slack).all(), (err - slack).max()
    assert (s <= 1.001 * c + 1e-9).all()  # Schur within 800 km: the geodesic vs its chord
    assert err.max() > 0.3 * slack.max()  # the slack is of the right size, not vacuous


def test_gval__monotone_where_groups_are_tested_at_a_corner():
    kb = _kernel_bounds()
    rng = np.random.default_rng(3)
    for _ in range(4000):
        lam = rng.choice([-1, 1]) * 10 ** rng.uniform(-9, -5.5)
        s_max = 0.5 / abs(lam)
        x, y = rng.uniform(0, s_max / 1.5), rng.uniform(-s_max / 1.5, s_max / 1.5)
        dx, dy = rng.uniform(0, s_max / 3), rng.uniform(0, s_max / 3)
        g0 = kb.gval(x, y, lam)
        assert kb.gval(x, y + dy, lam) >= g0 - 1e-9
        if lam > 0:
            assert kb.gval(x + dx, y, lam) >= g0 - 1e-9
        else:
            assert kb.gval(x + dx, y, lam) <= g0 + 1e-9
        # and G is the closed form (Q - 1) / lam
        s = math.hypot(x, y)
        if s > 0:
            q = math.cosh(lam * s) + y / s * math.sinh(lam * s)
            assert kb.gval(x, y, lam) == pytest.approx((q - 1) / lam, rel=1e-9, abs=1e-6)


# ---------------------------------------------------------------- the C inverse and fallback
def test_c_inverse__is_pyproj_bit_for_bit():
    import ctypes

    geo = geodesic_c()
    assert geo is not None
    inverse = ctypes.CFUNCTYPE(None, ctypes.c_void_p, *[ctypes.c_double] * 4,
                               *[ctypes.c_void_p] * 3)(geo.inverse_addr)
    rng = np.random.default_rng(5)
    lon1, lat1 = _globe(rng, 500)
    lon2, lat2 = _globe(rng, 500)
    _, az2, s = GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)
    out = (ctypes.c_double * 3)()
    p = ctypes.addressof(out)
    for i in range(500):
        inverse(geo.geodesic_addr, lat1[i], lon1[i], lat2[i], lon2[i], p, p + 8, p + 16)
        assert (out[0], out[2]) == (s[i], az2[i])


def test_fallback__no_jit_keeps_the_numpy_path_and_import_stays_light():
    code = (
        "import sys, deployguard as dg, shapely;"
        "assert 'numba' not in sys.modules;"
        "from deployguard.geodesy.index import DistanceIndex;"
        "idx = DistanceIndex(shapely.box(0, 0, 1, 1));"
        "print(idx.compiled, repr(float(idx.distance_m(2.0, 0.5))), 'numba' in sys.modules)"
    )
    env = dict(os.environ, DEPLOYGUARD_NO_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "False" and out[2] == "False"  # numpy path, numba never imported
    assert abs(float(out[1]) - float(DistanceIndex(shapely.box(0, 0, 1, 1)).distance_m(2.0, 0.5))
               ) == 0.0
    try:
        os.environ["DEPLOYGUARD_NO_JIT"] = "1"
        branch._kernel.cache_clear()
        geodesic_c.cache_clear()
        assert not branch.compiled_available()
        with pytest.raises(RuntimeError, match="compiled=True"):
            DistanceIndex(shapely.box(0, 0, 1, 1), compiled=True)
    finally:
        del os.environ["DEPLOYGUARD_NO_JIT"]
        branch._kernel.cache_clear()
        geodesic_c.cache_clear()
    assert branch.compiled_available()


# ---------------------------------------------------------------- when the kernel runs (issue 18)
def test_choose_compiled__by_size_forced_refused_and_tallied():
    before = branch.backend_tally()
    # a check's few hundred points never pay for loading (let alone compiling) the kernel
    assert not branch.choose_compiled(300, 20_000, None)
    assert branch.choose_compiled(50_000_000, 20_000, None)  # a sweep's millions do
    assert branch.choose_compiled(3, 20_000, True)  # compiled=True forces it
    assert not branch.choose_compiled(50_000_000, 20_000, False)
    after = branch.backend_tally()
    assert after["numpy"] - before["numpy"] == 50_000_300
    assert after["compiled"] - before["compiled"] == 50_000_003
    assert branch.backend_since(before) == "compiled and numpy"
    assert branch.backend_since(after) == "none (bounds decided)"


def test_check_in_a_fresh_process__numpy_answers_numba_never_loads_and_it_is_recorded():
    # a check of one deployment asks for a few hundred points: loading numba (let alone
    # compiling) would cost more than it saves, so a fresh process never imports it
    code = ("import sys, deployguard as dg;"
            "d = dg.Deployment(by='RUS', at='Kaliningrad', date='2018-02-05', system='Iskander-M');"
            "r = dg.check(d, drafts='nato');"
            "print(r.settings['distance_backend'], 'numba' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "DEPLOYGUARD_NO_JIT"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=600).stdout.split()
    assert out == ["numpy", "False"]


def test_decline__once_with_a_warning_where_the_c_library_is_absent(monkeypatch):
    # as on a platform or packaging where no candidate file holds GeographicLib's C inverse
    monkeypatch.setattr("deployguard.geodesy.geodlib._candidates", lambda: [])
    geodesic_c.cache_clear()
    branch._decline_once.cache_clear()
    try:
        assert geodesic_c() is None and not branch.compiled_available()
        with pytest.warns(RuntimeWarning, match="declined.*GeographicLib's C inverse"):
            assert not branch.choose_compiled(50_000_000, 20_000, None)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # once: no second warning
            assert not branch.choose_compiled(50_000_000, 20_000, None)
        idx = DistanceIndex(shapely.box(0, 0, 1, 1))  # the numpy path answers, the same
        assert not idx.compiled
        before = branch.backend_tally()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # declined already: the index's query stays quiet
            idx.distance_m(np.full(50_000, 2.0), np.full(50_000, 0.5))
        assert branch.backend_since(before) == "numpy"  # and it is tallied
        assert idx.distance_m(2.0, 0.5) == DistanceIndex(
            shapely.box(0, 0, 1, 1), compiled=False).distance_m(2.0, 0.5)
        with pytest.raises(RuntimeError, match="compiled=True"):
            DistanceIndex(shapely.box(0, 0, 1, 1), compiled=True)
    finally:
        monkeypatch.undo()
        geodesic_c.cache_clear()
        branch._decline_once.cache_clear()
    assert branch.compiled_available()


def test_numba_cache__never_beside_the_package_and_optional(tmp_path):
    # an unusable cache folder (here a path under a file): compiled in memory, no traceback,
    # and nothing written into the package's folders
    package = Path(branch.__file__).parent
    before = set(package.rglob("*.nb[ic]"))
    code = ("import shapely; from deployguard.geodesy.index import DistanceIndex;"
            "print(repr(float(DistanceIndex(shapely.box(0, 0, 1, 1), compiled=True)"
            ".distance_m(2.0, 0.5))))")
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    env = dict(os.environ, DEPLOYGUARD_CACHE_DIR=str(blocker / "cache"))
    env.pop("DEPLOYGUARD_NO_JIT", None)
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    reference = DistanceIndex(shapely.box(0, 0, 1, 1), compiled=False).distance_m(2.0, 0.5)
    assert float(res.stdout) == float(reference)  # bit for bit, as everywhere
    assert set(package.rglob("*.nb[ic]")) == before
