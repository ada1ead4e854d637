"""Deployments as plain, validated records: who, what, where, when, under which arrangement.

A :class:`Deployment` is the input of the checker. It does not decide anything itself: the host
state (when not given), the distances and the clauses are worked out later from geography.

``at`` may be a ``(lon, lat)`` pair, a shapely geometry (an area, a route, a patrol box) or the
name of a site in :mod:`deployguard.bases` (the canonical name is kept). ``system`` is a name
from :mod:`deployguard.systems` or a :class:`~deployguard.systems.WeaponSystem`.

Kind inference when ``kind`` is omitted:

* a missile, or a land launcher of missiles (Typhon) -> ``"missile"``;
* a bomber, warship, submarine or other air/sea platform -> ``"patrol"``;
* ``personnel=`` without a system -> ``"forces"``;
* nothing to infer from -> :class:`~deployguard.errors.InvalidInputError`.

A given ``kind`` must fit the system (otherwise the clauses about that system would be silently
skipped): a missile, or a land launcher of missiles, allows :data:`MISSILE_KINDS` (``"missile"``,
``"nuclear"``, ``"exercise"``); any other platform (bomber, warship, submarine) allows
:data:`PLATFORM_KINDS` (``"patrol"``, ``"nuclear"``, ``"exercise"``, ``"base"``). ``"forces"``,
``"accession"`` and ``"cooperation"`` take no system.

A geometry whose parts each span more than 180 degrees of longitude gets a
:class:`~deployguard.errors.ModellingAssumptionWarning`: edges are straight in lon/lat, so such
a part is read the long way round; split it at 180 degrees instead.

Examples
--------
>>> from deployguard.deployments import Deployment
>>> d = Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="iskander m")
>>> d.kind, d.system.name, d.at, d.lonlat
('missile', 'Iskander-M', 'Kaliningrad', (20.511, 54.7065))
>>> Deployment(by="USA", at=(21.0, 52.2), date="2022-03-01", personnel=3500).kind
'forces'
>>> Deployment(by="USA", at=(21.0, 52.2), date="2022-03-01", personnel=-1)
Traceback (most recent call last):
...
deployguard.errors.InvalidInputError: personnel must be a whole number >= 0, got -1
"""

from __future__ import annotations

import csv
import json
import math
import numbers
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from deployguard._validate import as_date, as_lonlat_arrays
from deployguard.bases import Base, Bases
from deployguard.catalogue import Catalogue
from deployguard.errors import (
    DataError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownSystemError,
)
from deployguard.systems import WeaponSystem, normalize_name

__all__ = [
    "ARRANGEMENTS",
    "CATEGORIES",
    "KINDS",
    "MISSILE_KINDS",
    "PLATFORM_KINDS",
    "Deployment",
    "builtin_scenario",
    "load_scenario",
]

KINDS = ("missile", "forces", "patrol", "nuclear", "base", "accession", "exercise", "cooperation")
ARRANGEMENTS = ("permanent", "rotational", "exercise")
CATEGORIES = ("ground", "air", "naval", "nuclear_weapons", "mixed")
#: kinds allowed with a missile system (or a land launcher of missiles, e.g. Typhon)
MISSILE_KINDS = ("missile", "nuclear", "exercise")
#: kinds allowed with any other platform (bomber, warship, submarine)
PLATFORM_KINDS = ("patrol", "nuclear", "exercise", "base")
# kinds that concern a state as a whole, so a location is optional when the host is known
_STATE_KINDS = ("accession", "cooperation")
_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")


def _party(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"{name} must be an alpha-3 code like 'USA' or a party name like 'NATO', got {value!r}"
        )
    text = value.strip()
    # three letters are an ISO code, whatever the case; longer names ("NATO", "CSTO") are
    # upper-cased too so that comparisons in the checker are exact
    return text.upper() if _ALPHA3.match(text) or text.isalpha() else text


def _alpha3(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _ALPHA3.match(value.strip()):
        raise InvalidInputError(f"{name} must be an ISO alpha-3 code like 'GEO', got {value!r}")
    return value.strip().upper()


def _geometry_from_at(at: Any) -> tuple[Any, BaseGeometry, Base | None]:
    """Return (normalised at, geometry, base) or raise naming ``at``."""
    if isinstance(at, str):
        try:
            base = Bases.load().get(at)
        except UnknownSystemError as exc:
            raise type(exc)(f"at: {exc}") from exc
        return base.name, base.point, base
    if isinstance(at, BaseGeometry):
        if at.is_empty:
            raise InvalidInputError(f"at must be a non-empty geometry, got an empty {at.geom_type}")
        if not at.is_valid:
            raise InvalidInputError(
                f"at must be a valid geometry, got an invalid {at.geom_type}: "
                f"{shapely.is_valid_reason(at)}"
            )
        coords = shapely.get_coordinates(at)
        as_lonlat_arrays(coords[:, 0], coords[:, 1])
        if (abs(coords[:, 0]) > 180).any():
            raise InvalidInputError(
                f"at: geometry longitudes must lie in [-180, 180], got {at.wkt[:80]}"
            )
        _warn_wide(at)
        return at, at, None
    if isinstance(at, Mapping) and "type" in at:
        try:
            geom = shape(at)
        except Exception as exc:  # shapely raises several types for bad GeoJSON
            raise InvalidInputError(f"at is not a valid GeoJSON geometry: {at!r}") from exc
        return _geometry_from_at(geom)
    if isinstance(at, (tuple, list)) and len(at) == 2:
        lon_a, lat_a = as_lonlat_arrays(at[0], at[1])
        if lon_a.shape != ():
            raise InvalidInputError(f"at must be one (lon, lat) pair, got {at!r}")
        # keep the caller's digits unless the longitude really needed wrapping
        lon = float(at[0]) if -180.0 <= float(at[0]) <= 180.0 else float(lon_a)
        lonlat = (lon, float(lat_a))
        return lonlat, shapely.Point(lonlat), None
    raise InvalidInputError(
        "at must be a (lon, lat) pair, a shapely geometry, a GeoJSON geometry mapping or a base "
        f"name, got {at!r}"
    )


def _warn_wide(geom: BaseGeometry) -> None:
    """Warn when a part of ``geom`` spans more than 180 degrees of longitude."""
    spans = [float(lon.max() - lon.min()) for lon in (
        shapely.get_coordinates(part)[:, 0] for part in shapely.get_parts(geom)
    ) if lon.size]
    span = max(spans, default=0.0)
    if span > 180.0:
        warnings.warn(
            f"at spans {span:.0f} degrees of longitude: edges are straight in lon/lat, so it is "
            "read the long way round (not across the 180 degree meridian). If you meant the "
            "short way, split it at 180 degrees (e.g. into a MultiPolygon with parts on either "
            "side)",
            ModellingAssumptionWarning,
            stacklevel=5,
        )


def _kinds_for(system: WeaponSystem) -> tuple[str, ...]:
    if system.is_missile or (system.system_class == "launcher" and system.basing == "land"):
        return MISSILE_KINDS
    return PLATFORM_KINDS


def _check_carried(system: WeaponSystem, weapon: WeaponSystem) -> None:
    """Raise unless ``weapon`` is one of the platform's ``platform_weapons``."""
    carried = set(system.platform_weapons)
    try:
        for w in system.weapons:  # resolve names and aliases through the catalogue
            carried.update(w.names)
    except UnknownSystemError:
        pass
    keys = {normalize_name(n) for n in carried}
    if not any(normalize_name(n) in keys for n in weapon.names):
        listed = ", ".join(map(repr, system.platform_weapons)) or "none"
        raise InvalidInputError(
            f"weapon={weapon.name!r} is not carried by system {system.name!r}; expected one of "
            f"its platform_weapons: {listed}"
        )


def _as_personnel(p: Any) -> int:
    bad = isinstance(p, bool) or not isinstance(p, numbers.Real)
    if not bad and not isinstance(p, numbers.Integral):
        bad = not math.isfinite(p) or p != int(p)
    if bad or p < 0:
        raise InvalidInputError(f"personnel must be a whole number >= 0, got {p!r}")
    return int(p)


def _infer_kind(system: WeaponSystem | None, personnel: int | None) -> str:
    if system is not None:
        if system.is_missile:
            return "missile"
        if system.system_class == "launcher" and system.basing == "land":
            return "missile"
        return "patrol"
    if personnel is not None:
        return "forces"
    raise InvalidInputError(
        "kind cannot be inferred: give kind= (one of " + ", ".join(KINDS) + "), a system= or "
        "personnel="
    )


@dataclass(frozen=True)
class Deployment:
    """A proposed or actual deployment, validated on construction.

    Parameters
    ----------
    by : str
        Deploying state (alpha-3, e.g. ``"USA"``). The clauses bind states, so a multinational
        force is one deployment per sending state (:func:`deployguard.check` rejects
        ``by="NATO"``). For ``kind="accession"`` the acceding state, unless it is given as
        ``host=`` (``by`` may then name the alliance).
    at : (lon, lat), shapely geometry, GeoJSON mapping or str, optional
        Where. A string is a base name (see :mod:`deployguard.bases`); the canonical name is
        kept. Optional only for ``"accession"`` and ``"cooperation"``.
    date : datetime.date or ISO str
    system : str or WeaponSystem, optional
        Resolved through the bundled catalogue (a WeaponSystem passes through, so user systems
        need not be registered).
    weapon : str or WeaponSystem, optional
        The loadout of a platform (e.g. ``"Kh-101"`` on a Tu-95MS). Must be a missile; the
        platform must be a platform.
    personnel : int >= 0, optional
    category : {"ground", "air", "naval", "nuclear_weapons", "mixed"}, optional
    kind : one of :data:`KINDS`, optional
        Inferred when omitted (see the module docstring). With a missile system (or a land
        launcher of missiles) one of :data:`MISSILE_KINDS`; with another platform one of
        :data:`PLATFORM_KINDS`.
    arrangement : {"permanent", "rotational", "exercise"} or None
    consent : iterable of str
        Parties that consented (frozen to a frozenset of upper-cased codes).
    host : str, optional
        Alpha-3 host override; otherwise the checker finds the host from geography.
    label, why, notes : str, optional
        For reports: a short name, the reason the case matters, free notes.
    """

    by: str
    at: Any = None
    date: Any = None
    system: WeaponSystem | str | None = None
    personnel: int | None = None
    category: str | None = None
    kind: str | None = None
    arrangement: str | None = None
    consent: frozenset[str] = frozenset()
    host: str | None = None
    weapon: WeaponSystem | str | None = None
    label: str | None = None
    why: str | None = None
    notes: str | None = None
    _geometry: BaseGeometry | None = field(default=None, init=False, repr=False, compare=False)
    _base: Base | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "by", _party(self.by, "by"))
        if self.date is None:
            raise InvalidInputError("date is required (a date or an ISO string), got None")
        set_(self, "date", as_date(self.date, "date"))

        # where first: a bad location is the most useful error to report
        if self.at is not None:
            at, geom, base = _geometry_from_at(self.at)
            set_(self, "at", at)
            set_(self, "_geometry", geom)
            set_(self, "_base", base)

        system = None
        if self.system is not None:
            system = _resolve_system(self.system, "system")
            set_(self, "system", system)
        weapon = None
        if self.weapon is not None:
            weapon = _resolve_system(self.weapon, "weapon")
            if system is None or not system.is_platform:
                raise InvalidInputError(
                    f"weapon={weapon.name!r} needs a platform system (bomber, warship, launcher), "
                    f"got system={getattr(system, 'name', None)!r}"
                )
            if not weapon.is_missile:
                raise InvalidInputError(f"weapon must be a missile, got {weapon.name!r}")
            _check_carried(system, weapon)
            set_(self, "weapon", weapon)

        if self.personnel is not None:
            set_(self, "personnel", _as_personnel(self.personnel))
        if self.category is not None and self.category not in CATEGORIES:
            raise InvalidInputError(
                f"category must be one of {list(CATEGORIES)}, got {self.category!r}"
            )
        if self.kind is None:
            set_(self, "kind", _infer_kind(system, self.personnel))
        elif self.kind not in KINDS:
            raise InvalidInputError(f"kind must be one of {list(KINDS)}, got {self.kind!r}")
        elif system is not None and self.kind not in _kinds_for(system):
            raise InvalidInputError(
                f"kind={self.kind!r} does not fit system {system.name!r} "
                f"({system.system_class}); expected one of {list(_kinds_for(system))} "
                "or omit kind to infer it"
            )
        if self.arrangement is not None and self.arrangement not in ARRANGEMENTS:
            raise InvalidInputError(
                f"arrangement must be one of {list(ARRANGEMENTS)} or None, got {self.arrangement!r}"
            )
        if isinstance(self.consent, str) or not isinstance(self.consent, Iterable):
            raise InvalidInputError(
                f"consent must be a collection of party codes, got {self.consent!r}"
            )
        set_(self, "consent", frozenset(_party(c, "consent") for c in self.consent))
        if self.host is not None:
            set_(self, "host", _alpha3(self.host, "host"))

        if self.kind == "accession":
            state = self.host or (self.by if _ALPHA3.match(self.by) else None)
            if state is None:
                raise InvalidInputError(
                    f"an accession needs the acceding state as by= or host= (alpha-3), "
                    f"got by={self.by!r}, host={self.host!r}"
                )
        if self.at is None and (
            self.kind not in _STATE_KINDS or (self.host is None and self.kind != "accession")
        ):
            raise InvalidInputError(
                f"at is required for kind={self.kind!r} (only accession, or cooperation with "
                "a host=, may omit it)"
            )
        for name in ("label", "why", "notes"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise InvalidInputError(f"{name} must be a string, got {value!r}")

    # -- helpers -------------------------------------------------------------------------
    @property
    def geometry(self) -> BaseGeometry | None:
        """Where, as a shapely geometry in (lon, lat) degrees; None for a state-wide kind."""
        return self._geometry

    @property
    def point(self):
        """A representative shapely Point of :attr:`geometry` (for labels, not for distances).

        A point deployment returns itself; an area or route returns a point on it
        (``shapely.point_on_surface``). Reach must use the whole geometry.
        """
        if self._geometry is None:
            return None
        if self._geometry.geom_type == "Point":
            return self._geometry
        return shapely.point_on_surface(self._geometry)

    @property
    def lonlat(self) -> tuple[float, float] | None:
        """``(lon, lat)`` of :attr:`point`."""
        pt = self.point
        return None if pt is None else (pt.x, pt.y)

    @property
    def base(self) -> Base | None:
        """The :class:`~deployguard.bases.Base` when ``at`` named one."""
        return self._base

    @property
    def strike_weapon(self) -> WeaponSystem | None:
        """The weapon whose range measures reach: the missile itself, or a platform's loadout.

        Without ``weapon=``, a platform with exactly one carried weapon uses that one; with
        several, None (the checker must choose, e.g. the longest-ranged).
        """
        sys_ = self.system
        if not isinstance(sys_, WeaponSystem):
            return None
        if sys_.is_missile:
            return sys_
        if isinstance(self.weapon, WeaponSystem):
            return self.weapon
        weapons = sys_.weapons
        return weapons[0] if len(weapons) == 1 else None

    @property
    def name(self) -> str:
        """``label`` or a generated description for reports."""
        if self.label:
            return self.label
        what = getattr(self.system, "name", None) or (
            f"{self.personnel} personnel" if self.personnel is not None else self.kind
        )
        where = self.at if isinstance(self.at, str) else (self.host or "")
        return f"{self.by} {what} {where} {self.date.isoformat()}".replace("  ", " ")

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Deployment:
        """Build from a JSON object or CSV row; ``lon``/``lat`` columns stand for ``at``."""
        if not isinstance(record, Mapping):
            raise InvalidInputError(
                f"record must be a mapping of field names to values (a JSON object or CSV "
                f"row), got {type(record).__name__} {record!r}"
            )
        rec = {k: v for k, v in dict(record).items() if v not in (None, "")}
        if "lon" in rec or "lat" in rec:
            if "at" in rec:
                raise InvalidInputError(f"give either at or lon/lat, not both: {dict(record)!r}")
            for have, need in (("lon", "lat"), ("lat", "lon")):
                if need not in rec:
                    raise InvalidInputError(
                        f"{need} is missing ({have} is {rec[have]!r}); expected both lon and "
                        "lat in degrees, or at"
                    )
            rec["at"] = (rec.pop("lon"), rec.pop("lat"))
        elif isinstance(rec.get("at"), list):
            rec["at"] = tuple(rec["at"])
        if isinstance(rec.get("consent"), str):
            rec["consent"] = [c for c in re.split(r"[|,;\s]+", rec["consent"]) if c]
        if isinstance(rec.get("personnel"), str):
            try:
                rec["personnel"] = int(rec["personnel"])
            except ValueError as exc:
                raise InvalidInputError(
                    f"personnel must be a whole number >= 0, got {rec['personnel']!r}"
                ) from exc
        allowed = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        extra = set(rec) - allowed
        if extra:
            raise InvalidInputError(
                f"unknown deployment field(s) {sorted(extra)}; allowed: {sorted(allowed)}"
            )
        return cls(**rec)


def _resolve_system(value: Any, name: str) -> WeaponSystem:
    if isinstance(value, WeaponSystem):
        return value
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a system name or WeaponSystem, got {value!r}")
    try:
        return Catalogue.load().get(value)
    except UnknownSystemError as exc:
        raise UnknownSystemError(f"{name}: {exc}") from exc


def _records_from_text(text: str, suffix: str, origin: str) -> list[Mapping[str, Any]]:
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"scenario {origin!r} is not valid JSON: {exc}") from exc
        records = data.get("deployments") if isinstance(data, Mapping) else data
        if not isinstance(records, list):
            raise DataError(f"scenario {origin!r} must be a list or {{'deployments': [...]}}")
        return records
    if suffix == ".csv":
        return list(csv.DictReader(text.splitlines()))
    raise DataError(f"scenario file must be .json or .csv, got {origin!r}")


def _build(records: list[Mapping[str, Any]], origin: str) -> list[Deployment]:
    out = []
    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            raise DataError(
                f"scenario {origin!r}, deployment {i}: expected an object of deployment fields "
                f"(by, at, date, ...), got {type(rec).__name__} {rec!r}"
            )
        try:
            out.append(Deployment.from_record(rec))
        except (InvalidInputError, UnknownSystemError) as exc:
            raise type(exc)(f"scenario {origin!r}, deployment {i}: {exc}") from exc
    return out


def load_scenario(path: str | Path) -> list[Deployment]:
    """Read deployments from a JSON list (or ``{"deployments": [...]}``) or a CSV file.

    JSON ``at`` may be ``[lon, lat]``, a base name or a GeoJSON geometry; CSV uses ``at``
    (base name) or ``lon``/``lat`` columns, and ``consent`` separated by ``|``.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"scenario file not found: {str(p)!r}")
    return _build(_records_from_text(p.read_text("utf-8"), p.suffix.lower(), str(p)), str(p))


def builtin_scenario(name: str = "real_cases") -> list[Deployment]:
    """A scenario bundled in ``geodata/scenarios/`` (``"real_cases"``: issue 4's test cases).

    Examples
    --------
    >>> cases = builtin_scenario()
    >>> all(d.label and d.why for d in cases)
    True
    """
    folder = resources.files("deployguard.geodata").joinpath("scenarios")
    entry = folder.joinpath(f"{name}.json")
    if not entry.is_file():
        known = sorted(
            p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
        )
        raise InvalidInputError(f"unknown built-in scenario {name!r}; known: {known}")
    return _build(_records_from_text(entry.read_text("utf-8"), ".json", name), name)

