"""Inputs of the scans (sweeps and permitted zones): which clauses, which systems.

Only validation and defaults live here; every rule (who a clause binds, whom it protects,
which weapon and launch mode apply) is the clause code's (:mod:`deployguard.treaty.clauses`,
``geodata/clauses.json``) and :mod:`deployguard.treaty.weapons`'.

Examples
--------
>>> default_clauses("USA", "2021-12-17"), default_clauses("DEU", "2021-12-17")
(('US-6', 'NATO-5'), ('NATO-5',))
"""

from __future__ import annotations

from typing import Any

from deployguard._validate import as_date
from deployguard.data.catalogue import Catalogue
from deployguard.data.systems import WeaponSystem
from deployguard.errors import InvalidInputError
from deployguard.treaty.clauses import SITE_CHECKS, get_clause
from deployguard.treaty.clauses._common import parties_on

__all__ = ["GEOGRAPHIC_CLAUSES", "MISSILE_CLAUSES", "as_clauses", "as_systems", "default_clauses"]

#: The clauses a sweep decides from position, system, range and date alone.
GEOGRAPHIC_CLAUSES: tuple[str, ...] = tuple(SITE_CHECKS)
#: Of them, the clauses on ground-launched missiles (``reach_role`` "ground" in clauses.json).
MISSILE_CLAUSES: tuple[str, ...] = tuple(
    c for c in SITE_CHECKS if get_clause(c).reach_role == "ground")

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


def default_clauses(party: str, on: Any) -> tuple[str, ...]:
    """The missile clauses that bind ``party`` on ``on``: US-6 and/or NATO-5 (clauses.json).

    Raises
    ------
    InvalidInputError
        When neither binds the party (it is neither the USA, Russia nor a NATO member).
    """
    day = as_date(on, "on")
    out = tuple(c for c in MISSILE_CLAUSES if party in parties_on(c, day))
    if not out:
        raise InvalidInputError(
            f"party {party!r} is bound by neither US-6 nor NATO-5 on {day}: expected the USA, "
            "Russia or a NATO member on that date"
        )
    return out


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
