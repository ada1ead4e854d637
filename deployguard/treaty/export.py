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


def _encode_column(col: list[Any], head: str) -> list[str | None]:
    """``head`` + the JSON of each value of one evidence column (None where it has none)."""
    memo: dict[Any, str] = {}
    shared: dict[int, str] = {}
    out: list[str | None] = []
    for v in col:
        t = type(v)
        if v is MISSING:
            out.append(None)
        elif v is None:
            out.append(head + "null")
        elif t is bool:
            out.append(head + ("true" if v else "false"))
        elif t is float:
            out.append(head + (repr(v) if math.isfinite(v) else "null"))
        elif t is int:
            out.append(head + str(v))
        elif t is str:
            s = memo.get(v)
            if s is None:
                s = memo[v] = head + json.dumps(v, ensure_ascii=False)
            out.append(s)
        else:
            # member lists and weapon facts are one object shared by many rows
            s = shared.get(id(v))
            if s is None:
                s = shared[id(v)] = head + _encode_container(v)
            out.append(s)
    return out


def _encode_container(v: Any) -> str:
    if type(v) is tuple and all(type(x) is str and x.isalnum() for x in v):
        return "[" + ", ".join(f'"{x}"' for x in v) + "]"  # state codes: nothing to escape
    if type(v) is dict and all(type(x) is str and x.replace("-", "").isalnum()
                               and type(y) is float for x, y in v.items()):
        return "{" + ", ".join(f'"{x}": {y!r}' if math.isfinite(y) else f'"{x}": null'
                               for x, y in v.items()) + "}"
    return encode_value(v)


def evidence_json(report: Report, k: NDArray[np.intp]) -> list[str]:
    """The evidence of findings ``k`` as JSON text, in that order."""
    table = report._table
    out: list[str] = [""] * len(k)
    blocks_k = table.block[k]
    for b_index in np.unique(blocks_k):
        b = table.blocks[b_index]
        where = np.flatnonzero(blocks_k == b_index)
        pos = table.pos[k[where]].tolist()
        cols = [_encode_column([b.evidence[n][p] for p in pos],
                               json.dumps(n, ensure_ascii=False) + ": ")
                for n in b.evidence]
        rows = [", ".join(filter(None, t)) for t in zip(*cols, strict=True)] if cols else (
            [""] * len(pos))
        for j, text in zip(where.tolist(), rows, strict=True):
            out[j] = text
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
                     convert: Callable[[Any], Any] = lambda v: v) -> NDArray[np.object_]:
    table = report._table
    out = np.full(len(k), None, dtype=object)
    blocks_k = table.block[k]
    for b_index in np.unique(blocks_k):
        col = table.blocks[b_index].evidence.get(name)
        if col is None:
            continue
        where = np.flatnonzero(blocks_k == b_index)
        vals = [col[p] for p in table.pos[k[where]].tolist()]
        out[where] = [None if v is MISSING else convert(v) for v in vals]
    return out


def _numbers(values: NDArray[np.object_]) -> NDArray[np.float64]:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def has_geometry(report: Report, k: NDArray[np.intp]) -> NDArray[np.bool_]:
    """Whether finding ``k`` has evidence geometry (the site, or a reached part)."""
    table = report._table
    kinds = np.array([table.blocks[b].geometry[p] for b, p in zip(table.block[k], table.pos[k],
                                                                   strict=True)], dtype=np.int8)
    gk = report._ctx.frame.geom_kind[table.dep[k]]
    reached = np.array([bool(s) for s in _evidence_column(report, "states_reached", k)],
                       dtype=bool)
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
    # clause facts repeat for every finding of a clause: categoricals built from the codes
    block_codes = table.block[k]

    def per_clause(attr: str) -> pd.Categorical:
        cats = [getattr(b.clause, attr) for b in table.blocks]
        uniq = list(dict.fromkeys(cats))
        remap = np.array([uniq.index(c) for c in cats], dtype=np.int32)
        return pd.Categorical.from_codes(remap[block_codes], categories=pd.Index(uniq))
    choices = [ctx.weapons.any[i] for i in dep.tolist()]
    assumptions = assumptions_json(report, np.unique(dep).tolist())
    evidence = evidence_json(report, k)
    lon = f.lon[dep]
    lat = f.lat[dep]
    # per-deployment values repeat over the deployment's findings: categoricals from codes
    uniq_dep, dep_code = np.unique(dep, return_inverse=True)

    def per_dep(values: list[Any]) -> pd.Categorical:
        cats = list(dict.fromkeys(values))
        where = {c: j for j, c in enumerate(cats)}
        codes = np.array([where[v] for v in values], dtype=np.int32)
        return pd.Categorical.from_codes(codes[dep_code], categories=pd.Index(cats))

    flipped = report._flipped
    status = report._status()
    reasons = report._reasons()
    return pd.DataFrame({
        "deployment_id": [f.ids[i] for i in dep],
        "label": per_dep([f.labels[i] for i in uniq_dep]),
        "deployment": per_dep([f.labels[i] for i in uniq_dep]),
        "lon": lon,
        "lat": lat,
        "by": f.by[dep],
        "kind": f.kind[dep],
        "date": per_dep([f.dates[i].isoformat() for i in uniq_dep]),
        "clause": per_clause("id"),
        "draft": per_clause("draft"),
        "article": per_clause("article"),
        "status": [STATUS_BY_CODE[s].value for s in status[k]],
        "reason": [reasons[j] for j in k],
        "host": _evidence_column(report, "host", k),
        "distance_km": _numbers(_evidence_column(report, "distance_km", k)),
        "margin_km": _numbers(_evidence_column(report, "margin_km", k)),
        "states_reached": _evidence_column(report, "states_reached", k,
                                           lambda v: "|".join(v or ())),
        "weapon": [None if c.weapon is None else c.weapon.name for c in choices],
        "range_km": np.array([np.nan if c.range_km is None else c.range_km for c in choices]),
        "range_estimate": ctx.range_estimate,
        "worldview": ctx.world.worldview,
        "flipped_by": ["" if flipped is None else "|".join(flipped[j]) for j in k],
        "quote": per_clause("quote"),
        "wording": per_clause("wording"),
        "evidence": evidence,
        "assumptions": per_dep([assumptions[int(i)] for i in uniq_dep]),
        "has_geometry": has_geometry(report, k),
    })


def records_of(report: Report) -> list[dict[str, Any]]:
    """One JSON-safe dict per finding (what ``deployguard check --format json`` prints)."""
    out = []
    positions = report._table.dep  # the row of the input each finding judges
    for k, fnd in enumerate(report.findings):
        out.append(jsonable({
            "deployment_id": fnd.deployment_id,
            "deployment_index": int(positions[k]),
            "deployment": fnd.label,
            "label": fnd.label,
            "lon": fnd.lon,
            "lat": fnd.lat,
            "by": fnd.deployment.by,
            "kind": fnd.deployment.kind,
            "date": fnd.deployment.date,
            "clause": fnd.clause_id,
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
