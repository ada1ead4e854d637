"""The one reach fact: which weapon measures a deployment's reach, how it is launched, the km.

Every face reads the reach of a deployment from here, and from nowhere else: the clauses
(check, sweep, permitted zones), the evidence geometry, the maps and the exports. A
:class:`ReachFact` is one record per deployment and **role**: ``"any"`` (the weapon measuring
reach whatever its launch mode: US Art. 3, 5) and ``"ground"`` (the longest-ranged weapon
launched from the ground here: US Art. 6, NATO Art. 5). Which role a clause reads is a
property of the clause (``reach_role`` in ``geodata/clauses.json``).

Pure functions of the system, its loadout, the range estimate, where it stands and the
readings:

* a missile is its own weapon; a platform uses ``weapon=`` or its only carried weapon; with
  several (a Typhon launcher) the longest-ranged at the estimate is taken, and the note says so;
* the **launch mode** follows the location under ``Readings(launch_mode="location")`` (the
  default): a missile or launcher on land is ground-launched, at sea it is launched from a ship
  or a submarine; a warship's or submarine's weapons are sea-launched, a bomber's air-launched.
  Under ``launch_mode="catalogue"`` each weapon keeps the basing the catalogue records.

Examples
--------
>>> import deployguard as dg
>>> tomahawk = dg.Catalogue.load().get("Tomahawk (ship)")
>>> any_, ground = reach_facts(tomahawk, None, "nominal", on_land=True, located=True,
...                            reading="location")
>>> ground.launch_mode, ground.ground_launched, ground.range_km
('land', True, 1600.0)
>>> reach_facts(tomahawk, None, "nominal", True, True, "catalogue")[1].ground_launched
False
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from deployguard.data.systems import WeaponSystem
from deployguard.treaty.frame import GEOM_NONE, DeploymentFrame
from deployguard.treaty.placement import Placement
from deployguard.treaty.readings import Readings

__all__ = ["NO_REACH", "ROLES", "ReachFact", "Weapons", "choose_weapons", "launch_mode_of",
           "reach_facts", "weapons_of"]

#: The roles a deployment's weapon plays: any weapon, or the one launched from the ground.
ROLES: tuple[str, ...] = ("any", "ground")

_PLATFORM_MODE = {"surface_warship": "sea", "submarine": "sea", "heavy_bomber": "air",
                  "medium_bomber": "air", "fighter": "air"}


@dataclass(frozen=True)
class ReachFact:
    """The weapon that measures one deployment's reach in one role, and why.

    Attributes
    ----------
    weapon : WeaponSystem or None
        None when the system carries no missile (or none in this role).
    range_km, min_range_km : float or None
        The km at the estimate (None when the sources give no figure) and the minimum range.
    note : str
        Why this weapon (the missile itself, the loadout, the longest-ranged of several).
    launch_mode : str
        How the deployment's weapons are launched here: "land", "sea", "air" or "".
    launch_basis : str
        Why (the location, or the catalogue's basing).
    ground_launched : bool
        Whether :attr:`weapon` is a missile launched from the ground here.
    """

    weapon: WeaponSystem | None
    range_km: float | None
    min_range_km: float | None
    note: str
    launch_mode: str = ""
    launch_basis: str = ""
    ground_launched: bool = False


#: The fact of a deployment without a weapon system.
NO_REACH = ReachFact(None, None, None, "")


@dataclass(frozen=True, eq=False)
class Weapons:
    """The reach facts of every deployment (or sweep row) of a run at one estimate.

    ``facts`` holds each distinct :class:`ReachFact` once; ``codes[role][i]`` is the index of
    deployment ``i``'s fact in that role, so clauses read weapons as arrays, not per object.

    Attributes
    ----------
    facts : tuple of ReachFact
    codes : dict of str to numpy int array
        Per role of :data:`ROLES`, one index into ``facts`` per deployment.
    estimate : str
    """

    facts: tuple[ReachFact, ...]
    codes: dict[str, NDArray[np.intp]]
    estimate: str

    def fact(self, role: str, i: int) -> ReachFact:
        """The reach fact of deployment ``i`` in ``role`` ("any" or "ground")."""
        return self.facts[int(self.codes[role][i])]

    def column(self, attr: str) -> NDArray[Any]:
        """``attr`` of every distinct fact (index it with :attr:`codes`); None -> NaN for km."""
        values = [getattr(f, attr) for f in self.facts]
        if attr in ("range_km", "min_range_km"):
            return np.array([np.nan if v is None else v for v in values], dtype=float)
        if attr == "ground_launched":
            return np.array(values, dtype=bool)
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    @cached_property
    def any(self) -> tuple[ReachFact, ...]:
        """The "any" fact per deployment (US Art. 3, 5; the assumptions of every finding)."""
        return tuple(self.facts[c] for c in self.codes["any"].tolist())

    @cached_property
    def ground(self) -> tuple[ReachFact, ...]:
        """The "ground" fact per deployment (US Art. 6, NATO Art. 5)."""
        return tuple(self.facts[c] for c in self.codes["ground"].tolist())

    @cached_property
    def launch(self) -> NDArray[np.object_]:
        """How each deployment's weapons are launched here: "land", "sea", "air" or ""."""
        out: NDArray[np.object_] = self.column("launch_mode")[self.codes["any"]]
        return out

    @cached_property
    def launch_basis(self) -> tuple[str, ...]:
        """Why each deployment's weapons are launched as they are ("" without a system)."""
        return tuple(f.launch_basis for f in self.any)

    def as_dict(self, i: int) -> dict[str, Any]:
        """The weapon assumptions of deployment ``i`` (empty without a system)."""
        return self.as_fact_dict(self.fact("any", i))

    def as_fact_dict(self, fact: ReachFact) -> dict[str, Any]:
        """The weapon assumptions ``fact`` stands for, at this estimate (a fresh dict)."""
        return dict(_facts(fact, self.estimate))

    def for_clause(self, reach_role: str, i: int) -> ReachFact:
        """The fact a clause with ``reach_role`` (``Clause.reach_role``) reads for
        deployment ``i``: what its evidence geometry, maps and exports measure with.
        """
        return self.fact(reach_role, i)


@functools.lru_cache(maxsize=4096)
def _facts(c: ReachFact, estimate: str) -> dict[str, Any]:
    """The weapon facts of one reach fact (shared; callers copy before changing)."""
    if c.weapon is None and not c.note:
        return {}
    w = c.weapon
    source = None if w is None else "; ".join(filter(None, (w.range_basis, *w.source)))
    return {
        "weapon": None if w is None else w.name,
        "range_estimate": estimate,
        "range_km": c.range_km,
        "range_spread_km": None if w is None else w.range_km,
        "min_range_km": c.min_range_km,
        "range_source": source,
        "range_confidence": None if w is None else w.confidence,
        "weapon_choice": c.note,
        "launch_mode": c.launch_mode or None,
        "launch_mode_basis": c.launch_basis or None,
    }


def launch_mode_of(
    system: WeaponSystem, on_land: bool, located: bool, reading: str
) -> tuple[str, str]:
    """How ``system`` (a missile or a platform) launches its missiles here, and why.

    Examples
    --------
    >>> from deployguard.data.catalogue import Catalogue
    >>> launch_mode_of(Catalogue.load().get("Iskander-M"), False, True, "location")[0]
    'sea'
    >>> launch_mode_of(Catalogue.load().get("Iskander-M"), False, True, "catalogue")[0]
    'land'
    """
    if system.system_class in _PLATFORM_MODE:
        mode = _PLATFORM_MODE[system.system_class]
        return mode, f"a {system.system_class.replace('_', ' ')} launches from the {mode}"
    if system.basing == "air" or not located or reading == "catalogue":
        why = "no location" if not located else (
            "air-launched: carried by an aircraft wherever it is based" if system.basing == "air"
            else "the catalogue's basing (Readings(launch_mode='catalogue'))"
        )
        return system.basing, why
    mode = "land" if on_land else "sea"
    where = "on land, so ground-launched" if on_land else (
        "at sea, so launched from a ship or a submarine")
    note = "" if mode == system.basing else f" (the catalogue's basing is {system.basing})"
    return mode, f"the location decides (Readings(launch_mode='location')): {where}{note}"


def _choose(
    system: WeaponSystem, given: WeaponSystem | None, estimate: str, mode: str, basis: str,
    reading: str, ground_only: bool,
) -> ReachFact:
    def launched_from_ground(w: WeaponSystem) -> bool:
        if not w.is_missile:
            return False
        if w is system or reading == "location":
            return mode == "land"
        return w.basing == "land"

    def make(w: WeaponSystem, note: str) -> ReachFact:
        return ReachFact(w, w.range_for(estimate), w.min_range_km, note, mode, basis,
                         launched_from_ground(w))

    if system.is_missile:
        return make(system, "the missile itself")
    if given is not None:
        return make(given, f"the loadout {given.name} of {system.name}")
    options = [w for w in system.weapons if w.is_missile]
    if len(options) == 1:
        return make(options[0], f"the loadout {options[0].name} of {system.name}")
    if ground_only:
        options = [w for w in options if launched_from_ground(w)]
    if not options:
        return ReachFact(None, None, None, f"{system.name} names no carried missile", mode,
                         basis, False)
    known = [w for w in options if w.range_for(estimate) is not None]
    if not known:
        return make(options[0], f"no {estimate} range for any weapon of {system.name}")
    chosen = max(known, key=lambda w: w.range_for(estimate) or 0.0)
    return make(chosen, f"{system.name} carries {', '.join(w.name for w in options)}; the "
                f"longest-ranged at the {estimate} estimate ({chosen.name}) is used")


@functools.lru_cache(maxsize=4096)
def reach_facts(
    system: WeaponSystem, weapon: WeaponSystem | None, estimate: str, on_land: bool,
    located: bool, reading: str,
) -> tuple[ReachFact, ReachFact]:
    """The ("any", "ground") reach facts of ``system`` (with loadout ``weapon``) standing
    on land or not, at ``estimate``, under the launch-mode ``reading``.

    The one place that chooses a weapon: :func:`choose_weapons` (check), the sweep and the
    permitted zones all call it.
    """
    mode, basis = launch_mode_of(system, on_land, located, reading)
    return (_choose(system, weapon, estimate, mode, basis, reading, False),
            _choose(system, weapon, estimate, mode, basis, reading, True))


Key = tuple[WeaponSystem, WeaponSystem | None, bool, bool]


def weapons_of(keys: Sequence[Key | None], inverse: NDArray[np.intp], estimate: str,
               reading: str) -> Weapons:
    """The :class:`Weapons` of rows whose key is ``keys[inverse[row]]``.

    A key is ``(system, loadout, on_land, located)``, None for a row without a system; one
    :func:`reach_facts` call per distinct key, so millions of sweep rows cost a few calls.
    """
    index: dict[ReachFact, int] = {NO_REACH: 0}
    any_code = np.zeros(len(keys), dtype=np.intp)
    ground_code = np.zeros(len(keys), dtype=np.intp)
    for k, key in enumerate(keys):
        if key is None:
            continue
        f_any, f_ground = reach_facts(key[0], key[1], estimate, key[2], key[3], reading)
        any_code[k] = index.setdefault(f_any, len(index))
        ground_code[k] = index.setdefault(f_ground, len(index))
    inv = np.asarray(inverse, dtype=np.intp)
    return Weapons(tuple(index), {"any": any_code[inv], "ground": ground_code[inv]}, estimate)


def choose_weapons(
    frame: DeploymentFrame, placement: Placement, estimate: str, readings: Readings
) -> Weapons:
    """The reach facts of every deployment of ``frame`` at ``estimate``."""
    distinct: dict[Key | None, int] = {}
    inverse = np.zeros(len(frame), dtype=np.intp)
    for i, dep in enumerate(frame.deployments):
        key: Key | None = None
        if dep.system is not None:
            land = bool(placement.on_land[i] or placement.coastal[i])
            key = (dep.system, dep.weapon, land, bool(frame.geom_kind[i] != GEOM_NONE))
        inverse[i] = distinct.setdefault(key, len(distinct))
    return weapons_of(list(distinct), inverse, estimate, readings.launch_mode)
