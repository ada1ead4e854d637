"""The one writer of a run's files: ``report.md``, ``findings.csv``, ``findings.json`` and
``evidence.geojson``, for :meth:`Report.write` and the command line alike.

All four are written in one pass over the deployments, a chunk at a time: each chunk's
findings become the schema's columns once (:meth:`FindingRecords.columns`), which the CSV, the
JSON and the GeoJSON share, and the Markdown sections of the same deployments follow, while the
places within their reach are still cached. Nothing grows with the number of deployments
except the Markdown summary table's rows, written as they are made.

Examples
--------
>>> import io, json
>>> import deployguard as dg
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> buf = io.StringIO()
>>> write_runs([dg.check(d)], json_file=buf, source="example")
>>> doc = json.loads(buf.getvalue())
>>> doc["scenario"], doc["counts"]["violation"], len(doc["findings"])
('example', 1, 7)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._atomic import folder_problems, output_folder
from deployguard._encode import csv_writer, jsonable
from deployguard.errors import InvalidInputError
from deployguard.treaty.clauses.base import GEOM_REACH
from deployguard.treaty.export import csv_header, csv_rows, json_rows
from deployguard.treaty.render import MarkdownReport
from deployguard.treaty.schema import EVIDENCE_TOLERANCE_KM

if TYPE_CHECKING:
    from deployguard.treaty.report import Report

__all__ = ["FILES", "features", "write_folder", "write_runs"]

#: The files of a run's folder, by the key :meth:`Report.write` returns them under.
FILES = {"report": "report.md", "findings": "findings.csv", "json": "findings.json",
         "evidence": "evidence.geojson"}
#: Deployments per chunk: their distinct reaches (two at most each) fit the places cache, and
#: a chunk's rows (a few kB each with the places) stay a few MB (measured: write() of 2,000
#: deployments adds 16 MB to the peak at 250, 120 MB at 1,000, for the same time).
_CHUNK = 250


def _estimate(report: Report) -> str:
    return str(report.settings.get("range_estimate"))


def _json_head(reports: Sequence[Report], source: str | None) -> str:
    from deployguard import __version__

    settings = dict(reports[0].settings)
    if len(reports) > 1:
        settings["range_estimate"] = [_estimate(r) for r in reports]
    counts = {s: sum(r.counts()[s] for r in reports) for s in reports[0].counts()}
    head = json.dumps(jsonable({
        "deployguard": __version__, "scenario": source,
        "deployments": len(reports[0].deployments), "settings": settings, "counts": counts,
        "violations": counts["violation"]}), ensure_ascii=False)
    return head[:-1] + ', "findings": ['


def _deployment_props(report: Report, i: int) -> str:
    f = report.records.run.frame
    dep = f.deployments[i]
    return json.dumps(jsonable({
        "role": "deployment", "deployment_id": f.ids[i], "deployment_index": i,
        "label": f.labels[i], "deployment": f.labels[i], "by": dep.by, "kind": dep.kind,
        "date": dep.date, "range_estimate": report.records.run.range_estimate,
        "worldview": report.records.run.world.worldview,
        "system": getattr(dep.system, "name", None),
        "statuses": {c: s.value for c, s in report.statuses(i).items()}}), ensure_ascii=False)


def _features(report: Report, bounds: NDArray[np.intp], d0: int, d1: int, rows: list[str],
              k0: int) -> Iterator[tuple[BaseGeometry, str]]:
    """Features of deployments ``d0:d1``; ``rows`` are their findings' JSON rows from
    finding ``k0`` on.
    """
    rec = report.records
    t = rec.table
    tail = f', "tolerance_km": {EVIDENCE_TOLERANCE_KM!r}}}'
    for i in range(d0, d1):
        geom = rec.run.frame.geometries[i]
        if geom is None:
            continue
        yield geom, _deployment_props(report, i)
        for k in range(int(bounds[i]), int(bounds[i + 1])):
            if t.geometry_kind(k) != GEOM_REACH:
                continue
            ev_geom = report.evidence_geometry(k)
            if ev_geom is not None:
                yield ev_geom, '{"role": "evidence", ' + rows[k - k0][1:-1] + tail


def _chunks(report: Report, bounds: NDArray[np.intp]) -> Iterator[tuple[int, int, int, int]]:
    n = len(report.deployments)
    for d0 in range(0, n, _CHUNK):
        d1 = min(n, d0 + _CHUNK)
        yield d0, d1, int(bounds[d0]), int(bounds[d1])


def features(report: Report) -> Iterator[tuple[BaseGeometry, str]]:
    """GeoJSON features of ``report`` one at a time, as (geometry, properties as JSON text):
    each deployment, then the evidence geometry of its reach findings.
    """
    bounds = report.records.bounds()
    for d0, d1, k0, k1 in _chunks(report, bounds):
        rows = list(json_rows(report.records.columns(np.arange(k0, k1))))
        yield from _features(report, bounds, d0, d1, rows, k0)


def write_runs(reports: Sequence[Report], *, markdown: IO[str] | None = None,
               csv_file: IO[str] | None = None, json_file: IO[str] | None = None,
               geojson: IO[str] | None = None, source: str | None = None) -> None:
    """Stream the findings of ``reports`` (runs of the same deployments) into the files given.

    ``markdown`` gets report.md, ``csv_file`` findings.csv (formula-like text neutralised),
    ``json_file`` findings.json (the settings, the counts, then one finding a line),
    ``geojson`` evidence.geojson. Several runs follow one another in each file.
    """
    if not reports:
        raise InvalidInputError("write_runs needs at least one report")
    labels = reports[0].records.run.frame.labels
    for other in reports[1:]:
        if other.records.run.frame.labels != labels:
            raise InvalidInputError(
                "runs must be reports of the same deployments (checked with other settings), "
                f"got a run of {len(other.deployments)} deployments whose labels differ from the "
                f"first run's {len(labels)}")
    table = csv_writer(csv_file) if csv_file is not None else None
    if table is not None:
        table.writerow(csv_header())
    if json_file is not None:
        json_file.write(_json_head(reports, source))
    if geojson is not None:
        geojson.write('{"type": "FeatureCollection", "features": [')
    first_row = first_feature = True
    for r, report in enumerate(reports):
        title = ("deployguard report" if len(reports) == 1
                 else f"deployguard report: range estimate {_estimate(report)}")
        md = MarkdownReport(report, title) if markdown is not None else None
        if md is not None and markdown is not None:
            if r:
                markdown.write("\n")
            markdown.writelines(md.head())
        bounds = report.records.bounds()
        for d0, d1, k0, k1 in _chunks(report, bounds):
            need_rows = json_file is not None or geojson is not None
            if table is not None or need_rows:
                cols = report.records.columns(np.arange(k0, k1))
                if table is not None:
                    table.writerows(csv_rows(cols))
                rows = list(json_rows(cols)) if need_rows else []
                if json_file is not None and rows:
                    json_file.write(("\n" if first_row else ",\n") + ",\n".join(rows))
                    first_row = False
            if md is not None and markdown is not None:
                markdown.writelines(md.section(i) for i in range(d0, d1))
            if geojson is not None:
                for geom, props in _features(report, bounds, d0, d1, rows, k0):
                    # the geometry goes straight from GEOS to GeoJSON text
                    geojson.write(("" if first_feature else ",") + '\n{"type": "Feature", '
                                  '"geometry": ' + shapely.to_geojson(geom)
                                  + ', "properties": ' + props + "}")
                    first_feature = False
        if md is not None and markdown is not None:
            markdown.write(md.tail())
    if json_file is not None:
        json_file.write("\n]}\n")
    if geojson is not None:
        geojson.write("\n]}\n")


def write_folder(reports: Sequence[Report], folder: Path, *, source: str | None = None,
                 force: bool = False, option: str = "out_dir",
                 extra: Mapping[str, Callable[[Path], object]] | None = None,
                 ) -> dict[str, Path]:
    """:func:`write_runs` into the four files of :data:`FILES` in ``folder``, plus ``extra``,
    as one set (:func:`deployguard._atomic.output_folder`). See :meth:`Report.write`.
    """
    extra = dict(extra or {})
    names = [*FILES.values(), *extra]
    problems = folder_problems(folder, names, option, force)
    if problems:  # before any work
        raise InvalidInputError(problems[0])
    with output_folder(folder, force=force, option=option) as stage:
        with (open(stage / FILES["report"], "w", encoding="utf-8", newline="") as md,
              open(stage / FILES["findings"], "w", encoding="utf-8", newline="") as csv_fh,
              open(stage / FILES["json"], "w", encoding="utf-8", newline="") as js,
              open(stage / FILES["evidence"], "w", encoding="utf-8", newline="") as gj):
            write_runs(reports, markdown=md, csv_file=csv_fh, json_file=js, geojson=gj,
                       source=source)
        for name, write in extra.items():
            write(stage / name)
    return {**{key: folder / name for key, name in FILES.items()},
            **{name: folder / name for name in extra}}
