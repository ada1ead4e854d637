"""Deployments as plain, validated records: who, what, where, when, under which arrangement.

A :class:`Deployment` is the input of the checker. It does not decide anything itself: the host
state (when not given), the distances and the clauses are worked out later from geography.

``at`` may be a ``(lon, lat)`` pair, a shapely geometry (an area, a route, a patrol box) or the
name of a site in :mod:`deployguard.data.bases` (the canonical name is kept). ``system`` is a name
from :mod:`deployguard.data.systems` or a :class:`~deployguard.data.systems.WeaponSystem`.

Kind inference when ``kind`` is omitted:

* a missile, or a land launcher of missiles (Typhon) -> ``"missile"``;
* a bomber, warship, submarine or other air/sea platform -> ``"patrol"``;
* ``personnel=`` without a system -> ``"forces"``;
* ``trainees=`` without a system -> ``"nuclear_training"``;
* nothing to infer from -> :class:`~deployguard.errors.InvalidInputError`.

A given ``kind`` must fit the system (otherwise the clauses about that system would be silently
skipped): a missile, or a land launcher of missiles, allows :data:`MISSILE_KINDS` (``"missile"``,
``"nuclear"``, ``"exercise"``); any other platform (bomber, warship, submarine) allows
:data:`PLATFORM_KINDS` (``"patrol"``, ``"nuclear"``, ``"exercise"``, ``"base"``). ``"forces"``,
``"accession"``, ``"cooperation"`` and ``"nuclear_training"`` take no system.

``id`` is the user's own identifier of a record (a scenario row id); reports carry it as
``deployment_id`` (else the deployment's index in the input). ``nuclear_training`` (US draft
Art. 7 para 3) needs ``trainees=``, the state whose military or civilian personnel are trained
to use nuclear weapons.

A geometry whose parts each span more than 180 degrees of longitude gets a
:class:`~deployguard.errors.ModellingAssumptionWarning`: edges are straight in lon/lat, so such
a part is read the long way round; split it at 180 degrees instead.

Examples
--------
>>> from deployguard.data.deployments import Deployment
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

import dataclasses
import datetime as _dt
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from deployguard._names import normalize_name
from deployguard._types import DateLike
from deployguard._validate import as_alpha3, as_count, as_date, as_degrees_text
from deployguard.data.bases import Base
from deployguard.data.resolve import Location, Resolver
from deployguard.data.systems import WeaponSystem
from deployguard.errors import InvalidInputError

__all__ = [
    "ARRANGEMENTS",
    "CATEGORIES",
    "KINDS",
    "MAX_PERSONNEL",
    "MISSILE_KINDS",
    "PLATFORM_KINDS",
    "Deployment",
]

KINDS = (
    "missile", "forces", "patrol", "nuclear", "base", "accession", "exercise", "cooperation",
    "nuclear_training",
)
ARRANGEMENTS = ("permanent", "rotational", "exercise")
CATEGORIES = ("ground", "air", "naval", "nuclear_weapons", "mixed")
#: kinds allowed with a missile system (or a land launcher of missiles, e.g. Typhon)
MISSILE_KINDS = ("missile", "nuclear", "exercise")
#: kinds allowed with any other platform (bomber, warship, submarine)
PLATFORM_KINDS = ("patrol", "nuclear", "exercise", "base")
# kinds that concern a state as a whole, so a location is optional when the host is known
_STATE_KINDS = ("accession", "cooperation", "nuclear_training")
_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")
#: the largest ``personnel`` accepted: ten million is more than the active armed forces of any
#: state (the largest, China's, are about two million: IISS, The Military Balance 2024), so
#: anything larger is a slip
MAX_PERSONNEL = 10_000_000


def _party(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"{name} must be an alpha-3 code like 'USA' or a party name like 'NATO', got {value!r}"
        )
    text = value.strip()
    # three letters are an ISO code, whatever the case; longer names ("NATO", "CSTO") are
    # upper-cased too so that comparisons in the checker are exact
    return text.upper() if _ALPHA3.match(text) or text.isalpha() else text


def _kinds_for(system: WeaponSystem) -> tuple[str, ...]:
    if system.is_missile or (system.system_class == "launcher" and system.basing == "land"):
        return MISSILE_KINDS
    return PLATFORM_KINDS


def _check_carried(system: WeaponSystem, weapon: WeaponSystem) -> None:
    """Raise unless ``weapon`` is one of the platform's ``platform_weapons``."""
    carried = set(system.platform_weapons)
    for w in system.weapons:  # the resolver gave the platform its records
        carried.update(w.names)
    keys = {normalize_name(n) for n in carried}
    if not any(normalize_name(n) in keys for n in weapon.names):
        listed = ", ".join(map(repr, system.platform_weapons)) or "none"
        raise InvalidInputError(
            f"weapon={weapon.name!r} is not carried by system {system.name!r}; expected one of "
            f"its platform_weapons: {listed}"
        )


def _lonlat_text(lon: float, lat: float) -> str:
    """'20.51E 54.71N': a position for a label, to about a kilometre."""
    return f"{abs(lon):.2f}{'E' if lon >= 0 else 'W'} {abs(lat):.2f}{'N' if lat >= 0 else 'S'}"


def _infer_kind(system: WeaponSystem | None, personnel: int | None, trainees: Any) -> str:
    if system is not None:
        if system.is_missile:
            return "missile"
        if system.system_class == "launcher" and system.basing == "land":
            return "missile"
        return "patrol"
    if personnel is not None:
        return "forces"
    if trainees is not None:
        return "nuclear_training"
    raise InvalidInputError(
        "kind cannot be inferred: give kind= (one of " + ", ".join(KINDS) + "), a system=, "
        "personnel= or trainees="
    )


def _as_id(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or (
        isinstance(value, str) and not value.strip()
    ):
        raise InvalidInputError(f"id must be a non-empty string or an integer, got {value!r}")
    return value.strip() if isinstance(value, str) else int(value)


def _resolved_fields(raw: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    """Validate and resolve the inputs of a :class:`Deployment` (names through ``resolver``)."""
    by = _party(raw["by"], "by")
    if raw["date"] is None:
        raise InvalidInputError("date is required (a date or an ISO string), got None")
    day = as_date(raw["date"], "date")

    # where first: a bad location is the most useful error to report
    at, geom, base = None, None, None
    if raw["at"] is not None:
        at, geom, base = resolver.location(raw["at"])

    system = None if raw["system"] is None else resolver.system(raw["system"], "system")
    weapon = None
    if raw["weapon"] is not None:
        weapon = resolver.system(raw["weapon"], "weapon")
        if system is None or not system.is_platform:
            raise InvalidInputError(
                f"weapon={weapon.name!r} needs a platform system (bomber, warship, launcher), "
                f"got system={getattr(system, 'name', None)!r}"
            )
        if not weapon.is_missile:
            raise InvalidInputError(f"weapon must be a missile, got {weapon.name!r}")
        _check_carried(system, weapon)

    personnel = (None if raw["personnel"] is None
                 else as_count(raw["personnel"], "personnel", MAX_PERSONNEL,
                               "more than any state's armed forces"))
    category = raw["category"]
    if category is not None and category not in CATEGORIES:
        raise InvalidInputError(f"category must be one of {list(CATEGORIES)}, got {category!r}")
    trainees = None if raw["trainees"] is None else as_alpha3(raw["trainees"], "trainees")
    kind = raw["kind"]
    if kind is None:
        kind = _infer_kind(system, personnel, trainees)
    elif kind not in KINDS:
        raise InvalidInputError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    elif system is not None and kind not in _kinds_for(system):
        raise InvalidInputError(
            f"kind={kind!r} does not fit system {system.name!r} "
            f"({system.system_class}); expected one of {list(_kinds_for(system))} "
            "or omit kind to infer it"
        )
    arrangement = raw["arrangement"]
    if arrangement is not None and arrangement not in ARRANGEMENTS:
        raise InvalidInputError(
            f"arrangement must be one of {list(ARRANGEMENTS)} or None, got {arrangement!r}"
        )
    consent = raw["consent"]
    if isinstance(consent, str) or not isinstance(consent, Iterable):
        raise InvalidInputError(f"consent must be a collection of party codes, got {consent!r}")
    consent = frozenset(_party(c, "consent") for c in consent)
    host = None if raw["host"] is None else as_alpha3(raw["host"], "host")

    if kind == "accession" and host is None and not _ALPHA3.match(by):
        raise InvalidInputError(
            f"an accession needs the acceding state as by= or host= (alpha-3), "
            f"got by={by!r}, host={host!r}"
        )
    if kind == "nuclear_training" and trainees is None:
        raise InvalidInputError(
            "kind='nuclear_training' needs trainees=, the alpha-3 code of the state whose "
            "personnel are trained to use nuclear weapons (US draft Art. 7 para 3)"
        )
    if trainees is not None and kind != "nuclear_training":
        raise InvalidInputError(
            f"trainees={trainees!r} is only for kind='nuclear_training', got kind={kind!r}"
        )
    if kind == "nuclear_training" and system is not None:
        raise InvalidInputError(
            f"kind='nuclear_training' takes no system (got {system.name!r}): the clause is "
            "about whose personnel are trained"
        )
    optional_at = kind == "accession" or kind == "nuclear_training" or (
        kind == "cooperation" and host is not None
    )
    if at is None and not optional_at:
        raise InvalidInputError(
            f"at is required for kind={kind!r} (only accession, nuclear_training, or "
            "cooperation with a host=, may omit it)"
        )
    for name in ("label", "why", "notes"):
        value = raw[name]
        if value is not None and not isinstance(value, str):
            raise InvalidInputError(f"{name} must be a string, got {value!r}")
    return {"by": by, "at": at, "date": day, "system": system, "personnel": personnel,
            "category": category, "kind": kind, "arrangement": arrangement, "consent": consent,
            "host": host, "weapon": weapon, "label": raw["label"], "why": raw["why"],
            "notes": raw["notes"], "id": _as_id(raw["id"]), "trainees": trainees,
            "_geometry": geom, "_base": base}


@dataclass(frozen=True, init=False)
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
        Where. A string is a base name (see :mod:`deployguard.data.bases`); the canonical name is
        kept. Optional only for ``"accession"`` and ``"cooperation"``.
    date : datetime.date or ISO str
    system : str or WeaponSystem, optional
        Resolved through the bundled catalogue (a WeaponSystem passes through, so user systems
        need not be registered).
    weapon : str or WeaponSystem, optional
        The loadout of a platform (e.g. ``"Kh-101"`` on a Tu-95MS). Must be a missile; the
        platform must be a platform.
    personnel : int, optional
        A whole number from 0 to :data:`MAX_PERSONNEL` (10,000,000).
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
    id : str or int, optional
        The user's identifier of the record; reports carry it as ``deployment_id``.
    trainees : str, optional
        For ``kind="nuclear_training"``: alpha-3 code of the state whose personnel are trained.
    """

    by: str
    at: Location | None
    date: _dt.date
    system: WeaponSystem | None
    personnel: int | None
    category: str | None
    kind: str
    arrangement: str | None
    consent: frozenset[str]
    host: str | None
    weapon: WeaponSystem | None
    label: str | None
    why: str | None
    notes: str | None
    id: int | str | None
    trainees: str | None
    _geometry: BaseGeometry | None = field(init=False, repr=False, compare=False)
    _base: Base | None = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        by: str,
        at: Any = None,
        date: DateLike | None = None,
        system: WeaponSystem | str | None = None,
        personnel: int | None = None,
        category: str | None = None,
        kind: str | None = None,
        arrangement: str | None = None,
        consent: Iterable[str] = frozenset(),
        host: str | None = None,
        weapon: WeaponSystem | str | None = None,
        label: str | None = None,
        why: str | None = None,
        notes: str | None = None,
        id: int | str | None = None,
        trainees: str | None = None,
        *,
        resolver: Resolver | None = None,
    ) -> None:
        raw = {"by": by, "at": at, "date": date, "system": system, "personnel": personnel,
               "category": category, "kind": kind, "arrangement": arrangement,
               "consent": consent, "host": host, "weapon": weapon, "label": label, "why": why,
               "notes": notes, "id": id, "trainees": trainees}
        for name, value in _resolved_fields(raw, resolver or Resolver.default()).items():
            object.__setattr__(self, name, value)

    # -- helpers -------------------------------------------------------------------------
    @property
    def geometry(self) -> BaseGeometry | None:
        """Where, as a shapely geometry in (lon, lat) degrees; None for a state-wide kind."""
        return self._geometry

    @property
    def point(self) -> shapely.Point | None:
        """A representative shapely Point of :attr:`geometry` (for labels, not for distances).

        A point deployment returns itself; an area or route returns a point on it
        (``shapely.point_on_surface``). Reach must use the whole geometry.
        """
        if self._geometry is None:
            return None
        if isinstance(self._geometry, shapely.Point):
            return self._geometry
        point: shapely.Point = shapely.point_on_surface(self._geometry)
        return point

    @property
    def lonlat(self) -> tuple[float, float] | None:
        """``(lon, lat)`` of :attr:`point`."""
        pt = self.point
        return None if pt is None else (pt.x, pt.y)

    @property
    def base(self) -> Base | None:
        """The :class:`~deployguard.data.bases.Base` when ``at`` named one."""
        return self._base

    @property
    def strike_weapon(self) -> WeaponSystem | None:
        """Deprecated: the checker's weapon choice is the one reach fact of
        :mod:`deployguard.treaty.weapons` (a finding's ``weapon`` evidence and assumptions).

        This record cannot see where the deployment stands or the readings, so it cannot give
        that choice (a platform with several missiles and no ``weapon=`` returned None where
        the checker takes the longest-ranged). It returns what it always did and warns.

        .. deprecated::
           Read ``deployguard.check(d).findings[k].evidence["weapon"]`` or call
           ``deployguard.treaty.weapons.reach_facts``.
        """
        warnings.warn(
            "Deployment.strike_weapon is deprecated: it cannot see the location or the "
            "readings the checker's weapon choice depends on; read a finding's 'weapon' "
            "evidence, or deployguard.treaty.weapons.reach_facts(system, weapon, estimate, "
            "on_land, located, reading)", DeprecationWarning, stacklevel=2)
        sys_ = self.system
        if sys_ is None:
            return None
        if sys_.is_missile:
            return sys_
        if self.weapon is not None:
            return self.weapon
        weapons = sys_.weapons
        return weapons[0] if len(weapons) == 1 else None

    @property
    def name(self) -> str:
        """``label`` or a generated description for reports."""
        if self.label:
            return self.label
        what = (self.system.name if self.system is not None else None) or (
            f"{self.personnel} personnel" if self.personnel is not None else self.kind
        )
        if isinstance(self.at, str):
            where = self.at
        elif self._geometry is not None:
            pt = self.point
            assert pt is not None
            shape = "" if self._geometry.geom_type == "Point" else f"{self._geometry.geom_type} "
            where = f"{shape}at {_lonlat_text(pt.x, pt.y)}"
        else:
            where = self.host or self.trainees or ""
        return " ".join(p for p in (self.by, what, where, self.date.isoformat()) if p)

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
            rec["at"] = (as_degrees_text(rec.pop("lon"), "lon"),
                         as_degrees_text(rec.pop("lat"), "lat"))
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
        allowed = {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}
        extra = set(rec) - allowed
        if extra:
            raise InvalidInputError(
                f"unknown deployment field(s) {sorted(map(str, extra))}; allowed: "
                f"{sorted(allowed)}"
            )
        if "by" not in rec:
            raise InvalidInputError("by is required: the deploying state as an alpha-3 code "
                                    "like 'USA'")
        return cls(**rec)
