"""The table a sweep returns: one row per site x system x estimate x worldview, and its file.

:class:`SweepTable` is a :class:`pandas.DataFrame` (so filtering, grouping and plotting work as
usual) whose :meth:`~SweepTable.to_parquet` writes GeoParquet 1.0.0 atomically: point
geometries in WKB, lon/lat on WGS84 (EPSG:4326), the sweep's assumptions in the file's
metadata, written in row groups so memory does not grow with the table.
``geopandas.read_parquet`` reads it back as a GeoDataFrame.

Examples
--------
>>> import pathlib, tempfile, geopandas as gpd
>>> t = SweepTable({"site_id": [1, 2], "lon": [20.5, 21.0], "lat": [54.7, 52.2]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "sweep.parquet"
>>> t.to_parquet(path)
>>> back = gpd.read_parquet(path)
>>> back.crs.to_epsg(), back.geometry.iloc[0].x
(4326, 20.5)
"""

from __future__ import annotations

import json
import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from deployguard._atomic import atomic_open
from deployguard.errors import InvalidInputError

__all__ = ["SweepTable"]

_ROW_GROUP = 262_144


def _geo_metadata(lon: np.ndarray, lat: np.ndarray) -> bytes:
    bbox = ([float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())]
            if lon.size else [])
    meta = {
        "version": "1.0.0",
        "primary_column": "geometry",
        # GeoParquet stores x = lon, y = lat whatever the CRS's own axis order
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"], "bbox": bbox,
                                 "crs": pyproj.CRS.from_epsg(4326).to_json_dict()}},
    }
    return json.dumps(meta).encode()


class SweepTable(pd.DataFrame):
    """A sweep's tidy table; ``attrs["assumptions"]`` records how it was made.

    See :func:`deployguard.sweep` for the columns.
    """

    @property
    def _constructor(self) -> type[SweepTable]:
        return SweepTable

    @property
    def assumptions(self) -> dict[str, Any]:
        """The sweep's settings and readings (also written into the Parquet file)."""
        out: dict[str, Any] = self.attrs.get("assumptions", {})
        return out

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The table with point geometries (EPSG:4326), for maps and spatial joins."""
        gdf = gpd.GeoDataFrame(
            pd.DataFrame(self), geometry=shapely.points(self["lon"], self["lat"]),
            crs="EPSG:4326",
        )
        gdf.attrs.update(self.attrs)
        return gdf

    def to_parquet(  # type: ignore[override]
        self, path: str | os.PathLike[str], compression: str = "zstd", **kwargs: Any
    ) -> None:
        """Write GeoParquet to ``path`` atomically (a reader never sees half a file).

        Parameters
        ----------
        path : str or path-like
        compression : str, default "zstd"
            Any codec pyarrow supports.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        if kwargs:
            raise InvalidInputError(
                f"SweepTable.to_parquet takes path and compression only, got {sorted(kwargs)}"
            )
        for col in ("lon", "lat"):
            if col not in self.columns:
                raise InvalidInputError(f"the table has no {col!r} column to place its rows")
        lon = self["lon"].to_numpy(float)
        lat = self["lat"].to_numpy(float)
        frame = pd.DataFrame(self)
        first = pa.Table.from_pandas(frame.iloc[:0], preserve_index=False)
        schema = first.schema.append(pa.field("geometry", pa.binary()))
        meta = dict(schema.metadata or {})
        meta[b"geo"] = _geo_metadata(lon, lat)
        meta[b"deployguard"] = json.dumps(self.assumptions, default=str).encode()
        schema = schema.with_metadata(meta)
        with atomic_open(path, "wb") as fh:
            writer = pq.ParquetWriter(fh, schema, compression=compression)
            try:
                for start in range(0, max(len(frame), 1), _ROW_GROUP):
                    part = frame.iloc[start : start + _ROW_GROUP]
                    wkb = shapely.to_wkb(shapely.points(lon[start : start + len(part)],
                                                        lat[start : start + len(part)]))
                    table = pa.Table.from_pandas(part, preserve_index=False, schema=first.schema)
                    table = table.append_column("geometry", pa.array(list(wkb), pa.binary()))
                    writer.write_table(table.replace_schema_metadata(meta))
            finally:
                writer.close()
