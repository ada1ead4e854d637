"""``deployguard check SCENARIO``: check a scenario file against the draft treaties.

Order of work, so that bad input never costs a computation and never leaves a folder behind:
options, outputs (writable? not the input?) and the whole scenario file are checked first and
every problem is reported at once; only then does the check run; outputs are written last,
each atomically.
"""

from __future__ import annotations

import argparse
import inspect
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deployguard._atomic import atomic_open, folder_problems
from deployguard.cli._base import (
    EXIT_OK,
    EXIT_VIOLATION,
    Command,
    Console,
    Stages,
    add_common,
    add_dpi,
    add_world,
    parse_readings,
    reading_problems,
)
from deployguard.cli._output import MAP_SUFFIXES, Outputs, csv_text, write_bytes
from deployguard.cli._reports import FORMATS
from deployguard.errors import InvalidInputError, Problem

if TYPE_CHECKING:
    from deployguard.data.scenarios import Scenario, ScenarioDefaults
    from deployguard.treaty.remedies import Remedies
    from deployguard.treaty.report import Report

__all__ = ["COMMAND"]

ESTIMATE_CHOICES = ("low", "nominal", "high", "all")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", metavar="SCENARIO", nargs="?", default=None,
                   help="a .yaml, .json, .geojson, .csv or .parquet file (docs/scenario.md), "
                        "or builtin:NAME for a bundled scenario (builtin = builtin:real_cases), or "
                        "posture-2021 / posture-latest for the real postures. "
                        "Left out: the built-in scenario, written to out/ unless --out, "
                        "--geojson or --map says where (the main job, for a first try)")
    p.add_argument("--drafts", metavar="us,nato",
                   help="drafts whose clauses apply, comma-separated (default: us,nato)")
    add_world(p, defaults=False)
    p.add_argument("--range-estimate", choices=ESTIMATE_CHOICES,
                   help="published range used for each weapon; 'all' checks low, nominal and "
                        "high in turn (default: nominal)")
    p.add_argument("--sensitivity", action="store_true",
                   help="also evaluate every range estimate and worldview; a finding that "
                        "changes becomes 'depends' and names what flips it")
    p.add_argument("--vary", metavar="WHAT", action="append", default=[],
                   help="also vary these assumptions, one at a time (repeatable, or a comma "
                        "list): 'readings' (every reading of the open terms), reading names "
                        "such as art7_reading or launch_mode, range_estimate, worldview; "
                        "with --sensitivity the estimates and worldviews are varied too")
    p.add_argument("--on", metavar="DATE",
                   help="take NATO/CSTO membership on this date for every deployment "
                        "(default: each deployment's date)")
    p.add_argument("--reading", metavar="NAME=VALUE", action="append", default=[],
                   help="how an open term is read (repeatable), e.g. territorial_sea=false, "
                        "nato72_zone_km=100; see deployguard.Readings")
    p.add_argument("--format", choices=FORMATS,
                   help="what to print on stdout (default: table); json is machine-readable")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="write report.md, findings.csv, findings.json, evidence.geojson and "
                        "map.png into DIR, as one set (swapped in whole, named by "
                        "deployguard-manifest.json; columns: docs/schema.md)")
    p.add_argument("--geojson", metavar="FILE", type=Path,
                   help="write deployments and evidence geometries as GeoJSON")
    p.add_argument("--remedies", action="store_true",
                   help="also say what would bring each violation into compliance (relocate, "
                        "withdraw, reduce, none) with its cost, and write remedies.csv in --out")
    maps = p.add_mutually_exclusive_group()
    maps.add_argument("--map", metavar="FILE", type=Path,
                      help=f"draw the map into FILE ({', '.join(MAP_SUFFIXES)}), instead of "
                           "map.png in --out")
    maps.add_argument("--no-map", action="store_true", help="no map.png in --out")
    p.add_argument("--force", action="store_true",
                   help="replace files in --out that deployguard did not write (its manifest "
                        "names the files of its last run there; those are replaced anyway)")
    add_dpi(p)
    add_common(p)


# ------------------------------------------------------------------------------ settings
def _drafts_problems(value: Any, field: str) -> tuple[tuple[str, ...] | None, list[Problem]]:
    from deployguard.treaty.checker import DRAFTS

    if value is None:
        return None, []
    items = value.split(",") if isinstance(value, str) else list(value)
    drafts = tuple(str(d).strip().lower() for d in items if str(d).strip())
    bad = [d for d in drafts if d not in DRAFTS]
    if not drafts or bad:
        return None, [Problem(f"{field} must be a comma-separated subset of {list(DRAFTS)}, got "
                              f"{value!r}", field)]
    return drafts, []


def _check_defaults(defaults: ScenarioDefaults) -> list[Problem]:
    """What only the treaty floor can check in a scenario's defaults."""
    from deployguard.geography.worldviews import BUILTIN_WORLDVIEWS

    problems = []
    if defaults.worldview is not None and defaults.worldview not in BUILTIN_WORLDVIEWS:
        problems.append(Problem(f"defaults.worldview must be one of {list(BUILTIN_WORLDVIEWS)}, "
                                f"got {defaults.worldview!r}", "defaults.worldview"))
    problems += _drafts_problems(defaults.drafts, "defaults.drafts")[1]
    problems += reading_problems(defaults.readings, "defaults.readings.")[1]
    return problems


def _load(spec: str, console: Console) -> Scenario:
    from deployguard.data.postures import SCENARIO_NAMES, posture
    from deployguard.data.scenarios import builtin_scenario, load_scenario

    if spec in SCENARIO_NAMES:
        return posture(SCENARIO_NAMES[spec])
    if spec == "builtin" or spec.startswith("builtin:"):
        return builtin_scenario(spec.partition(":")[2] or "real_cases",
                                check_defaults=_check_defaults)
    return load_scenario(spec, check_defaults=_check_defaults)


def _state_problems(scenario: Scenario, settings: dict[str, Any]) -> None:
    """Every unknown ``by`` or ``host`` at once (the checker would stop at the first)."""
    from deployguard.errors import ScenarioError, UnknownStateError
    from deployguard.geography.world import World

    world = World.load(settings["resolution"], settings["worldview"])
    problems = []
    for i, d in enumerate(scenario):
        for name, value in (("by", d.by), ("host", d.host)):
            if value is None or value in ("NATO", "CSTO"):
                continue  # the checker explains why a group cannot deploy
            try:
                world.lookup(value)
            except UnknownStateError as exc:
                problems.append(Problem(str(exc), name, i, d.label))
    if problems:
        raise ScenarioError(scenario.origin, problems)


def _settings(args: argparse.Namespace, scenario: Scenario) -> dict[str, Any]:
    """Command-line options over the scenario's defaults over deployguard's defaults."""
    from deployguard.treaty.readings import Readings

    d = scenario.defaults
    drafts, problems = _drafts_problems(args.drafts, "--drafts")
    if problems:
        raise InvalidInputError(problems[0].message)
    readings, _ = reading_problems(d.readings, "")
    readings.update(parse_readings(args.reading))
    return {
        "drafts": drafts or d.drafts or ("us", "nato"),
        "worldview": args.worldview or d.worldview or "de_facto",
        "resolution": args.resolution or d.resolution or "50m",
        "range_estimate": args.range_estimate or d.range_estimate or "nominal",
        "on": args.on or d.on,
        "readings": Readings(**readings),
        "sensitivity": _sensitivity(args.sensitivity, args.vary),
    }


def _sensitivity(flag: bool, vary: list[str]) -> bool | list[str]:
    """``--sensitivity`` and ``--vary WHAT`` as ``check(sensitivity=...)`` takes them."""
    names = [n.strip() for v in vary for n in v.split(",") if n.strip()]
    if not names:
        return bool(flag)
    from deployguard.treaty.sensitivity import sensitivity_spec

    chosen = (["range_estimate", "worldview"] if flag else []) + names
    sensitivity_spec(chosen)  # an unknown name is answered with the choices, before any work
    return list(dict.fromkeys(chosen))


def _plan(args: argparse.Namespace) -> tuple[Outputs, dict[str, Path]]:
    inputs = [] if args.scenario.startswith("builtin") else [Path(args.scenario)]
    outputs = Outputs(inputs)
    paths: dict[str, Path] = {}
    if args.out is not None:
        from deployguard.treaty.writer import FILES

        outputs.folder(args.out, "--out")
        for name in (*FILES.values(), "map.png"):
            if name == "map.png" and (args.no_map or args.map is not None):
                continue
            paths[name] = outputs.in_folder(args.out, name, "--out")
        if args.remedies:
            paths["remedies.csv"] = outputs.in_folder(args.out, "remedies.csv", "--out")
        outputs.problems += folder_problems(args.out, [p.name for p in paths.values()], "--out",
                                            args.force)
    if args.geojson is not None:
        paths["geojson"] = outputs.file(args.geojson, "--geojson", (".geojson", ".json"))
    if args.map is not None:
        paths["map"] = outputs.file(args.map, "--map", MAP_SUFFIXES)
    return outputs, paths


# ------------------------------------------------------------------------------ running
def _check_kwargs(check: Any, console: Console) -> dict[str, Any]:
    """``progress=`` for a checker that takes it (a bool flag, the common convention)."""
    param = inspect.signature(check).parameters.get("progress")
    if param is None:
        return {}
    annotation = str(param.annotation)
    if "Callable" in annotation:
        return {}
    return {"progress": console.show_progress}


def _run(args: argparse.Namespace, console: Console) -> int:
    from deployguard._validate import as_date
    from deployguard.cli import _reports

    if args.scenario is None:  # the main job: the built-in real cases, report and map in out/
        writes = args.out is not None or args.geojson is not None or args.map is not None
        args = argparse.Namespace(**{**vars(args), "scenario": "builtin",
                                     "out": args.out if writes else Path("out")})
        console.note("no SCENARIO given: checking the built-in scenario (builtin:real_cases)"
                     + ("" if writes else "; writing out/"))
    if args.on is not None:
        as_date(args.on, "--on")
    parse_readings(args.reading)  # the option's own problems, before the file is read
    outputs, paths = _plan(args)
    outputs.check()
    scenario = _load(args.scenario, console)
    settings = _settings(args, scenario)
    _state_problems(scenario, settings)
    from deployguard.treaty.checker import check

    estimates = (("low", "nominal", "high") if settings["range_estimate"] == "all"
                 else (settings["range_estimate"],))
    stages = Stages(console, len(estimates) + 1 + bool(args.remedies))
    reports: list[Report] = []
    remedies = None
    try:
        for estimate in estimates:
            with stages.stage(f"checking ({estimate} range)"):
                reports.append(check(scenario, **{**settings, "range_estimate": estimate},
                                     **_check_kwargs(check, console)))
        if args.remedies:  # of the nominal run when every estimate was checked, as the map
            with stages.stage("remedies"):
                remedies = next((r for r in reports
                                 if r.settings.get("range_estimate") == "nominal"),
                                reports[0]).remedies()
        with stages.stage("writing"):
            _write(args, paths, reports, scenario, console, remedies)
    finally:
        stages.close()
    # --quiet alone prints nothing (the exit status answers); --format still prints
    fmt = args.format or (None if args.quiet else "table")
    if fmt is not None:
        _reports.show(reports, fmt, scenario.origin, console.out)
    if remedies is not None and fmt == "table":
        console.print(remedies.to_text())
    violations = sum(len(r.violations) for r in reports)
    return EXIT_VIOLATION if violations else EXIT_OK


def _write(args: argparse.Namespace, paths: dict[str, Path], reports: list[Report],
           scenario: Scenario, console: Console, remedies: Remedies | None = None) -> None:
    from deployguard.cli import _reports
    from deployguard.treaty.writer import write_runs

    if not paths:
        return
    # the map shows one run: the nominal one when every estimate was checked
    report = next((r for r in reports if r.settings.get("range_estimate") == "nominal"),
                  reports[0])
    mapped = _reports.has_locations(report)
    if not mapped and ("map.png" in paths or "map" in paths):
        console.err.write("deployguard: no map drawn: no deployment in this scenario has a "
                          "location (accessions and state-wide cooperation only)\n")

    def draw(path: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # matplotlib layout notes
            write_bytes(path, _reports.map_image(report, path.suffix.lower(), dpi=args.dpi))

    if args.out is not None:
        extra: dict[str, Callable[[Path], object]] = (
            {"map.png": draw} if "map.png" in paths and mapped else {})
        if "remedies.csv" in paths:
            # through the one neutralising CSV writer, as every CSV deployguard writes
            extra["remedies.csv"] = lambda path: path.write_text(
                "" if remedies is None else csv_text(
                    [{str(k): v for k, v in r.items()} for r in remedies.to_dict("records")],
                    [str(c) for c in remedies.columns]), encoding="utf-8")
        written = reports[0].write(args.out, runs=reports[1:], source=scenario.origin,
                                   force=args.force, extra=extra)
        console.note(f"wrote {', '.join(p.name for p in written.values())} into "
                     f"{args.out}{os.sep}")
    else:
        written = {}
    # a file --out already wrote is copied, not computed again (the evidence geometry and the
    # map are the slow parts of a run)
    if "geojson" in paths:
        if "evidence" in written:
            write_bytes(paths["geojson"], written["evidence"].read_bytes())
        else:
            with atomic_open(paths["geojson"], "w") as fh:
                write_runs(reports, geojson=fh)
    if "map" in paths and mapped:
        if "map.png" in written and paths["map"].suffix.lower() == ".png":
            write_bytes(paths["map"], written["map.png"].read_bytes())
        else:
            draw(paths["map"])
    if len(reports) > 1 and mapped and ("map.png" in paths or "map" in paths):
        console.note("the map shows the nominal range estimate")


COMMAND = Command(
    name="check",
    summary="check a scenario file against the December 2021 draft treaties",
    description=(
        "Check every deployment in SCENARIO against the clauses of Russia's December 2021 "
        "drafts (a treaty with the USA, an agreement with NATO) and print the findings. "
        "Options given here override the scenario file's defaults. Every problem in the file "
        "is reported at once, before anything is computed or written."),
    examples=(
        "deployguard check examples/kaliningrad.yaml",
        "deployguard check examples/us_missiles.csv --format json > findings.json",
        "deployguard check examples/patrols.geojson --geojson evidence.geojson --map map.png",
        "deployguard check builtin --out report/ --sensitivity",
        "deployguard check examples/kaliningrad.yaml --range-estimate all "
        "--reading territorial_sea=false",
        "deployguard check examples/kaliningrad.yaml --quiet; echo $?   # 0 none, 1 a violation",
    ),
    configure=_configure,
    run=_run,
)
