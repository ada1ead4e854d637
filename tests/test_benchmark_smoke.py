"""The geodesy benchmark script runs end to end on a tiny input."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "bench_geodesy.py"


@pytest.mark.slow
def test_bench_geodesy_runs():
    res = subprocess.run(
        [sys.executable, str(SCRIPT), "--n", "2000", "--resolution", "50m", "--sub", "5"],
        capture_output=True, text=True, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    for word in ("distance_km", "within_range", "reach_zone", "brute force", "max |"):
        assert word in res.stdout
