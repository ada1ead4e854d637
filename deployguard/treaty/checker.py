"""``deployguard.check``: apply the clauses of both drafts to deployments, all at once.

The evaluation is batched (:mod:`deployguard.treaty.engine`): every deployment's host, weapon,
launch mode and date are resolved first (:mod:`~deployguard.treaty.placement`,
:mod:`~deployguard.treaty.weapons`), then each clause judges all its deployments at once,
reading one shared table of distances (:mod:`~deployguard.treaty.distances`). Decisions use
exact geodesic distances, never buffers.

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

import warnings
from collections.abc import Iterable
from typing import Any

from deployguard._progress import progress_bar
from deployguard._validate import as_date
from deployguard.data.deployments import Deployment
from deployguard.data.scenarios import ScenarioDefaults, as_deployments
from deployguard.data.systems import ESTIMATES
from deployguard.errors import (
    DataError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownStateError,
)
from deployguard.geodesy.branch import backend_since, backend_tally
from deployguard.geography.world import World
from deployguard.geography.worldviews import Worldview
from deployguard.treaty.clauses import CLAUSES, Clause
from deployguard.treaty.context import Context
from deployguard.treaty.engine import evaluate
from deployguard.treaty.frame import DeploymentFrame
from deployguard.treaty.readings import Readings
from deployguard.treaty.report import Report
from deployguard.treaty.sensitivity import run_sensitivity, sensitivity_spec
from deployguard.treaty.slips import check_slips

__all__ = ["DRAFTS", "check"]

DRAFTS: tuple[str, ...] = ("us", "nato")

# alliances and other groups: not a sending state
_GROUPS = frozenset({"NATO", "CSTO"})


def _as_deployments(deployments: Any) -> list[Deployment]:
    # also a Scenario or a (Geo)DataFrame of deployment fields (deployguard.load_scenario)
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


def _check_states(deps: list[Deployment], world: World) -> None:
    """Raise unless every ``by`` and ``host`` is a state the world knows, by its alpha-3 code."""
    known: dict[str, str | Exception] = {}
    for i, d in enumerate(deps):
        fields = [("host", d.host)] if d.host is not None else []
        if d.trainees is not None:
            fields.append(("trainees", d.trainees))
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
            if value not in known:
                try:
                    known[value] = world.lookup(value)
                except UnknownStateError as exc:
                    known[value] = exc
            code = known[value]
            if isinstance(code, Exception):
                raise UnknownStateError(f"deployments[{i}].{name}: {code}") from code
            if code != value:
                raise InvalidInputError(
                    f"deployments[{i}].{name} is {value!r}; expected an alpha-3 code: give "
                    f"{code!r}"
                )


def _scenario_readings(values: Any) -> Readings:
    try:
        return Readings(**dict(values))
    except TypeError as exc:
        raise InvalidInputError(f"the scenario's defaults.readings: {exc}; expected fields of "
                                "deployguard.Readings") from exc


def check(
    deployments: Deployment | Iterable[Deployment],
    drafts: Iterable[str] | str | None = None,
    worldview: str | Worldview | None = None,
    range_estimate: str | None = None,
    on: Any = None,
    readings: Readings | None = None,
    resolution: str | None = None,
    sensitivity: bool | Iterable[str] | dict[str, Any] = False,
    progress: bool | None = None,
) -> Report:
    """Check deployments against the clauses of Russia's December 2021 drafts.

    Parameters
    ----------
    deployments : Deployment, iterable of Deployment, or Scenario
        Never modified. Each finding carries the deployment's ``deployment_id`` (its index
        here, or its ``id``) and a label that is unique within the report. A
        :class:`~deployguard.data.scenarios.Scenario` (``dg.load_scenario``) brings its file's
        ``defaults``: they apply to every argument left out here (an argument given here
        overrides them, as options do on the command line).
    drafts : {"us", "nato"} or both, default both
        Which drafts' clauses to apply.
    worldview : {"de_facto", "un", "russia"} or Worldview, default "de_facto"
        Who holds disputed areas (Crimea); decides hosts and national territory.
    range_estimate : {"low", "nominal", "high"}, default "nominal"
        Which published range to use. A missing figure gives ``depends``, never a guess. (A
        scenario default of ``"all"`` is the command line's; here it gives ``"nominal"`` with
        a warning: call ``check`` once per estimate, or use ``sensitivity=``.)
    on : date or ISO str, optional
        Take NATO/CSTO membership on this date for every deployment (default: each
        deployment's own date). The drafts never entered into force: they are applied as if
        in force on that date.
    readings : Readings, optional
        How the open terms are read; default :class:`Readings()` (its docstring gives every
        reading with its default and the reasoning).
    resolution : {"50m", "10m"}, default "50m"
        Borders for distances. Where a deployment is (its host, national territory, land or
        sea) is always decided with the most detailed borders bundled (1:10m).
    sensitivity : bool, iterable of str or dict, default False
        ``True`` also evaluates every range estimate (low/nominal/high) and every built-in
        worldview; an iterable may name ``"range_estimate"``, ``"worldview"``, ``"readings"``
        (every named reading, one at a time) or reading names; a dict maps reading names to
        the values to try. A finding whose status differs becomes ``depends``; ``flipped_by``
        names the assumptions, the reason says what each gives and why, and
        ``evidence["sensitivity"]`` lists every status. See
        :attr:`Report.robust_violations` and :attr:`Report.dependent_violations`.
    progress : bool, optional
        Show a progress bar (tqdm) on the terminal. Default: only when stderr is a terminal.

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
    defaults = getattr(deployments, "defaults", None)
    if isinstance(defaults, ScenarioDefaults):
        drafts = defaults.drafts if drafts is None else drafts
        worldview = defaults.worldview if worldview is None else worldview
        resolution = defaults.resolution if resolution is None else resolution
        on = defaults.on if on is None else on
        if range_estimate is None and defaults.range_estimate == "all":
            warnings.warn("the scenario's defaults say range_estimate: all (the command line "
                          "checks each estimate in turn); check() uses 'nominal': pass "
                          "range_estimate= or sensitivity=True", ModellingAssumptionWarning,
                          stacklevel=2)
        elif range_estimate is None:
            range_estimate = defaults.range_estimate
        if readings is None and defaults.readings:
            readings = _scenario_readings(defaults.readings)
    drafts = DRAFTS if drafts is None else drafts
    worldview = "de_facto" if worldview is None else worldview
    range_estimate = "nominal" if range_estimate is None else range_estimate
    resolution = "50m" if resolution is None else resolution
    deps = _as_deployments(deployments)
    chosen = _as_drafts(drafts)
    if range_estimate not in ESTIMATES:
        raise InvalidInputError(
            f"range_estimate must be one of {list(ESTIMATES)}, got {range_estimate!r}"
        )
    spec = sensitivity_spec(sensitivity)
    if progress is not None and not isinstance(progress, bool):
        raise InvalidInputError(f"progress must be True, False or None, got {progress!r}")
    readings = Readings() if readings is None else readings
    if not isinstance(readings, Readings):
        raise InvalidInputError(
            f"readings must be a deployguard.Readings, got {type(readings).__name__}"
        )
    day = None if on is None else as_date(on, "on")
    clauses: list[Clause] = [c for c in CLAUSES if c.draft in chosen]
    world = World.load(resolution, worldview)
    _check_states(deps, world)
    frame = DeploymentFrame.build(deps)
    before = backend_tally()
    try:
        ctx = Context.build(frame, world, range_estimate, readings, day)
        check_slips(ctx)
        report = _run(ctx, clauses, spec, progress)
    except DataError as exc:
        if not readings.territorial_sea:
            raise
        raise DataError(
            f"{exc}. check() reads national territory with the 12-nmi sea by default; to run "
            "without it pass readings=deployguard.Readings(territorial_sea=False)"
        ) from exc
    report.settings.update({
        "drafts": list(chosen),
        "worldview": world.worldview,
        "range_estimate": range_estimate,
        "on": None if day is None else day.isoformat(),
        "resolution": resolution,
        "sensitivity": sensitivity if isinstance(sensitivity, bool) else (
            dict(sensitivity) if isinstance(sensitivity, dict) else list(sensitivity)),
        "readings": readings.as_dict(),
        # which engine gave the exact distances (the same numbers either way; for the record)
        "distance_backend": backend_since(before),
    })
    return report


def _run(ctx: Context, clauses: list[Clause], spec: Any, progress: bool | None) -> Report:
    variants = 1
    if spec is not None:
        variants = (9 if len(spec.axes) == 2 else 3 if spec.axes else 1) + sum(
            2 for _ in spec.readings)
    # the shared bar: silent without a terminal or notebook (or with progress=False), and
    # tqdm's notebook widget only where ipywidgets is installed
    with progress_bar(len(clauses) * variants, "deployguard check", progress,
                      unit="clause") as bar:
        table = evaluate(ctx, clauses, step=lambda: bar.update())
        if spec is None:
            return Report.of_run(table, ctx)
        result = run_sensitivity(ctx, clauses, table, spec)
        bar.update(len(clauses) * (variants - 1))  # the variants, counted as one stage
    return Report.of_run(table, ctx, flipped=result.flipped, grid=result.grid,
                         status=result.status, reasons=result.reason)
