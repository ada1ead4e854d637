"""Polygons of ``{p : field(p) <= level}`` on the ellipsoid, exact at every vertex.

This is how deployguard draws reach zones, range rings and territorial seas: a
zone is a sub-level set of a continuous field (usually a geodesic distance),
never a planar buffer.

Method
------
1. Sample the field on a lon/lat grid that spans -180..180 and, unless
   cropped, -90..90.  Whole blocks of the grid are skipped when the field's
   Lipschitz bound proves the level cannot cross them, so only a band of nodes
   along the zone's edge is computed.
2. Trace the sub-level set with :mod:`contourpy`.  The grid's own edges at
   +-180 deg and at the poles become the polygons' edges there, so the output
   is split at the antimeridian and closed along a pole it contains.
3. Move every traced vertex along its grid edge to the exact crossing
   (regula falsi on the field itself), then insert vertices where a straight
   lon/lat edge strays from the level by more than the tolerance.

The result is therefore exact at its vertices and within ``tol_m`` along its
edges; grid topology decides which components and holes exist, so a hole much
smaller than a grid cell can be missed (the cell size is chosen from the
zone's scale and reported by the callers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import contourpy
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.errors import ZoneTraceError
from deployguard.geodesy.ellipsoid import geodesic_m
from deployguard.geodesy.levelset_edges import densify_edges, regula_falsi

__all__ = ["LevelSetResult", "level_set_zone"]

FloatArray = NDArray[np.float64]
Field = Callable[[FloatArray, FloatArray], FloatArray]
Ignore = Callable[[FloatArray, FloatArray], NDArray[np.bool_]]


@dataclass(frozen=True)
class LevelSetResult:
    """A traced zone and how it was made."""

    geometry: BaseGeometry
    cell_deg: float
    field_evaluations: int
    max_edge_error_m: float


class _Counter:
    def __init__(self, field: Field) -> None:
        self.field = field
        self.n = 0

    def __call__(self, lon: FloatArray, lat: FloatArray) -> FloatArray:
        lon = np.asarray(lon, float)
        lat = np.asarray(lat, float)
        self.n += lon.size
        if lon.size == 0:
            return np.zeros(0)
        return np.asarray(self.field(lon, lat), float)


def _grid(lo: float, hi: float, step: float) -> FloatArray:
    n = max(2, int(np.ceil((hi - lo) / step - 1e-9)) + 1)
    return np.linspace(lo, hi, n)


def _sample(field: _Counter, lons: FloatArray, lats: FloatArray, level: float, lipschitz: float
            ) -> FloatArray:
    """Field values on the grid; pruned blocks get a value of the right sign."""
    nlat, nlon = lats.size, lons.size
    z = np.full((nlat, nlon), np.nan)
    size = 1
    while size * 2 < max(nlat, nlon) and size < 64:
        size *= 2
    i0, j0 = np.meshgrid(np.arange(0, nlat - 1, size), np.arange(0, nlon - 1, size), indexing="ij")
    blocks = np.column_stack([i0.ravel(), j0.ravel()])
    while size > 1 and blocks.size:
        i_hi = np.minimum(blocks[:, 0] + size, nlat - 1)
        j_hi = np.minimum(blocks[:, 1] + size, nlon - 1)
        la0, la1 = lats[blocks[:, 0]], lats[i_hi]
        lo0, lo1 = lons[blocks[:, 1]], lons[j_hi]
        clat, clon = (la0 + la1) / 2, (lo0 + lo1) / 2
        fc = field(clon, clat)
        # Farthest point of the block from its centre: a corner or an edge midpoint.
        probe_lon = np.stack([lo0, lo1, lo0, lo1, clon, clon, lo0, lo1], axis=1)
        probe_lat = np.stack([la0, la0, la1, la1, la0, la1, clat, clat], axis=1)
        radius = geodesic_m(clon[:, None], clat[:, None], probe_lon, probe_lat).max(axis=1)
        decided = np.abs(fc - level) > lipschitz * radius * 1.02 + 1.0
        for (bi, bj), ih, jh, v in zip(blocks[decided], i_hi[decided], j_hi[decided], fc[decided],
                                       strict=True):
            view = z[bi : ih + 1, bj : jh + 1]
            np.copyto(view, v, where=np.isnan(view))
        half = size // 2
        und = blocks[~decided]
        kids = np.concatenate(
            [und, und + [0, half], und + [half, 0], und + [half, half]], axis=0
        )
        kids = kids[(kids[:, 0] < nlat - 1) & (kids[:, 1] < nlon - 1)]
        blocks = kids
        size = half
    if blocks.size:
        ii = np.concatenate([blocks[:, 0], blocks[:, 0] + 1, blocks[:, 0], blocks[:, 0] + 1])
        jj = np.concatenate([blocks[:, 1], blocks[:, 1], blocks[:, 1] + 1, blocks[:, 1] + 1])
        flat = np.unique(ii * nlon + jj)
        ii, jj = np.divmod(flat, nlon)
        z[ii, jj] = field(lons[jj], lats[ii])
    # Any node never reached lies in a decided block's interior by construction;
    # guard anyway so a NaN can never reach contourpy.
    missing = np.isnan(z)
    if missing.any():
        ii, jj = np.nonzero(missing)
        z[ii, jj] = field(lons[jj], lats[ii])
    return z


def level_set_zone(
    field: Field,
    level_m: float,
    *,
    cell_deg: float,
    tol_m: float,
    lipschitz: float = 1.0,
    lat_range: tuple[float, float] = (-90.0, 90.0),
    lon_range: tuple[float, float] = (-180.0, 180.0),
    max_passes: int = 12,
    ignore: Ignore | None = None,
    crop_open: bool = False,
    _depth: int = 0,
) -> LevelSetResult:
    """Trace ``{p : field(p) <= level_m}`` as a valid EPSG:4326 geometry.

    Parameters
    ----------
    field : callable
        ``field(lon, lat) -> values`` in metres, vectorised, continuous, and
        Lipschitz with constant ``lipschitz`` against geodesic distance.
    level_m : float
        The level (metres).
    cell_deg : float
        Grid spacing in degrees (the topology resolution).
    tol_m : float
        Largest allowed departure of the field from the level along the
        polygon edges (vertices are solved to ``tol_m / 20``).
    crop_open : bool, default False
        Allow the zone to reach a cropped edge (used for local repairs: the
        crop then becomes an edge of the result).
    ignore : callable, optional
        ``ignore(lon, lat) -> bool``: where the caller will cut the zone away
        afterwards (e.g. land, for a sea belt), so edge accuracy is not sought.
    lat_range, lon_range : tuple of float
        Crop of the grid.  A cropped edge that is not a pole or +-180 deg must
        lie outside the zone; this is checked.
    """
    field_c = _Counter(field)
    lons = _grid(lon_range[0], lon_range[1], cell_deg)
    lats = _grid(lat_range[0], lat_range[1], cell_deg)
    z = _sample(field_c, lons, lats, level_m, lipschitz)
    if not crop_open:
        _check_crop(z, lons, lats, level_m)
    if np.all(z <= level_m):
        whole = shapely.box(lons[0], lats[0], lons[-1], lats[-1])
        return LevelSetResult(whole, cell_deg, field_c.n, 0.0)
    if np.all(z > level_m):
        return LevelSetResult(shapely.MultiPolygon(), cell_deg, field_c.n, 0.0)
    gen = contourpy.contour_generator(
        lons, lats, z, name="serial", fill_type=contourpy.FillType.OuterOffset,
        corner_mask=False,
    )
    filled = gen.filled(float(np.min(z)) - 1.0, level_m)
    points_list: list[FloatArray] = list(filled[0])  # type: ignore[arg-type]
    offsets_list: list[NDArray[np.int64]] = list(filled[1])  # type: ignore[arg-type]
    rings, owners = [], []
    for k, (pts, offs) in enumerate(zip(points_list, offsets_list, strict=True)):
        for s, e in zip(offs[:-1], offs[1:], strict=True):
            rings.append(np.asarray(pts[s:e], float))
            owners.append(k)
    rings = _snap_vertices(field_c, rings, lons, lats, z, level_m, min(tol_m / 20, 0.01))
    rings, err, fails = densify_edges(
        field_c, rings, lons, lats, level_m, tol_m, cell_deg, max_passes, ignore
    )
    polys = []
    for k in range(len(points_list)):
        mine = [r for r, o in zip(rings, owners, strict=True) if o == k]
        shell, holes = mine[0], mine[1:]
        polys.append(shapely.Polygon(shell, holes))
    geom = shapely.union_all(shapely.make_valid(np.array(polys, dtype=object)))
    geom = _polygonal(geom)
    if fails and _depth < 2:
        geom, err = _repair(
            field_c, geom, fails, level_m, cell_deg, tol_m, lipschitz, lons, lats, ignore, _depth
        )
    return LevelSetResult(geom, cell_deg, field_c.n, err)


def _repair(
    field: Field, geom: BaseGeometry, fails: list[tuple[float, float, float, float]],
    level: float, cell_deg: float, tol: float, lipschitz: float, lons: FloatArray,
    lats: FloatArray, ignore: Ignore | None, depth: int,
) -> tuple[BaseGeometry, float]:
    """Re-trace, on a 16x finer local grid, the boxes around unresolved edges.

    An edge that cannot be brought onto the level crosses a feature the grid
    did not resolve (a pocket or a notch narrower than a cell).  The zone inside
    a box around it is replaced by a local trace, whose own edges meet the box.
    """
    pad = 2 * cell_deg
    boxes = shapely.union_all([
        shapely.box(max(x0 - pad, lons[0]), max(y0 - pad, lats[0]),
                    min(x1 + pad, lons[-1]), min(y1 + pad, lats[-1]))
        for x0, y0, x1, y1 in fails
    ])
    worst = 0.0
    pieces = []
    for box in shapely.get_parts(boxes):
        x0, y0, x1, y1 = box.bounds
        local = level_set_zone(
            field, level, cell_deg=cell_deg / 16, tol_m=tol, lipschitz=lipschitz,
            lat_range=(y0, y1), lon_range=(x0, x1), ignore=ignore, crop_open=True,
            _depth=depth + 1,
        )
        worst = max(worst, local.max_edge_error_m)
        # the local grid is the box's bounding rectangle: keep what lies in the box
        pieces.append(shapely.intersection(local.geometry, box))
    outside = shapely.difference(geom, boxes)
    fixed = shapely.union_all([outside, *pieces])
    return _polygonal(shapely.make_valid(fixed)), worst


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    parts = [
        p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")
    ]
    out = shapely.union_all(parts) if parts else shapely.MultiPolygon()
    return out


def _check_crop(z: FloatArray, lons: FloatArray, lats: FloatArray, level: float) -> None:
    edges = []
    if lats[0] > -90.0:
        edges.append(z[0, :])
    if lats[-1] < 90.0:
        edges.append(z[-1, :])
    if lons[0] > -180.0:
        edges.append(z[:, 0])
    if lons[-1] < 180.0:
        edges.append(z[:, -1])
    for e in edges:
        if np.any(e <= level):
            raise ZoneTraceError(
                "the zone reaches the crop of the sampling grid; widen the crop (lat_range, "
                "lon_range)"
            )


def _on_grid(vals: FloatArray, grid: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    step = grid[1] - grid[0]
    f = (vals - grid[0]) / step
    r = np.rint(f)
    return np.abs(f - r) < 1e-7, np.clip(r.astype(int), 0, grid.size - 1)


def _snap_vertices(
    field: Field, rings: list[FloatArray], lons: FloatArray, lats: FloatArray, z: FloatArray,
    level: float, tol: float,
) -> list[FloatArray]:
    """Move each traced vertex along its grid edge onto the exact level."""
    allp = np.concatenate(rings)
    on_row, ri = _on_grid(allp[:, 1], lats)
    on_col, ci = _on_grid(allp[:, 0], lons)
    horiz = on_row & ~on_col  # lies on a parallel between two grid columns
    vert = on_col & ~on_row
    lon_a = allp[:, 0].copy()
    lat_a = allp[:, 1].copy()
    lon_b = lon_a.copy()
    lat_b = lat_a.copy()
    step_lon = lons[1] - lons[0]
    step_lat = lats[1] - lats[0]
    j = np.clip(np.floor((allp[:, 0] - lons[0]) / step_lon).astype(int), 0, lons.size - 2)
    i = np.clip(np.floor((allp[:, 1] - lats[0]) / step_lat).astype(int), 0, lats.size - 2)
    lon_a[horiz], lon_b[horiz] = lons[j[horiz]], lons[j[horiz] + 1]
    lat_a[horiz] = lat_b[horiz] = lats[ri[horiz]]
    lat_a[vert], lat_b[vert] = lats[i[vert]], lats[i[vert] + 1]
    lon_a[vert] = lon_b[vert] = lons[ci[vert]]
    move = np.flatnonzero(horiz | vert)
    if move.size:
        fa = field(lon_a[move], lat_a[move])
        fb = field(lon_b[move], lat_b[move])
        nl, nt, _ = regula_falsi(
            field, level, lon_a[move], lat_a[move], lon_b[move], lat_b[move], fa, fb, tol
        )
        ok = np.sign(fa - level) != np.sign(fb - level)
        allp[move[ok], 0] = nl[ok]
        allp[move[ok], 1] = nt[ok]
    out, s = [], 0
    for r in rings:
        out.append(allp[s : s + len(r)])
        s += len(r)
    return out

