"""Benchmark of ``deployguard.check``: throughput, how cost grows with N, peak memory.

Run from the repository root::

    python benchmarks/bench_checker.py            # N = 1,000, 3,000, 10,000; best of 3
    python benchmarks/bench_checker.py --n 10000 --repeat 5 --write

Random deployments with a fixed seed: ground-launched and sea-launched missiles (Russian and
US systems), heavy bombers, warships (at sea) and forces or exercises, over Europe, the
Arctic and the oceans. Each measurement runs in a fresh subprocess, so its peak resident
memory (``ru_maxrss``) is its own. Times are best-of-N on a shared machine (other jobs run
beside it): compare ratios within one run, and let a quiet machine give the absolute numbers.

Targets (issue 8): at least 5,000 deployments/s for ``check()`` + ``to_frame()`` on 2 cores,
peak memory under 1 GB, and ``Report.write`` of 10,000 deployments under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings

import numpy as np

MISSILES = [("RUS", "Iskander-M"), ("RUS", "9M729"), ("RUS", "Oreshnik"),
            ("RUS", "Kalibr 3M14"), ("USA", "Tomahawk (Typhon)"), ("USA", "Dark Eagle"),
            ("USA", "PrSM"), ("USA", "Typhon")]
BOMBERS = [("RUS", "Tu-95MS"), ("RUS", "Tu-160"), ("USA", "B-52H"), ("USA", "B-1B")]
SHIPS = [("USA", "Arleigh Burke DDG")]
FORCES = ["USA", "GBR", "DEU", "FRA", "RUS", "POL", "CAN", "NLD"]
REGIONS = {  # lon_min, lon_max, lat_min, lat_max
    "europe": (-10.0, 45.0, 35.0, 70.0),
    "arctic": (-180.0, 180.0, 65.0, 90.0),
    "oceans": (-180.0, 180.0, -70.0, 70.0),
}


def scenario(n: int, seed: int = 8) -> list:
    """``n`` random deployments (fixed seed)."""
    import deployguard as dg

    rng = np.random.default_rng(seed)
    world = dg.World.load("10m")
    kinds = rng.choice(["missile", "bomber", "ship", "forces"], size=n, p=[0.3, 0.2, 0.15, 0.35])
    region = rng.choice(list(REGIONS), size=n, p=[0.6, 0.2, 0.2])
    lon = np.empty(n)
    lat = np.empty(n)
    for name, (x0, x1, y0, y1) in REGIONS.items():
        sel = region == name
        lon[sel] = rng.uniform(x0, x1, sel.sum())
        lat[sel] = rng.uniform(y0, y1, sel.sum())
    # warships at sea: move the ones on land out to the open Atlantic
    on_land = world.state_at(lon, lat) != ""
    ship_land = (kinds == "ship") & on_land
    while ship_land.any():  # the box holds the Azores: at 100,000 a ship lands there
        lon[ship_land] = rng.uniform(-40.0, -20.0, ship_land.sum())
        lat[ship_land] = rng.uniform(30.0, 55.0, ship_land.sum())
        ship_land &= world.state_at(lon, lat) != ""
    dates = rng.choice(["2018-06-01", "2022-03-01", "2024-06-01"], size=n)
    out = []
    for i in range(n):
        at = (float(lon[i]), float(lat[i]))
        if kinds[i] == "missile":
            by, system = MISSILES[rng.integers(len(MISSILES))]
            kw = {"system": system}
            if system == "Kalibr 3M14":
                kw["kind"] = "missile"
        elif kinds[i] == "bomber":
            by, system = BOMBERS[rng.integers(len(BOMBERS))]
            kw = {"system": system}
        elif kinds[i] == "ship":
            by, system = SHIPS[0]
            kw = {"system": system, "weapon": "Tomahawk (ship)"}
        else:
            by = FORCES[rng.integers(len(FORCES))]
            kw = {"personnel": int(rng.integers(100, 40_000)),
                  "kind": "exercise" if rng.random() < 0.3 else "forces"}
        out.append(dg.Deployment(by=by, at=at, date=str(dates[i]), **kw))
    return out


def _measure(n: int, repeat: int, write: bool, trace: bool) -> dict:
    import tempfile

    import deployguard as dg

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    dg.check(scenario(50, seed=1))  # loads borders and builds indices: the cold start
    cold = time.perf_counter() - t0
    deps = scenario(n)
    best = np.inf
    best_cpu = np.inf
    findings = 0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        report = dg.check(deps)
        frame = report.to_frame()
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
        findings = len(frame)
        del frame
    # CPU seconds of this process: less disturbed by other jobs than the wall clock
    out = {"n": n, "findings": findings, "best_s": best, "per_s": n / best, "cold_start_s": cold,
           "cpu_s": best_cpu, "repeat": repeat}
    if trace:
        tracemalloc.start()
        report = dg.check(deps)
        report.to_frame()
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    if write:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            paths = report.write(tmp)
            out["write_s"] = time.perf_counter() - t
            out["write_mb"] = {k: round(p.stat().st_size / 1e6, 1) for k, p in paths.items()}
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, nargs="*", default=[1000, 3000, 10000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--write", action="store_true", help="also time Report.write (largest N)")
    p.add_argument("--trace", action="store_true", help="tracemalloc peak (slower)")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is not None:
        print(json.dumps(_measure(args.child, args.repeat, args.write, args.trace)))
        return
    rows = []
    for n in args.n:
        cmd = [sys.executable, __file__, "--child", str(n), "--repeat", str(args.repeat)]
        if args.write and n == max(args.n):
            cmd.append("--write")
        if args.trace:
            cmd.append("--trace")
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True)
                         .stdout.strip().splitlines()[-1])
        rows.append(res)
        extra = ""
        if "write_s" in res:
            extra = f"  write {res['write_s']:.1f} s {res['write_mb']}"
        if "tracemalloc_peak_mb" in res:
            extra += f"  tracemalloc peak {res['tracemalloc_peak_mb']:.0f} MB"
        print(f"N={n:>6}  findings={res['findings']:>7}  best of {res['repeat']}: "
              f"{res['best_s']:.2f} s = {res['per_s']:,.0f} deployments/s "
              f"(CPU {res['cpu_s']:.2f} s)  "
              f"peak RSS {res['maxrss_mb']:.0f} MB  (cold start {res['cold_start_s']:.1f} s)"
              + extra, flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        growth = np.log(b["best_s"] / a["best_s"]) / np.log(b["n"] / a["n"])
        print(f"time grows as N^{growth:.2f} from N={a['n']} to N={b['n']}")
    print("(shared machine: best-of-N times; compare ratios within one run)")


if __name__ == "__main__":
    main()
