"""Generate the example notebooks from their sources (run: python notebooks/make_notebooks.py).

Each notebook's reviewable source is a percent-format script in ``notebooks/src/``: a line
``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell whose lines begin with ``# ``.
The ``.ipynb`` files are committed without outputs (see ``notebooks/README.md``); the tests run
every one of them top to bottom and check that each is up to date with its source.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
SOURCES = HERE / "src"


def notebook_from_source(text: str, name: str = "nb") -> nbformat.NotebookNode:
    """The notebook whose cells a percent-format script describes (stable cell ids)."""
    cells = []
    kind, lines = None, []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                             for line in body.split("\n"))
            cells.append(new_markdown_cell(body))
        else:
            cells.append(new_code_cell(body))

    for line in text.split("\n"):
        if line.startswith("# %%"):
            flush()
            kind = "markdown" if "[markdown]" in line else "code"
            lines = []
        else:
            lines.append(line)
    flush()
    for i, cell in enumerate(cells):
        cell["id"] = f"{name[:40]}-{i:03d}"  # stable ids keep the committed diff to real edits
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def main() -> int:
    """Write ``notebooks/NN_name.ipynb`` for every ``notebooks/src/NN_name.py``."""
    for src in sorted(SOURCES.glob("*.py")):
        nb = notebook_from_source(src.read_text(encoding="utf-8"), src.stem)
        out = HERE / f"{src.stem}.ipynb"
        nbformat.write(nb, out)
        print(f"wrote {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
