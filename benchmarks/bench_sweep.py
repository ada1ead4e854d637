"""Benchmark deployguard.sweep: a 10 km grid over the land of Europe and western Russia x 10
systems x 3 range estimates, in memory and on a 2-worker Dask LocalCluster; decisions per
second and peak memory; how the cost grows with the number of sites and with boundary detail
(50m vs 10m).

Each case runs in a fresh subprocess, so its peak memory (ru_maxrss) is its own; the time is
the best of ``--repeat`` calls in that process ("warm": the World and the protected-state
indexes are cached after the first call, whose time is reported as "cold"). The machine may be
shared: compare ratios measured in the same run, and take the numbers as upper bounds.

    python benchmarks/bench_sweep.py                 # the full benchmark (several minutes)
    python benchmarks/bench_sweep.py --quick         # a small smoke run
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

BOX = (-11.0, 35.0, 60.0, 71.0)  # Europe and western Russia
SYSTEMS = ["Iskander-M", "9M728", "9M729", "Oreshnik", "Dark Eagle", "Typhon", "PrSM",
           "Tomahawk (Typhon)", "Pershing II", "BGM-109G Gryphon"]
ESTIMATES = ["low", "nominal", "high"]


def run_case(case: dict) -> dict:
    import shapely

    import deployguard as dg

    world = dg.World.load(case["resolution"])
    # land only: the clauses concern ground-launched missiles, which stand on land
    land = shapely.intersection(shapely.box(*case["box"]),
                                shapely.union_all(world.states.geometry.to_numpy()))
    sites = dg.grid(land, case["spacing"])
    systems = SYSTEMS[: case["systems"]]
    args = {"by": "host", "on": "2021-12-17", "range_estimate": ESTIMATES,
            "resolution": case["resolution"], "progress": False}
    client = cluster = None
    if case["dask"]:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                               dashboard_address=None)
        client = Client(cluster)
        args["client"] = client
        args["partition_size"] = max(1, len(sites) // 8)
    times = []
    for _ in range(case["repeat"]):
        t0 = time.perf_counter()
        table = dg.sweep(sites, systems, **args)
        times.append(time.perf_counter() - t0)
    if client is not None:
        client.close()
        cluster.close()
    rows = len(table)
    return {"sites": len(sites), "rows": rows, "cold_s": times[0],
            "warm_s": min(times[1:] or times),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "violations": int((table["NATO-5"] == "violation").sum())}


def spawn(case: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--case", json.dumps(case)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--repeat", type=int, default=3, help="calls per case (best is kept)")
    opts = parser.parse_args()
    if opts.case:
        print(json.dumps(run_case(json.loads(opts.case))))
        return
    base = {"box": BOX, "spacing": 10.0, "systems": 10, "resolution": "50m", "dask": False,
            "repeat": opts.repeat}
    if opts.quick:
        base.update(box=(18.0, 53.0, 40.0, 60.0), spacing=50.0, systems=3, repeat=2)
    cases = [("in memory", base), ("dask, 2 workers", {**base, "dask": True})]
    scale = [25.0, 50.0] if opts.quick else [40.0, 20.0, 10.0]
    cases += [(f"sites: {s:g} km grid", {**base, "spacing": s}) for s in scale]
    detail = 50.0 if opts.quick else 20.0
    cases += [(f"borders {r} ({detail:g} km)", {**base, "spacing": detail, "resolution": r})
              for r in ("50m", "10m")]
    print(f"sweep benchmark (python {sys.version.split()[0]}; shared machine: best of "
          f"{base['repeat']} calls per case, each case in its own process)")
    print(f"{'case':28s} {'sites':>8s} {'decisions':>10s} {'cold s':>8s} {'warm s':>8s} "
          f"{'decisions/s':>12s} {'peak MB':>8s}")
    for label, case in cases:
        res = spawn(case)
        rate = res["rows"] / res["warm_s"]
        print(f"{label:28s} {res['sites']:8,d} {res['rows']:10,d} {res['cold_s']:8.2f} "
              f"{res['warm_s']:8.2f} {rate:12,.0f} {res['peak_mb']:8.0f}", flush=True)
    print("decisions = sites x systems x estimates (each with a US-6 and a NATO-5 verdict)")


if __name__ == "__main__":
    main()
