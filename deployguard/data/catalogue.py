"""The weapon-systems catalogue: name-indexed :class:`~deployguard.data.systems.WeaponSystem`s.

:class:`Catalogue` loads the bundled ``geodata/systems.json`` (installed as
``deployguard.geodata``) and user ``.json`` / ``.csv`` files, looks systems up by name or alias
(case-, accent-, space- and punctuation-insensitive) with close-name suggestions on a miss, and
exports to a pandas DataFrame. It is re-exported by :mod:`deployguard.data.systems`.

Examples
--------
>>> from deployguard.data.catalogue import Catalogue
>>> cat = Catalogue.load()
>>> cat.get("iskander m").name, "Kh-101" in cat
('Iskander-M', True)
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from deployguard._names import NameIndex
from deployguard.data.systems import WeaponSystem
from deployguard.errors import DataError, InvalidInputError, UnknownSystemError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Catalogue", "read_systems_file"]


class Catalogue:
    """A name-indexed set of :class:`WeaponSystem` records.

    Lookups ignore case, accents, spaces and punctuation and cover names and aliases;
    a miss raises :class:`~deployguard.errors.UnknownSystemError` listing close names.
    Systems come back with their carried weapons resolved (:attr:`WeaponSystem.carried`).

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
        self._index: NameIndex[str] = NameIndex("weapon system", UnknownSystemError)
        self._resolved: dict[str, WeaponSystem] = {}
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

        Returns the stored record. Its carried weapons are resolved through this catalogue
        when it is looked up (:meth:`get`), so platforms may be added before their weapons.
        """
        if not isinstance(system, WeaponSystem):
            raise InvalidInputError(f"system must be a WeaponSystem, got {type(system).__name__}")
        clashes = {
            owner for n in system.names
            if (owner := self._index.find(n)) is not None and owner != system.name
        }
        if clashes and not replace:
            raise InvalidInputError(
                f"system {system.name!r}: a name or alias is already used by {sorted(clashes)}; "
                "pass replace=True to override"
            )
        if system.name in self._systems:
            self._index.remove_value(system.name)
        self._systems[system.name] = dataclasses.replace(system, carried=())
        self._index.add_all(system.names, system.name, replace=True)
        self._resolved.clear()
        return self._systems[system.name]

    # -- access ---------------------------------------------------------------------------
    def get(self, name: str | WeaponSystem) -> WeaponSystem:
        """The system called ``name`` (or one of its aliases); a WeaponSystem passes through."""
        if isinstance(name, WeaponSystem):
            return name
        if not isinstance(name, str):
            raise InvalidInputError(
                f"system name must be a string (or a WeaponSystem), got {name!r}"
            )
        canonical = self._index.get(name)
        hit = self._resolved.get(canonical)
        if hit is None:
            hit = self.resolve(self._systems[canonical])
            self._resolved[canonical] = hit
        return hit

    def resolve(self, system: WeaponSystem) -> WeaponSystem:
        """``system`` with :attr:`~WeaponSystem.carried` resolved from its ``platform_weapons``.

        Raises :class:`~deployguard.errors.UnknownSystemError` naming the platform if a carried
        weapon is not in this catalogue.
        """
        if not system.platform_weapons or len(system.carried) == len(system.platform_weapons):
            return system
        carried = []
        for w in system.platform_weapons:
            try:
                carried.append(self.get(w))
            except UnknownSystemError as exc:
                raise UnknownSystemError(f"{system.name!r} carries {w!r}: {exc}") from exc
        return dataclasses.replace(system, carried=tuple(carried))

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Up to ``n`` canonical names close to ``name`` (fuzzy, then substring matches)."""
        out: list[str] = []
        for hit in self._index.suggest(name, n=n * 3):
            canonical = self._index.get(hit)
            if canonical not in out:
                out.append(canonical)
        return out[:n]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._index

    def __iter__(self) -> Iterator[WeaponSystem]:
        return iter([self.get(n) for n in self._systems])

    def __len__(self) -> int:
        return len(self._systems)

    @property
    def names(self) -> list[str]:
        """Canonical names in catalogue order."""
        return list(self._systems)

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per system (lists joined with "|").

        The per-figure source records are in :meth:`sources_frame`; here each system has the
        number of them (``n_range_sources``), its INF straddle flag and sentence, and its New
        START standing.
        """
        import pandas as pd

        records = {"carried", "range_sources", "min_range_sources", "other_figures", "new_start"}
        rows = []
        for s in self:
            row = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)
                   if f.name not in records}
            for f in ("aliases", "platform_weapons", "source", "nuclear_sources"):
                row[f] = "|".join(row[f])
            row["inf_class"] = s.inf_class
            row["straddles_inf_boundary"] = s.straddles_inf_boundary
            row["inf_straddle_note"] = s.inf_straddle_note
            row["n_range_sources"] = len(s.range_sources)
            row["new_start_accountable"] = None if s.new_start is None else s.new_start.accountable
            rows.append(row)
        return pd.DataFrame(rows)

    def sources_frame(self) -> pd.DataFrame:
        """Every published figure behind the catalogue, one row per figure and system.

        Columns: ``system, kind`` ("range", "min_range" or "other"), ``estimates`` ("|"-joined),
        ``km, outlet, says, conversion, date, quality, source, why_not_used``. The table a
        methods appendix cites.

        Examples
        --------
        >>> f = Catalogue.load().sources_frame()
        >>> row = f[(f.system == "Kh-101") & (f.estimates.str.contains("high"))].iloc[0]
        >>> float(row.km), row.quality
        (5500.0, 'M')
        """
        import pandas as pd

        rows = []
        for s in self:
            for kind, recs in (("range", s.range_sources), ("min_range", s.min_range_sources),
                               ("other", s.other_figures)):
                for r in recs:
                    rows.append({
                        "system": s.name, "kind": kind, "estimates": "|".join(r.estimates),
                        "km": r.km, "outlet": r.outlet, "says": r.says,
                        "conversion": r.conversion, "date": r.date, "quality": r.quality,
                        "source": r.source, "why_not_used": r.why_not_used,
                    })
        return pd.DataFrame(rows)


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
        list(cat)  # resolve every platform's weapons now: fail at load time, not at first use
    except (InvalidInputError, UnknownSystemError) as exc:
        raise DataError(f"bundled systems.json is malformed: {exc}") from exc
    return cat
