"""``deployguard.check``: apply the clauses of both drafts to deployments.

One :class:`~deployguard.treaty.clauses.Finding` per (deployment, clause that concerns the
deployment's kind). The World is loaded once per worldview; each state's distance index is
built once per run. Decisions use exact geodesic distances, never buffers.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> report = dg.check([d])
>>> {f.clause_id: f.status.value for f in report.findings}["NATO-5"]
'violation'
>>> {f.clause_id: f.status.value for f in report.findings}["US-6"]
'compliant'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from deployguard._validate import as_date
from deployguard.data.deployments import Deployment
from deployguard.data.scenarios import as_deployments
from deployguard.data.systems import ESTIMATES
from deployguard.errors import DataError, InvalidInputError, UnknownStateError
from deployguard.geography.world import World
from deployguard.geography.worldviews import BUILTIN_WORLDVIEWS, Worldview
from deployguard.treaty.clauses import CLAUSES, Clause, Finding, Readings, Status
from deployguard.treaty.context import Context
from deployguard.treaty.report import Report

__all__ = ["DRAFTS", "check"]

DRAFTS: tuple[str, ...] = ("us", "nato")


def _as_deployments(deployments: Any) -> list[Deployment]:
    # also a Scenario or a (Geo)DataFrame of deployment fields (issue 12)
    return as_deployments(deployments)


def _as_drafts(drafts: Any) -> tuple[str, ...]:
    if isinstance(drafts, str):
        drafts = (drafts,)
    if not isinstance(drafts, Iterable) or isinstance(drafts, bytes):
        raise InvalidInputError(
            f"drafts must be 'us', 'nato' or an iterable of them, got {drafts!r}"
        )
    drafts = tuple(drafts)
    if not all(isinstance(d, str) for d in drafts):
        raise InvalidInputError(
            f"drafts must be 'us', 'nato' or an iterable of them (strings), got {drafts!r}"
        )
    out = tuple(d.strip().lower() for d in drafts)
    bad = [d for d in out if d not in DRAFTS]
    if bad or not out:
        raise InvalidInputError(f"drafts must be a subset of {list(DRAFTS)}, got {drafts!r}")
    return out


# alliances and other groups: not a sending state
_GROUPS = frozenset({"NATO", "CSTO"})


def _check_states(deps: list[Deployment], world: World) -> None:
    """Raise unless every ``by`` and ``host`` is a state the world knows, by its alpha-3 code."""
    for i, d in enumerate(deps):
        fields = [("host", d.host)] if d.host is not None else []
        # an accession with host= names the acceding state there; by may name the alliance
        if not (d.kind == "accession" and d.host is not None):
            if d.by in _GROUPS:
                raise InvalidInputError(
                    f"deployments[{i}].by is {d.by!r}, a group, not a state; expected the "
                    "alpha-3 code of the sending state: the clauses bind states, so give one "
                    "deployment per sending state"
                )
            fields.insert(0, ("by", d.by))
        for name, value in fields:
            try:
                code = world.lookup(value)
            except UnknownStateError as exc:
                raise UnknownStateError(f"deployments[{i}].{name}: {exc}") from exc
            if code != value:
                raise InvalidInputError(
                    f"deployments[{i}].{name} is {value!r}; expected an alpha-3 code: give "
                    f"{code!r}"
                )


def _run(
    deps: list[Deployment], clauses: list[Clause], ctx: Context
) -> list[Finding]:
    return [c.check(d, ctx) for d in deps for c in clauses if c.applies(d)]


def check(
    deployments: Deployment | Iterable[Deployment],
    drafts: Iterable[str] | str = DRAFTS,
    worldview: str | Worldview = "de_facto",
    range_estimate: str = "nominal",
    on: Any = None,
    readings: Readings | None = None,
    resolution: str = "50m",
    sensitivity: bool = False,
) -> Report:
    """Check deployments against the clauses of Russia's December 2021 drafts.

    Parameters
    ----------
    deployments : Deployment or iterable of Deployment
        Never modified.
    drafts : {"us", "nato"} or both, default both
        Which drafts' clauses to apply.
    worldview : {"de_facto", "un", "russia"} or Worldview, default "de_facto"
        Who holds disputed areas (Crimea); decides hosts and national territory.
    range_estimate : {"low", "nominal", "high"}, default "nominal"
        Which published range to use. A missing figure gives ``depends``, never a guess.
    on : date or ISO str, optional
        Take NATO/CSTO membership on this date for every deployment (default: each
        deployment's own date). The drafts never entered into force: they are applied as if
        in force on that date.
    readings : Readings, optional
        How the open terms are read; default :class:`Readings()` (see its docstring: NATO-5
        "other Parties" = the adversary side, INF classes, M49 Europe and Art. 7 regions,
        no NATO-7.2 zone width, brigade = 5,000 personnel, New START heavy bombers,
        territory includes the 12-nmi sea, Black Sea Fleet present in 1997).
    resolution : {"50m", "10m"}, default "50m"
    sensitivity : bool, default False
        Also evaluate every range estimate (low/nominal/high) and every built-in worldview;
        where the status differs, the finding becomes ``depends`` and ``flipped_by`` names the
        assumption(s) that flip it. ``evidence["sensitivity"]`` lists every status.

    Returns
    -------
    Report

    Examples
    --------
    >>> import deployguard as dg
    >>> d = dg.Deployment(by="RUS", at="Anadyr", date="2022-01-01", system="Iskander-M")
    >>> f = dg.check(d, drafts="us", sensitivity=True).finding("US-6")
    >>> f.status.value, f.flipped_by
    ('depends', ('range_estimate',))
    """
    deps = _as_deployments(deployments)
    chosen = _as_drafts(drafts)
    if range_estimate not in ESTIMATES:
        raise InvalidInputError(
            f"range_estimate must be one of {list(ESTIMATES)}, got {range_estimate!r}"
        )
    if not isinstance(sensitivity, bool):
        raise InvalidInputError(f"sensitivity must be True or False, got {sensitivity!r}")
    readings = Readings() if readings is None else readings
    day = None if on is None else as_date(on, "on")
    clauses = [c for c in CLAUSES if c.draft in chosen]
    world = World.load(resolution, worldview)
    _check_states(deps, world)
    try:
        findings = _run(deps, clauses, Context(world, range_estimate, readings, day))
        if sensitivity:
            findings = _sensitivity(findings, deps, clauses, world, range_estimate, readings, day)
    except DataError as exc:
        if not readings.territorial_sea:
            raise
        raise DataError(
            f"{exc}. check() reads national territory with the 12-nmi sea by default; to run "
            "without it pass readings=deployguard.Readings(territorial_sea=False)"
        ) from exc
    settings = {
        "drafts": list(chosen),
        "worldview": world.worldview,
        "range_estimate": range_estimate,
        "on": None if day is None else day.isoformat(),
        "resolution": resolution,
        "sensitivity": bool(sensitivity),
        "readings": readings.as_dict(),
    }
    return Report(findings, deps, settings)


def _sensitivity(
    base: list[Finding],
    deps: list[Deployment],
    clauses: list[Clause],
    world: World,
    estimate: str,
    readings: Readings,
    day: Any,
) -> list[Finding]:
    worldviews: list[Any] = list(BUILTIN_WORLDVIEWS)
    if world.worldview not in worldviews:
        worldviews.append(world.worldview_object)
    grid: dict[tuple[str, str], list[Status]] = {}
    for est, wv in itertools.product(ESTIMATES, worldviews):
        w = World.load(world.resolution, wv)
        if est == estimate and w.worldview == world.worldview:
            grid[(est, w.worldview)] = [f.status for f in base]
            continue
        ctx = Context(w, est, readings, day)
        ctx.draw = False
        grid[(est, w.worldview)] = [f.status for f in _run(deps, clauses, ctx)]
    wv_names = sorted({k[1] for k in grid}, key=[*BUILTIN_WORLDVIEWS, world.worldview].index)
    out = []
    for i, f in enumerate(base):
        table = {f"{e}/{w}": grid[(e, w)][i].value for (e, w) in grid}
        flips = []
        if any(len({grid[(e, w)][i] for e in ESTIMATES}) > 1 for w in wv_names):
            flips.append("range_estimate")
        if any(len({grid[(e, w)][i] for w in wv_names}) > 1 for e in ESTIMATES):
            flips.append("worldview")
        evidence = {**f.evidence, "sensitivity": table}
        if not flips:
            out.append(f.replace(evidence=evidence))
            continue
        spread = "; ".join(
            f"{k}: {v}" for k, v in table.items() if v != f.status.value
        )
        out.append(f.replace(
            status=Status.DEPENDS,
            flipped_by=tuple(flips),
            evidence=evidence,
            reason=(
                f"depends on the {' and the '.join(flips)}: {f.status.value} under "
                f"{estimate}/{world.worldview}, but {spread}. At {estimate}/{world.worldview}: "
                f"{f.reason}"
            ),
        ))
    return out
