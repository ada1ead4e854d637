"""A check's reports in each output format: table, JSON, CSV, Markdown, GeoJSON and the map.

:func:`findings_records` is the one place that turns a report into machine-readable rows:
``Report.to_records()`` where the report has it, otherwise the rows of ``Report.to_frame()``
with their JSON columns parsed back, so ``--format json`` follows the checker's own export.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from deployguard.cli._base import MAP_DPI
from deployguard.cli._output import csv_text, jsonable

if TYPE_CHECKING:
    from deployguard.treaty.report import Report

__all__ = ["evidence_geojson", "findings_records", "json_document", "map_image", "render"]

FORMATS = ("table", "json", "csv", "markdown")


def findings_records(report: Report) -> list[dict[str, Any]]:
    """One JSON-safe dict per finding, in the report's order."""
    to_records = getattr(report, "to_records", None)
    if callable(to_records):
        rows = [dict(r) for r in to_records()]
    else:
        frame = report.to_frame()
        rows = []
        for row in frame.to_dict("records"):
            for key in ("evidence", "assumptions"):
                if isinstance(row.get(key), str):
                    row[key] = json.loads(row[key])
            rows.append(row)
    if len(rows) == len(report.findings):
        index = {id(d): i for i, d in enumerate(report.deployments)}
        for row, f in zip(rows, report.findings, strict=True):
            row.setdefault("deployment_index", index.get(id(f.deployment)))
    return [jsonable(r) for r in rows]


def _estimate(report: Report) -> str:
    return str(report.settings.get("range_estimate"))


def _rows(reports: Sequence[Report]) -> list[dict[str, Any]]:
    rows = []
    for report in reports:
        for r in findings_records(report):
            r["run_range_estimate"] = _estimate(report)
            rows.append(r)
    return rows


def json_document(reports: Sequence[Report], origin: str, version: str) -> dict[str, Any]:
    """What ``--format json`` prints: the settings, the counts and every finding."""
    settings = dict(reports[0].settings)
    if len(reports) > 1:
        settings["range_estimate"] = [_estimate(r) for r in reports]
    rows = _rows(reports)
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r.get("status"))] = counts.get(str(r.get("status")), 0) + 1
    return jsonable({
        "deployguard": version,
        "scenario": origin,
        "deployments": len(reports[0].deployments),
        "settings": settings,
        "counts": counts,
        "violations": counts.get("violation", 0),
        "findings": rows,
    })


def render(reports: Sequence[Report], fmt: str, origin: str, version: str) -> str:
    """The reports as text in ``fmt`` (one of :data:`FORMATS`)."""
    from deployguard.treaty import render as text_render

    if fmt == "json":
        return json.dumps(json_document(reports, origin, version), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text(_rows(reports))
    many = len(reports) > 1
    parts = []
    for report in reports:
        if fmt == "markdown":
            body = text_render.markdown(report)
            if many:
                body = body.replace("# deployguard report",
                                    f"# deployguard report: range estimate {_estimate(report)}", 1)
        else:
            body = text_render.text(report)
            if many:
                body = f"=== range estimate: {_estimate(report)} ===\n{body}"
        parts.append(body.rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def evidence_geojson(reports: Sequence[Report]) -> dict[str, Any]:
    """Deployments and evidence geometries of every run as one FeatureCollection."""
    features = []
    for report in reports:
        for feat in report.to_geojson()["features"]:
            feat = dict(feat)
            feat["properties"] = {**feat.get("properties", {}),
                                  "range_estimate": _estimate(report)}
            features.append(feat)
    return jsonable({"type": "FeatureCollection", "features": features})


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
