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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from deployguard._atomic import atomic_open
from deployguard.errors import InvalidInputError
from deployguard.geodesy.prepared import prepared
from deployguard.geography.ranges import range_ring
from deployguard.treaty import render
from deployguard.treaty.clauses.base import GEOM_REACH, GEOM_SITE
from deployguard.treaty.context import Context
from deployguard.treaty.engine import FindingTable
from deployguard.treaty.export import frame_of, jsonable, records_of
from deployguard.treaty.findings import STATUS_BY_CODE, Finding, Status
from deployguard.treaty.frame import GEOM_POINT
from deployguard.treaty.reach_places import places_evidence

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from matplotlib.figure import Figure

    from deployguard.data.deployments import Deployment

__all__ = ["EVIDENCE_TOLERANCE_KM", "Findings", "Report"]

#: Evidence geometry (range ring x territory) is for maps, not decisions: traced and simplified
#: to 1 km, it stays cheap even at 5,000 km radius.
EVIDENCE_TOLERANCE_KM = 1.0
_SIMPLIFY_DEG = EVIDENCE_TOLERANCE_KM / 111.0
_CSV_CHUNK = 20_000
_FINDING_CACHE = 4096


class Findings(Sequence[Finding]):
    """The findings of a report as a sequence, built as they are read."""

    def __init__(self, report: Report) -> None:
        self._report = report

    def __len__(self) -> int:
        return len(self._report._table)

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
    deployments : tuple of Deployment
        The inputs, unchanged.
    settings : dict
        The arguments of the run (drafts, worldview, range estimate, readings, ...).
    """

    def __init__(
        self,
        table: FindingTable,
        ctx: Context,
        settings: dict[str, Any],
        *,
        flipped: list[tuple[str, ...]] | None = None,
        grid: list[dict[str, str] | None] | None = None,
        status: NDArray[np.int8] | None = None,
        reasons: Sequence[str] | None = None,
    ) -> None:
        self._table = table
        self._ctx = ctx
        self._flipped = flipped
        self._grid = grid
        self._status_codes = table.status if status is None else status
        self._reason_list: Sequence[str] = table.reason if reasons is None else reasons
        self.settings = dict(settings)
        self.deployments: tuple[Deployment, ...] = ctx.frame.deployments
        starts = np.searchsorted(table.dep, np.arange(len(ctx.frame) + 1))
        self._slices = starts
        self._assumption_cache: dict[int, dict[str, Any]] = {}
        self._geometry_cache: dict[tuple[Any, ...], BaseGeometry | None] = {}
        self._drawn: dict[str, BaseGeometry] = {}
        self._rings: dict[tuple[float, ...], shapely.Geometry] = {}
        self._finding_cache: OrderedDict[int, Finding] = OrderedDict()

    def _status(self) -> NDArray[np.int8]:
        return self._status_codes

    def _reasons(self) -> Sequence[str]:
        return self._reason_list

    def __len__(self) -> int:
        return len(self._table)

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
        t, f = self._table, self._ctx.frame
        i = int(t.dep[k])
        clause = t.clause(k)
        ev = t.evidence(k)
        ev.update(places_evidence(t, self._ctx, k, ev))  # who lives within reach, made now
        if self._grid is not None and self._grid[k] is not None:
            ev["sensitivity"] = dict(self._grid[k])  # type: ignore[arg-type]
        lon, lat = float(f.lon[i]), float(f.lat[i])
        return Finding(
            deployment=f.deployments[i],
            clause_id=clause.id,
            draft=clause.draft,
            article=clause.article,
            quote=clause.quote,
            wording=clause.wording,
            status=STATUS_BY_CODE[int(self._status_codes[k])],
            reason=self._reason_list[k],
            evidence=ev,
            assumptions=dict(self._assumptions(i)),
            flipped_by=() if self._flipped is None else self._flipped[k],
            deployment_id=f.ids[i],
            label=f.labels[i],
            lon=None if lon != lon else lon,
            lat=None if lat != lat else lat,
            geometry_source=functools.partial(self.evidence_geometry, k),
        )

    def _assumptions(self, i: int) -> dict[str, Any]:
        hit = self._assumption_cache.get(i)
        if hit is None:
            hit = self._assumption_cache[i] = self._ctx.assumptions(i)
        return hit

    def counts(self) -> dict[str, int]:
        """How many findings have each status."""
        codes = np.bincount(self._status_codes.astype(np.intp), minlength=len(STATUS_BY_CODE))
        return {s.value: int(codes[s.severity]) for s in Status}

    @property
    def violations(self) -> list[Finding]:
        """The findings whose status is ``violation``."""
        code = Status.VIOLATION.severity
        return [self.finding_at(int(k)) for k in np.flatnonzero(self._status_codes == code)]

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
        self._need_sensitivity("dependent_violations")
        assert self._grid is not None
        return [self.finding_at(k) for k, g in enumerate(self._grid)
                if g is not None and self._flipped and self._flipped[k]
                and "violation" in g.values()]

    def _need_sensitivity(self, what: str) -> None:
        if self._grid is None:
            raise InvalidInputError(
                f"report.{what} needs a run that varied its assumptions: call "
                "deployguard.check(..., sensitivity=True)"
            )

    def for_deployment(self, deployment: Deployment | int | str) -> list[Finding]:
        """Findings about one deployment (the object, its index, its id or its label).

        Raises
        ------
        InvalidInputError
            If the index is out of range, no deployment has that id or label, or the object
            is not one of :attr:`deployments`.
        """
        i = self._ctx.frame.index_of(deployment)
        a, b = int(self._slices[i]), int(self._slices[i + 1])
        return [self.finding_at(k) for k in range(a, b)]

    def finding(self, clause_id: str, deployment: Deployment | int | str | None = None) -> Finding:
        """The one finding of ``clause_id`` (for ``deployment`` when there are several).

        Raises
        ------
        InvalidInputError
            If no finding, or more than one, matches.
        """
        pool = self.findings if deployment is None else self.for_deployment(deployment)
        hits = [f for f in pool if f.clause_id == clause_id.upper()]
        if len(hits) != 1:
            raise InvalidInputError(
                f"clause_id {clause_id!r}: {len(hits)} findings match"
                + ("; pass deployment=" if len(hits) > 1 else
                   f"; clauses present: {sorted({f.clause_id for f in pool})}")
            )
        return hits[0]

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
        t, ctx = self._table, self._ctx
        i = int(t.dep[k])
        kind = t.geometry_kind(k)
        site = ctx.frame.geometries[i]
        if kind == GEOM_SITE:
            return site
        if kind != GEOM_REACH or ctx.frame.geom_kind[i] != GEOM_POINT:
            return None
        reached = tuple(t.evidence(k).get("states_reached") or ())
        if not reached:
            return None
        choice = ctx.weapons.for_clause(t.clause(k).reach_role, i)
        if choice.range_km is None:
            return None
        return self._reached(float(ctx.frame.lon[i]), float(ctx.frame.lat[i]),
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
        parts = [shapely.intersection(ring, self._drawn_territory(c)) for c in states]
        out = shapely.simplify(shapely.union_all(parts), _SIMPLIFY_DEG)
        geom = None if out.is_empty else out
        self._geometry_cache[key] = geom
        return geom

    def _drawn_territory(self, code: str) -> BaseGeometry:
        """A territory simplified to the evidence tolerance (for drawing only), cached."""
        hit = self._drawn.get(code)
        if hit is None:
            ctx = self._ctx
            geom = ctx.world.territory(code, sea=ctx.readings.territorial_sea)
            hit = shapely.make_valid(shapely.simplify(geom, _SIMPLIFY_DEG))
            prepared(hit)
            self._drawn[code] = hit
        return hit

    def _index_of_finding(self, finding: Finding) -> int:
        i = self._ctx.frame.index_of(finding.deployment)
        a, b = int(self._slices[i]), int(self._slices[i + 1])
        for k in range(a, b):
            if self._table.clause(k).id == finding.clause_id:
                return k
        raise InvalidInputError(f"finding {finding.clause_id} is not in this report")

    # ------------------------------------------------------------------ tables
    def to_frame(self) -> pd.DataFrame:
        """One row per finding (pandas): identity, position, verdict, key evidence; the full
        evidence and assumptions as JSON strings.
        """
        return frame_of(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-safe dict per finding (``json.dumps`` works on the list)."""
        return records_of(self)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """:meth:`to_frame` with each deployment's geometry (EPSG:4326), for ``.explore()``."""
        import geopandas as gpd

        frame = self.to_frame()
        geoms = [self._ctx.frame.geometries[i] for i in self._table.dep]
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))

    # ------------------------------------------------------------------ GeoJSON
    def iter_features(self) -> Iterator[dict[str, Any]]:
        """GeoJSON features one at a time: each deployment, then its evidence geometries."""
        for geom, props in self._features():
            yield {"type": "Feature", "geometry": mapping(geom), "properties": props}

    def _features(self) -> Iterator[tuple[BaseGeometry, dict[str, Any]]]:
        t, ctx = self._table, self._ctx
        f = ctx.frame
        wv = ctx.world.worldview
        for i in range(len(f)):
            a, b = int(self._slices[i]), int(self._slices[i + 1])
            geom = f.geometries[i]
            if geom is None:
                continue
            dep = f.deployments[i]
            statuses = {t.clause(k).id: STATUS_BY_CODE[int(self._status_codes[k])].value
                        for k in range(a, b)}
            yield geom, {
                "role": "deployment", "index": i, "deployment_id": f.ids[i],
                "deployment": f.labels[i], "by": dep.by, "kind": dep.kind,
                "date": dep.date.isoformat(), "system": getattr(dep.system, "name", None),
                "worldview": wv, "statuses": statuses}
            for k in range(a, b):
                if t.geometry_kind(k) != GEOM_REACH:
                    continue
                ev_geom = self.evidence_geometry(k)
                if ev_geom is None:
                    continue
                ev = t.evidence(k)
                choice = ctx.weapons.for_clause(t.clause(k).reach_role, i)
                yield ev_geom, {
                    "role": "evidence", "deployment_id": f.ids[i], "deployment": f.labels[i],
                    "clause": t.clause(k).id,
                    "status": STATUS_BY_CODE[int(self._status_codes[k])].value,
                    "reason": self._reason_list[k],
                    "states_reached": list(ev.get("states_reached") or []),
                    "distance_km": ev.get("distance_km"), "range_km": choice.range_km,
                    "min_range_km": choice.min_range_km, "worldview": wv,
                    "tolerance_km": EVIDENCE_TOLERANCE_KM}

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of :meth:`iter_features` (built in memory)."""
        return {"type": "FeatureCollection", "features": list(self.iter_features())}

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

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``report.md``, ``findings.csv`` and ``evidence.geojson`` into ``out_dir``.

        Each file is written atomically; the table goes out in chunks and the GeoJSON one
        feature at a time, so memory does not grow with the size of the files.

        Returns
        -------
        dict
            ``{"report": path, "findings": path, "evidence": path}``.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {"report": out / "report.md", "findings": out / "findings.csv",
                 "evidence": out / "evidence.geojson"}
        with atomic_open(paths["report"], "w") as fh:
            fh.write(self.to_markdown() + "\n")
        with atomic_open(paths["findings"], "w", newline="") as fh:
            n = len(self._table)
            for start in range(0, max(n, 1), _CSV_CHUNK):
                k = np.arange(start, min(start + _CSV_CHUNK, n))
                frame_of(self, k).to_csv(fh, index=False, header=start == 0)
        with atomic_open(paths["evidence"], "w") as fh:
            fh.write('{"type": "FeatureCollection", "features": [')
            for j, (geom, props) in enumerate(self._features()):
                # the geometry goes straight from GEOS to GeoJSON text, one feature at a time
                fh.write(("," if j else "") + '\n{"type": "Feature", "geometry": '
                         + shapely.to_geojson(geom) + ', "properties": '
                         + json.dumps(jsonable(props), ensure_ascii=False) + "}")
            fh.write("\n]}\n")
        return paths
