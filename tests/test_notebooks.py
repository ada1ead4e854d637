"""The example notebooks run top to bottom offline without a cell error."""

from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit notebooks without outputs (run notebooks/make_notebooks.py)")
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


def test_notebooks_are_present():
    assert [p.stem[:2] for p in NOTEBOOKS][:3] == ["01", "02", "03"]


def test_every_notebook_is_generated_from_its_source():
    """Each .ipynb matches notebooks/src/<name>.py (run notebooks/make_notebooks.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_notebooks", Path(__file__).parents[1] / "notebooks" / "make_notebooks.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    sources = sorted(make.SOURCES.glob("*.py"))
    assert [s.stem for s in sources] == [p.stem for p in NOTEBOOKS]
    for src, path in zip(sources, NOTEBOOKS, strict=True):
        want = make.notebook_from_source(src.read_text(encoding="utf-8"), src.stem)
        have = nbformat.read(path, as_version=4)
        assert [c.source for c in have.cells] == [c.source for c in want.cells], path.name
