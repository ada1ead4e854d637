"""The result of :func:`deployguard.check`: findings as a table, records, GeoJSON and text.

A :class:`Report` keeps its findings as columns; :attr:`Report.findings` builds the
:class:`~deployguard.treaty.findings.Finding` objects on first use. Evidence geometry (the
reached part of a territory, for maps) is made on demand from the numbers a finding carries,
traced to :data:`EVIDENCE_TOLERANCE_KM` and simplified to the same tolerance.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
>>> report = dg.check(d)
>>> sorted(f.clause_id for f in report.violations)
['NATO-5', 'US-6']
>>> report.to_frame().loc[:, ["deployment_id", "clause", "status"]].shape
(7, 3)
"""

from __future__ import annotations

import functools
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.geography.ranges import range_ring
from deployguard.geography.reached import drawn_territory, reached_part
from deployguard.treaty import render, writer
from deployguard.treaty.clauses import get_clause
from deployguard.treaty.clauses.base import GEOM_REACH, GEOM_SITE
from deployguard.treaty.export import frame_of, records_of
from deployguard.treaty.findings import STATUS_BY_CODE, Finding, Status
from deployguard.treaty.frame import GEOM_POINT
from deployguard.treaty.records import FindingRecords, RunFacts, status_counts
from deployguard.treaty.schema import EVIDENCE_TOLERANCE_KM

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from matplotlib.figure import Figure

    from deployguard.data.deployments import Deployment
    from deployguard.treaty.context import Context
    from deployguard.treaty.engine import FindingTable
    from deployguard.treaty.remedies import Remedies

__all__ = ["EVIDENCE_TOLERANCE_KM", "Findings", "Report"]

_FINDING_CACHE = 4096


class Findings(Sequence[Finding]):
    """The findings of a report as a sequence, built as they are read."""

    def __init__(self, report: Report) -> None:
        self._report = report

    def __len__(self) -> int:
        return len(self._report)

    @overload
    def __getitem__(self, k: int) -> Finding: ...

    @overload
    def __getitem__(self, k: slice) -> list[Finding]: ...

    def __getitem__(self, k: int | slice) -> Finding | list[Finding]:
        n = len(self)
        if isinstance(k, slice):
            return [self._report.finding_at(j) for j in range(*k.indices(n))]
        if not -n <= k < n:
            raise IndexError(f"finding index {k} out of range for {n} findings")
        return self._report.finding_at(k % n)

    def __iter__(self) -> Iterator[Finding]:
        for k in range(len(self)):
            yield self._report.finding_at(k)

    def __repr__(self) -> str:
        return f"<{len(self)} findings>"


class Report:
    """Findings of one check run.

    Attributes
    ----------
    records : FindingRecords
        The findings as columns, with the facts of the run they cite.
    deployments : tuple of Deployment
        The inputs, unchanged.
    settings : dict
        The arguments of the run (drafts, worldview, range estimate, readings, ...).
    """

    def __init__(self, records: FindingRecords, settings: dict[str, Any]) -> None:
        self.records = records
        self.settings = dict(settings)
        self.deployments: tuple[Deployment, ...] = records.run.frame.deployments
        self._bounds = records.bounds()
        self._geometry_cache: dict[tuple[Any, ...], BaseGeometry | None] = {}
        self._drawn: dict[str, BaseGeometry] = {}
        self._rings: dict[tuple[float, ...], shapely.Geometry] = {}
        self._finding_cache: OrderedDict[int, Finding] = OrderedDict()

    @classmethod
    def of_run(cls, table: FindingTable, ctx: Context, *,
               flipped: Sequence[tuple[str, ...]] | None = None,
               grid: Sequence[dict[str, str] | None] | None = None,
               status: NDArray[np.int8] | None = None,
               reasons: Sequence[str] | None = None) -> Report:
        """The report of one evaluation: its findings and the facts of ``ctx`` they cite (the
        context itself is not kept). ``status`` and ``reasons`` override the table's (the
        sensitivity results); settings are added by :func:`deployguard.check`.
        """
        records = FindingRecords(
            table, RunFacts.of(ctx), table.status if status is None else status,
            table.reason if reasons is None else reasons, flipped, grid)
        return cls(records, {})

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __repr__(self) -> str:
        return (f"Report({len(self.deployments)} deployments, {len(self)} findings, "
                f"{self.counts()['violation']} violations)")

    # ------------------------------------------------------------------ findings
    @property
    def findings(self) -> Findings:
        """Every finding, in deployment order then clause order.

        A sequence (index, slice, iterate, ``len``) that builds :class:`Finding` objects as
        they are read, so that memory does not grow with the report.
        """
        return Findings(self)

    def finding_at(self, k: int) -> Finding:
        """Finding ``k`` of :attr:`findings` (kept in a small cache)."""
        hit = self._finding_cache.get(k)
        if hit is None:
            hit = self._finding_cache[k] = self._finding(k)
            if len(self._finding_cache) > _FINDING_CACHE:
                self._finding_cache.popitem(last=False)
        return hit

    def _finding(self, k: int) -> Finding:
        rec = self.records
        f = rec.run.frame
        i = int(rec.table.dep[k])
        clause = rec.table.clause(k)
        lon, lat = float(f.lon[i]), float(f.lat[i])
        return Finding(
            deployment=f.deployments[i],
            clause_id=clause.id,
            draft=clause.draft,
            article=clause.article,
            quote=clause.quote,
            wording=clause.wording,
            status=STATUS_BY_CODE[int(rec.status[k])],
            reason=rec.reason[k],
            evidence=rec.evidence(k),
            assumptions=rec.run.assumptions(i),
            flipped_by=() if rec.flipped is None else tuple(rec.flipped[k]),
            deployment_id=f.ids[i],
            label=f.labels[i],
            lon=None if lon != lon else lon,
            lat=None if lat != lat else lat,
            geometry_source=functools.partial(self.evidence_geometry, k),
        )

    def counts(self) -> dict[str, int]:
        """How many findings have each status."""
        return status_counts(self.records.status)

    def statuses(self, deployment: Deployment | int | str) -> dict[str, Status]:
        """The status of each clause about one deployment (cheap: no finding is built)."""
        i = self.records.run.frame.index_of(deployment)
        return self.records.statuses(i, self._bounds)

    @property
    def violations(self) -> list[Finding]:
        """The findings whose status is ``violation``."""
        code = Status.VIOLATION.severity
        return [self.finding_at(int(k)) for k in np.flatnonzero(self.records.status == code)]

    @property
    def robust_violations(self) -> list[Finding]:
        """Violations under every estimate, worldview and reading the run varied.

        Raises
        ------
        InvalidInputError
            If the run did not vary anything (``check(..., sensitivity=True)``).
        """
        self._need_sensitivity("robust_violations")
        return [f for f in self.violations if not f.flipped_by]

    @property
    def dependent_violations(self) -> list[Finding]:
        """Findings that are a violation under some assumption the run varied, but not all;
        ``reason`` says what flips them and why.
        """
        grid = self._need_sensitivity("dependent_violations")
        flipped = self.records.flipped
        return [self.finding_at(k) for k, g in enumerate(grid)
                if g is not None and flipped and flipped[k] and "violation" in g.values()]

    def _need_sensitivity(self, what: str) -> Sequence[dict[str, str] | None]:
        if self.records.grid is None:
            raise InvalidInputError(
                f"report.{what} needs a run that varied its assumptions: call "
                "deployguard.check(..., sensitivity=True)"
            )
        return self.records.grid

    def _range(self, deployment: Deployment | int | str) -> range:
        i = self.records.run.frame.index_of(deployment)
        return range(int(self._bounds[i]), int(self._bounds[i + 1]))

    def for_deployment(self, deployment: Deployment | int | str) -> list[Finding]:
        """Findings about one deployment (the object, its index, its id or its label).

        Raises
        ------
        InvalidInputError
            If the index is out of range, no deployment has that id or label, or the object
            is not one of :attr:`deployments`.
        """
        return [self.finding_at(k) for k in self._range(deployment)]

    def finding(self, clause_id: str, deployment: Deployment | int | str | None = None) -> Finding:
        """The one finding of ``clause_id`` (for ``deployment`` when there are several).

        ``clause_id`` is read as :func:`deployguard.get_clause` reads it ("nato 5" is NATO-5).

        Raises
        ------
        UnknownClauseError
            If no clause has that id (naming the closest ones).
        InvalidInputError
            If no finding, or more than one, matches.
        """
        wanted = get_clause(clause_id).id
        t = self.records.table
        pool = range(len(t)) if deployment is None else self._range(deployment)
        hits = [k for k in pool if t.clause(k).id == wanted]
        if len(hits) != 1:
            present = sorted({t.clause(k).id for k in pool})
            raise InvalidInputError(
                f"clause_id {clause_id!r} ({wanted}): {len(hits)} findings match"
                + ("; pass deployment=" if len(hits) > 1 else f"; clauses present: {present}")
            )
        return self.finding_at(hits[0])

    # ------------------------------------------------------------------ evidence geometry
    def evidence_geometry(self, k: int | Finding) -> BaseGeometry | None:
        """The map evidence of finding ``k`` (an index or a finding of this report).

        The reached part of the states reached (range ring of the range used x their territory,
        at the run's resolution and sea reading, traced and simplified to
        :data:`EVIDENCE_TOLERANCE_KM`), the deployment's own geometry for findings about the
        site, or None. Areas and routes get no ring (their reach zone costs seconds; use
        :func:`deployguard.reach_zone`).
        """
        if isinstance(k, Finding):
            k = self._index_of_finding(k)
        t, run = self.records.table, self.records.run
        i = int(t.dep[k])
        kind = t.geometry_kind(k)
        if kind == GEOM_SITE:
            return run.frame.geometries[i]
        if kind != GEOM_REACH or run.frame.geom_kind[i] != GEOM_POINT:
            return None
        reached = tuple(t.evidence(k).get("states_reached") or ())
        if not reached:
            return None
        choice = run.choice(i, t.clause(k).reach_role)
        if choice.range_km is None:
            return None
        return self._reached(float(run.frame.lon[i]), float(run.frame.lat[i]),
                             choice.range_km, choice.min_range_km or 0.0, reached)

    def _reached(self, lon: float, lat: float, range_km: float, min_km: float,
                 states: tuple[str, ...]) -> BaseGeometry | None:
        key = (lon, lat, range_km, min_km, states)
        if key in self._geometry_cache:
            return self._geometry_cache[key]
        if len(self._geometry_cache) > 256:  # a bounded cache: write() streams thousands
            self._geometry_cache.clear()
        ring_key = (lon, lat, range_km, min_km)
        ring = self._rings.get(ring_key)
        if ring is None:  # US-6 and NATO-5 of one missile share the ring
            if len(self._rings) > 64:
                self._rings.clear()
            ring = range_ring(lon, lat, range_km, min_km, tolerance_km=EVIDENCE_TOLERANCE_KM)
            self._rings[ring_key] = ring
        geom = reached_part(ring, [self._drawn_territory(c) for c in states],
                            tolerance_km=EVIDENCE_TOLERANCE_KM)
        self._geometry_cache[key] = geom
        return geom

    def _drawn_territory(self, code: str) -> BaseGeometry:
        """A territory simplified to the evidence tolerance (for drawing only), cached."""
        hit = self._drawn.get(code)
        if hit is None:
            run = self.records.run
            geom = run.world.territory(code, sea=run.territorial_sea)
            hit = drawn_territory(geom, tolerance_km=EVIDENCE_TOLERANCE_KM)
            self._drawn[code] = hit
        return hit

    def _index_of_finding(self, finding: Finding) -> int:
        t = self.records.table
        for k in self._range(finding.deployment):
            if t.clause(k).id == finding.clause_id:
                return k
        raise InvalidInputError(f"finding {finding.clause_id} is not in this report")

    # ------------------------------------------------------------------ tables
    def to_frame(self) -> pd.DataFrame:
        """One row per finding (pandas), the columns of the finding schema
        (``docs/schema.md``); evidence and assumptions as JSON text.
        """
        return frame_of(self.records.columns())

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-safe dict per finding, the columns of the finding schema
        (``json.dumps`` works on the list).
        """
        return records_of(self.records.columns())

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """:meth:`to_frame` with each deployment's geometry (EPSG:4326), for ``.explore()``."""
        import geopandas as gpd

        frame = self.to_frame()
        geoms = self.records.run.frame.geometries
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(
            [geoms[i] for i in self.records.table.dep], crs="EPSG:4326"))

    # ------------------------------------------------------------------ GeoJSON
    def iter_features(self) -> Iterator[dict[str, Any]]:
        """GeoJSON features one at a time: each deployment, then its evidence geometries."""
        for geom, props in writer.features(self):
            yield {"type": "Feature", "geometry": mapping(geom), "properties": json.loads(props)}

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of :meth:`iter_features` (built in memory)."""
        return {"type": "FeatureCollection", "features": list(self.iter_features())}

    def remedies(self, clauses: Iterable[str] | None = None) -> Remedies:
        """What would bring each violating finding into compliance, and its cost.

        :func:`deployguard.treaty.remedies.remedies` (imported here: it runs ``check()`` on the
        moved deployments, and the checker imports this module).
        """
        from deployguard.treaty.remedies import remedies

        return remedies(self, clauses)

    # ------------------------------------------------------------------ text and files
    def __str__(self) -> str:
        return render.text(self)

    def to_markdown(self) -> str:
        """The readable summary as Markdown (what :meth:`write` puts in ``report.md``)."""
        return render.markdown(self)

    def plot(self, path: str | Path | None = None, **kwargs: Any) -> Figure:
        """The report map: :func:`deployguard.viz.report_map.plot_report` with its keywords.

        Imported here, not at the top: viz is the floor above (declared in ``pyproject.toml``),
        and the treaty floor must load without matplotlib.
        """
        from deployguard.viz.report_map import plot_report

        return plot_report(self, path, **kwargs)

    def write(self, out_dir: str | Path, *, runs: Sequence[Report] = (),
              source: str | None = None, force: bool = False,
              extra: Mapping[str, Callable[[Path], object]] | None = None) -> dict[str, Path]:
        """Write ``report.md``, ``findings.csv``, ``findings.json`` and ``evidence.geojson``
        into ``out_dir``, as one set.

        The files are written into a folder beside ``out_dir`` and swapped in whole, with a
        manifest (``deployguard-manifest.json``, written last) naming them, so an interrupted
        run leaves the previous set or the new one, never a mix. Every file is streamed:
        memory does not grow with their size. The columns are those of ``docs/schema.md``.

        Parameters
        ----------
        out_dir : str or Path
            The folder (made if needed). Files there that deployguard did not write (that its
            manifest does not name with their current content) are never replaced unless
            ``force``.
        runs : sequence of Report
            Other runs of the same deployments written after this one into the same files
            (``deployguard check --range-estimate all``).
        source : str, optional
            Where the deployments came from (a file, a built-in scenario), for findings.json.
        force : bool
            Replace files in ``out_dir`` that deployguard did not write.
        extra : mapping of file name to function, optional
            More files of the set: each function writes the file at the path it is given
            (the command line's map).

        Returns
        -------
        dict
            ``{"report": path, "findings": path, "json": path, "evidence": path}`` and the
            names of ``extra``.

        Raises
        ------
        InvalidInputError
            If ``out_dir`` is a file, or holds a file of the set that deployguard did not
            write and ``force`` is false.
        """
        return writer.write_folder([self, *runs], Path(out_dir), source=source, force=force,
                                   extra=extra or {})
