"""One table of distances from the deployments of a run to the territories that matter.

Clauses ask for reach ("which of these states does a weapon of R km at deployment i reach?")
and for the nearest state; the table answers every request of a clause at once, grouped by
target: one :meth:`~deployguard.geodesy.index.DistanceIndex.bounds_m` call (cheap rigorous
bounds) per target over every point that needs it, and exact geodesic distances
(:meth:`~deployguard.geodesy.index.DistanceIndex.distance_m`, GeographicLib on WGS84) only
where a decision or the evidence needs them: the nearest state, the states reached, and
points whose bounds straddle the range. Values are cached per target geometry, so the low,
nominal and high estimates reuse them (only the thresholds change), and a worldview
recomputes only the territories it changes (targets are keyed by their geometry).

A minimum range is exact too: where the nearest point of a target is closer than the minimum,
:func:`deployguard.geography.ranges.within_range` decides whether another part of it lies in
the annulus. An area or route reaches a state when their least distance is within range
(any point of the area may launch); a minimum range is then not applied.

Examples
--------
>>> import numpy as np
>>> import deployguard as dg
>>> from deployguard.treaty.frame import DeploymentFrame
>>> f = DeploymentFrame.build([dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05",
...                                          system="Iskander-M")])
>>> t = DistanceTable(f)
>>> r = t.reach(dg.World.load(), np.array([0]), [("POL", "USA")], np.array([500.0]),
...             np.array([np.nan]), sea=True)
>>> r.reached[0], r.nearest[0], round(float(r.distance_km[0]), 1)
(('POL',), 'POL', 32.8)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from deployguard.geodesy.ellipsoid import B_M, GEOD, unit_vectors
from deployguard.geodesy.index import DistanceIndex
from deployguard.geography.indexes import INDEX_CACHE_SIZE, geometry_digest, index_of
from deployguard.geography.ranges import geometry_distance_km, within_range
from deployguard.geography.world import World
from deployguard.treaty.frame import GEOM_AREA, GEOM_POINT, DeploymentFrame

__all__ = ["DistanceTable", "ReachColumns", "Target"]

T = TypeVar("T")


# Territories' digests, so that a run does not serialise a territory it has seen to find its
# index in the one cache (deployguard.geography.indexes)
_DIGESTS: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_DIGESTS_SIZE = 4 * INDEX_CACHE_SIZE


class Target:
    """A target geometry with its index and the distances found so far (metres, NaN = not yet)."""

    def __init__(self, name: str, geometry: BaseGeometry, digest: bytes, n: int) -> None:
        self.name = name
        self.geometry = geometry
        self.digest = digest
        self._index: DistanceIndex | None = None
        self._vertex_tree: tuple[cKDTree, NDArray[np.float64], NDArray[np.float64]] | None = None
        self.lower = np.full(n, np.nan)
        self.upper = np.full(n, np.nan)
        self.exact = np.full(n, np.nan)

    def vertex_tree(self) -> tuple[cKDTree, NDArray[np.float64], NDArray[np.float64]]:
        """A k-d tree over the unit vectors of the boundary vertices (for annulus tests)."""
        if self._vertex_tree is None:
            b = self.index.boundary
            self._vertex_tree = (cKDTree(unit_vectors(b.lon, b.lat)), b.lon, b.lat)
        return self._vertex_tree

    @property
    def index(self) -> DistanceIndex:
        if self._index is None:
            self._index = index_of(self.geometry, self.digest)
        return self._index


@dataclass(frozen=True)
class ReachColumns:
    """What :meth:`DistanceTable.reach` found, one entry per row.

    ``reached``: the states within range (sorted); ``nearest`` and ``distance_km`` (exact,
    None/NaN without targets); ``margin_km`` = range - distance (> 0 reaches; NaN without a
    range); ``distances_km``: exact distance to the nearest state and to every state reached.
    """

    reached: list[tuple[str, ...]]
    nearest: list[str | None]
    distance_km: NDArray[np.float64]
    margin_km: NDArray[np.float64]
    distances_km: list[dict[str, float]]


class DistanceTable:
    """Distances from the deployments of ``frame`` to targets, computed once and shared.

    It is a cache: every value it returns is a pure function of the deployments and the
    target geometry, whatever was asked before.
    """

    def __init__(self, frame: DeploymentFrame) -> None:
        self.frame = frame
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._targets: dict[tuple[Any, ...], Target | None] = {}
        self._by_print: dict[bytes, Target] = {}

    def memo(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """The value ``make()`` cached under ``key`` for this run (placements, weapons)."""
        if key not in self._memo:
            self._memo[key] = make()
        value: T = self._memo[key]
        return value

    # ------------------------------------------------------------------ targets
    def territory(self, world: World, code: str, sea: bool) -> Target | None:
        """The target for ``code``'s territory in ``world`` (None if it is empty)."""
        key = ("territory", world.resolution, world.worldview_object, code, sea)
        if key not in self._targets:
            geom = world.territory(code, sea=sea)
            digest = _DIGESTS.get(key)
            if digest is None and not geom.is_empty:
                digest = _DIGESTS[key] = geometry_digest(geom)
                if len(_DIGESTS) > _DIGESTS_SIZE:
                    _DIGESTS.popitem(last=False)
            self._targets[key] = None if geom.is_empty else self._shared(code, geom, digest)
        return self._targets[key]

    def geometry_target(self, name: str, geometry: BaseGeometry) -> Target | None:
        """A target for any geometry (a border line), shared with equal geometries."""
        return None if geometry.is_empty else self._shared(name, geometry)

    def _shared(self, name: str, geom: BaseGeometry, digest: bytes | None = None) -> Target:
        # one index and one column of distances per distinct geometry: a worldview that does
        # not change a territory reuses everything computed for it
        digest = geometry_digest(geom) if digest is None else digest
        if digest not in self._by_print:
            self._by_print[digest] = Target(name, geom, digest, len(self.frame))
        return self._by_print[digest]

    # ------------------------------------------------------------------ filling
    def _bounds(self, t: Target, deps: NDArray[np.intp]) -> None:
        todo = deps[np.isnan(t.lower[deps])]
        if not todo.size:
            return
        todo = np.unique(todo)
        kinds = self.frame.geom_kind[todo]
        pts = todo[kinds == GEOM_POINT]
        if pts.size:
            lon, lat = self.frame.lon[pts], self.frame.lat[pts]
            inside = t.index.contains(lon, lat)
            t.lower[pts[inside]] = t.upper[pts[inside]] = t.exact[pts[inside]] = 0.0
            out = pts[~inside]
            if out.size:
                lo, up = t.index.bounds_m(self.frame.lon[out], self.frame.lat[out])
                t.lower[out], t.upper[out] = lo, up
        self._exact(t, todo[kinds == GEOM_AREA])

    def _exact(self, t: Target, deps: NDArray[np.intp]) -> None:
        todo = np.unique(deps[np.isnan(t.exact[deps])])
        if not todo.size:
            return
        kinds = self.frame.geom_kind[todo]
        pts = todo[kinds == GEOM_POINT]
        if pts.size:
            t.exact[pts] = t.index.distance_m(self.frame.lon[pts], self.frame.lat[pts])
        for i in todo[kinds == GEOM_AREA]:
            geom = self.frame.geometries[i]
            assert geom is not None
            t.exact[i] = geometry_distance_km(geom, t.index) * 1000.0
        done = todo[kinds != GEOM_POINT]
        t.lower[done] = t.upper[done] = t.exact[done]
        t.lower[pts] = t.upper[pts] = t.exact[pts]

    def exact_km(self, t: Target, deps: NDArray[np.intp]) -> NDArray[np.float64]:
        """Exact distances (km) from deployments ``deps`` to target ``t``."""
        self._exact(t, deps)
        out: NDArray[np.float64] = t.exact[deps] / 1000.0
        return out

    # ------------------------------------------------------------------ reach
    def reach(
        self,
        world: World,
        dep: NDArray[np.intp],
        targets: Sequence[tuple[str, ...]],
        range_km: NDArray[np.float64],
        min_range_km: NDArray[np.float64],
        sea: bool,
        resolve: Callable[[str], Target | None] | None = None,
    ) -> ReachColumns:
        """For each row (deployment ``dep[r]``, states ``targets[r]``): reach and nearest.

        ``range_km[r]`` NaN asks only for the nearest state; ``min_range_km[r]`` NaN or 0 for
        no minimum range. ``resolve`` maps a target name to its target (default: the state's
        territory in ``world``, with the sea if ``sea``).
        """
        if resolve is None:
            def resolve(code: str) -> Target | None:
                return self.territory(world, code, sea)

        n = len(dep)
        counts = np.fromiter((len(t) for t in targets), dtype=np.intp, count=n)
        row = np.repeat(np.arange(n), counts)
        codes = [c for t in targets for c in t]
        pair_dep = dep[row]
        lower = np.full(len(codes), np.inf)
        upper = np.full(len(codes), np.inf)
        groups = _group(codes)
        resolved: dict[str, Target | None] = {}
        for code, idx in groups.items():
            t = resolved[code] = resolve(code)
            if t is None:
                continue
            self._bounds(t, pair_dep[idx])
            lower[idx], upper[idx] = t.lower[pair_dep[idx]], t.upper[pair_dep[idx]]
        r_m = range_km[row] * 1000.0
        rmin = np.nan_to_num(min_range_km[row], nan=0.0) * 1000.0
        is_area = self.frame.geom_kind[pair_dep] != GEOM_POINT
        rmin = np.where(is_area, 0.0, rmin)
        has_range = ~np.isnan(r_m)
        yes = has_range & (upper <= r_m) & ((rmin == 0) | (lower >= rmin))
        no = ~has_range | (lower > r_m)
        # the nearest state: every target that could be nearer than the best upper bound
        best_up = np.full(n, np.inf)
        np.minimum.at(best_up, row, upper)
        nearest_cand = lower <= best_up[row]
        need = (~yes & ~no) | nearest_cand | yes
        exact = np.full(len(codes), np.nan)
        for code, idx in groups.items():
            t = resolved[code]
            sel = idx[need[idx]]
            if t is None or not sel.size:
                continue
            exact[sel] = self.exact_km(t, pair_dep[sel]) * 1000.0
        undecided = ~yes & ~no
        d = exact
        plain = undecided & ((rmin == 0) | (d >= rmin))
        yes = yes | (plain & (d <= r_m))
        annulus = np.flatnonzero(undecided & (rmin > 0) & (d < rmin) & (lower <= r_m))
        for k in annulus:
            t = resolved[codes[k]]
            assert t is not None
            i = pair_dep[k]
            lon, lat = float(self.frame.lon[i]), float(self.frame.lat[i])
            # the nearest point is too close: does another part of the target lie in the
            # annulus? Inside the target with its boundary beyond the minimum range, the whole
            # circle at the minimum range is in it; a boundary vertex in the annulus proves it
            # too; otherwise the exact kernel decides
            if d[k] == 0.0 and float(t.index.bounds_m(lon, lat)[0][0]) >= rmin[k]:
                yes[k] = True
                continue
            yes[k] = _vertex_in_annulus(t, lon, lat, rmin[k], r_m[k]) or bool(
                within_range(lon, lat, t.index, r_m[k] / 1000.0, rmin[k] / 1000.0))
        return _columns(n, row, codes, yes, exact, range_km)


def _vertex_in_annulus(t: Target, lon: float, lat: float, rmin_m: float, r_m: float) -> bool:
    """Whether some boundary vertex of ``t`` lies at a geodesic distance in [rmin, r].

    A vertex is a point of the (closed) target, so a hit proves the reach. Candidates are the
    vertices within the geocentric angle (rmin + 50 km) / b of the launcher (every point of
    WGS84 is at least b from the centre, so none nearer in geodesic distance is missed).
    """
    tree, lons, lats = t.vertex_tree()
    reach = min(r_m, rmin_m + 50_000.0)
    theta = min(reach / B_M, np.pi)
    cand = tree.query_ball_point(unit_vectors(np.array([lon]), np.array([lat]))[0],
                                 2.0 * np.sin(theta / 2.0) * (1 + 1e-12))
    if not cand:
        return False
    cand_a = np.asarray(cand)
    _, _, s = GEOD.inv(np.full(cand_a.size, lon), np.full(cand_a.size, lat),
                       lons[cand_a], lats[cand_a])
    s = np.asarray(s)
    return bool(np.any((s >= rmin_m) & (s <= r_m)))


def _group(codes: list[str]) -> dict[str, NDArray[np.intp]]:
    """Positions of each distinct code."""
    out: dict[str, list[int]] = {}
    for k, c in enumerate(codes):
        out.setdefault(c, []).append(k)
    return {c: np.asarray(v, dtype=np.intp) for c, v in out.items()}


def _columns(
    n: int, row: NDArray[np.intp], codes: list[str], yes: NDArray[np.bool_],
    exact: NDArray[np.float64], range_km: NDArray[np.float64],
) -> ReachColumns:
    # vectorised over pairs (sorted by row); only the tuples and dicts are built per row
    ex = np.where(np.isfinite(exact), exact, np.inf)
    starts = np.searchsorted(row, np.arange(n))
    has = starts < np.searchsorted(row, np.arange(n), side="right")
    best = np.full(n, np.inf)
    np.minimum.at(best, row, ex)
    is_best = (ex == best[row]) & np.isfinite(ex)
    # the first pair reaching the minimum of its row is the nearest
    first = np.zeros(len(codes), dtype=bool)
    idx = np.flatnonzero(is_best)
    if idx.size:
        keep = np.r_[True, row[idx][1:] != row[idx][:-1]]
        first[idx[keep]] = True
    nearest: list[str | None] = [None] * n
    for k in np.flatnonzero(first):
        nearest[row[k]] = codes[k]
    dist = np.where(np.isfinite(best), np.round(best / 1000.0, 3), np.nan)
    dist[~has] = np.nan
    shown = (yes | first) & np.isfinite(ex)
    km = np.round(exact / 1000.0, 3).tolist()
    reached: list[tuple[str, ...]] = [()] * n
    table: list[dict[str, float]] = [{} for _ in range(n)]
    for r, ks in _split_rows(row, np.flatnonzero(yes)):
        reached[r] = tuple(sorted([codes[k] for k in ks]))
    for r, ks in _split_rows(row, np.flatnonzero(shown)):
        table[r] = dict(sorted((codes[k], km[k]) for k in ks))
    margin = np.round(range_km - dist, 3)
    return ReachColumns(reached, nearest, dist, margin, table)


def _split_rows(row: NDArray[np.intp], ks: NDArray[np.intp]) -> list[tuple[int, list[int]]]:
    """``ks`` (sorted pair indices) grouped by their row."""
    if not ks.size:
        return []
    rows = row[ks]
    cut = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]).tolist()
    ends = [*cut[1:], len(ks)]
    ks_list = ks.tolist()
    return [(r, ks_list[a:b]) for r, a, b in zip(rows[cut].tolist(), cut, ends, strict=True)]
