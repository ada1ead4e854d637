"""Compute the territory rows of ``golden_distances_territories.csv`` by brute force.

Run from the repository root: ``python tests/make_golden_territories.py``. Each distance comes
from ``tests/reference.py`` (shapely.segmentize + pyproj.Geod.inv to every sample + golden
section refinement), which shares no code with deployguard's kernel.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

import deployguard as dg  # noqa: E402
from tests.reference import brute_distance_m  # noqa: E402

ROWS = [
    # name, lon, lat, territory, resolution, sea, note
    ("Kaliningrad-POL", 20.5110, 54.7065, "POL", "50m", False, "exclave to its neighbour"),
    ("Kaliningrad-LTU", 20.5110, 54.7065, "LTU", "50m", False, "exclave to its neighbour"),
    ("Kaliningrad-DEU", 20.5110, 54.7065, "DEU", "50m", False, ""),
    ("Wiesbaden-RUS", 8.3253, 50.0497, "RUS", "50m", False, "nearest Russia is Kaliningrad"),
    ("Anchorage-RUS", -149.9003, 61.2181, "RUS", "50m", False, "across 180 deg"),
    ("Site175E-USA", 175.0, 65.0, "USA", "50m", False, "across 180 deg"),
    ("Andersen-RUS", 144.93, 13.584, "RUS", "50m", False, "Guam"),
    ("NorthPole-RUS", 0.0, 90.0, "RUS", "50m", False, "the pole"),
    ("Kaliningrad-USA", 20.5110, 54.7065, "USA", "50m", False,
     "northern Maine; the 5,970 km often quoted is to Eastport, a point further away"),
    ("Tallinn-RUS-sea", 24.7536, 59.4370, "RUS", "50m", True, "with the 12-nmi sea"),
]


def main() -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "lon", "lat", "territory", "resolution", "sea", "km",
                     "tolerance_m", "source"])
    for name, lon, lat, code, res, sea, note in ROWS:
        geom = dg.World.load(res).territory(code, sea=sea)
        km = brute_distance_m(lon, lat, geom) / 1000.0
        source = "brute force, tests/make_golden_territories.py" + (f" ({note})" if note else "")
        writer.writerow([name, lon, lat, code, res, sea, f"{km:.4f}", 1.0, source])


if __name__ == "__main__":
    main()
