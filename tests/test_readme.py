"""The README's first Python example runs as written (users paste it) and its numbers hold."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _first_python_block() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no Python example"
    return blocks[0]


@pytest.mark.slow
def test_readme_first_example_runs_and_its_numbers_hold(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    code = _first_python_block()
    names: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, "README.md", "exec"), names)  # noqa: S102 - our own README
    import shapely

    # the numbers the comments quote
    assert round(float(names["dg"].distance_km(20.511, 54.7065, names["poland"])), 2) == 32.77
    assert names["zone"].covers(shapely.Point(0, 90))
    assert names["report"].finding("NATO-5").reason.startswith(
        "depends on the range_estimate: at the low (400 km)")
    assert (tmp_path / "map.png").stat().st_size > 10_000
    assert (tmp_path / "out" / "report.md").is_file()
