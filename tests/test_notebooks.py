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
    """The analyses, numbered 01..09 (01..07 of issue 11, 08 and 09 the demands of the real
    postures of issue 20), each listed in notebooks/README.md."""
    assert [p.stem[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, 10)]
    readme = (Path(__file__).parents[1] / "notebooks" / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert path.name in readme, f"{path.name} is not described in notebooks/README.md"


def test_every_notebook_states_and_asserts_its_conclusion():
    """Each tells its analysis to the end: a Conclusion in prose, a map, and an assert that
    fails loudly if the data no longer give the verdicts the prose states."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        prose = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "Conclusion" in prose or "Reading the map" in prose, path.name
        assert "plt.show()" in code or ".explore(" in code, path.name
        if not path.stem.startswith("07"):  # 07 belongs to the sweep track
            assert "assert " in code, path.name


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
