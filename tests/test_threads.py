"""Threads share deployguard's caches (worlds, distance indexes, prepared geometries).

Issue 22 item 1: ``check()`` on four threads in a fresh process, at 1:50m and 1:10m at once,
aborted with ``malloc(): unaligned tcache chunk detected`` in 4 of 9 runs: GEOS builds a
prepared geometry's point index on its first query, and two threads built it together. Each
run below is a fresh interpreter (the caches empty, so the threads race to fill them), started
at one barrier; every answer must equal the same call made serially afterwards. First eight
threads ask the 1:50m and 1:10m worlds where points are (the first questions to fresh
geometries: this aborted the old code in about half the runs), then ``check()``, ``sweep()``
and ``permitted_zone()`` run together.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SCRIPT = r"""
import json, sys, threading, warnings
warnings.simplefilter("ignore")
import numpy as np
import shapely
import deployguard as dg
from deployguard.geography.world import World

seed = int(sys.argv[1])
deps = [dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M"),
        dg.Deployment(by="USA", at=(26.1, 44.1), date="2016-05-12", system="Tomahawk (Typhon)"),
        dg.Deployment(by="RUS", at=(30.3, 59.9), date="2020-01-01", system="Kalibr 3M14"),
        dg.Deployment(by="USA", at=(19.5, 55.5), date="2021-06-01", system="Arleigh Burke DDG")]
rng = np.random.default_rng(seed)
lon, lat = rng.uniform(-20, 60, 20_000), rng.uniform(30, 70, 20_000)
sites = {"site_id": np.arange(40), "lon": rng.uniform(14, 24, 40), "lat": rng.uniform(49, 55, 40)}

def verdicts(report):
    out = [(f.clause_id, str(f.status), f.reason) for f in report]
    return out + [None if g is None else shapely.to_wkb(g, hex=True)
                  for g in (report.evidence_geometry(k) for k in range(len(report)))]

def on_threads(jobs):
    # every job on its own thread, all released at once; then each again, serially
    names = list(jobs)
    start = threading.Barrier(len(names))
    threaded, errors = {}, {}

    def run(name):
        start.wait()
        try:
            threaded[name] = jobs[name]()
        except Exception as exc:  # reported, so that the test shows it
            errors[name] = repr(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors, [n for n in names if n not in errors and threaded[n] != jobs[n]()]

World.load("50m"), World.load("10m")  # the borders read; nothing prepared or indexed yet
# first questions to fresh geometries: four threads on each world at once
errors, differ = on_threads({
    f"state_at_{res}_{k}": (lambda res=res: World.load(res).state_at(lon, lat, sea=True).tolist())
    for res in ("50m", "10m") for k in range(4)})
# the faces, sharing distance indexes, state sets and evidence territories
more_errors, more_differ = on_threads({
    "check": lambda: verdicts(dg.check(deps, resolution="50m")),
    "check_again": lambda: verdicts(dg.check(deps, resolution="50m")),
    "sweep": lambda: dg.sweep(sites, ["Tomahawk (Typhon)", "Iskander-M"], on="2021-12-17",
                              progress=False).astype(str).to_numpy().tolist(),
    "permitted_zone": lambda: shapely.to_wkb(dg.permitted_zone(
        "Poland", "Tomahawk (Typhon)", on="2021-12-17", progress=False).geometry, hex=True),
})
errors.update(more_errors)
differ += more_differ
print(json.dumps({"errors": errors, "differ": differ}))
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_check_sweep_and_permitted_zone_on_threads_match_serial(seed):
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(seed)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]  # -6: SIGABRT from a corrupted heap
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"errors": {}, "differ": []}
