"""Sensitivity: which assumptions flip a finding, and why, in words.

The run is evaluated again under every range estimate and every built-in worldview (a grid),
and, on request, under each alternative of the named readings, one at a time. The distance
table is shared: another estimate only moves the thresholds, another worldview recomputes only
the territories it changes. A finding whose status differs becomes ``depends``; ``flipped_by``
names the assumptions, ``evidence["sensitivity"]`` lists every status, and the reason says
what each alternative gives and why, e.g. "depends on the range_estimate: at the low estimate
(400 km) not_applicable (Iskander-M at 400.0 km (low) is outside ...); at the nominal (500 km)
and high (700 km) estimates violation (Iskander-M ... can reach the territory of POL ...)".

Examples
--------
>>> sensitivity_spec(True).axes
('range_estimate', 'worldview')
>>> [n for n, _ in sensitivity_spec(["launch_mode"]).readings]
['launch_mode']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from deployguard.data.systems import ESTIMATES
from deployguard.errors import InternalError, InvalidInputError
from deployguard.geography.world import World
from deployguard.geography.worldviews import BUILTIN_WORLDVIEWS, Worldview
from deployguard.treaty.clauses import get_clause
from deployguard.treaty.clauses.base import Clause
from deployguard.treaty.context import Context
from deployguard.treaty.engine import FindingTable, evaluate
from deployguard.treaty.findings import STATUS_BY_CODE, Status
from deployguard.treaty.readings import READING_CHOICES, Readings

__all__ = ["SensitivityResult", "SensitivitySpec", "run_sensitivity", "sensitivity_spec"]

_AXES = ("range_estimate", "worldview")


@dataclass(frozen=True)
class SensitivitySpec:
    """What to vary: the estimate/worldview grid axes and (reading, value) alternatives."""

    axes: tuple[str, ...]
    readings: tuple[tuple[str, tuple[Any, ...] | None], ...]


def sensitivity_spec(value: Any) -> SensitivitySpec | None:
    """Parse ``check(..., sensitivity=...)``.

    ``False`` (nothing), ``True`` (estimates and worldviews), or an iterable of
    ``"range_estimate"``, ``"worldview"``, ``"readings"`` (every named reading) and reading
    names, or a mapping of reading names to the values to try.
    """
    if value is False:
        return None
    if value is True:
        return SensitivitySpec(_AXES, ())
    expected = ("sensitivity must be True or False, an iterable of 'range_estimate', "
                f"'worldview', 'readings' or reading names {sorted(READING_CHOICES)}, or a "
                "mapping of reading names to values")
    if isinstance(value, Mapping):
        items: list[tuple[str, tuple[Any, ...] | None]] = []
        for name, values in value.items():
            if not any(f.name == name for f in dataclasses.fields(Readings)):
                raise InvalidInputError(f"{expected}; got the unknown reading {name!r}")
            if isinstance(values, str) or not isinstance(values, Iterable):
                values = (values,)
            items.append((str(name), tuple(values)))
        return SensitivitySpec((), tuple(items))
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInputError(f"{expected}, got {value!r}")
    names = list(value)
    axes: list[str] = []
    readings: list[tuple[str, tuple[Any, ...] | None]] = []
    for name in names:
        if name in _AXES:
            axes.append(name)
        elif name == "readings":
            readings.extend((r, None) for r in READING_CHOICES)
        elif name in READING_CHOICES:
            readings.append((name, None))
        else:
            raise InvalidInputError(f"{expected}, got {name!r} in {value!r}")
    if not names:
        raise InvalidInputError(f"{expected}, got an empty {type(value).__name__}")
    return SensitivitySpec(tuple(axes), tuple(dict.fromkeys(readings)))


@dataclass(frozen=True)
class SensitivityResult:
    """Per finding: the status and reason after sensitivity, what flips it, every status."""

    status: NDArray[np.int8]
    reason: list[str]
    flipped: list[tuple[str, ...]]
    grid: list[dict[str, str] | None]


@dataclass
class _Variant:
    key: str
    axis: str
    value: Any
    ctx: Context
    status: NDArray[np.int8]
    # every finding's reason under this variant (the table's own list, not a copy): a variant
    # whose status equals the run's still has its own numbers (its range, its distance)
    reasons: Sequence[str]


def _worldviews(ctx: Context) -> list[Worldview]:
    out = [Worldview.builtin(n) for n in BUILTIN_WORLDVIEWS]
    if ctx.world.worldview_object not in out:
        out.append(ctx.world.worldview_object)
    return out


def run_sensitivity(
    ctx: Context, clauses: Sequence[Clause], base: FindingTable, spec: SensitivitySpec
) -> SensitivityResult:
    """Evaluate the variants of ``spec`` and explain every flipped finding."""
    estimates = ESTIMATES if "range_estimate" in spec.axes else (ctx.range_estimate,)
    views = _worldviews(ctx) if "worldview" in spec.axes else [ctx.world.worldview_object]
    base_wv = ctx.world.worldview
    variants: list[_Variant] = []

    def run(key: str, axis: str, value: Any, vctx: Context) -> None:
        if vctx is ctx:
            table = base
        else:
            table = evaluate(vctx, clauses)
            if len(table) != len(base):
                raise InternalError("sensitivity variants must judge the same findings, got "
                                    f"{len(table)} for {key} and {len(base)} for the run")
        variants.append(_Variant(key, axis, value, vctx, table.status, table.reason))

    grid_axes = bool(spec.axes)
    if grid_axes:
        for est in estimates:
            for wv in views:
                world = World.load(ctx.world.resolution, wv)
                same = est == ctx.range_estimate and wv is ctx.world.worldview_object
                vctx = ctx if same else ctx.replace(world=world, range_estimate=est)
                run(f"{est}/{world.worldview}", "grid", f"{est}/{world.worldview}", vctx)
    for name, values in spec.readings:
        choices = READING_CHOICES.get(name, ()) if values is None else values
        for v in choices:
            if v == getattr(ctx.readings, name):
                continue
            vctx = ctx.replace(readings=dataclasses.replace(ctx.readings, **{name: v}))
            run(f"{name}={v}", name, v, vctx)
    return _explain(ctx, base, variants, estimates, views, base_wv)


def _explain(
    ctx: Context, base: FindingTable, variants: list[_Variant], estimates: Sequence[str],
    views: Sequence[Worldview], base_wv: str,
) -> SensitivityResult:
    n = len(base)
    grid_vars = {v.key: v for v in variants if v.axis == "grid"}
    status = base.status.copy()
    reasons = list(base.reason)
    flipped: list[tuple[str, ...]] = [()] * n
    table: list[dict[str, str] | None] = [None] * n
    names = [World.load(ctx.world.resolution, wv).worldview for wv in views]
    codes = np.stack([v.status for v in variants]) if variants else np.zeros((0, n), np.int8)
    differs: list[int] = (np.flatnonzero((codes != base.status).any(axis=0)).tolist()
                          if variants else [])
    for k in range(n):
        table[k] = {v.key: STATUS_BY_CODE[int(v.status[k])].value for v in variants}
    for k in differs:
        flips: list[str] = []
        parts: list[str] = []
        if grid_vars:
            def at(e: str, w: str, k: int = k) -> int:
                return int(grid_vars[f"{e}/{w}"].status[k])
            by_est = [w for w in names if len({at(e, w) for e in estimates}) > 1]
            if by_est:
                flips.append("range_estimate")
                w = base_wv if base_wv in by_est else by_est[0]
                parts.append(_axis_text(ctx, k, "range_estimate", [
                    (e, grid_vars[f"{e}/{w}"]) for e in estimates], base, w))
            by_wv = [e for e in estimates if len({at(e, w) for w in names}) > 1]
            if by_wv:
                flips.append("worldview")
                e = ctx.range_estimate if ctx.range_estimate in by_wv else by_wv[0]
                parts.append(_axis_text(ctx, k, "worldview", [
                    (w, grid_vars[f"{e}/{w}"]) for w in names], base, e))
        for v in variants:
            if v.axis != "grid" and int(v.status[k]) != int(base.status[k]):
                if v.axis not in flips:
                    flips.append(v.axis)
                parts.append(f"with Readings({v.axis}={v.value!r}) "
                             f"{STATUS_BY_CODE[int(v.status[k])].value} ({v.reasons[k]})")
        if not flips:
            continue
        flipped[k] = tuple(flips)
        base_status = STATUS_BY_CODE[int(base.status[k])].value
        seen = {int(base.status[k])} | {int(c) for c in codes[:, k]}
        if min(seen) >= Status.COMPLIANT.severity:
            # compliant under some assumptions, not applicable under others: no assumption
            # makes it a violation, so the verdict stands and the reason says what moves
            reasons[k] = (f"{base.reason[k]} (no violation under any assumption varied; the "
                          f"{' and the '.join(flips)} change{'s' if len(flips) == 1 else ''} "
                          "only whether the clause applies: " + "; ".join(parts) + ")")
            continue
        status[k] = Status.DEPENDS.severity
        reasons[k] = (f"depends on the {' and the '.join(flips)}: " + "; ".join(parts)
                      + f". As run ({ctx.range_estimate}/{base_wv}): {base_status}.")
    return SensitivityResult(status, reasons, flipped, table)


def _axis_text(
    ctx: Context, k: int, axis: str, items: list[tuple[str, _Variant]], base: FindingTable,
    fixed: str,
) -> str:
    """'at the low estimate (400 km) X (why); at the nominal (500 km) and high ... Y (why)'."""
    groups: dict[int, list[tuple[str, _Variant]]] = {}
    for value, v in items:
        groups.setdefault(int(v.status[k]), []).append((value, v))
    i = int(base.dep[k])
    clause = base.clause(k).id
    texts = []
    for code, members in groups.items():
        if axis == "range_estimate":
            labels = [f"{e} ({_km(v.ctx, i, clause)})" for e, v in members]
            where = f"at the {_join(labels)} estimate{'s' if len(labels) > 1 else ''}"
            where += f" ({fixed} worldview)" if fixed != ctx.world.worldview else ""
        else:
            where = f"under the {_join([w for w, _ in members])} worldview" + (
                "s" if len(members) > 1 else "")
        v = members[0][1]
        why = v.reasons[k]
        texts.append(f"{where} {STATUS_BY_CODE[code].value} ({why})")
    return "; ".join(texts)


def _km(vctx: Context, i: int, clause_id: str) -> str:
    c = vctx.weapons.for_clause(get_clause(clause_id).reach_role, i)
    return "range unknown" if c.range_km is None else f"{c.range_km:,.0f} km"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
