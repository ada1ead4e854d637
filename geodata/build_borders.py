"""Build the bundled borders data from Natural Earth 4.1.0 (npm package world-atlas@2.0.2).

Run from the repository root (needs ``npm`` on the PATH and the ``build`` extra:
pyogrio and pycountry)::

    /path/to/python geodata/build_borders.py

Writes, next to this script:

- ``countries_50m.parquet`` and ``countries_10m.parquet``: GeoParquet, EPSG:4326, one row per
  Natural Earth admin-0 unit, columns ``iso_a3, iso_n3, name, ne_name, official_name,
  sovereign_a3, kind, geometry``.
- ``disputed_areas.geojson``: one feature per (disputed area, resolution), properties ``id,
  name, resolution, ne_unit, de_facto, un, russia, source``.

Users never run this: the outputs are committed. See README.md for what the repair does.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pycountry
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping

HERE = Path(__file__).resolve().parent
PACKAGE = "world-atlas@2.0.2"
RESOLUTIONS = ("50m", "10m")

# Disputed areas cut out of a Natural Earth unit. "point" picks the part of the unit's
# multipolygon that holds it; None takes the whole unit, and then the area's id is the unit's
# code (so the unit's territorial-sea belt follows the area). Holders are alpha-3 codes under
# each built-in worldview.
DISPUTED = [
    {
        "id": "CRIMEA",
        "name": "Crimea (Autonomous Republic of Crimea and Sevastopol)",
        "ne_unit": "RUS",
        "point": (34.1, 45.0),
        "de_facto": "RUS",
        "un": "UKR",
        "russia": "RUS",
        "source": (
            "UNGA res. 68/262 (27 Mar 2014) affirms Ukraine's territorial integrity; Russia "
            "annexed Crimea on 18 Mar 2014 and held it in Dec 2021; Natural Earth 4.1 draws it "
            "in Russia (on-the-ground rule)"
        ),
    },
    {
        "id": "XKX",
        "name": "Kosovo",
        "ne_unit": "XKX",
        "point": None,
        "de_facto": "XKX",
        "un": "SRB",
        "russia": "SRB",
        "source": (
            "Kosovo declared independence 17 Feb 2008; not a UN member (UNSC res. 1244 (1999)); "
            "Russia recognises Serbia's sovereignty"
        ),
    },
    {
        "id": "XNC",
        "name": "Northern Cyprus",
        "ne_unit": "XNC",
        "point": None,
        "de_facto": "XNC",
        "un": "CYP",
        "russia": "CYP",
        "source": "UNSC res. 541 (1983) deems the 1983 declaration legally invalid",
    },
    {
        "id": "XSL",
        "name": "Somaliland",
        "ne_unit": "XSL",
        "point": None,
        "de_facto": "XSL",
        "un": "SOM",
        "russia": "SOM",
        "source": "Somaliland (declared 1991) is recognised by no UN member",
    },
]


def fetch(workdir: Path) -> Path:
    """Run ``npm pack`` for world-atlas and return the unpacked package directory."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    tgz = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def read_sovereignty() -> pd.DataFrame:
    with open(HERE / "sovereignty.csv", encoding="utf-8") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    return pd.DataFrame(list(csv.DictReader(rows))).fillna("")


def unwrap_ring(coords: np.ndarray) -> np.ndarray:
    """Remove +-360 degree jumps in a ring; leave rings around a pole untouched.

    TopoJSON quantisation draws a ring that crosses 180 deg as a jump of about 360 deg. Adding
    whole turns after each jump makes the ring continuous (it may then reach beyond 180). A
    ring that encircles a pole (Antarctica) cannot be made continuous and closed, so it is kept.
    """
    x = coords[:, 0]
    jumps = np.diff(x)
    turns = -np.round(jumps / 360.0)
    if not turns.any():
        return coords
    shift = np.concatenate([[0.0], np.cumsum(turns)]) * 360.0
    if shift[-1] != 0.0:  # not closed after unwrapping: a polar ring
        return coords
    out = coords.copy()
    out[:, 0] = x + shift
    # keep each ring near the primary frame so holes stay near their shell
    centre = 0.5 * (out[:, 0].min() + out[:, 0].max())
    out[:, 0] -= 360.0 * np.round(centre / 360.0)
    return out


def split_at_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    """Fold a geometry reaching beyond +-180 back into [-180, 180] (cut at the antimeridian)."""
    pieces = []
    for turn in (-1, 0, 1):
        frame = box(-180.0 + 360.0 * turn, -90.0, 180.0 + 360.0 * turn, 90.0)
        part = shapely.intersection(geom, frame)
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, xoff=-360.0 * turn))
    return polygons_only(shapely.unary_union(pieces))


def polygons_only(geom: shapely.Geometry) -> MultiPolygon:
    """Keep the polygonal parts (make_valid and cutting can leave lines or points)."""
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon) and not part.is_empty:
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(part.geoms)
        elif part.geom_type == "GeometryCollection":
            polys.extend(polygons_only(part).geoms)
    return MultiPolygon(polys)


def repair(geom: shapely.Geometry) -> MultiPolygon:
    """Unwrap each ring by whole turns, make_valid, union, split at 180 deg."""
    pieces = []
    for poly in shapely.get_parts(geom):
        shell = unwrap_ring(np.asarray(poly.exterior.coords))
        holes = [unwrap_ring(np.asarray(r.coords)) for r in poly.interiors]
        pieces.append(shapely.make_valid(Polygon(shell, holes)))
    merged = shapely.unary_union(pieces)
    out = split_at_antimeridian(merged)
    if not out.is_valid:  # last resort for quantisation artefacts along the cut
        out = polygons_only(shapely.make_valid(out))
    return out


def identify(ids: pd.Series, names: pd.Series, sov: pd.DataFrame) -> pd.DataFrame:
    """Map world-atlas ids (ISO numeric strings) and names to codes and names."""
    invented = {r.ne_name: r.iso_a3 for r in sov.itertuples() if r.invented == "invented"}
    rows = []
    for raw_id, ne_name in zip(ids, names, strict=True):
        if ne_name in invented:  # no id, or (Ashmore and Cartier) Australia's id
            rows.append((invented[ne_name], None, ne_name, ne_name))
            continue
        country = pycountry.countries.get(numeric=str(raw_id))
        if country is None:
            raise SystemExit(f"no ISO code for world-atlas feature {raw_id!r} {ne_name!r}")
        name = getattr(country, "common_name", None) or country.name
        official = getattr(country, "official_name", None) or country.name
        rows.append((country.alpha_3, int(country.numeric), name, official))
    return pd.DataFrame(rows, columns=["iso_a3", "iso_n3", "name", "official_name"])


def build_resolution(pkg: Path, resolution: str, sov: pd.DataFrame) -> gpd.GeoDataFrame:
    raw = gpd.read_file(pkg / f"countries-{resolution}.json", layer="countries", engine="pyogrio")
    ident = identify(raw["id"], raw["name"], sov)
    sov_by_code = sov.set_index("iso_a3")
    df = ident.assign(ne_name=raw["name"].to_numpy())
    df["iso_n3"] = df["iso_n3"].astype("Int64")
    df["sovereign_a3"] = [
        sov_by_code.at[c, "sovereign_a3"] if c in sov_by_code.index else c for c in df.iso_a3
    ]
    df["kind"] = [
        sov_by_code.at[c, "kind"] if c in sov_by_code.index else "sovereign" for c in df.iso_a3
    ]
    if df.iso_a3.duplicated().any():
        raise SystemExit(f"duplicate codes: {df.iso_a3[df.iso_a3.duplicated()].tolist()}")
    geoms = [repair(g) for g in raw.geometry]
    out = gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")
    bad = out[~out.is_valid]
    if len(bad):
        raise SystemExit(f"still invalid after repair: {bad.iso_a3.tolist()}")
    b = out.total_bounds
    if b[0] < -180 or b[2] > 180:
        raise SystemExit(f"bounds outside [-180, 180]: {b}")
    cols = ["iso_a3", "iso_n3", "name", "ne_name", "official_name", "sovereign_a3", "kind"]
    return out[[*cols, "geometry"]].sort_values("iso_a3").reset_index(drop=True)


def disputed_features(world: gpd.GeoDataFrame, resolution: str) -> list[dict]:
    feats = []
    for area in DISPUTED:
        unit = world.loc[world.iso_a3 == area["ne_unit"], "geometry"].iloc[0]
        if area["point"] is None:
            geom = unit
        else:
            pt = shapely.Point(area["point"])
            hits = [p for p in unit.geoms if p.contains(pt)]
            if len(hits) != 1:
                raise SystemExit(f"{area['id']}: {len(hits)} parts of {area['ne_unit']} hold {pt}")
            geom = MultiPolygon(hits)
        props = {k: v for k, v in area.items() if k != "point"}
        props["resolution"] = resolution
        feats.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    return feats


def main() -> int:
    sov = read_sovereignty()
    features = []
    with tempfile.TemporaryDirectory() as tmp:
        pkg = fetch(Path(tmp))
        for resolution in RESOLUTIONS:
            world = build_resolution(pkg, resolution, sov)
            world.to_parquet(HERE / f"countries_{resolution}.parquet", index=False)
            features += disputed_features(world, resolution)
            sevastopol = shapely.Point(33.52, 44.60)
            crimea = shapely.geometry.shape(features[-len(DISPUTED)]["geometry"])
            print(
                f"{resolution}: {len(world)} units; Sevastopol in CRIMEA: "
                f"{crimea.contains(sevastopol)}",
                file=sys.stderr,
            )
    collection = {
        "type": "FeatureCollection",
        "name": "deployguard_disputed_areas",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    with open(HERE / "disputed_areas.geojson", "w", encoding="utf-8") as fh:
        json.dump(collection, fh, ensure_ascii=False)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
