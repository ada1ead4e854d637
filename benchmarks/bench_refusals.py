"""Benchmark: how long ``check()`` takes to refuse warships placed on land (issue 22 item 6).

Run from the repository root::

    python benchmarks/bench_refusals.py            # 200 ships in one region, 1,000 worldwide

Each case runs in a fresh subprocess: a first ``check()`` of a few ships builds what the
refusal needs (borders, the territorial-sea index of each state met), then the timed one
refuses the rest. Worldwide ships meet about 85 states, so their time includes building one
index per state; ships in one region meet the same few states, so theirs is the refusal alone.
The review measured 0.33 s per ship before the fix (one index rebuilt per ship; 200 ships in
67 s). Times on a shared machine: let a quiet one give the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, sys, time, warnings
import numpy as np
import deployguard as dg
warnings.simplefilter("ignore")
n, worldwide = int(sys.argv[1]), sys.argv[2] == "worldwide"
rng = np.random.default_rng(22)
world = dg.World.load("10m")
if worldwide:
    lon, lat = rng.uniform(-180, 180, 40 * n), rng.uniform(-60, 75, 40 * n)
else:  # inland Germany, Poland and Czechia
    lon, lat = rng.uniform(10, 18, 40 * n), rng.uniform(49.5, 51, 40 * n)
keep = world.state_at(lon, lat) != ""
lon, lat = lon[keep][: n + 5], lat[keep][: n + 5]
ships = [dg.Deployment(by="USA", at=(float(x), float(y)), date="2022-01-01",
                       system="Arleigh Burke DDG") for x, y in zip(lon, lat, strict=True)]
try:
    dg.check(ships[n:])  # five ships: borders and the first indexes
except dg.InvalidInputError:
    pass
wall, cpu = time.perf_counter(), time.process_time()
try:
    dg.check(ships[:n])
    refused = False
except dg.InvalidInputError:
    refused = True
print(json.dumps({"n": n, "worldwide": worldwide, "refused": refused,
                  "wall_s": round(time.perf_counter() - wall, 3),
                  "cpu_s": round(time.process_time() - cpu, 3)}))
"""


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--region", type=int, default=200, help="ships in one region")
    p.add_argument("--worldwide", type=int, default=1000, help="ships anywhere on land")
    args = p.parse_args(argv)
    for n, where in ((args.region, "region"), (args.worldwide, "worldwide")):
        out = subprocess.run([sys.executable, "-c", CHILD, str(n), where], check=True,
                             capture_output=True, text=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{row['n']:>6} warships on land ({where}): refused={row['refused']} in "
              f"{row['wall_s']:.2f} s wall, {row['cpu_s']:.2f} s CPU "
              f"({1000 * row['wall_s'] / row['n']:.1f} ms per ship)")


if __name__ == "__main__":
    main()
