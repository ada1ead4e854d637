"""The batched evaluation: every clause on every deployment of a run, as columns.

For each clause, the rows it judges are the deployments of the kinds it concerns, one row per
host (an area or route on several states, or partly on the high seas, has one row per state
it touches). The clause's check judges all its rows at once; a deployment with several rows
then keeps the worst status (violation, depends, compliant, not applicable), and the evidence
lists the status on every host.

The result is a :class:`FindingTable`: findings as columns (deployment, clause, status,
reason, evidence), in deployment order then clause order. :class:`Finding` objects are built
from it only when asked for.

Examples
--------
>>> import deployguard as dg
>>> from deployguard.treaty.context import Context
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> t = evaluate(Context.build([d]), dg.CLAUSES)
>>> len(t), t.blocks[t.block[0]].clause.id
(7, 'US-3')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from deployguard.treaty.clauses.base import MISSING, Clause, Outcome, Reasons, Rows
from deployguard.treaty.context import Context
from deployguard.treaty.findings import STATUS_BY_CODE

__all__ = ["ClauseBlock", "FindingTable", "evaluate"]


@dataclass(frozen=True, eq=False)
class ClauseBlock:
    """One clause's findings: one entry per deployment it concerns."""

    clause: Clause
    dep: NDArray[np.intp]
    status: NDArray[np.int8]
    reason: Reasons
    evidence: dict[str, list[Any]]
    geometry: NDArray[np.int8]


@dataclass(frozen=True, eq=False)
class FindingTable:
    """Every finding of one evaluation, as columns sorted by deployment then clause.

    ``block[k]`` and ``pos[k]`` locate finding ``k``'s evidence in ``blocks``; ``reason[k]``
    is formatted when read (:class:`~deployguard.treaty.clauses.base.Reasons`).
    """

    blocks: tuple[ClauseBlock, ...]
    dep: NDArray[np.intp]
    block: NDArray[np.intp]
    pos: NDArray[np.intp]
    status: NDArray[np.int8]
    reason: Reasons

    def __len__(self) -> int:
        return len(self.dep)

    def evidence(self, k: int) -> dict[str, Any]:
        """The evidence of finding ``k`` as a plain dict (values a branch did not set are left
        out).
        """
        b = self.blocks[self.block[k]]
        p = int(self.pos[k])
        return {name: _plain(col[p]) for name, col in b.evidence.items() if col[p] is not MISSING}

    def geometry_kind(self, k: int) -> int:
        return int(self.blocks[self.block[k]].geometry[self.pos[k]])

    def clause(self, k: int) -> Clause:
        return self.blocks[self.block[k]].clause


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def _rows_for(clause: Clause, ctx: Context) -> tuple[Rows, NDArray[np.intp]]:
    """The rows of ``clause`` and, per row, the index of its deployment among the clause's."""
    kinds = ctx.frame.kind
    deps = np.flatnonzero(np.isin(kinds, sorted(clause.applies_to)))
    hosts = ctx.placement.hosts
    counts = np.fromiter((len(hosts[i]) for i in deps), dtype=np.intp, count=deps.size)
    if counts.size and counts.max() == 1:
        return Rows(deps, ctx.placement.host[deps], ctx), np.arange(deps.size)
    owner = np.repeat(np.arange(deps.size), counts)
    row_dep = deps[owner]
    row_host = np.empty(row_dep.size, dtype=object)
    row_host[:] = [h for i in deps for h in hosts[i]]
    return Rows(row_dep, row_host, ctx), owner


def _reduce(clause: Clause, rows: Rows, owner: NDArray[np.intp], out: Outcome,
            n_deps: int) -> ClauseBlock:
    """Keep the worst row of each deployment, saying how the hosts compare."""
    reason = out.reason
    if len(rows) == n_deps:
        return ClauseBlock(clause, rows.dep, out.status, reason, out.evidence, out.geometry)
    keep = np.zeros(n_deps, dtype=np.intp)
    starts = np.searchsorted(owner, np.arange(n_deps))
    stops = np.searchsorted(owner, np.arange(n_deps), side="right")
    new_reason: list[str] = []
    extra_hosts: list[Any] = []
    extra_status: list[Any] = []
    for j in range(n_deps):
        a, b = int(starts[j]), int(stops[j])
        if b - a == 1:
            keep[j] = a
            new_reason.append(reason[a])
            extra_hosts.append(MISSING)
            extra_status.append(MISSING)
            continue
        worst = a + int(np.argmin(out.status[a:b]))
        keep[j] = worst
        hosts = [str(h) for h in rows.host[a:b]]
        where = ", ".join(h or "no state's territory" for h in hosts)
        per_host = {h or "none": STATUS_BY_CODE[int(s)].value
                    for h, s in zip(hosts, out.status[a:b], strict=True)}
        kind = rows.kind[worst]
        if len(set(per_host.values())) == 1:
            new_reason.append(f"the {kind} area/route lies on {where}; on each: {reason[worst]}")
        else:
            new_reason.append(f"the {kind} area/route lies on {where}; decided by "
                              f"{hosts[worst - a] or 'the part on no state'}: {reason[worst]}")
        extra_hosts.append(",".join(h or "none" for h in hosts))
        extra_status.append(per_host)
    evidence = {name: [col[k] for k in keep] for name, col in out.evidence.items()}
    if any(h is not MISSING for h in extra_hosts):
        evidence["hosts"] = extra_hosts
        evidence["status_per_host"] = extra_status
    return ClauseBlock(clause, rows.dep[keep], out.status[keep], Reasons.of(new_reason),
                       evidence, out.geometry[keep])


def evaluate(
    ctx: Context, clauses: Sequence[Clause], step: Callable[[], object] | None = None
) -> FindingTable:
    """Apply ``clauses`` to every deployment of ``ctx`` (see the module docstring).

    ``step`` is called after each clause (a progress bar).
    """
    blocks = []
    for clause in clauses:
        rows, owner = _rows_for(clause, ctx)
        n_deps = int(owner.max()) + 1 if owner.size else 0
        out = clause.check_fn(rows, ctx) if len(rows) else Outcome(0)
        blocks.append(_reduce(clause, rows, owner, out, n_deps))
        if step is not None:
            step()
    dep = np.concatenate([b.dep for b in blocks]) if blocks else np.zeros(0, np.intp)
    block = np.concatenate([np.full(len(b.dep), k, dtype=np.intp)
                            for k, b in enumerate(blocks)]) if blocks else np.zeros(0, np.intp)
    pos = np.concatenate([np.arange(len(b.dep)) for b in blocks]) if blocks else (
        np.zeros(0, np.intp))
    order = np.lexsort((block, dep))
    status = np.concatenate([b.status for b in blocks]) if blocks else np.zeros(0, np.int8)
    reasons = Reasons.concat([b.reason for b in blocks])
    return FindingTable(
        blocks=tuple(blocks),
        dep=dep[order],
        block=block[order],
        pos=pos[order],
        status=status[order],
        reason=reasons.take(order),
    )
