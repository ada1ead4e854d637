"""Ground-launched rows that are not (or not surely) INF missiles: US Art. 6 and NATO Art. 5.

Two rules, each applied by :func:`~deployguard.treaty.clauses._common.classify_missile` before
a missile is classed by its range:

* **Interceptors** are not INF missiles. INF Treaty Art. VII para 3: a missile of a type
  "developed and tested solely to intercept and counter objects not located on the surface of
  the earth" is not subject to the Treaty (https://nuke.fas.org/control/inf/text/inf.htm), so
  the drafts' "intermediate- and shorter-range missiles", read with the INF classes, leave it
  out: ``not_applicable``. For the Aegis Ashore launcher under Russia's stated reading
  (``Readings(aegis_ashore="mk41_can_fire_tomahawk")``) the answer is ``depends``.
* **A sea-launched type given bare at a harbour** (Kalibr 3M14 at Baltiysk): the location reading
  makes a missile on land ground-launched, which is right for a land launcher (the Mk 41 at
  Redzikowo, 17 km from the sea) but at a harbour the missile may as well be aboard a ship in
  port. Within :data:`~deployguard.treaty.placement.COAST_TOLERANCE_KM` of the sea the row is
  ``depends``, naming the catalogue's ships and submarines that carry it, never a silent
  violation. An error would stop a whole scenario or sweep for one ambiguous row; ``depends``
  keeps the run and says what to give (the platform, or ``launch_mode="catalogue"``).
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

from deployguard.data.catalogue import Catalogue
from deployguard.treaty.clauses.base import ClauseContext, Outcome, Rows
from deployguard.treaty.findings import Status
from deployguard.treaty.placement import COAST_TOLERANCE_KM
from deployguard.treaty.readings import AEGIS_ASHORE

__all__ = ["INF_ART7_3", "interceptor_rows", "sea_type_ashore_rows"]

#: The reason's words for an interceptor.
INF_ART7_3 = ("INF Treaty Art. VII para 3 excludes missiles 'developed and tested solely to "
              "intercept and counter objects not located on the surface of the earth'")


def interceptor_rows(
    out: Outcome, rows: Rows, ctx: ClauseContext, mask: NDArray[np.bool_],
    code: NDArray[np.intp], launched: str,
) -> None:
    """Decide the rows of ``mask`` whose ground-launched weapon (reach fact ``code``, into
    ``ctx.weapons.facts``) is an interceptor.
    """
    facts = ctx.weapons.facts
    by_fact = np.array([f.weapon is not None and f.weapon.is_interceptor for f in facts],
                       dtype=bool)
    hit = mask & by_fact[code]
    if not hit.any():
        return
    mk41 = ctx.readings.aegis_ashore == "mk41_can_fire_tomahawk"
    site = hit & (rows.system_name == AEGIS_ASHORE) if mk41 else np.zeros_like(hit)

    def name(i: int) -> str:
        w = facts[code[i]].weapon
        assert w is not None
        return w.name

    out.put(site, Status.DEPENDS, lambda i: (
        f"{AEGIS_ASHORE} holds interceptors ({name(i)}; {INF_ART7_3}), but under "
        "Russia's stated reading (Readings(aegis_ashore='mk41_can_fire_tomahawk')) its Mk 41 "
        "launchers can fire Tomahawk cruise missiles: whether an intermediate-range "
        f"{launched} missile stands here depends on what the launchers hold"))
    out.put(hit, Status.NOT_APPLICABLE, lambda i: (
        f"{name(i)} is an air and missile defence interceptor, not an "
        f"intermediate- or shorter-range {launched} missile: {INF_ART7_3}"))


@functools.lru_cache(maxsize=256)
def _carriers(name: str) -> tuple[str, ...]:
    return tuple(p.name for p in Catalogue.load() if p.is_platform
                 and p.system_class != "launcher" and name in p.platform_weapons)


def sea_type_ashore_rows(
    out: Outcome, rows: Rows, ctx: ClauseContext, mask: NDArray[np.bool_],
    code: NDArray[np.intp], launched: str,
) -> None:
    """``depends`` for a bare sea-launched missile on land at a harbour (see the module)."""
    if ctx.readings.launch_mode != "location":
        return
    facts = ctx.weapons.facts
    # a sea-launched missile given bare: the row's system is the weapon itself, no platform
    sea_type = np.empty(len(facts), dtype=object)
    sea_type[:] = [f.weapon.name if f.weapon is not None and f.weapon.is_missile
                   and f.weapon.basing == "sea" else None for f in facts]
    todo = np.flatnonzero(mask & (sea_type[code] == rows.system_name))
    if not todo.size:
        return
    gap = np.full(len(rows), np.inf)
    gap[todo] = ctx.km_to_sea(rows.dep[todo])
    near = mask & (gap <= COAST_TOLERANCE_KM)
    if not near.any():
        return
    out.ev("km_to_sea", gap, near)

    def reason(i: int) -> str:
        w = facts[code[i]].weapon
        assert w is not None
        ships = _carriers(w.name)
        carried = (f" (carried by {', '.join(ships)})" if ships else "")
        return (f"{w.name} is a sea-launched type{carried} given bare on land {gap[i]:,.1f} km "
                f"from the sea: aboard a ship in port it is not a {launched} missile, in a "
                f"land launcher it is; give the platform (system=<ship>, weapon={w.name!r}) or "
                "Readings(launch_mode='catalogue')")
    out.put(near, Status.DEPENDS, reason)
