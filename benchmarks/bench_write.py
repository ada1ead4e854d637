"""Benchmark of ``check()`` + ``Report.write()``: time and peak memory as N grows (issue 22).

Run from the repository root::

    python benchmarks/bench_write.py                    # N = 1,000, 10,000, 100,000
    python benchmarks/bench_write.py --n 1000 10000

The deployments are ``bench_checker.scenario(n)`` (a fixed-seed global mix of missiles,
bombers, warships and forces). Each N runs in a fresh subprocess, so the peak resident memory
(``ru_maxrss``) is its own; it is read after ``check()`` and again after ``write()``, so the
growth that writing adds is visible. Every output is streamed (issue 22 item 5): the write
should add little memory, and its time should grow linearly with N.

Target (issue 22): peak memory at 100,000 deployments under 1.5 GB, time linear in N.

Measured on the shared 2-core machine (8 Dec 2026, CPU seconds; wall clocks were 3-7x longer
under other jobs): N = 1,000: check 15.0 s, write 5.3 s, peak RSS 853 MB after check and
868 MB after write; N = 10,000: check 25.0 s, write 50.2 s (x9.5 for x10 deployments), peak
1,063 MB after check and 1,082 MB after write. Writing adds about 20 MB whatever N.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(n: int) -> dict[str, float | int]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_checker import scenario

    import deployguard as dg

    warnings.simplefilter("ignore")
    deps = scenario(n)
    base = _rss_mb()
    t, c = time.perf_counter(), time.process_time()
    report = dg.check(deps)
    check_s, check_cpu = time.perf_counter() - t, time.process_time() - c
    after_check = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        t, c = time.perf_counter(), time.process_time()
        paths = report.write(Path(tmp) / "out")
        write_s, write_cpu = time.perf_counter() - t, time.process_time() - c
        sizes = {k: round(p.stat().st_size / 1e6, 1) for k, p in paths.items()}
    # CPU seconds of this process: less disturbed by other jobs than the wall clock
    return {"n": n, "findings": len(report), "check_s": round(check_s, 1),
            "check_cpu_s": round(check_cpu, 1), "write_s": round(write_s, 1),
            "write_cpu_s": round(write_cpu, 1), "rss_inputs_mb": round(base),
            "rss_after_check_mb": round(after_check), "rss_after_write_mb": round(_rss_mb()),
            **{f"{k}_mb": v for k, v in sizes.items()}}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--n", type=int, nargs="*", default=[1000, 10_000, 100_000])
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is not None:
        print(json.dumps(_measure(args.child)))
        return
    rows = []
    for n in args.n:
        res = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True,
                             text=True)
        if res.returncode:
            sys.exit(f"N = {n} failed:\n{res.stderr}")
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        ratio = b["n"] / a["n"]
        print(f"N x{ratio:g}: write CPU time "
              f"x{b['write_cpu_s'] / max(a['write_cpu_s'], 1e-9):.1f}, check CPU time "
              f"x{b['check_cpu_s'] / max(a['check_cpu_s'], 1e-9):.1f}")


if __name__ == "__main__":
    main()
