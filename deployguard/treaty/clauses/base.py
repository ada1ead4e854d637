"""A clause: one article or paragraph of one draft, bound to its check function.

A clause is data (id, draft, article, the operative words, whom it binds, which deployment
kinds it applies to; kept in ``geodata/clauses.json``, see
:mod:`deployguard.treaty.clauses.records`) plus a check function
``check(deployment, context) -> (status, reason, evidence, geometry)``.  The context
(:class:`deployguard.treaty.context.Context`) carries the world, the range estimate, the
readings and the caches, so that a check never loads data itself.

Examples
--------
>>> from deployguard.treaty.clauses import get_clause
>>> get_clause("US-6").article
'US draft Art. 6'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deployguard.data.deployments import Deployment
from deployguard.treaty.context import Context
from deployguard.treaty.findings import Finding, Status

__all__ = ["CheckFunction", "Clause"]

CheckFunction = Callable[[Deployment, Context], tuple[Status, str, dict[str, Any], Any]]


@dataclass(frozen=True)
class Clause:
    """One article or paragraph of one draft, with its check.

    Attributes
    ----------
    id : str
        ``"US-6"``, ``"NATO-7.1"``, ...
    draft : {"us", "nato"}
    article : str
        Human citation, e.g. ``"US draft Art. 6"``.
    title : str
        A few words on what it restricts.
    quote : str
        The operative words as given in facts.md.
    wording : str
        Verification status and source of ``quote``.
    binds : str
        Which parties it binds, in words (the check applies it).
    applies_to : frozenset of str
        Deployment kinds (:data:`deployguard.data.deployments.KINDS`) it concerns; others get no
        finding.
    check_fn : callable
        ``check_fn(deployment, context) -> (status, reason, evidence, geometry)``.
    """

    id: str
    draft: str
    article: str
    title: str
    quote: str
    wording: str
    binds: str
    applies_to: frozenset[str]
    check_fn: CheckFunction = field(repr=False)

    def _check_per_host(
        self, deployment: Deployment, context: Context, hosts: tuple[str, ...]
    ) -> tuple[Status, str, dict[str, Any], Any]:
        results = []
        for host in hosts:
            with context.forced_host(deployment, host):
                results.append((host, *self.check_fn(deployment, context)))
        worst = min(results, key=lambda r: Status.sort_key(r[1]))
        host, status, reason, evidence, geometry = worst
        where = ", ".join(h or "no state's territory" for h in hosts)
        per_host = {h or "none": str(Status(r_status).value) for h, r_status, *_ in results}
        if len(set(per_host.values())) == 1:
            reason = f"the {deployment.kind} area/route lies on {where}; on each: {reason}"
        else:
            reason = (f"the {deployment.kind} area/route lies on {where}; decided by "
                      f"{host or 'the part on no state'}: {reason}")
        evidence = {**evidence, "hosts": ",".join(h or "none" for h in hosts),
                    "status_per_host": per_host}
        return status, reason, evidence, geometry

    def applies(self, deployment: Deployment) -> bool:
        """Whether the clause concerns deployments of this kind."""
        return deployment.kind in self.applies_to

    def check(self, deployment: Deployment, context: Context) -> Finding:
        """Apply the clause and wrap the result in a :class:`Finding`.

        An area or route on several states (or partly on the high seas) is checked as if on
        each of them in turn; the worst status wins (violation, then depends, compliant,
        not applicable) and the evidence lists the status on every host.
        """
        hosts = context.hosts(deployment)
        if len(hosts) <= 1:
            status, reason, evidence, geometry = self.check_fn(deployment, context)
        else:
            status, reason, evidence, geometry = self._check_per_host(deployment, context, hosts)
        return Finding(
            deployment=deployment,
            clause_id=self.id,
            draft=self.draft,
            article=self.article,
            quote=self.quote,
            wording=self.wording,
            status=Status(status),
            reason=reason,
            evidence=evidence,
            assumptions=context.assumptions(deployment),
            geometry=geometry,
        )
