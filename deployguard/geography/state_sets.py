"""Distance from many sites to a set of states, and which of them is nearest.

A :class:`StateSetIndex` is the union of some states' territories (say the NATO members on a
date, with their territorial sea) prepared for exact geodesic queries: the distance from a site
to the set is the distance to the union (0 inside), computed once however many states the set
holds, and :meth:`StateSetIndex.nearest_state` names the member that owns the nearest point.
Decisions against many ranges use :meth:`StateSetIndex.bounds_km` first, so only sites whose
distance could lie on either side of a range are measured exactly.

It knows states, not treaties (the treaty floor says which states a clause protects).

Examples
--------
>>> from deployguard.geography.world import World
>>> baltic = StateSetIndex(World.load(), ["EST", "LVA", "LTU"], sea=False)
>>> d = baltic.distance_km([30.3, 24.1], [59.9, 56.9])
>>> [round(float(x), 1) for x in d], baltic.nearest_state([30.3, 24.1], [59.9, 56.9], d).tolist()
([134.2, 0.0], ['EST', 'LVA'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from deployguard.errors import InvalidInputError
from deployguard.geodesy.ellipsoid import GEOD, unit_vectors
from deployguard.geodesy.index import DistanceIndex
from deployguard.geodesy.prepared import prepared
from deployguard.geography.world import World

__all__ = ["StateSetIndex"]

# chord-nearest boundary vertices measured exactly to name the nearest member
_K_NEAREST = 32
# two members are "equally near" when their nearest vertices differ by less than this (m);
# such sites are settled with each candidate's own exact distance
_TIE_M = 2500.0


class StateSetIndex:
    """The union of some states' territories, prepared for distance and nearest-member queries.

    Parameters
    ----------
    world : World
        Borders and worldview.
    codes : iterable of str
        Alpha-3 codes (with their dependencies, as :meth:`World.territory` gives them).
    sea : bool
        Include the 12-nmi territorial sea.

    Notes
    -----
    Picklable, so that a Dask cluster receives it once (``Client.scatter``).
    """

    def __init__(self, world: World, codes: Iterable[str], sea: bool) -> None:
        wanted = sorted({world.lookup(c) for c in codes})
        if not wanted:
            raise InvalidInputError("codes is empty; expected at least one state")
        geoms = {c: world.territory(c, sea=sea) for c in wanted}
        self.codes: tuple[str, ...] = tuple(c for c in wanted if not geoms[c].is_empty)
        if not self.codes:
            raise InvalidInputError(f"the territories of {wanted} are all empty")
        self.sea = bool(sea)
        self.worldview = world.worldview
        self.resolution = world.resolution
        self._members = [geoms[c] for c in self.codes]
        self.geometry = (self._members[0] if len(self._members) == 1
                         else shapely.union_all(self._members))
        prepared(self.geometry)
        if len(self._members) == 1:
            self.index = DistanceIndex(self.geometry)
        else:
            # Distances to every member's own boundary, internal borders included: from outside
            # the union the least of them is the least member distance (what check() measures
            # state by state), and the union's own outline could differ where it drops a
            # member's degenerate slivers.
            lines = shapely.get_parts(shapely.boundary(self._members))
            self.index = DistanceIndex(shapely.multilinestrings(shapely.get_parts(lines)))
        self._member_index: dict[str, DistanceIndex] = {}
        self._labels: NDArray[np.int64] | None = None
        self._tree: cKDTree | None = None
        self._member_tree: shapely.STRtree | None = None
        if len(self.codes) > 1:
            self._label_boundary()

    def __repr__(self) -> str:
        return f"StateSetIndex({len(self.codes)} states, sea={self.sea}, {self.worldview})"

    # ------------------------------------------------------------------ pickling
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_member_index"] = {}  # rebuilt on demand where needed
        state["_sample_tree"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # preparation is lost on pickling: prepare again on each worker (the index does so
        # for its own area)
        prepared(self.geometry)
        for geom in self._members:
            prepared(geom)

    # ------------------------------------------------------------------ labels
    def _label_boundary(self) -> None:
        """Name the member that owns each densified boundary vertex (first code on a border)."""
        b = self.index.boundary
        n = len(self.codes)
        labels = np.full(b.size, n, dtype=np.int64)
        for j, member in enumerate(self._members):  # a loop over members, vectorised inside
            x0, y0, x1, y1 = member.bounds
            sel = np.flatnonzero((labels == n) & (b.lon >= x0 - 1e-6) & (b.lon <= x1 + 1e-6)
                                 & (b.lat >= y0 - 1e-6) & (b.lat <= y1 + 1e-6))
            prepared(member)
            hit = shapely.dwithin(member, shapely.points(b.lon[sel], b.lat[sel]), 1e-7)
            labels[sel[hit]] = j
        lost = np.flatnonzero(labels == n)
        tree = shapely.STRtree(self._members)
        if lost.size:  # rounding left a vertex off every member: take the nearest one
            qi, near = tree.query_nearest(shapely.points(b.lon[lost], b.lat[lost]))
            labels[lost[qi]] = near
        self._labels = labels
        self._tree = cKDTree(unit_vectors(b.lon, b.lat), balanced_tree=False, compact_nodes=False)
        self._member_tree = tree

    def _member(self, code: str) -> DistanceIndex:
        if code not in self._member_index:
            self._member_index[code] = DistanceIndex(self._members[self.codes.index(code)])
        return self._member_index[code]

    # ------------------------------------------------------------------ queries
    def contains(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
        """True where a site lies in the set (its distance is 0)."""
        lon = np.asarray(lon, float)
        lat = np.asarray(lat, float)
        inside = shapely.intersects_xy(self.geometry, lon, lat)
        seam = np.abs(lon) == 180.0
        if np.any(seam):  # the same meridian is spelt +180 or -180
            inside = inside | (seam & shapely.intersects_xy(self.geometry, -lon, lat))
        return np.asarray(inside, dtype=bool)

    def distance_km(self, lon: Any, lat: Any) -> NDArray[np.float64]:
        """Exact geodesic distance (km) from each site to the nearest member (0 inside)."""
        lon = np.asarray(lon, float).ravel()
        lat = np.asarray(lat, float).ravel()
        out = np.zeros(lon.size)
        outside = np.flatnonzero(~self.contains(lon, lat))
        if outside.size:
            out[outside] = self.index.distance_m(lon[outside], lat[outside]) / 1000.0
        return out

    def bounds_km(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Rigorous lower and upper bounds of :meth:`distance_km` (both 0 inside), cheap."""
        lower, upper = self.index.bounds_m(lon, lat)
        inside = self.contains(lon, lat)
        return np.where(inside, 0.0, lower / 1000.0), np.where(inside, 0.0, upper / 1000.0)

    def in_annulus(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64], min_km: float, max_km: float
    ) -> NDArray[np.bool_]:
        """Whether some point of the set lies at a distance in [min_km, max_km] (exact).

        A boundary vertex in the annulus proves it (vertices are points of the set); a
        sparse sample of them settles nearly every site, the rest go to
        :func:`~deployguard.geography.ranges.within_range`, which decides exactly.
        """
        from deployguard.geography.ranges import within_range

        lon = np.asarray(lon, float).ravel()
        lat = np.asarray(lat, float).ravel()
        out = np.zeros(lon.size, dtype=bool)
        if lon.size == 0:
            return out
        if getattr(self, "_sample_tree", None) is None:
            b = self.index.boundary
            step = max(1, b.size // 20_000)
            self._sample = (b.lon[::step], b.lat[::step])
            self._sample_tree = cKDTree(unit_vectors(*self._sample))
        slon, slat = self._sample
        k = min(_K_NEAREST * 2, slon.size)
        _, vi = self._sample_tree.query(unit_vectors(lon, lat), k=k, workers=-1)
        vi = np.asarray(vi).reshape(lon.size, k)
        _, _, g = GEOD.inv(np.repeat(lon, k), np.repeat(lat, k), slon[vi.ravel()],
                           slat[vi.ravel()])
        g = np.asarray(g, float).reshape(lon.size, k) / 1000.0
        out = np.asarray(((g >= min_km) & (g <= max_km)).any(axis=1), dtype=bool)
        rest = np.flatnonzero(~out)
        if rest.size:
            out[rest] = within_range(lon[rest], lat[rest], self.geometry, max_km, min_km)
        return out

    def nearest_state(
        self, lon: Any, lat: Any, distance_km: NDArray[np.float64]
    ) -> NDArray[np.object_]:
        """The member that owns the nearest point of the set to each site.

        ``distance_km`` is :meth:`distance_km` of the same sites. Inside the set it is the
        member holding the site; outside, the owner of the nearest boundary vertex, and where
        two members are within a few km of equally near, the one whose own exact distance is
        least (ties go to the first code).
        """
        lon = np.asarray(lon, float).ravel()
        lat = np.asarray(lat, float).ravel()
        d = np.asarray(distance_km, float).ravel()
        codes = np.array(self.codes, dtype=object)
        if len(self.codes) == 1:
            return np.full(lon.size, self.codes[0], dtype=object)
        assert self._labels is not None and self._tree is not None
        assert self._member_tree is not None
        out = np.empty(lon.size, dtype=object)
        inside = d == 0.0
        if inside.any():
            ii = np.flatnonzero(inside)
            pi, mi = self._member_tree.query(shapely.points(lon[ii], lat[ii]),
                                             predicate="intersects")
            first = np.full(ii.size, len(self.codes), dtype=np.int64)
            np.minimum.at(first, pi, mi)
            first[first == len(self.codes)] = 0  # on a seam alias: any member will do
            out[ii] = codes[first]
        oi = np.flatnonzero(~inside)
        if oi.size:
            b = self.index.boundary
            k = min(_K_NEAREST, b.size)
            _, vi = self._tree.query(unit_vectors(lon[oi], lat[oi]), k=k, workers=-1)
            vi = vi.reshape(oi.size, k)
            _, _, g = GEOD.inv(np.repeat(lon[oi], k), np.repeat(lat[oi], k),
                               b.lon[vi.ravel()], b.lat[vi.ravel()])
            g = np.asarray(g, float).reshape(oi.size, k)
            lab = self._labels[vi]
            best = np.argmin(g, axis=1)
            g_best = g[np.arange(oi.size), best]
            lab_best = lab[np.arange(oi.size), best]
            rival = (lab != lab_best[:, None]) & (g <= g_best[:, None] + _TIE_M)
            far_off = g_best > d[oi] * 1000.0 + _TIE_M  # the k vertices missed the nearest part
            out[oi] = codes[lab_best]
            unsure = np.flatnonzero(rival.any(axis=1) | far_off)
            if unsure.size:
                self._settle(out, oi[unsure], lon, lat, lab[unsure], far_off[unsure])
        return out

    def _settle(
        self,
        out: NDArray[np.object_],
        sites: NDArray[np.intp],
        lon: NDArray[np.float64],
        lat: NDArray[np.float64],
        labels: NDArray[np.int64],
        all_members: NDArray[np.bool_],
    ) -> None:
        """Exact distance to each candidate member for the sites a vertex label cannot settle."""
        n_members = len(self.codes)
        dist = np.full((sites.size, n_members), np.inf)
        cand = np.zeros((sites.size, n_members), dtype=bool)
        cand[np.repeat(np.arange(sites.size), labels.shape[1]), labels.ravel()] = True
        cand[all_members] = True
        for m in np.flatnonzero(cand.any(axis=0)):  # a loop over members, not sites
            rows = np.flatnonzero(cand[:, m])
            dist[rows, m] = self._member(self.codes[m]).distance_m(lon[sites[rows]],
                                                                   lat[sites[rows]])
        out[sites] = np.array(self.codes, dtype=object)[np.argmin(dist, axis=1)]
