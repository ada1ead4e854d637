"""Build examples/forces_east.parquet, the GeoParquet example scenario (docs/scenario.md).

GeoParquet keeps one row per deployment, its geometry column standing for ``at``; scenario
defaults go in the file's ``deployguard`` metadata as JSON. Run from the repository root:

    .venv/bin/python examples/build_geoparquet.py
"""

import json
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq
import shapely

rows = [
    {"label": "Russian troops in Belarus, 2022", "by": "RUS", "date": "2022-02-10",
     "personnel": 30000, "category": "ground", "kind": "exercise", "arrangement": "exercise",
     "host": None,
     "why": "Union Resolve 2022: about 30,000 troops was the widely reported order of magnitude "
            "(a scenario figure). At Minsk.",
     "geometry": shapely.Point(27.559, 53.9006)},
    {"label": "US base in Georgia", "by": "USA", "date": "2022-01-01", "personnel": None,
     "category": None, "kind": "base", "arrangement": "permanent", "host": "GEO",
     "why": "US-draft Art. 4 para 2: no US bases in non-NATO former-USSR states. Vaziani hosted "
            "Russia's 137th base until 2001.",
     "geometry": shapely.Point(45.0267, 41.6286)},
]
frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
frame["personnel"] = frame["personnel"].astype("Int64")
out = Path(__file__).with_name("forces_east.parquet")
frame.to_parquet(out)
# scenario defaults travel in the file's key-value metadata
table = pq.read_table(out)
meta = {**(table.schema.metadata or {}), b"deployguard": json.dumps(
    {"title": "Forces in the former USSR", "defaults": {"drafts": ["us", "nato"]}}).encode()}
pq.write_table(table.replace_schema_metadata(meta), out)
print(f"wrote {out}")
