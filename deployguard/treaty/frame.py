"""The deployments of one check run as columns: identity, who, what, where and when.

A :class:`DeploymentFrame` is built once per :func:`deployguard.check` call and never changes.
Every later step (placement, weapons, distances, clauses) reads its columns by deployment
index, so nothing is looked up per object and nothing is keyed by ``id(obj)``.

Identity: ``deployment_id`` is the record's own ``id`` when it gives one (ids must then be
unique), else its index in the input. Labels are the record's ``label`` or a generated
description; generated labels that would repeat get the deployment id appended, so every
automatic label in a report is unique.

Examples
--------
>>> import deployguard as dg
>>> a = dg.Deployment(by="USA", at=(21.0, 52.2), date="2022-03-01", personnel=100)
>>> f = DeploymentFrame.build([a, a])
>>> f.ids, f.labels[1]
((0, 1), 'USA 100 personnel at 21.00E 52.20N 2022-03-01 [1]')
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.data.deployments import Deployment
from deployguard.errors import InvalidInputError

__all__ = ["GEOM_AREA", "GEOM_NONE", "GEOM_POINT", "DeploymentFrame"]

GEOM_NONE, GEOM_POINT, GEOM_AREA = 0, 1, 2


@dataclass(frozen=True, eq=False)
class DeploymentFrame:
    """Deployments as columns (one entry per deployment, in input order).

    Attributes
    ----------
    deployments : tuple of Deployment
    ids : tuple of int or str
    labels : tuple of str
        Unique wherever they were generated.
    by, kind, host_given : numpy object arrays of str (``""`` for no host override)
    dates : tuple of datetime.date
    geom_kind : numpy int8 array
        :data:`GEOM_NONE`, :data:`GEOM_POINT` or :data:`GEOM_AREA` (areas and routes).
    lon, lat : numpy float arrays
        The point, or a representative point of an area or route; NaN without a location.
    geometries : tuple of shapely geometry or None
    system_class, system_name : numpy object arrays of str
        The class and name of each deployment's system (``""`` without one).
    """

    deployments: tuple[Deployment, ...]
    ids: tuple[int | str, ...]
    labels: tuple[str, ...]
    by: NDArray[np.object_]
    kind: NDArray[np.object_]
    host_given: NDArray[np.object_]
    dates: tuple[_dt.date, ...]
    geom_kind: NDArray[np.int8]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    geometries: tuple[BaseGeometry | None, ...]
    system_class: NDArray[np.object_]
    system_name: NDArray[np.object_]

    @classmethod
    def build(cls, deployments: Sequence[Deployment]) -> DeploymentFrame:
        """Columns of ``deployments``; raises on repeated user ids."""
        deps = tuple(deployments)
        ids = tuple(d.id if d.id is not None else i for i, d in enumerate(deps))
        given = [d.id for d in deps if d.id is not None]
        repeated = sorted({str(x) for x, n in Counter(given).items() if n > 1})
        if repeated:
            raise InvalidInputError(
                f"deployment ids must be unique within a run, got repeated ids {repeated}"
            )
        clash = set(given) & set(range(len(deps)))
        if clash and any(d.id is None for d in deps):
            raise InvalidInputError(
                f"deployment ids {sorted(map(str, clash))} equal the index of another "
                "deployment without an id; give every deployment an id, or none"
            )
        geoms = tuple(d.geometry for d in deps)
        kinds = np.array(
            [GEOM_NONE if g is None else GEOM_POINT if g.geom_type == "Point" else GEOM_AREA
             for g in geoms],
            dtype=np.int8,
        )
        lon = np.full(len(deps), np.nan)
        lat = np.full(len(deps), np.nan)
        pts = [i for i, k in enumerate(kinds) if k != GEOM_NONE]
        if pts:
            reps = [g if k == GEOM_POINT else shapely.point_on_surface(g)
                    for g, k in ((geoms[i], kinds[i]) for i in pts)]
            xy = shapely.get_coordinates(np.asarray(reps, dtype=object))
            lon[pts], lat[pts] = xy[:, 0], xy[:, 1]
        names = [_name(d, float(x), float(y), k)
                 for d, x, y, k in zip(deps, lon.tolist(), lat.tolist(), kinds, strict=True)]
        auto = [d.label is None for d in deps]
        counts = Counter(n for n, a in zip(names, auto, strict=True) if a)
        labels = tuple(
            f"{n} [{i}]" if a and counts[n] > 1 else n
            for n, a, i in zip(names, auto, ids, strict=True)
        )
        return cls(
            deployments=deps,
            ids=ids,
            labels=labels,
            by=_objects([d.by for d in deps]),
            kind=_objects([d.kind for d in deps]),
            host_given=_objects([d.host or "" for d in deps]),
            dates=tuple(d.date for d in deps),
            geom_kind=kinds,
            lon=lon,
            lat=lat,
            geometries=geoms,
            system_class=_objects([d.system.system_class if d.system is not None else ""
                                   for d in deps]),
            system_name=_objects([d.system.name if d.system is not None else "" for d in deps]),
        )

    def __len__(self) -> int:
        return len(self.deployments)

    def index_of(self, key: Any) -> int:
        """The index of a deployment given by object, index, id or label.

        Raises
        ------
        InvalidInputError
            If nothing (or, for a repeated user label, more than one) matches.
        """
        n = len(self.deployments)
        if isinstance(key, Deployment):
            hits = [i for i, d in enumerate(self.deployments) if d is key]
            if not hits:
                raise InvalidInputError(
                    "deployment must be one of report.deployments, an index in "
                    f"[0, {n - 1}], an id or a label, got {key!r}"
                )
            return hits[0]
        if isinstance(key, int) and not isinstance(key, bool):
            if not -n <= key < n:
                raise InvalidInputError(
                    f"deployment index must be in [0, {n - 1}] (or -{n}..-1), got {key}"
                    if n else f"deployment index {key}: the report has no deployments"
                )
            return key % n
        if isinstance(key, str):
            hits = [i for i, lab in enumerate(self.labels) if lab == key] or [
                i for i, x in enumerate(self.ids) if x == key
            ]
            if len(hits) == 1:
                return hits[0]
            if hits:
                raise InvalidInputError(
                    f"deployment {key!r}: {len(hits)} deployments have this label; "
                    "give the index or the id"
                )
            raise InvalidInputError(
                f"deployment {key!r} is not in the report; expected one of "
                f"{list(self.labels)[:20]}"
            )
        raise InvalidInputError(
            f"deployment must be a Deployment, an index, an id or a label, got {key!r}"
        )


def _name(dep: Deployment, lon: float, lat: float, kind: int) -> str:
    """``dep.name`` for a point (same words), from coordinates already at hand (faster)."""
    if dep.label or kind != GEOM_POINT or isinstance(dep.at, str):
        return dep.name
    what = (dep.system.name if dep.system is not None else None) or (
        f"{dep.personnel} personnel" if dep.personnel is not None else dep.kind)
    where = (f"at {abs(lon):.2f}{'E' if lon >= 0 else 'W'} "
             f"{abs(lat):.2f}{'N' if lat >= 0 else 'S'}")
    return f"{dep.by} {what} {where} {dep.date.isoformat()}"


def _objects(values: list[Any]) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
