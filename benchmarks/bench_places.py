"""Speed of places_in_reach against a brute force over every place, in the same run.

    python benchmarks/bench_places.py [--repeat 5]

What is timed (wall clock, best of ``--repeat``): the first call (reads places.csv, builds the
k-d tree and, on the first coastal place off the map's coastline, the territorial-sea index of
the world); then ``places_in_reach`` and ``reach_summary`` from Kaliningrad at 500, 2,500 and
10,000 km; and the brute force, ``pyproj.Geod.inv`` from the point to all 34,006 places plus
the same country lookup. The results of both are compared (same places, same distances).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from pyproj import Geod

from deployguard.geography import places as places_module
from deployguard.geography.places import places_in_reach, reach_summary
from deployguard.geography.world import World

POINT = (20.511, 54.7065)  # Kaliningrad


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def brute(range_km: float) -> set[int]:
    table = places_module._places()
    geod = Geod(ellps="WGS84")
    n = table.lon.size
    _, _, m = geod.inv(np.full(n, POINT[0]), np.full(n, POINT[1]), table.lon, table.lat)
    inside = np.asarray(m) / 1000.0 <= range_km
    World.load().state_at(table.lon[inside], table.lat[inside], sovereign=False)
    return set(table.geonameid[inside].tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    t0 = time.perf_counter()
    places_in_reach(*POINT, 500)
    print(f"first call (load places, k-d tree, world, sea index): {time.perf_counter() - t0:.2f} s")
    print(f"{'range km':>9} {'places':>7} {'places_in_reach':>16} {'reach_summary':>14} "
          f"{'brute force':>12} {'ratio':>6}")
    for km in (500, 2500, 10000):
        got = set(places_in_reach(*POINT, km).geonameid)
        assert got == brute(km), km
        t_fast = best(lambda km=km: places_in_reach(*POINT, km), args.repeat)
        t_sum = best(lambda km=km: reach_summary(*POINT, km), args.repeat)
        t_brute = best(lambda km=km: brute(km), args.repeat)
        print(f"{km:9,d} {len(got):7,d} {t_fast * 1000:13.1f} ms {t_sum * 1000:11.1f} ms "
              f"{t_brute * 1000:9.1f} ms {t_brute / t_fast:6.1f}")
    print("(shared machine: compare the ratio, measured in the same run, not the absolute times)")


if __name__ == "__main__":
    main()
