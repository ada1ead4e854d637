"""Who is protected from where: the party and weapon rules shared by sweeps and permitted zones.

The geographic clauses a sweep or a permitted zone decides are US draft Art. 6 (``US-6``),
NATO draft Art. 5 (``NATO-5``) and US draft Art. 5 para 2 (``US-5.2``). They follow the readings
of :func:`deployguard.check` (:class:`~deployguard.treaty.readings.Readings`), so a sweep gives
the same verdict as ``check()`` for the same site, system, party and date:

- ``US-6`` binds the USA and Russia; it protects the other of the two.
- ``NATO-5`` binds Russia and the NATO members on the date. Under the default reading of "the
  other Parties" (``adversary``) it protects the NATO members from Russia and Russia from a
  member; under ``all`` every other Party.
- ``US-5.2`` binds the USA and Russia; it protects the other of the two from heavy bombers and
  surface warships outside national airspace and territorial waters.

*Launch mode follows location* (the checker's rule): a missile standing on land is
ground-launched, whatever the catalogue's basing (a sea-launched type in a land launcher is a
GLCM, the Aegis Ashore question); at sea it is ship- or submarine-launched, so Art. 6 and NATO
Art. 5 do not concern it there.

Examples
--------
>>> default_clauses("USA", "2021-12-17"), default_clauses("DEU", "2021-12-17")
(('US-6', 'NATO-5'), ('NATO-5',))
>>> sorted(protected_states("US-6", "RUS", "2021-12-17", Readings()))
['USA']
>>> len(protected_states("NATO-5", "RUS", "2021-12-17", Readings()))
30
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from deployguard._validate import as_date
from deployguard.data.catalogue import Catalogue
from deployguard.data.systems import INF_INTERMEDIATE_MAX_KM, WeaponSystem, inf_class_of
from deployguard.errors import InvalidInputError
from deployguard.geography.groups import nato
from deployguard.treaty.clauses import get_clause
from deployguard.treaty.readings import Readings

__all__ = [
    "GEOGRAPHIC_CLAUSES",
    "StrikeWeapon",
    "as_clauses",
    "as_systems",
    "bound_by",
    "default_clauses",
    "missile_class",
    "protected_states",
    "strike_weapon",
]

#: The clauses a sweep decides from position, system, range and date alone.
GEOGRAPHIC_CLAUSES: tuple[str, ...] = ("US-5.2", "US-6", "NATO-5")
US_PARTIES = frozenset({"USA", "RUS"})


def _other_us_party(by: str) -> str:
    return "RUS" if by == "USA" else "USA"


def as_clauses(clauses: Any) -> tuple[str, ...]:
    """Validated canonical clause ids among :data:`GEOGRAPHIC_CLAUSES`."""
    if isinstance(clauses, str):
        clauses = (clauses,)
    try:
        items = list(clauses)
    except TypeError as exc:
        raise InvalidInputError(
            f"clauses must be a clause id or a list of them, got {clauses!r}"
        ) from exc
    out: list[str] = []
    for item in items:
        cid = get_clause(item).id  # UnknownClauseError names the closest ids
        if cid not in GEOGRAPHIC_CLAUSES:
            raise InvalidInputError(
                f"clauses: {cid} cannot be decided from a position alone; expected some of "
                f"{list(GEOGRAPHIC_CLAUSES)} (use deployguard.check for the others)"
            )
        if cid not in out:
            out.append(cid)
    if not out:
        raise InvalidInputError(f"clauses must name at least one of {list(GEOGRAPHIC_CLAUSES)}")
    return tuple(out)


def bound_by(clause: str, by: str, on: _dt.date) -> bool:
    """Whether ``clause`` binds the deploying state ``by`` on ``on``."""
    if clause in ("US-6", "US-5.2"):
        return by in US_PARTIES
    return by == "RUS" or by in nato.members(on=on)


def protected_states(
    clause: str, by: str, on: Any, readings: Readings
) -> frozenset[str] | None:
    """The states whose territory ``clause`` protects from ``by``'s weapons (None if not bound).

    Examples
    --------
    >>> sorted(protected_states("NATO-5", "POL", "2021-12-17", Readings()))
    ['RUS']
    >>> protected_states("US-6", "POL", "2021-12-17", Readings()) is None
    True
    """
    day = as_date(on, "on")
    if not bound_by(clause, by, day):
        return None
    if clause in ("US-6", "US-5.2"):
        return frozenset({_other_us_party(by)})
    members = nato.members(on=day)
    if readings.nato5_other_parties == "all":
        return (members | {"RUS"}) - {by}
    return members if by == "RUS" else frozenset({"RUS"})


def default_clauses(party: str, on: Any) -> tuple[str, ...]:
    """The missile clauses that bind ``party`` on ``on``: US-6 and/or NATO-5.

    Raises
    ------
    InvalidInputError
        When neither binds the party (it is neither the USA, Russia nor a NATO member).
    """
    day = as_date(on, "on")
    out = tuple(c for c in ("US-6", "NATO-5") if bound_by(c, party, day))
    if not out:
        raise InvalidInputError(
            f"party {party!r} is bound by neither US-6 nor NATO-5 on {day}: expected the USA, "
            "Russia or a NATO member on that date"
        )
    return out


def missile_class(range_km: float | None, readings: Readings) -> str | None:
    """The "intermediate/shorter-range" class of a ground-launched missile (as ``check()``).

    Examples
    --------
    >>> missile_class(500.0, Readings()), missile_class(499.0, Readings())
    ('shorter-range', None)
    """
    if range_km is None:
        return None
    if readings.missile_classes == "inf":
        return inf_class_of(range_km)
    return "ground-launched up to 5,500 km" if range_km <= INF_INTERMEDIATE_MAX_KM else None


def as_systems(systems: Any) -> list[WeaponSystem]:
    """Weapon systems from names or records (one or many), duplicates dropped, order kept."""
    if isinstance(systems, str | WeaponSystem):
        systems = [systems]
    try:
        items = list(systems)
    except TypeError as exc:
        raise InvalidInputError(
            f"systems must be a system name, a WeaponSystem or a list of them, got {systems!r}"
        ) from exc
    if not items:
        raise InvalidInputError("systems is empty; expected at least one weapon system")
    cat = Catalogue.load()
    out: list[WeaponSystem] = []
    for item in items:
        system = cat.get(item)
        if system.name not in {s.name for s in out}:
            out.append(system)
    return out


@dataclass(frozen=True)
class StrikeWeapon:
    """The weapon that measures a system's reach at one estimate, and why it was chosen.

    ``weapon`` is None when the system carries no missile (or none launched from where it
    stands); ``range_km`` is None when the sources give no figure.
    """

    weapon: WeaponSystem | None
    range_km: float | None
    min_range_km: float | None
    note: str


def strike_weapon(
    system: WeaponSystem, estimate: str, ground_launched: bool | None = None
) -> StrikeWeapon:
    """The weapon whose range measures reach, as the checker chooses it.

    A missile is its own weapon. A platform uses its longest-ranged missile at ``estimate``
    (a Typhon launcher: Tomahawk). ``ground_launched=True`` asks for the missile as it stands on
    land (launch mode follows location: any missile on land is ground-launched; a platform
    other than a land launcher launches nothing from the ground); ``False`` for it at sea, where
    nothing is ground-launched; ``None`` for the weapon regardless of launch mode.

    Examples
    --------
    >>> typhon = Catalogue.load().get("Typhon")
    >>> strike_weapon(typhon, "nominal", ground_launched=True).weapon.name
    'Tomahawk (Typhon)'
    >>> strike_weapon(Catalogue.load().get("Iskander-M"), "low", False).weapon is None
    True
    """
    if ground_launched is False:
        return StrikeWeapon(None, None, None, f"{system.name} at sea is not ground-launched")
    if system.is_missile:
        return StrikeWeapon(system, system.range_for(estimate), system.min_range_km,
                            "the missile itself")
    if ground_launched and not (system.system_class == "launcher" and system.basing == "land"):
        return StrikeWeapon(None, None, None,
                            f"{system.name} is a {system.system_class}, not a ground launcher")
    options = [w for w in system.weapons if w.is_missile]
    if not options:
        return StrikeWeapon(None, None, None, f"{system.name} names no carried missile")
    known = [w for w in options if w.range_for(estimate) is not None]
    if not known:
        return StrikeWeapon(options[0], None, options[0].min_range_km,
                            f"no {estimate} range for any weapon of {system.name}")
    chosen = max(known, key=lambda w: w.range_for(estimate) or 0.0)
    return StrikeWeapon(
        chosen, chosen.range_for(estimate), chosen.min_range_km,
        f"{system.name} carries {', '.join(w.name for w in options)}; the longest-ranged at the "
        f"{estimate} estimate ({chosen.name}) is used",
    )
