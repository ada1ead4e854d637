"""Which weapon measures each deployment's reach, how it is launched, and the km used.

Pure functions of the deployments, their placement, the range estimate and the readings:

* a missile is its own weapon; a platform uses ``weapon=`` or its only carried weapon; with
  several (a Typhon launcher) the longest-ranged at the estimate is taken, and the note says so;
* the **launch mode** follows the location under ``Readings(launch_mode="location")`` (the
  default): a missile or launcher on land is ground-launched, at sea it is launched from a ship
  or a submarine; a warship's or submarine's weapons are sea-launched, a bomber's air-launched.
  Under ``launch_mode="catalogue"`` each weapon keeps the basing the catalogue records.

Examples
--------
>>> import deployguard as dg
>>> from deployguard.treaty.frame import DeploymentFrame
>>> from deployguard.treaty.placement import place
>>> d = dg.Deployment(by="USA", at="Redzikowo", date="2022-01-01", system="Tomahawk (ship)",
...                   kind="missile")
>>> f = DeploymentFrame.build([d])
>>> w = choose_weapons(f, place(f, dg.World.load("10m"), dg.Readings()), "nominal",
...                    dg.Readings())
>>> w.launch[0], bool(w.ground_launched[0])
('land', True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from deployguard.data.systems import WeaponSystem
from deployguard.treaty.frame import GEOM_NONE, DeploymentFrame
from deployguard.treaty.placement import Placement
from deployguard.treaty.readings import Readings

__all__ = ["Choice", "Weapons", "choose_weapons", "launch_mode_of"]

_PLATFORM_MODE = {"surface_warship": "sea", "submarine": "sea", "heavy_bomber": "air",
                  "medium_bomber": "air", "fighter": "air"}


@dataclass(frozen=True)
class Choice:
    """One weapon choice: the weapon, its km at the estimate (None if unknown) and why."""

    weapon: WeaponSystem | None
    range_km: float | None
    min_range_km: float | None
    note: str


@dataclass(frozen=True, eq=False)
class Weapons:
    """The weapons of every deployment of a run at one estimate.

    Attributes
    ----------
    any : tuple of Choice
        The weapon measuring reach (US Art. 3, 5; the assumptions of every finding).
    ground : tuple of Choice
        The longest-ranged weapon launched from the ground here (US Art. 6, NATO Art. 5).
    launch : numpy object array of str
        How the deployment's weapons are launched here: "land", "sea", "air" or "".
    launch_basis : tuple of str
        Why (the location, or the catalogue's basing).
    ground_launched : numpy bool array
        Whether :attr:`ground` is a ground-launched missile here.
    estimate : str
    """

    any: tuple[Choice, ...]
    ground: tuple[Choice, ...]
    launch: NDArray[np.object_]
    launch_basis: tuple[str, ...]
    ground_launched: NDArray[np.bool_]
    estimate: str

    def as_dict(self, i: int) -> dict[str, Any]:
        """The weapon assumptions of deployment ``i`` (empty without a system)."""
        return dict(_facts(self.any[i], self.estimate, self.launch[i], self.launch_basis[i]))


@functools.lru_cache(maxsize=4096)
def _facts(c: Choice, estimate: str, launch: str, basis: str) -> dict[str, Any]:
    """The weapon facts of one choice (shared; callers copy before changing)."""
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
        "launch_mode": launch or None,
        "launch_mode_basis": basis or None,
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
    system: WeaponSystem, given: WeaponSystem | None, estimate: str, mode: str, reading: str,
    ground_only: bool,
) -> tuple[Choice, bool]:
    """(choice, whether the chosen weapon is ground-launched here)."""

    def launched_from_ground(w: WeaponSystem) -> bool:
        if not w.is_missile:
            return False
        if w is system or reading == "location":
            return mode == "land"
        return w.basing == "land"

    def make(w: WeaponSystem, note: str) -> tuple[Choice, bool]:
        return Choice(w, w.range_for(estimate), w.min_range_km, note), launched_from_ground(w)

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
        return Choice(None, None, None, f"{system.name} names no carried missile"), False
    known = [w for w in options if w.range_for(estimate) is not None]
    if not known:
        return make(options[0], f"no {estimate} range for any weapon of {system.name}")
    chosen = max(known, key=lambda w: w.range_for(estimate) or 0.0)
    return make(chosen, f"{system.name} carries {', '.join(w.name for w in options)}; the "
                f"longest-ranged at the {estimate} estimate ({chosen.name}) is used")


def choose_weapons(
    frame: DeploymentFrame, placement: Placement, estimate: str, readings: Readings
) -> Weapons:
    """The weapons of every deployment at ``estimate`` (memoised per distinct system)."""
    reading = readings.launch_mode
    memo: dict[tuple[Any, ...], tuple[Choice, Choice, str, str, bool]] = {}
    none = Choice(None, None, None, "")
    out_any: list[Choice] = []
    out_ground: list[Choice] = []
    launch: list[str] = []
    basis: list[str] = []
    ground_flags: list[bool] = []
    for i, dep in enumerate(frame.deployments):
        system = dep.system
        if system is None:
            out_any.append(none)
            out_ground.append(none)
            launch.append("")
            basis.append("")
            ground_flags.append(False)
            continue
        located = frame.geom_kind[i] != GEOM_NONE
        land = bool(placement.on_land[i] or placement.coastal[i])
        key = (system, dep.weapon, land, located)
        hit = memo.get(key)
        if hit is None:
            mode, why = launch_mode_of(system, land, located, reading)
            c_any, _ = _choose(system, dep.weapon, estimate, mode, reading, False)
            c_ground, g = _choose(system, dep.weapon, estimate, mode, reading, True)
            hit = memo[key] = (c_any, c_ground, mode, why, g)
        out_any.append(hit[0])
        out_ground.append(hit[1])
        launch.append(hit[2])
        basis.append(hit[3])
        ground_flags.append(hit[4])
    return Weapons(
        any=tuple(out_any),
        ground=tuple(out_ground),
        launch=np.array(launch, dtype=object),
        launch_basis=tuple(basis),
        ground_launched=np.array(ground_flags, dtype=bool),
        estimate=estimate,
    )
