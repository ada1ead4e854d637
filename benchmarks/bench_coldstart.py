"""Cold start: how long a fresh process takes to answer, as a ratio to the geo stack's floor.

Run from the repository root (with the package installed)::

    python benchmarks/bench_coldstart.py              # best of 3 fresh processes each
    python benchmarks/bench_coldstart.py --repeat 5

The floor is a fresh process importing geopandas, pyproj, shapely and matplotlib.pyplot: no
deployguard answer can come sooner. Each case runs in its own fresh process, ``--repeat`` times,
and the best time counts (the machine is shared). Wall time is what a user waits; CPU time
(user + system, the process's own) is steadier on a loaded machine, so both are printed. The
run first fills deployguard's cache once (``--no-warm`` skips that), so the numbers are those
of every run after the first.

Targets (issue 18), as ratios to the floor: ``check()`` of one deployment <= 1.5,
``deployguard reach Iskander-M --at Kaliningrad`` <= 1.5, ``deployguard check builtin
--no-map`` <= 2.5.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

FLOOR = "import geopandas, pyproj, shapely, matplotlib.pyplot"
CHECK_ONE = (
    "import deployguard as dg; "
    "dg.check([dg.Deployment(by='RUS', at='Kaliningrad', date='2018-02-05', "
    "system='Iskander-M')])"
)


def _console() -> list[str]:
    # the console script next to this interpreter (a venv), else `python -m deployguard`
    script = shutil.which("deployguard", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "deployguard"]


CASES: list[tuple[str, list[str], float | None]] = [
    ("floor: import geopandas, pyproj, shapely, matplotlib.pyplot",
     [sys.executable, "-c", FLOOR], None),
    ("check() of one deployment", [sys.executable, "-c", CHECK_ONE], 1.5),
    ("deployguard reach Iskander-M --at Kaliningrad",
     [*_console(), "reach", "Iskander-M", "--at", "Kaliningrad"], 1.5),
    ("deployguard check builtin --no-map", [*_console(), "check", "builtin", "--no-map"], 2.5),
]


def _once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the child's own) of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime


def _best(cmd: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float]:
    runs = [_once(cmd, env) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-warm", action="store_true",
                        help="do not fill the cache first (measure what is there)")
    args = parser.parse_args()
    env = dict(os.environ)
    if not args.no_warm:
        for _, cmd, _ in CASES[1:]:
            _once(cmd, env)
    floor, floor_cpu = _best(CASES[0][1], args.repeat, env)
    print(f"{'case':50s} {'wall s':>7s} {'ratio':>6s} {'CPU s':>6s} {'ratio':>6s} {'target':>7s}")
    print(f"{CASES[0][0][:50]:50s} {floor:7.2f} {1.0:6.2f} {floor_cpu:6.2f} {1.0:6.2f}")
    for name, cmd, target in CASES[1:]:
        t, cpu = _best(cmd, args.repeat, env)
        mark = "" if target is None else f"<= {target:.1f}" + ("" if t / floor <= target else " !")
        print(f"{name[:50]:50s} {t:7.2f} {t / floor:6.2f} {cpu:6.2f} {cpu / floor_cpu:6.2f} "
              f"{mark:>7s}")


if __name__ == "__main__":
    main()
