"""The records every clause shares: Status, Readings, Finding and Clause.

A clause is data (id, draft, article, the operative words, whom it binds, which deployment
kinds it applies to; kept in ``geodata/clauses.json``, see :mod:`deployguard.clauses.records`)
plus a check function ``check(deployment, context) -> Finding``.  The
context (:class:`deployguard.clauses.context.Context`) carries the world, the range estimate,
the readings and the caches, so that a check never loads data itself.

Examples
--------
>>> from deployguard.clauses.base import Readings, Status
>>> Readings().nato5_other_parties, Readings().brigade_threshold
('adversary', 5000)
>>> Status.VIOLATION == "violation"
True
>>> Readings(art7_reading="post-soviet")
Traceback (most recent call last):
...
deployguard.errors.InvalidInputError: art7_reading must be one of ['m49', ...], got 'post-soviet'
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from deployguard.alliances import ART7_READINGS, EUROPE_READINGS
from deployguard.errors import InvalidInputError

if TYPE_CHECKING:
    from deployguard.clauses.context import Context
    from deployguard.deployments import Deployment

__all__ = ["Clause", "Finding", "Readings", "Status"]


class Status(enum.StrEnum):
    """The verdict of one clause on one deployment.

    ``DEPENDS`` means the answer turns on something the inputs or the text leave open (an
    unknown range, an undefined term, a subjective test, an estimate or a worldview); the
    finding's ``reason`` names it.
    """

    VIOLATION = "violation"
    COMPLIANT = "compliant"
    NOT_APPLICABLE = "not_applicable"
    DEPENDS = "depends"


_NATO5_CHOICES = ("adversary", "all")
_MISSILE_CLASS_CHOICES = ("inf", "all_ground_launched")
_HEAVY_BOMBER_CHOICES = ("new_start", "include_medium")
_BSF_CHOICES = ("present", "excluded")
_ALLY_CHOICES = ("csto", "belarus")


def _choice(value: Any, name: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InvalidInputError(f"{name} must be one of {list(choices)}, got {value!r}")


@dataclass(frozen=True)
class Readings:
    """How the checker reads the terms the drafts leave open (facts.md §1.4).

    Every finding lists these in its assumptions, so a reader sees which reading produced it.

    Parameters
    ----------
    nato5_other_parties : {"adversary", "all"}, default "adversary"
        "The other Parties" of NATO-draft Art. 5. ``adversary``: for a Russian deployment the
        NATO members on the date, for a NATO member's deployment Russia (the draft's evident
        purpose). ``all``: literally every other Party, so a US missile that can reach Canada
        also counts.
    missile_classes : {"inf", "all_ground_launched"}, default "inf"
        Which missiles are "intermediate-range and shorter-range" (US Art. 6) and
        "intermediate- and short-range" (NATO Art. 5). ``inf``: the INF Treaty classes,
        ground-launched with a range in [500, 5,500] km (INF Art. II; the natural reference,
        facts.md §4.1). ``all_ground_launched``: any ground-launched missile up to 5,500 km.
    europe : {"m49_europe", "conventional"}, default "m49_europe"
        Which hosts are "States in Europe" (NATO Art. 4); see
        :func:`deployguard.alliances.states_in_europe`. M49 is the published standard;
        ``conventional`` adds Turkey, Cyprus, the South Caucasus and Kosovo.
    art7_reading : {"m49", "post_soviet"}, default "m49"
        The regions of NATO Art. 7 para 1 (:func:`deployguard.alliances.art7_regions`). M49
        is the published standard and the literal text does not exclude NATO members;
        ``post_soviet`` follows the analysts who read the article as aimed at the non-NATO
        post-Soviet states (facts.md §2.4).
    nato72_zone_km : float or None, default None
        Width of the NATO Art. 7 para 2 border zone. The draft leaves it "of agreed width";
        with None a large activity near the border is ``depends`` and the distance to the
        border is reported; a number decides it.
    brigade_threshold : int, default 5000
        Personnel above which an activity is "above the brigade level" (NATO Art. 7 para 2).
        A NATO or Russian brigade has roughly 3,000-5,000 personnel (our analysis); taking the
        top of that span flags only what is clearly larger than a brigade.
    heavy_bombers : {"new_start", "include_medium"}, default "new_start"
        Which aircraft are "heavy bombers" (US Art. 5 para 2). ``new_start``: the heavy-bomber
        class only (B-52, B-1, B-2, Tu-95, Tu-160; facts.md §4.2), so the Tu-22M3 is not one.
        ``include_medium`` also counts medium bombers.
    territorial_sea : bool, default True
        Whether "national territory" (US Art. 5 para 1, 6, 7; the targets of US Art. 5 para 2;
        "territory" in NATO Art. 4, 5, 7) includes the 12-nmi territorial sea, as UNCLOS Art. 2
        says sovereignty extends to it. US Art. 5 para 2's "national airspace and national
        territorial waters" always include the sea: the text names it.
    black_sea_fleet : {"present", "excluded"}, default "present"
        Whether Russia's Black Sea Fleet counts in the 27 May 1997 baseline (the basing accords
        were signed the next day; :mod:`deployguard.baseline1997`).
    russia_allies : {"csto", "belarus"}, default "csto"
        "The states in a military alliance with" Russia (NATO Art. 7 para 2): the CSTO members
        on the date, or only Belarus (Union State).

    Examples
    --------
    >>> r = Readings(nato72_zone_km=100)
    >>> r.as_dict()["nato72_zone_km"]
    100.0
    """

    nato5_other_parties: str = "adversary"
    missile_classes: str = "inf"
    europe: str = "m49_europe"
    art7_reading: str = "m49"
    nato72_zone_km: float | None = None
    brigade_threshold: int = 5000
    heavy_bombers: str = "new_start"
    territorial_sea: bool = True
    black_sea_fleet: str = "present"
    russia_allies: str = "csto"

    def __post_init__(self) -> None:
        _choice(self.nato5_other_parties, "nato5_other_parties", _NATO5_CHOICES)
        _choice(self.missile_classes, "missile_classes", _MISSILE_CLASS_CHOICES)
        _choice(self.europe, "europe", EUROPE_READINGS)
        _choice(self.art7_reading, "art7_reading", ART7_READINGS)
        _choice(self.heavy_bombers, "heavy_bombers", _HEAVY_BOMBER_CHOICES)
        _choice(self.black_sea_fleet, "black_sea_fleet", _BSF_CHOICES)
        _choice(self.russia_allies, "russia_allies", _ALLY_CHOICES)
        if not isinstance(self.territorial_sea, bool):
            raise InvalidInputError(
                f"territorial_sea must be True or False, got {self.territorial_sea!r}"
            )
        zone = self.nato72_zone_km
        if zone is not None:
            if isinstance(zone, bool) or not isinstance(zone, int | float) or not zone >= 0:
                raise InvalidInputError(
                    f"nato72_zone_km must be None or a number of km >= 0, got {zone!r}"
                )
            object.__setattr__(self, "nato72_zone_km", float(zone))
        b = self.brigade_threshold
        if isinstance(b, bool) or not isinstance(b, int) or b < 0:
            raise InvalidInputError(f"brigade_threshold must be an integer >= 0, got {b!r}")

    def as_dict(self) -> dict[str, Any]:
        """The readings as a plain dict (for findings, tables and reports)."""
        return dataclasses.asdict(self)


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
        The operative words (facts.md §1.2/§1.3).
    wording : str
        How sure the quote is ("verbatim (seen)" or "wording recalled") and its source.
    status : Status
    reason : str
        One or two sentences a reader can check against the evidence.
    evidence : dict
        Distances (km), margins (range - distance, km), states reached, the host, member
        lists, the 1997 level, ... (plain Python values).
    assumptions : dict
        Worldview, range estimate and the km used with its source, data dates, the readings,
        the date of evaluation.
    geometry : shapely geometry or None
        Evidence for maps: the reached part of the other party's territory, or the deployment.
    flipped_by : tuple of str
        With ``sensitivity=True``: the assumptions ("range_estimate", "worldview") whose change
        changes the status.

    Examples
    --------
    >>> import deployguard as dg
    >>> d = dg.Deployment(by="UKR", kind="accession", date="2022-06-01")
    >>> f = dg.check([d], drafts=("nato",)).findings[0]
    >>> f.clause_id, f.status.value
    ('NATO-6', 'violation')
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
    geometry: Any = None
    flipped_by: tuple[str, ...] = ()

    @property
    def is_violation(self) -> bool:
        return self.status is Status.VIOLATION

    def replace(self, **changes: Any) -> Finding:
        """A copy with ``changes`` (findings are frozen)."""
        return dataclasses.replace(self, **changes)


CheckFunction = Callable[["Deployment", "Context"], tuple[Status, str, dict[str, Any], Any]]


_SEVERITY = ("violation", "depends", "compliant", "not_applicable")


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
        Deployment kinds (:data:`deployguard.deployments.KINDS`) it concerns; others get no
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

    def _check_per_host(self, deployment, context, hosts):
        results = []
        for host in hosts:
            with context.forced_host(deployment, host):
                results.append((host, *self.check_fn(deployment, context)))
        worst = min(results, key=lambda r: _SEVERITY.index(str(Status(r[1]).value)))
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
