"""The real military postures the December 2021 drafts concern, as scenarios.

Two postures are bundled in ``geodata/postures/``: the forces and weapons that stood on
**17 December 2021**, the day the drafts were published, and the **latest** public state
(sources of 2025, DMDC's counts of 31 December 2025). ``us_forces_dmdc.csv`` holds the US
personnel permanently assigned by host (built from DMDC's quarterly counts by
``build_us_forces.py``); ``postures.csv`` holds everything else, hand-curated with a public
source per row: NATO's forward-presence battlegroups, US rotational forces, US nuclear
weapons (FAS estimates), Aegis Ashore, US long-range fires and bombers, Russia's Iskander-M
brigades and 9M729 battalions, its forces abroad, its heavy-bomber bases, Oreshnik and
nuclear weapons in Belarus. ``geodata/postures/README.md`` lists what is left out and why.

A row whose position or size is an estimate says so in its label (``[est. position]``,
``[est. size]``) and, with the source and confidence, in the deployment's ``notes``; the row's
own notes become its ``why``. Both reach every report, table and map.

Examples
--------
>>> from deployguard.data.postures import posture
>>> s = posture("2021")
>>> s.origin, s.defaults.on.isoformat()
('posture:2021-12-17', '2021-12-17')
>>> any(d.by == "RUS" and d.system is not None and d.system.name == "Iskander-M" for d in s)
True
>>> posture("1999")
Traceback (most recent call last):
...
deployguard.errors.InvalidInputError: posture must be '2021-12-17', '2021' or 'latest', got '1999'
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from deployguard.data.deployments import Deployment
from deployguard.data.resolve import Resolver
from deployguard.data.scenarios import Scenario, ScenarioDefaults
from deployguard.errors import DataError, DeployguardError, InvalidInputError

__all__ = ["FILES", "LATEST", "POSTURES", "SCENARIO_NAMES", "PostureRow", "posture", "posture_rows"]

#: the postures: key -> the date memberships are taken on when it is checked
POSTURES: dict[str, _dt.date] = {
    "2021-12-17": _dt.date(2021, 12, 17),
    "latest": _dt.date(2025, 12, 31),  # DMDC's latest quarter in the bundled snapshot
}
LATEST = POSTURES["latest"]
#: names the command line accepts (``deployguard check posture-2021``)
SCENARIO_NAMES: dict[str, str] = {"posture-2021": "2021-12-17", "posture-latest": "latest"}
#: the data files, in the order their rows are read
FILES = ("us_forces_dmdc.csv", "postures.csv")
_SPELLINGS = {"2021": "2021-12-17", "2021-12-17": "2021-12-17", "latest": "latest"}
_FLAGS = {"true": True, "false": False}


@dataclass(frozen=True)
class PostureRow:
    """One row of a posture file, as written (strings, read-only), with its file and line."""

    file: str
    line: int
    fields: Mapping[str, str]

    @property
    def postures(self) -> tuple[str, ...]:
        """The postures the row belongs to (``'2021-12-17'``, ``'latest'``)."""
        return tuple(p for p in self.fields["posture"].split("|") if p)

    def flag(self, name: str) -> bool:
        """``position_estimate`` or ``size_estimate`` as a bool."""
        value = self.fields[name].strip().lower()
        if value not in _FLAGS:
            raise DataError(f"{self.where}: {name} must be true or false, got {value!r}")
        return _FLAGS[value]

    @property
    def where(self) -> str:
        """``file:line`` for messages."""
        return f"geodata/postures/{self.file}:{self.line}"

    def deployment(self) -> Deployment:
        """The row as a :class:`~deployguard.data.deployments.Deployment`.

        The label gets ``[est. position]`` / ``[est. size]`` when flagged, ``why`` is the row's
        notes, and ``notes`` holds the source, the confidence and what is estimated.

        Raises
        ------
        DataError
            Naming the file, line and id when a field is not a valid deployment field.
        """
        f = self.fields
        position, size = self.flag("position_estimate"), self.flag("size_estimate")
        record: dict[str, Any] = {
            name: f[name] for name in ("by", "date", "system", "weapon", "personnel", "trainees",
                                       "category", "kind", "arrangement") if f.get(name)
        }
        # a site of geodata/bases.csv is named, its coordinates written there once
        where: dict[str, Any] = ({"at": f["base"]} if f.get("base")
                                 else {"lon": float(f["lon"]), "lat": float(f["lat"])})
        record.update(
            where, id=f["id"],
            label=f["label"] + _estimate_tag(position, size), why=f["notes"],
            notes=_notes(f, position, size),
        )
        try:
            return Deployment.from_record(record)
        except DeployguardError as exc:
            raise DataError(f"{self.where} ({f['id']}): {exc}") from exc


def _read(name: str) -> Iterator[PostureRow]:
    text = resources.files("deployguard.geodata").joinpath("postures", name).read_text(
        encoding="utf-8")
    lines = text.splitlines()
    skipped = sum(1 for ln in lines if ln.startswith("#"))
    body = "\n".join(ln for ln in lines if not ln.startswith("#"))
    for i, rec in enumerate(csv.DictReader(io.StringIO(body))):
        fields = {k: (v or "").strip() for k, v in rec.items()}
        # read-only: the rows are cached and shared by every caller
        yield PostureRow(name, skipped + i + 2, MappingProxyType(fields))


@lru_cache(maxsize=1)
def posture_rows() -> tuple[PostureRow, ...]:
    """Every row of the bundled posture files (both postures), as written.

    Examples
    --------
    >>> rows = posture_rows()
    >>> {r.file for r in rows} == {"us_forces_dmdc.csv", "postures.csv"}
    True
    """
    rows = tuple(r for name in FILES for r in _read(name))
    for r in rows:
        unknown = set(r.postures) - set(POSTURES)
        if unknown or not r.postures:
            raise DataError(f"{r.where}: posture must be one or more of {list(POSTURES)} "
                            f"joined by '|', got {r.fields['posture']!r}")
    return rows


def _key(date: Any) -> str:
    if isinstance(date, _dt.date) and not isinstance(date, _dt.datetime):
        date = date.isoformat()
    key = _SPELLINGS.get(date.strip().lower()) if isinstance(date, str) else None
    if key is None:
        raise InvalidInputError(
            f"posture must be '2021-12-17', '2021' or 'latest', got {date!r}")
    return key


def _estimate_tag(position: bool, size: bool) -> str:
    what = [w for w, on in (("position", position), ("size", size)) if on]
    return f" [est. {' and '.join(what)}]" if what else ""


def _notes(f: Mapping[str, str], position: bool, size: bool) -> str:
    parts = [f"source: {f['source']}", f"confidence: {f['confidence']}"]
    if position:
        parts.append("position: an estimate (a point chosen by us, see why)")
    if size:
        parts.append("size: an estimate or an attribution (see why)")
    return "; ".join(parts)


def _pending(row: PostureRow, resolver: Resolver) -> bool:
    """True when a row marked ``catalogue=pending`` names a system the catalogue lacks."""
    if row.fields.get("catalogue") != "pending":
        return False
    try:
        resolver.system(row.fields["system"], "system")
    except DeployguardError:
        return True
    return False


def posture(date: Any = "latest") -> Scenario:
    """The real posture on ``date`` as a scenario (a sequence of deployments).

    Parameters
    ----------
    date : {"2021-12-17", "2021", "latest"} or datetime.date(2021, 12, 17)
        The day the drafts were published, or the latest public state.

    Returns
    -------
    Scenario
        Its ``defaults.on`` is the posture's date, so that memberships are taken on that day
        (the command line applies it; in Python pass ``on=s.defaults.on`` to ``check``).

    Raises
    ------
    InvalidInputError
        For any other date.

    Warns
    -----
    UserWarning
        Naming the rows left out because their system is not in this version's catalogue
        yet (rows marked ``catalogue=pending``).

    Examples
    --------
    >>> s = posture("latest")
    >>> s.title
    'Real posture: latest public state (to 2025-12-31)'
    """
    key = _key(date)
    resolver = Resolver.default()
    rows = [r for r in posture_rows() if key in r.postures]
    waiting = [r for r in rows if _pending(r, resolver)]
    if waiting:
        warnings.warn(
            "left out until the catalogue has their system: "
            + ", ".join(f"{r.fields['id']} ({r.fields['system']})" for r in waiting),
            UserWarning, stacklevel=2)
    deployments = tuple(r.deployment() for r in rows if r not in waiting)
    on = POSTURES[key]
    title = ("Real posture on 17 December 2021" if key == "2021-12-17"
             else f"Real posture: latest public state (to {on.isoformat()})")
    return Scenario(
        deployments, ScenarioDefaults(on=on), f"posture:{key}", title,
        "US, NATO and Russian deployments from public sources (geodata/postures/); rows "
        "marked [est. ...] have an estimated position or size",
    )
