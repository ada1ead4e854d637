"""Time the maps (headless): the report map of the built-in scenario, one deployment, a
30-state range overlap and a permitted-zone map.  Best and worst of ``--repeat`` runs, with
warm caches (World, territories, land); the checker and the zone computation are not timed.

    python benchmarks/bench_maps.py --repeat 3
"""

import argparse
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import deployguard as dg  # noqa: E402
from deployguard.viz.plotting import (  # noqa: E402
    plot_permitted_zone,
    plot_range_overlap,
    plot_report,
)


def timed(label, fn, repeat):
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
        plt.close("all")
    print(f"{label:<48} best {min(runs):6.2f} s   worst {max(runs):6.2f} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=None, help="also write PNGs into this folder")
    args = ap.parse_args()
    world = dg.World.load("50m")
    report = dg.check(dg.builtin_scenario("real_cases"))
    zone = dg.permitted_zone("USA", "Dark Eagle", on="2021-12-17", progress=False)
    out = None if args.out is None else args.out.rstrip("/")
    path = (lambda name: None) if out is None else (lambda name: f"{out}/{name}.png")
    plot_report(report, world=world)  # warm the caches once
    timed("report map, 16 deployments (PNG 150 dpi if --out)",
          lambda: plot_report(report, path("report"), world=world), args.repeat)
    timed("one deployment with its evidence",
          lambda: plot_report(report, path("deployment"), deployment=3, world=world),
          args.repeat)
    timed("range overlap, Iskander-M vs 30 NATO members",
          lambda: plot_range_overlap("Kaliningrad", "Iskander-M", against="NATO",
                                     on="2022-01-01", world=world, path=path("overlap")),
          args.repeat)
    timed("permitted zone map (zone computed beforehand)",
          lambda: plot_permitted_zone(zone=zone, world=world, path=path("zone")), args.repeat)


if __name__ == "__main__":
    main()
