"""A check's reports on stdout (table, JSON, CSV, Markdown) and the map image.

Every machine-readable format comes from :func:`deployguard.treaty.writer.write_runs`, the
writer of ``Report.write``: what ``--format json`` prints is ``findings.json``, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from deployguard.cli._base import MAP_DPI

if TYPE_CHECKING:
    from deployguard.treaty.report import Report

__all__ = ["FORMATS", "has_locations", "map_image", "show"]

FORMATS = ("table", "json", "csv", "markdown")


def show(reports: Sequence[Report], fmt: str, origin: str, out: TextIO) -> None:
    """Write the reports to ``out`` in ``fmt`` (one of :data:`FORMATS`), streamed."""
    from deployguard.treaty import render
    from deployguard.treaty.writer import write_runs

    if fmt == "json":
        write_runs(reports, json_file=out, source=origin)
    elif fmt == "csv":
        write_runs(reports, csv_file=out)
    elif fmt == "markdown":
        write_runs(reports, markdown=out)
    else:
        many = len(reports) > 1
        for j, report in enumerate(reports):
            estimate = report.settings.get("range_estimate")
            head = f"=== range estimate: {estimate} ===\n" if many else ""
            out.write(("\n" if j else "") + head)
            out.writelines(line + "\n" for line in render.text_lines(report))


def has_locations(report: Report) -> bool:
    """Whether any deployment has a place to put on a map."""
    return any(d.geometry is not None for d in report.deployments)


def map_image(report: Report, suffix: str, *, dpi: float = MAP_DPI) -> bytes:
    """The report's map (:func:`deployguard.plot_report`) as image bytes (``suffix``: format)."""
    import matplotlib

    matplotlib.use("Agg")  # a command line never needs a window
    import matplotlib.pyplot as plt

    from deployguard.geography.world import World
    from deployguard.viz.output import figure_bytes
    from deployguard.viz.plotting import plot_report

    s = report.settings
    world = World.load(str(s.get("resolution", "50m")), str(s.get("worldview", "de_facto")))
    fig = plot_report(report, None, world=world)
    try:
        return figure_bytes(fig, suffix, dpi)
    finally:
        plt.close(fig)
