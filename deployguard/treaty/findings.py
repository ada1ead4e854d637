"""Findings: the verdict of one clause on one deployment, with evidence and assumptions.

:class:`Status` knows its severity order; :class:`Finding` is a frozen record. A
:class:`~deployguard.treaty.report.Report` keeps its findings as columns and builds
:class:`Finding` objects only when they are asked for.

Examples
--------
>>> from deployguard.treaty.findings import Status
>>> Status.VIOLATION == "violation", Status.VIOLATION.severity
(True, 0)
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from deployguard.errors import InvalidInputError

if TYPE_CHECKING:
    import os

    from matplotlib.figure import Figure
    from shapely.geometry.base import BaseGeometry

    from deployguard.data.deployments import Deployment
    from deployguard.treaty.report import Report

__all__ = ["STATUS_BY_CODE", "Finding", "Status"]


class Status(enum.StrEnum):
    """The verdict of one clause on one deployment.

    ``DEPENDS`` means the answer turns on something the inputs or the text leave open (an
    unknown range, an undefined term, a subjective test, an estimate or a worldview); the
    finding's ``reason`` names it.  Statuses order by :attr:`severity` (violation first),
    which is how an area on several states, a sensitivity grid or a map picks the worst.

    Examples
    --------
    >>> Status.worst(["compliant", "depends", "not_applicable"])
    <Status.DEPENDS: 'depends'>
    >>> sorted([Status.COMPLIANT, Status.VIOLATION], key=Status.sort_key)[0].value
    'violation'
    """

    VIOLATION = "violation"
    COMPLIANT = "compliant"
    NOT_APPLICABLE = "not_applicable"
    DEPENDS = "depends"

    @property
    def severity(self) -> int:
        """0 for a violation, 1 depends, 2 compliant, 3 not applicable (lower is worse)."""
        return _SEVERITY[self]

    @staticmethod
    def sort_key(status: str) -> int:
        """Key that sorts statuses (or their values) worst first."""
        return _SEVERITY[Status(status)]

    @classmethod
    def worst(cls, statuses: Iterable[str]) -> Status:
        """The most severe of ``statuses``; raises on an empty iterable."""
        items = [cls(s) for s in statuses]
        if not items:
            raise InvalidInputError("Status.worst needs at least one status")
        return min(items, key=lambda s: _SEVERITY[s])


# worst first: the one place the order of statuses is written down
_SEVERITY: dict[Status, int] = {
    Status.VIOLATION: 0, Status.DEPENDS: 1, Status.COMPLIANT: 2, Status.NOT_APPLICABLE: 3,
}
#: Status by severity code: the checker keeps statuses as small integers (0 = violation).
STATUS_BY_CODE: tuple[Status, ...] = tuple(sorted(_SEVERITY, key=_SEVERITY.__getitem__))


@dataclass(frozen=True)
class Finding:
    """One clause applied to one deployment.

    Attributes
    ----------
    deployment : Deployment
        The input record (never modified).
    clause_id, draft, article : str
        E.g. ``"NATO-5"``, ``"nato"``, ``"NATO draft Art. 5"``.
    quote : str
        The operative words of the article, as the cited outlet reproduces them.
    wording : str
        How sure the quote is ("verbatim (seen)" or "wording recalled") and its source.
    status : Status
    reason : str
        One or two sentences a reader can check against the evidence.
    evidence : dict
        Distances (km), margins (range - distance, km), states reached, the host and the data
        that decided it, member lists, the 1997 level, ... (plain Python values).
    assumptions : dict
        Worldview, range estimate and the km used with its source, data dates, the readings,
        the date of evaluation.
    flipped_by : tuple of str
        With ``sensitivity``: the assumptions ("range_estimate", "worldview", a reading name)
        whose change changes the status.
    deployment_id : int or str
        The deployment's index in the input, or the ``id`` its record gave.
    label : str
        The deployment's label, unique within a report.
    lon, lat : float or None
        The deployment's point (a representative point for an area or a route).

    Notes
    -----
    :attr:`geometry` (the reached part of the other party's territory, for maps) is made on
    demand from the numbers the finding carries; see
    :meth:`deployguard.treaty.report.Report.evidence_geometry`.

    Examples
    --------
    >>> import deployguard as dg
    >>> d = dg.Deployment(by="UKR", kind="accession", date="2022-06-01")
    >>> f = dg.check([d], drafts=("nato",)).findings[0]
    >>> f.clause_id, f.status.value, f.deployment_id
    ('NATO-6', 'violation', 0)
    """

    deployment: Deployment
    clause_id: str
    draft: str
    article: str
    quote: str
    wording: str
    status: Status
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    assumptions: dict[str, Any] = field(default_factory=dict)
    flipped_by: tuple[str, ...] = ()
    deployment_id: int | str = 0
    label: str = ""
    lon: float | None = None
    lat: float | None = None
    #: A geometry, or a function that makes it (called each time :attr:`geometry` is read).
    geometry_source: BaseGeometry | Callable[[], BaseGeometry | None] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def geometry(self) -> BaseGeometry | None:
        """Evidence for maps: the reached part of the other side's territory, or the site."""
        source = self.geometry_source
        return source() if callable(source) else source

    @property
    def is_violation(self) -> bool:
        return self.status is Status.VIOLATION

    def plot(self, report: Report | None = None, path: str | os.PathLike[str] | None = None,
             **kwargs: Any) -> Figure:
        """Map this finding: :func:`deployguard.viz.report_map.plot_finding` with its keywords.

        ``report``, the run the finding came from, gives its number and the run's settings.
        Imported here, not at the top: viz is the floor above (declared in ``pyproject.toml``),
        and the treaty floor must load without matplotlib.
        """
        from deployguard.viz.report_map import plot_finding

        return plot_finding(self, report, path, **kwargs)

    def replace(self, **changes: Any) -> Finding:
        """A copy with ``changes`` (findings are frozen)."""
        return dataclasses.replace(self, **changes)
