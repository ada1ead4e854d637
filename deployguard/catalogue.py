"""The weapon-systems catalogue: a name-indexed set of :class:`~deployguard.systems.WeaponSystem`.

:class:`Catalogue` loads the bundled ``geodata/systems.json`` (installed as
``deployguard.geodata``) and user ``.json`` / ``.csv`` files, looks systems up by name or alias
(case-, accent-, space- and punctuation-insensitive) with close-name suggestions on a miss, and
exports to a pandas DataFrame. It is re-exported by :mod:`deployguard.systems`.

Examples
--------
>>> from deployguard.catalogue import Catalogue
>>> cat = Catalogue.load()
>>> cat.get("iskander m").name, "Kh-101" in cat
('Iskander-M', True)
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from deployguard.errors import DataError, InvalidInputError, UnknownSystemError
from deployguard.systems import WeaponSystem, normalize_name

__all__ = ["Catalogue", "read_systems_file"]


class Catalogue:
    """A name-indexed set of :class:`WeaponSystem` records.

    Lookups ignore case, accents, spaces and punctuation and cover names and aliases;
    a miss raises :class:`~deployguard.errors.UnknownSystemError` listing close names.

    Examples
    --------
    >>> cat = Catalogue.load()
    >>> cat.get("kh 101").name
    'Kh-101'
    >>> cat.get("Tomahwk")
    Traceback (most recent call last):
    ...
    deployguard.errors.UnknownSystemError: unknown weapon system 'Tomahwk'; did you mean ...
    """

    def __init__(self, systems: Iterable[WeaponSystem] = ()) -> None:
        self._systems: dict[str, WeaponSystem] = {}
        self._index: dict[str, str] = {}
        for s in systems:
            self.add(s)

    # -- loading --------------------------------------------------------------------------
    @classmethod
    def load(cls, extra: str | Path | None = None) -> Catalogue:
        """The bundled catalogue, optionally extended with systems from a CSV or JSON file.

        Without ``extra`` the result is cached and shared: call :meth:`copy` before
        :meth:`add` if you do not want to extend the shared instance.
        """
        base = _bundled()
        if extra is None:
            return base
        cat = base.copy()
        for s in read_systems_file(extra):
            cat.add(s)
        return cat

    def copy(self) -> Catalogue:
        """An independent catalogue with the same systems."""
        return Catalogue(self._systems.values())

    def add(self, system: WeaponSystem, *, replace: bool = False) -> WeaponSystem:
        """Add ``system``; a name or alias clash raises unless ``replace=True``.

        Returns the stored record (bound to this catalogue so that ``weapons`` resolves here).
        """
        if not isinstance(system, WeaponSystem):
            raise InvalidInputError(f"system must be a WeaponSystem, got {type(system).__name__}")
        bound = _bind(system, self)
        keys = {normalize_name(n) for n in bound.names}
        clashes = {self._index[k] for k in keys if k in self._index} - {bound.name}
        if clashes and not replace:
            raise InvalidInputError(
                f"system {bound.name!r}: a name or alias is already used by {sorted(clashes)}; "
                "pass replace=True to override"
            )
        if bound.name in self._systems:
            old = self._systems[bound.name]
            for n in old.names:
                self._index.pop(normalize_name(n), None)
        self._systems[bound.name] = bound
        for k in keys:
            self._index[k] = bound.name
        return bound

    # -- access ---------------------------------------------------------------------------
    def get(self, name: str | WeaponSystem) -> WeaponSystem:
        """The system called ``name`` (or one of its aliases); a WeaponSystem passes through."""
        if isinstance(name, WeaponSystem):
            return name
        if not isinstance(name, str):
            raise InvalidInputError(
                f"system name must be a string (or a WeaponSystem), got {name!r}"
            )
        key = normalize_name(name)
        if key in self._index:
            return self._systems[self._index[key]]
        raise UnknownSystemError(
            f"unknown weapon system {name!r}; did you mean "
            f"{', '.join(map(repr, self.suggest(str(name)))) or '(no close match)'}?"
        )

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` canonical names close to ``name`` (fuzzy, then substring matches)."""
        key = normalize_name(name)
        close = difflib.get_close_matches(key, list(self._index), n=n * 2, cutoff=0.6)
        hits = [self._index[k] for k in close]
        if key:
            hits += [self._index[k] for k in self._index if key in k or k in key]
        out: list[str] = []
        for h in hits:
            if h not in out:
                out.append(h)
        return out[:n]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize_name(name) in self._index

    def __iter__(self):
        return iter(self._systems.values())

    def __len__(self) -> int:
        return len(self._systems)

    @property
    def names(self) -> list[str]:
        """Canonical names in catalogue order."""
        return list(self._systems)

    def to_frame(self):
        """A pandas DataFrame, one row per system (lists joined with "|")."""
        import pandas as pd

        rows = []
        for s in self:
            row = {f: getattr(s, f) for f in WeaponSystem.__dataclass_fields__ if f[0] != "_"}
            for f in ("aliases", "platform_weapons", "source"):
                row[f] = "|".join(row[f])
            row["inf_class"] = s.inf_class
            rows.append(row)
        return pd.DataFrame(rows)


def _bind(system: WeaponSystem, cat: Catalogue) -> WeaponSystem:
    import dataclasses

    return dataclasses.replace(system, _catalogue=cat)


def read_systems_file(path: str | Path) -> list[WeaponSystem]:
    """Read user systems from ``.json`` (a list, or ``{"systems": [...]}``) or ``.csv``.

    CSV columns are the :class:`WeaponSystem` fields; list fields use ``|`` separators.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"systems file not found: {str(p)!r}")
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(p.read_text(encoding="utf-8"))
            records = data["systems"] if isinstance(data, Mapping) else data
        elif p.suffix.lower() == ".csv":
            with p.open(newline="", encoding="utf-8") as fh:
                records = list(csv.DictReader(fh))
        else:
            raise DataError(f"systems file must be .json or .csv, got {str(p)!r}")
    except (json.JSONDecodeError, KeyError, csv.Error) as exc:
        raise DataError(f"cannot read systems file {str(p)!r}: {exc}") from exc
    return [WeaponSystem.from_record(r) for r in records]


@functools.cache
def _bundled() -> Catalogue:
    text = resources.files("deployguard.geodata").joinpath("systems.json").read_text("utf-8")
    data = json.loads(text)
    try:
        cat = Catalogue(WeaponSystem.from_record(r) for r in data["systems"])
    except InvalidInputError as exc:
        raise DataError(f"bundled systems.json is malformed: {exc}") from exc
    # platforms must name known weapons: fail at load time, not at first use
    for s in cat:
        for w in s.platform_weapons:
            if w not in cat:
                raise DataError(f"systems.json: {s.name!r} carries unknown weapon {w!r}")
    return cat
