"""The ``deployguard`` command line.

``deployguard check SCENARIO`` checks a scenario file (YAML, JSON, CSV, GeoJSON, GeoParquet)
against the December 2021 drafts; ``reach``, ``zone``, ``systems``, ``states``, ``baseline``
and ``demo`` answer the questions around it. Each command is one module here with one
:class:`~deployguard.cli._base.Command` record; :mod:`deployguard.cli.main` lists them.

Exit status: 0 no violation, 1 at least one violation (``check``), 2 bad input or usage, 3
deployguard could not finish, 130 interrupted.

Examples
--------
>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()) as out:
...     code = main(["--help"])
>>> code, "check" in out.getvalue()
(0, True)
"""

from deployguard.cli.main import main

__all__ = ["main"]
