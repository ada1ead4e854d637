"""The result of :func:`deployguard.check`: findings as a table, GeoJSON and readable text.

A :class:`Report` keeps the deployments it was built from (``report.deployments``) and every
finding with its evidence geometry (``finding.geometry``), which is what a map needs.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01", system="Tomahawk (Typhon)")
>>> report = dg.check(d)
>>> sorted(f.clause_id for f in report.violations)
['NATO-5', 'US-6']
>>> report.to_frame().loc[:, ["clause", "status"]].shape[1]
2
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.treaty import render
from deployguard.treaty.findings import Finding, Status

if TYPE_CHECKING:
    import pandas as pd

    from deployguard.data.deployments import Deployment

__all__ = ["Report"]



def _plain(value: Any) -> Any:
    """JSON-safe copy: geometry to WKT, sets to sorted lists, dates to ISO."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, BaseGeometry):
        return value.wkt
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


class Report:
    """Findings of one check run.

    Attributes
    ----------
    findings : tuple of Finding
        In deployment order, then clause order.
    deployments : tuple of Deployment
        The inputs, unchanged.
    settings : dict
        The arguments of the run (drafts, worldview, range estimate, readings, ...).
    """

    def __init__(
        self, findings: list[Finding], deployments: list[Deployment], settings: dict[str, Any]
    ) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.deployments: tuple[Deployment, ...] = tuple(deployments)
        self.settings = dict(settings)

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __repr__(self) -> str:
        return (f"Report({len(self.deployments)} deployments, {len(self.findings)} findings, "
                f"{len(self.violations)} violations)")

    # ------------------------------------------------------------------ access
    @property
    def violations(self) -> list[Finding]:
        """The findings whose status is ``violation``."""
        return [f for f in self.findings if f.status is Status.VIOLATION]

    def for_deployment(self, deployment: Deployment | int | str) -> list[Finding]:
        """Findings about one deployment (the object, its index or its name).

        Raises
        ------
        InvalidInputError
            If the index is out of range, no deployment has that name, or the object is not
            one of :attr:`deployments`.
        """
        n = len(self.deployments)
        if isinstance(deployment, int) and not isinstance(deployment, bool):
            if not -n <= deployment < n:
                raise InvalidInputError(
                    f"deployment index must be in [0, {n - 1}] (or -{n}..-1), got {deployment}"
                    if n else f"deployment index {deployment}: the report has no deployments"
                )
            deployment = self.deployments[deployment]
        if isinstance(deployment, str):
            names = [d.name for d in self.deployments]
            if deployment not in names:
                raise InvalidInputError(
                    f"deployment {deployment!r} is not in the report; expected one of {names}"
                )
            return [f for f in self.findings if f.deployment.name == deployment]
        if not any(d is deployment for d in self.deployments):
            raise InvalidInputError(
                "deployment must be one of report.deployments, an index in "
                f"[0, {n - 1}] or a deployment name, got {deployment!r}"
            )
        return [f for f in self.findings if f.deployment is deployment]

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

    # ------------------------------------------------------------------ tables and maps
    def to_frame(self) -> pd.DataFrame:
        """One row per finding (pandas); evidence and assumptions as JSON strings."""
        import pandas as pd

        rows = []
        for f in self.findings:
            ev, a = f.evidence, f.assumptions
            d = f.deployment
            rows.append({
                "deployment": d.name,
                "by": d.by,
                "kind": d.kind,
                "date": d.date.isoformat(),
                "clause": f.clause_id,
                "draft": f.draft,
                "article": f.article,
                "status": f.status.value,
                "reason": f.reason,
                "host": ev.get("host"),
                "distance_km": ev.get("distance_km"),
                "margin_km": ev.get("margin_km"),
                "states_reached": "|".join(ev.get("states_reached", [])),
                "weapon": a.get("weapon"),
                "range_km": a.get("range_km"),
                "range_estimate": a.get("range_estimate"),
                "worldview": a.get("worldview"),
                "flipped_by": "|".join(f.flipped_by),
                "quote": f.quote,
                "wording": f.wording,
                "evidence": json.dumps(_plain(ev), ensure_ascii=False),
                "assumptions": json.dumps(_plain(a), ensure_ascii=False),
                "has_geometry": f.geometry is not None,
            })
        return pd.DataFrame(rows)

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection: deployment locations and evidence geometries.

        Deployment features have ``role="deployment"`` and the status of each clause;
        evidence features have ``role="evidence"``, the clause, status and states reached
        (e.g. the part of Poland within an Iskander's range ring).
        """
        features = []
        for i, d in enumerate(self.deployments):
            if d.geometry is None:
                continue
            statuses = {f.clause_id: f.status.value for f in self.for_deployment(d)}
            features.append({
                "type": "Feature",
                "geometry": mapping(d.geometry),
                "properties": {"role": "deployment", "index": i, "deployment": d.name,
                               "by": d.by, "kind": d.kind, "date": d.date.isoformat(),
                               "system": getattr(d.system, "name", None),
                               "statuses": statuses},
            })
        for f in self.findings:
            if f.geometry is None or f.geometry is f.deployment.geometry:
                continue
            features.append({
                "type": "Feature",
                "geometry": mapping(f.geometry),
                "properties": {"role": "evidence", "deployment": f.deployment.name,
                               "clause": f.clause_id, "status": f.status.value,
                               "reason": f.reason,
                               "states_reached": list(f.evidence.get("states_reached", []))},
            })
        return {"type": "FeatureCollection", "features": features}

    # ------------------------------------------------------------------ text
    def __str__(self) -> str:
        return render.text(self)

    def to_markdown(self) -> str:
        """The readable summary as Markdown (what :meth:`write` puts in ``report.md``)."""
        return render.markdown(self)

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``report.md``, ``findings.csv`` and ``evidence.geojson`` into ``out_dir``.

        Returns
        -------
        dict
            ``{"report": path, "findings": path, "evidence": path}``.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {"report": out / "report.md", "findings": out / "findings.csv",
                 "evidence": out / "evidence.geojson"}
        paths["report"].write_text(self.to_markdown() + "\n", encoding="utf-8")
        self.to_frame().to_csv(paths["findings"], index=False)
        paths["evidence"].write_text(
            json.dumps(_plain(self.to_geojson()), ensure_ascii=False), encoding="utf-8"
        )
        return paths
