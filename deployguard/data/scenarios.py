"""Scenario files: deployments and scenario-wide defaults, read from YAML, JSON, CSV, GeoJSON or
GeoParquet, plus the scenarios bundled with deployguard.

:func:`load_scenario` returns a :class:`Scenario`: a frozen record of the deployments, the
defaults (date, worldview, range estimate, readings, ...) and where it came from. It behaves
like a tuple of :class:`~deployguard.data.deployments.Deployment`, so ``check(load_scenario(p))``
and ``for d in load_scenario(p)`` work. A file with mistakes raises one
:class:`~deployguard.errors.ScenarioError` listing every problem (file, deployment index and
label, field, value, what was expected, close names), not just the first. The schema is in
``docs/scenario.md``.

Examples
--------
>>> from deployguard.data.scenarios import builtin_scenario
>>> cases = builtin_scenario()
>>> all(d.label and d.why for d in cases), cases.origin
(True, 'builtin:real_cases')
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, overload

from deployguard._validate import as_date
from deployguard.data._scenario_files import (
    RawRecord,
    RawScenario,
    read_frame,
    read_scenario_file,
    read_text_scenario,
)
from deployguard.data.deployments import ARRANGEMENTS, CATEGORIES, KINDS, Deployment
from deployguard.data.files import RESOLUTIONS
from deployguard.data.resolve import Resolver
from deployguard.data.systems import ESTIMATES
from deployguard.errors import DeployguardError, InvalidInputError, Problem, ScenarioError

__all__ = [
    "DEFAULT_FIELDS",
    "DEPLOYMENT_FIELDS",
    "Scenario",
    "ScenarioDefaults",
    "as_deployments",
    "builtin_names",
    "builtin_scenario",
    "load_scenario",
]

#: fields a deployment record may have (``lon``/``lat`` stand for ``at``)
DEPLOYMENT_FIELDS: tuple[str, ...] = (
    *(f.name for f in dataclasses.fields(Deployment) if not f.name.startswith("_")), "lon", "lat"
)
#: keys of a scenario's ``defaults``
DEFAULT_FIELDS = ("date", "on", "worldview", "range_estimate", "resolution", "drafts", "readings")
_TOP_FIELDS = ("title", "description", "defaults", "deployments")
_BUILTIN_NAME = re.compile(r"^[a-z0-9_]+$")
_MESSAGE_FIELD = re.compile(r"^([a-z_]+)(?:\s*[:=]|\s+must\b|\s+is\b|\s+cannot\b)")
_MAX_MESSAGE = 400


@dataclass(frozen=True)
class ScenarioDefaults:
    """Scenario-wide settings; the command line's options override them.

    Attributes
    ----------
    date : datetime.date or None
        The date of every deployment that gives none.
    on : datetime.date or None
        Take memberships on this date for every deployment (``check(on=...)``).
    worldview, range_estimate, resolution : str or None
        As for :func:`deployguard.check`; ``range_estimate`` may also be ``"all"`` (the command
        line then checks each estimate).
    drafts : tuple of str or None
    readings : mapping
        Field names of :class:`deployguard.Readings` to values (checked by the treaty floor).
    """

    date: Any = None
    on: Any = None
    worldview: str | None = None
    range_estimate: str | None = None
    resolution: str | None = None
    drafts: tuple[str, ...] | None = None
    readings: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Scenario(Sequence[Deployment]):
    """Deployments read from one file, with the file's defaults; a sequence of deployments.

    Examples
    --------
    >>> s = builtin_scenario()
    >>> len(s) == len(s.deployments), s[0].label
    (True, 'Iskander-M in Kaliningrad')
    """

    deployments: tuple[Deployment, ...]
    defaults: ScenarioDefaults = field(default_factory=ScenarioDefaults)
    origin: str = ""
    title: str | None = None
    description: str | None = None

    @overload
    def __getitem__(self, index: int) -> Deployment: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Deployment, ...]: ...
    def __getitem__(self, index: int | slice) -> Deployment | tuple[Deployment, ...]:
        return self.deployments[index]

    def __len__(self) -> int:
        return len(self.deployments)

    def __iter__(self) -> Iterator[Deployment]:
        return iter(self.deployments)


DefaultsCheck = Callable[[ScenarioDefaults], list[Problem]]


# ------------------------------------------------------------------------------ public
def load_scenario(path: str | Path, *, check_defaults: DefaultsCheck | None = None) -> Scenario:
    r"""Read a scenario file: ``.yaml``/``.yml``, ``.json``, ``.geojson``, ``.csv`` or
    ``.parquet``/``.geoparquet`` (see ``docs/scenario.md``).

    Parameters
    ----------
    path : str or Path
    check_defaults : callable, optional
        Extra checks of the defaults (the command line passes the treaty floor's checks of the
        worldview, drafts and readings), so that their problems are reported with the rest.

    Raises
    ------
    ScenarioError
        Listing every problem in the file at once.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = p.write_text("by,at,date,personnel\nUSA,Aviano,2022-01-01,7\nUSA,Avaino,,x\n")
    >>> load_scenario(p)
    Traceback (most recent call last):
    ...
    deployguard.errors.ScenarioError: scenario '...s.csv': 3 problems:
      deployment 1 (line 3): date is required: an ISO date like '2022-01-01' (or set defaults.date)
      deployment 1 (line 3): at: unknown base or site 'Avaino'; did you mean 'Aviano Air Base', ...
      deployment 1 (line 3): personnel must be a whole number >= 0, got 'x'
    """
    p = Path(path)
    origin = str(p)
    try:
        raw = read_scenario_file(p, origin)
    except OSError as exc:
        raise ScenarioError(origin, [Problem(f"cannot read the file: {exc.strerror or exc}")]
                            ) from exc
    return _scenario(raw, origin, check_defaults)


def builtin_names() -> list[str]:
    """Names of the scenarios bundled in ``geodata/scenarios/``.

    Examples
    --------
    >>> "real_cases" in builtin_names()
    True
    """
    folder = resources.files("deployguard.geodata").joinpath("scenarios")
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir()
                  if p.name.endswith(".json") and _BUILTIN_NAME.match(p.name[:-5]))


def builtin_scenario(name: str = "real_cases", *,
                     check_defaults: DefaultsCheck | None = None) -> Scenario:
    """A scenario bundled in ``geodata/scenarios/`` (``"real_cases"``: real deployments).

    Only the bundled names are accepted (no path): see :func:`builtin_names`.

    Examples
    --------
    >>> [d.label for d in builtin_scenario()][:1]
    ['Iskander-M in Kaliningrad']
    >>> builtin_scenario("../../etc/passwd")
    Traceback (most recent call last):
    ...
    deployguard.errors.InvalidInputError: unknown built-in scenario '../../etc/passwd'; ...
    """
    known = builtin_names()
    if not isinstance(name, str) or name not in known:
        close = difflib.get_close_matches(str(name), known, n=3)
        hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
        raise InvalidInputError(f"unknown built-in scenario {name!r}; {hint}known: {known}")
    entry = resources.files("deployguard.geodata").joinpath("scenarios", f"{name}.json")
    raw = read_text_scenario(entry.read_bytes(), ".json", f"builtin:{name}")
    return _scenario(raw, f"builtin:{name}", check_defaults)


def as_deployments(obj: Any) -> list[Deployment]:
    """Deployments from a Deployment, an iterable of them, a :class:`Scenario`, or a
    (Geo)DataFrame whose columns are deployment fields (the geometry column stands for ``at``).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> frame = gpd.GeoDataFrame({"by": ["USA"], "date": ["2022-01-01"], "personnel": [100]},
    ...                          geometry=[shapely.Point(21.0, 52.2)], crs="EPSG:4326")
    >>> [(d.kind, d.lonlat) for d in as_deployments(frame)]
    [('forces', (21.0, 52.2))]
    """
    if isinstance(obj, Deployment):
        return [obj]
    if isinstance(obj, Scenario):
        return list(obj.deployments)
    if hasattr(obj, "columns") and hasattr(obj, "to_dict"):  # a pandas or geopandas frame
        return list(_scenario(read_frame(obj), type(obj).__name__, None).deployments)
    if isinstance(obj, str | bytes) or not isinstance(obj, Iterable):
        raise InvalidInputError(
            f"deployments must be a Deployment, an iterable of them, a Scenario or a "
            f"GeoDataFrame, got {obj!r}"
        )
    out = list(obj)
    for i, d in enumerate(out):
        if not isinstance(d, Deployment):
            raise InvalidInputError(
                f"deployments[{i}] must be a deployguard.Deployment, got {type(d).__name__}"
            )
    return out


# ------------------------------------------------------------------------------ building
def _scenario(raw: RawScenario, origin: str, check_defaults: DefaultsCheck | None) -> Scenario:
    problems = list(raw.problems)
    defaults, title, description = _top(raw.top, problems)
    if check_defaults is not None:
        problems += check_defaults(defaults)
    if raw.kind in ("csv", "parquet", "table"):
        _unknown_columns(raw, problems)
    reported = {p.entry for p in raw.problems if p.entry is not None}
    deployments = []
    if not raw.records and not problems:
        problems.append(Problem("no deployments in the file"))
    for i, rec in enumerate(raw.records):
        if i in reported or rec.fields is None:
            continue  # the reader has said what is wrong with this one
        built = _deployment(i, rec, defaults, raw.kind, problems)
        if built is not None:
            deployments.append(built)
    if problems:
        raise ScenarioError(origin, problems)
    return Scenario(tuple(deployments), defaults, origin, title, description)


def _unknown_columns(raw: RawScenario, problems: list[Problem]) -> None:
    """A table's unknown column is one problem (of its header), not one per row."""
    columns = dict.fromkeys(k for r in raw.records if isinstance(r.fields, Mapping)
                            for k in r.fields)
    where = "line 1" if raw.kind == "csv" else None
    for key in columns:
        if not str(key).startswith("_") and key not in DEPLOYMENT_FIELDS:
            hint = (_did_you_mean(key, DEPLOYMENT_FIELDS)
                    or f"; allowed: {', '.join(DEPLOYMENT_FIELDS)}")
            problems.append(Problem(f"column {key!r} is not a deployment field{hint}", key,
                                    where=where))
            for r in raw.records:
                if isinstance(r.fields, dict):
                    r.fields.pop(key, None)


def _top(top: Mapping[str, Any], problems: list[Problem]) -> tuple[ScenarioDefaults, Any, Any]:
    for key in top:
        if not key.startswith("_") and key not in _TOP_FIELDS:
            hint = _did_you_mean(key, _TOP_FIELDS)
            problems.append(Problem(f"unknown top-level key {key!r}{hint}; allowed: "
                                    f"{list(_TOP_FIELDS)} (keys starting with '_' are "
                                    "comments)", key))
    for key in ("title", "description"):
        if top.get(key) is not None and not isinstance(top[key], str):
            problems.append(Problem(f"{key} must be text, got {_short(top[key])}", key))
    raw = top.get("defaults") or {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(f"defaults must be a mapping of {list(DEFAULT_FIELDS)}, got "
                                f"{_short(raw)}", "defaults"))
        raw = {}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"defaults.{key}"
        if key not in DEFAULT_FIELDS:
            problems.append(Problem(f"unknown default {key!r}{_did_you_mean(key, DEFAULT_FIELDS)}"
                                    f"; allowed: {list(DEFAULT_FIELDS)}", name))
        elif value is not None:
            try:
                values[key] = _default_value(key, value)
            except InvalidInputError as exc:
                problems.append(Problem(str(exc), name))
    return ScenarioDefaults(**values), top.get("title"), top.get("description")


def _default_value(key: str, value: Any) -> Any:
    name = f"defaults.{key}"
    if key in ("date", "on"):
        return as_date(value, name)
    if key == "drafts":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(d, str) for d in items):
            raise InvalidInputError(f"{name} must be a list like [us, nato], got {_short(value)}")
        return tuple(d.strip().lower() for d in items if d.strip())
    if key == "readings":
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise InvalidInputError(f"{name} must be a mapping of reading names to values, got "
                                    f"{_short(value)}")
        return dict(value)
    choices = {"range_estimate": (*ESTIMATES, "all"), "resolution": RESOLUTIONS}.get(key)
    if not isinstance(value, str) or (choices is not None and value not in choices):
        expected = f"one of {list(choices)}" if choices else "a name like 'de_facto'"
        raise InvalidInputError(f"{name} must be {expected}, got {_short(value)}")
    return value


def _deployment(i: int, rec: RawRecord, defaults: ScenarioDefaults, kind: str,
                problems: list[Problem]) -> Deployment | None:
    fields = rec.fields
    if not isinstance(fields, Mapping):
        problems.append(Problem(
            f"expected an object of deployment fields (by, at, date, ...), got "
            f"{type(fields).__name__} {_short(fields)}", None, i, None, rec.where))
        return None
    label = fields.get("label") if isinstance(fields.get("label"), str) else None
    before = len(problems)

    def report(message: str, field_name: str | None) -> None:
        problems.append(Problem(_clip(message), field_name, i, label, rec.where))

    data = {str(k): v for k, v in fields.items() if not str(k).startswith("_")}
    for key in sorted(set(data) - set(DEPLOYMENT_FIELDS)):
        hint = (_did_you_mean(key, DEPLOYMENT_FIELDS)
                or f"; allowed: {', '.join(DEPLOYMENT_FIELDS)}")
        report(f"{key!r} is not a deployment field{hint}", key)
        del data[key]
    data = {k: v for k, v in data.items() if v not in (None, "")}
    if "date" not in data and defaults.date is not None:
        data["date"] = defaults.date
    _probe(data, kind, report)
    if len(problems) > before:
        return None
    try:
        return Deployment.from_record(data)
    except (DeployguardError, TypeError, ValueError, OverflowError) as exc:
        message = str(exc)
        match = _MESSAGE_FIELD.match(message)
        name = match.group(1) if match and match.group(1) in DEPLOYMENT_FIELDS else None
        if name and message.startswith(f"{name}: "):
            message = message[len(name) + 2:]
        report(_yaml_hint(message, data, kind), name)
        return None


def _probe(data: dict[str, Any], kind: str, report: Callable[[str, str | None], None]) -> None:
    """Check each field on its own, so one entry's several mistakes are reported together."""
    if "by" not in data:
        report("by is required: the deploying state as an alpha-3 code like 'USA' (for an "
               "accession, the acceding state)", "by")
    if "date" not in data:
        report("date is required: an ISO date like '2022-01-01' (or set defaults.date)", "date")
    else:
        try:
            as_date(data["date"], "date")
        except InvalidInputError as exc:
            report(str(exc), "date")
    resolver = Resolver.default()
    for name in ("system", "weapon"):
        if isinstance(data.get(name), str):
            try:
                resolver.system(data[name], name)
            except DeployguardError as exc:
                report(str(exc).removeprefix(f"{name}: "), name)
    if isinstance(data.get("at"), str):
        try:
            resolver.location(data["at"])
        except DeployguardError as exc:
            report(str(exc).removeprefix("at: "), "at")
    for name, choices in (("kind", KINDS), ("category", CATEGORIES),
                          ("arrangement", ARRANGEMENTS)):
        value = data.get(name)
        if value is not None and value not in choices:
            report(_yaml_hint(f"{name} must be one of {list(choices)}, got {_short(value)}"
                              f"{_did_you_mean(value, choices)}", data, kind, name), name)
    for name in ("label", "why", "notes"):
        if name in data and not isinstance(data[name], str):
            report(_yaml_hint(f"{name} must be text, got {_short(data[name])}", data, kind,
                              name), name)
    personnel = data.get("personnel")
    if isinstance(personnel, str) and not personnel.strip().isdigit():
        report(f"personnel must be a whole number >= 0, got {_short(personnel)}", "personnel")


def _yaml_hint(message: str, data: Mapping[str, Any], kind: str, name: str | None = None) -> str:
    if kind == "yaml" and (name is None or isinstance(data.get(name), bool)):
        if any(isinstance(v, bool) for v in data.values()):
            return (message + " (YAML reads unquoted yes/no/on/off/true/false as true or false: "
                    "quote the word)")
    return message


def _did_you_mean(value: Any, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def _short(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _clip(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "\u2026"
