"""Tables, JSON and GeoJSON of a report, built column by column (not finding by finding).

The per-finding cost of a table is a few string joins: evidence values are encoded to JSON
once per column (strings and shared values memoised), assumptions once per deployment.

Examples
--------
>>> encode_value({"a": (1, 2.5), "b": None})
'{"a": [1, 2.5], "b": null}'
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.treaty.clauses.base import GEOM_REACH, GEOM_SITE, MISSING
from deployguard.treaty.findings import STATUS_BY_CODE
from deployguard.treaty.frame import GEOM_NONE, GEOM_POINT

if TYPE_CHECKING:
    import pandas as pd

    from deployguard.treaty.report import Report

__all__ = ["encode_value", "frame_of", "jsonable", "records_of"]


def jsonable(value: Any) -> Any:
    """A JSON-safe copy: geometry to WKT, sets to sorted lists, dates to ISO, NaN to None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, BaseGeometry):
        return value.wkt
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | str | bool) or value is None:
        return value
    return str(value)


def encode_value(value: Any) -> str:
    """One value as JSON text (UTF-8 kept)."""
    return json.dumps(jsonable(value), ensure_ascii=False)


def _encode_column(col: list[Any]) -> list[str | None]:
    """JSON fragments of one evidence column (None where the row has no value)."""
    memo: dict[Any, str] = {}
    shared: dict[int, str] = {}
    out: list[str | None] = []
    for v in col:
        if v is MISSING:
            out.append(None)
        elif v is None:
            out.append("null")
        elif v is True:
            out.append("true")
        elif v is False:
            out.append("false")
        elif type(v) is float:
            out.append(repr(v) if math.isfinite(v) else "null")
        elif type(v) is int:
            out.append(str(v))
        elif type(v) is str:
            s = memo.get(v)
            if s is None:
                s = memo[v] = json.dumps(v, ensure_ascii=False)
            out.append(s)
        else:
            # lists and dicts are often one object shared by every row (member lists)
            s = shared.get(id(v))
            if s is None:
                s = shared[id(v)] = encode_value(v)
            out.append(s)
    return out


def evidence_json(report: Report, k: NDArray[np.intp]) -> list[str]:
    """The evidence of findings ``k`` as JSON text, in that order."""
    table = report._table
    out: list[str] = [""] * len(k)
    blocks_k = table.block[k]
    for b_index in np.unique(blocks_k):
        b = table.blocks[b_index]
        where = np.flatnonzero(blocks_k == b_index)
        pos = table.pos[k[where]]
        names = list(b.evidence)
        heads = [json.dumps(n, ensure_ascii=False) + ": " for n in names]
        cols = [_encode_column([b.evidence[n][p] for p in pos]) for n in names]
        for j, frags in zip(where, zip(*cols, strict=True), strict=False):
            out[j] = ", ".join(h + f for h, f in zip(heads, frags, strict=True) if f is not None)
    grid = report._grid
    if grid is not None:
        out = [s if grid[j] is None else (s + ", " if s else "") + '"sensitivity": '
               + encode_value(grid[j]) for s, j in zip(out, k, strict=True)]
    return ["{" + s + "}" for s in out]


def assumptions_json(report: Report, deps: Iterable[int]) -> dict[int, str]:
    """The assumptions of each deployment in ``deps`` as JSON text."""
    ctx = report._ctx
    run = json.dumps(jsonable(ctx.run_assumptions()), ensure_ascii=False)[1:-1]
    source = "on= argument" if ctx.on is not None else "deployment date"
    weapon_memo: dict[int, str] = {}
    out: dict[int, str] = {}
    for i in deps:
        parts = [run, f'"date": "{ctx.date(i).isoformat()}"', f'"date_source": "{source}"']
        choice = ctx.weapons.any[i]
        key = id(choice) ^ hash(ctx.weapons.launch_basis[i])
        w = weapon_memo.get(key)
        if w is None:
            info = ctx.weapons.as_dict(i)
            w = weapon_memo[key] = encode_value(info)[1:-1] if info else ""
        if w:
            parts.append(w)
        note = ctx.placement.host_source[i]
        if note:
            parts.append('"host_source": ' + json.dumps(note, ensure_ascii=False))
        out[i] = "{" + ", ".join(parts) + "}"
    return out


def _evidence_column(report: Report, name: str, k: NDArray[np.intp],
                     convert: Callable[[Any], Any] = lambda v: v) -> list[Any]:
    table = report._table
    blocks = table.blocks
    out = []
    for b, p in zip(table.block[k], table.pos[k], strict=True):
        col = blocks[b].evidence.get(name)
        v = None if col is None else col[p]
        out.append(None if v is MISSING else convert(v))
    return out


def has_geometry(report: Report, k: NDArray[np.intp]) -> NDArray[np.bool_]:
    """Whether finding ``k`` has evidence geometry (the site, or a reached part)."""
    table = report._table
    kinds = np.array([table.blocks[b].geometry[p] for b, p in zip(table.block[k], table.pos[k],
                                                                   strict=True)], dtype=np.int8)
    gk = report._ctx.frame.geom_kind[table.dep[k]]
    reached = np.array([bool(s) for s in _evidence_column(report, "states_reached", k)])
    return ((kinds == GEOM_SITE) & (gk != GEOM_NONE)) | (
        (kinds == GEOM_REACH) & (gk == GEOM_POINT) & reached)


def frame_of(report: Report, k: NDArray[np.intp] | None = None) -> pd.DataFrame:
    """The findings ``k`` (default all) as a pandas DataFrame, one row per finding."""
    import pandas as pd

    table = report._table
    k = np.arange(len(table)) if k is None else k
    ctx = report._ctx
    f = ctx.frame
    dep = table.dep[k]
    clause_cols = [(b.clause.id, b.clause.draft, b.clause.article, b.clause.quote,
                    b.clause.wording) for b in table.blocks]
    cl = [clause_cols[b] for b in table.block[k]]
    weapon_info = {int(i): ctx.weapons.as_dict(int(i)) for i in np.unique(dep)}
    assumptions = assumptions_json(report, weapon_info)
    evidence = evidence_json(report, k)
    lon = f.lon[dep]
    lat = f.lat[dep]
    flipped = report._flipped
    status = report._status()
    reasons = report._reasons()
    return pd.DataFrame({
        "deployment_id": [f.ids[i] for i in dep],
        "label": [f.labels[i] for i in dep],
        "deployment": [f.labels[i] for i in dep],
        "lon": np.where(np.isnan(lon), None, lon),
        "lat": np.where(np.isnan(lat), None, lat),
        "by": f.by[dep],
        "kind": f.kind[dep],
        "date": [f.dates[i].isoformat() for i in dep],
        "clause": [c[0] for c in cl],
        "draft": [c[1] for c in cl],
        "article": [c[2] for c in cl],
        "status": [STATUS_BY_CODE[s].value for s in status[k]],
        "reason": [reasons[j] for j in k],
        "host": _evidence_column(report, "host", k),
        "distance_km": _evidence_column(report, "distance_km", k),
        "margin_km": _evidence_column(report, "margin_km", k),
        "states_reached": _evidence_column(report, "states_reached", k,
                                           lambda v: "|".join(v or ())),
        "weapon": [weapon_info[i].get("weapon") for i in dep],
        "range_km": [weapon_info[i].get("range_km") for i in dep],
        "range_estimate": ctx.range_estimate,
        "worldview": ctx.world.worldview,
        "flipped_by": ["" if flipped is None else "|".join(flipped[j]) for j in k],
        "quote": [c[3] for c in cl],
        "wording": [c[4] for c in cl],
        "evidence": evidence,
        "assumptions": [assumptions[i] for i in dep],
        "has_geometry": has_geometry(report, k),
    })


def records_of(report: Report) -> list[dict[str, Any]]:
    """One JSON-safe dict per finding (what ``deployguard check --format json`` prints)."""
    out = []
    for fnd in report.findings:
        out.append(jsonable({
            "deployment_id": fnd.deployment_id,
            "label": fnd.label,
            "lon": fnd.lon,
            "lat": fnd.lat,
            "by": fnd.deployment.by,
            "kind": fnd.deployment.kind,
            "date": fnd.deployment.date,
            "clause_id": fnd.clause_id,
            "draft": fnd.draft,
            "article": fnd.article,
            "status": fnd.status.value,
            "reason": fnd.reason,
            "flipped_by": list(fnd.flipped_by),
            "quote": fnd.quote,
            "wording": fnd.wording,
            "evidence": fnd.evidence,
            "assumptions": fnd.assumptions,
        }))
    return out
