"""Build the 12-nautical-mile territorial-sea belts, geodesically.

Run from the repository root (takes minutes; both resolutions by default)::

    python geodata/build_territorial_sea.py [--resolution 50m|10m] [--units RUS,USA]

For every land unit (a Natural Earth admin-0 unit with the disputed areas of
``disputed_areas.geojson`` cut out, plus each disputed area on its own) the belt
is the set of points

    d(p, unit) <= 22.224 km  and  d(p, unit) <= d(p, every other unit)

minus all land, where ``d`` is the exact WGS84 geodesic distance of
:mod:`deployguard.geography.ranges` (GeographicLib).  The first condition is UNCLOS Art. 3
(12 nmi = 22.224 km); the second splits overlapping belts by equidistance
(UNCLOS Art. 15's default rule; agreed boundaries such as the 1990 US-USSR line
are not modelled).  Neighbouring belts are traced 25 m past the median and the
overlaps then given to the nearer unit, so medians are exact to about 35 m and
no sliver of high sea is left between two belts.  Baselines are the Natural
Earth coastline itself, not the straight baselines states have declared;
internal waters therefore count only where they lie within 12 nmi of the coast
drawn.

The belt is traced by :func:`deployguard.geodesy.levelset.level_set_zone`:
exact at every vertex, within ``TOL_M`` along every edge.  Output:
``geodata/territorial_sea_{resolution}.parquet`` with columns ``unit, geometry``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from deployguard.data.files import read_countries, read_disputed_areas
from deployguard.geodesy.index import DistanceIndex
from deployguard.geodesy.levelset import level_set_zone

TERRITORIAL_SEA_KM = 12 * 1.852  # UNCLOS Art. 3, 12 nmi = 22.224 km
TOL_M = 10.0
MEDIAN_OVERLAP_M = 25.0
CELL_DEG = 0.05
HERE = Path(__file__).resolve().parent


def land_units(resolution: str) -> gpd.GeoDataFrame:
    """Natural Earth units with disputed areas cut out, plus the areas themselves."""
    countries = read_countries(resolution)[["iso_a3", "geometry"]].copy()
    areas = read_disputed_areas(resolution)
    rows = []
    for code, geom in zip(countries["iso_a3"], countries["geometry"], strict=True):
        for area_id, area in zip(areas["id"], areas["geometry"], strict=True):
            if area_id != code and shapely.intersects(geom, area):
                geom = shapely.make_valid(shapely.difference(geom, area))
        rows.append((code, geom))
    for area_id, area in zip(areas["id"], areas["geometry"], strict=True):
        if area_id not in set(countries["iso_a3"]):
            rows.append((area_id, area))
    return gpd.GeoDataFrame(rows, columns=["unit", "geometry"], crs="EPSG:4326")


def _search_box(geom, margin_deg: float):
    x0, y0, x1, y1 = geom.bounds
    lat_edge = min(85.0, max(abs(y0), abs(y1)) + margin_deg)
    lon_margin = margin_deg / np.cos(np.radians(lat_edge))
    boxes = [shapely.box(x0 - lon_margin, y0 - margin_deg, x1 + lon_margin, y1 + margin_deg)]
    if x0 - lon_margin < -180:
        boxes.append(shapely.box(x0 - lon_margin + 360, y0 - margin_deg, 180, y1 + margin_deg))
    if x1 + lon_margin > 180:
        boxes.append(shapely.box(-180, y0 - margin_deg, x1 + lon_margin - 360, y1 + margin_deg))
    return shapely.union_all(boxes), lon_margin


def belt_for(unit: str, units: gpd.GeoDataFrame, all_land) -> shapely.Geometry:
    """The territorial-sea belt of one land unit (sea only, no land)."""
    geom = units.loc[units["unit"] == unit, "geometry"].item()
    r_m = TERRITORIAL_SEA_KM * 1000.0
    margin = 2 * TERRITORIAL_SEA_KM / 110.5 + 0.3
    search, lon_margin = _search_box(geom, margin)
    near = units[(units["unit"] != unit) & units.intersects(search)]
    own = DistanceIndex(geom)
    others = DistanceIndex(shapely.union_all(list(near["geometry"]))) if len(near) else None

    def field(lon, lat):
        d_own = own.distance_m(lon, lat)
        out = d_own - r_m
        if others is not None:
            # Beyond 12 nmi the value is already positive; the tracer needs the
            # exact value only near the level, and the sign everywhere.
            near_own = np.flatnonzero(out <= 0)
            d_other = others.distance_m(lon[near_own], lat[near_own])
            # Reach MEDIAN_OVERLAP_M past the median so that neighbouring belts,
            # traced separately, overlap rather than leave slivers of high sea
            # between them; resolve_overlaps then settles each overlap.
            out[near_own] = np.maximum(out[near_own], d_own[near_own] - d_other - MEDIAN_OVERLAP_M)
        return out

    x0, y0, x1, y1 = geom.bounds
    lat_range = (max(-90.0, y0 - margin), min(90.0, y1 + margin))
    if x1 - x0 > 300 or x0 - lon_margin < -180 or x1 + lon_margin > 180:
        lon_range = (-180.0, 180.0)
    else:
        lon_range = (x0 - lon_margin, x1 + lon_margin)
    cell = CELL_DEG
    for _ in range(3):
        res = level_set_zone(
            field, 0.0, cell_deg=cell, tol_m=TOL_M, lipschitz=2.0,
            lat_range=lat_range, lon_range=lon_range,
            # Land is cut away below, so its edges need no accuracy.
            ignore=lambda lo, la: shapely.intersects_xy(all_land, lo, la),
        )
        if res.max_edge_error_m <= TOL_M:
            break
        cell /= 2
    else:
        print(f"  warning: {unit} belt edges off by up to {res.max_edge_error_m:.0f} m",
              file=sys.stderr)
    land_near = shapely.intersection(all_land, shapely.box(*res.geometry.bounds))
    belt = shapely.make_valid(shapely.difference(res.geometry, land_near))
    parts = [p for p in shapely.get_parts(belt) if p.geom_type == "Polygon" and p.area > 0]
    return shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()


def resolve_overlaps(belts: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each sliver where two traced belts overlap to the nearer unit.

    Neighbouring belts are traced separately, each within ``TOL_M`` of the
    median line, so they can overlap in slivers up to twice that wide.  Each
    sliver goes to the unit whose land is nearer its representative point.
    """
    land = dict(zip(units["unit"], units["geometry"], strict=True))
    index: dict[str, DistanceIndex] = {}

    def dist(code, pt):
        if code not in index:
            index[code] = DistanceIndex(land[code])
        return index[code].distance_m(pt.x, pt.y)

    geoms = dict(zip(belts["unit"], belts["geometry"], strict=True))
    codes = sorted(geoms)
    tree = shapely.STRtree([geoms[c] for c in codes])
    for i, j in zip(*tree.query([geoms[c] for c in codes], predicate="intersects"), strict=True):
        if i >= j:
            continue
        a, b = codes[i], codes[j]
        inter = shapely.intersection(geoms[a], geoms[b])
        for part in shapely.get_parts(inter):
            if part.geom_type != "Polygon" or part.area == 0:
                continue
            pt = part.representative_point()
            da, db = dist(a, pt), dist(b, pt)
            loser = b if da <= db else a
            geoms[loser] = shapely.make_valid(shapely.difference(geoms[loser], part))
    out = [(c, _polygonal(geoms[c])) for c in codes]
    return gpd.GeoDataFrame(out, columns=["unit", "geometry"], crs="EPSG:4326")


def _polygonal(geom):
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
    return shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()


def build(resolution: str, only: list[str] | None = None) -> Path:
    units = land_units(resolution)
    all_land = shapely.union_all(list(units["geometry"]))
    shapely.prepare(all_land)
    out_rows = []
    todo = only or list(units["unit"])
    t_all = time.perf_counter()
    empty = set(units.loc[units["geometry"].is_empty, "unit"])
    for unit in todo:
        if unit in empty:
            # e.g. the Vatican at 1:10m, which the TopoJSON quantisation collapses
            print(f"{resolution} {unit}: no land in the borders data, skipped")
            continue
        t0 = time.perf_counter()
        belt = belt_for(unit, units, all_land)
        if not belt.is_empty:
            out_rows.append((unit, belt))
        print(f"{resolution} {unit}: {time.perf_counter() - t0:.1f} s, "
              f"{shapely.get_num_coordinates(belt)} vertices", flush=True)
    path = HERE / f"territorial_sea_{resolution}.parquet"
    new = gpd.GeoDataFrame(out_rows, columns=["unit", "geometry"], crs="EPSG:4326")
    if only and path.exists():
        old = gpd.read_parquet(path)
        new = gpd.GeoDataFrame(
            [*old[~old["unit"].isin(only)].itertuples(index=False), *new.itertuples(index=False)],
            columns=["unit", "geometry"], crs="EPSG:4326",
        )
    new = resolve_overlaps(new, units)
    new.to_parquet(path, compression="zstd")
    print(f"wrote {path} ({len(new)} belts) in {time.perf_counter() - t_all:.0f} s")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", choices=["50m", "10m"], action="append")
    parser.add_argument("--units", help="comma-separated unit codes to (re)build only")
    parser.add_argument("--resolve-only", action="store_true",
                        help="only settle overlaps between the belts already built")
    args = parser.parse_args(argv)
    only = args.units.split(",") if args.units else None
    for res in args.resolution or ["50m", "10m"]:
        if args.resolve_only:
            path = HERE / f"territorial_sea_{res}.parquet"
            resolve_overlaps(gpd.read_parquet(path), land_units(res)).to_parquet(
                path, compression="zstd")
            print(f"settled overlaps in {path}")
        else:
            build(res, only)


if __name__ == "__main__":
    main()
