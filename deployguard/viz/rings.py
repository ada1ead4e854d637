"""Ranges to draw around a site, and which states each one reaches (for range-overlap maps).

:func:`ring_specs` reads what a user gives - a number of km, a system name, a
:class:`~deployguard.data.systems.WeaponSystem`, a mapping of labels to km or to
``(low, high)`` / ``(low, nominal, high)`` - into :class:`RingSpec` records.
:func:`reach_levels` decides, with the exact :func:`~deployguard.geography.ranges.distance_km`
and :func:`~deployguard.geography.ranges.within_range`, the shortest drawn range at which
each state is reached.

Examples
--------
>>> [s.name for s in ring_specs(["Iskander-M", 1000])]
['Iskander-M', '1,000 km']
>>> spec = ring_specs({"Kalibr": (1500, 2500)})[0]
>>> spec.radii, spec.nominal
((1500.0, 2500.0), None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from deployguard.errors import InvalidInputError

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = ["RingSpec", "against_states", "reach_levels", "ring_specs"]


@dataclass(frozen=True)
class RingSpec:
    """One system or estimate to draw: a nominal ring and an optional low-high band (km).

    A ``(low, high)`` pair has no nominal: both ends are drawn dashed, the band between.
    """

    label: str
    nominal: float | None
    low: float | None = None
    high: float | None = None
    min_range: float | None = None

    @property
    def name(self) -> str:
        """The label, or the range for an unnamed ring ("1,000 km")."""
        return self.label or f"{self.outer:,.0f} km"

    @property
    def radii(self) -> tuple[float, ...]:
        """The distinct radii drawn, ascending."""
        return tuple(sorted({r for r in (self.low, self.nominal, self.high) if r is not None}))

    @property
    def outer(self) -> float:
        return max(self.radii)

    @property
    def is_band(self) -> bool:
        return len(self.radii) > 1


def _km(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value) \
            or value <= 0:
        raise InvalidInputError(f"{field} must be a positive number of km, got {value!r}")
    return float(value)


def _from_system(value: Any, label: str | None) -> RingSpec:
    from deployguard.data.catalogue import Catalogue

    system = Catalogue.load().get(value)
    if system.is_platform and not system.is_missile:
        weapons = [w for w in system.weapons if w.range_known]
        if not weapons:
            raise InvalidInputError(f"system {system.name!r} carries no weapon of known range")
        system = max(weapons, key=lambda w: w.range_for("nominal") or 0.0)
    nominal = system.range_for("nominal")
    if nominal is None:
        raise InvalidInputError(f"system {system.name!r} has no published range to draw")
    return RingSpec(label or system.name, float(nominal), system.range_for("low"),
                    system.range_for("high"), system.min_range_km)


def _one(value: Any, label: str | None) -> RingSpec:
    if isinstance(value, int | float) and not isinstance(value, bool):
        km = _km(value, "range")
        return RingSpec(label or "", km)
    if isinstance(value, tuple | list) and len(value) in (2, 3):
        kms = [_km(v, f"range of {label!r}") for v in value]
        if kms != sorted(kms):
            raise InvalidInputError(f"estimates of {label!r} must be ascending (low, [nominal,] "
                                    f"high), got {value!r}")
        mid = kms[1] if len(kms) == 3 else None
        return RingSpec(label or "", mid, kms[0], kms[-1])
    if isinstance(value, str) or hasattr(value, "range_for"):
        return _from_system(value, label)
    raise InvalidInputError(
        "systems_or_ranges items must be km, a system name or WeaponSystem, or "
        f"(low, high) / (low, nominal, high) km, got {value!r:.80}"
    )


def ring_specs(systems_or_ranges: Any) -> list[RingSpec]:
    """Normalise what to draw (see the module docstring); outermost first is not implied."""
    if isinstance(systems_or_ranges, Mapping):
        specs = [_one(v, str(k)) for k, v in systems_or_ranges.items()]
    elif isinstance(systems_or_ranges, str | int | float) or hasattr(systems_or_ranges,
                                                                     "range_for"):
        specs = [_one(systems_or_ranges, None)]
    elif isinstance(systems_or_ranges, Iterable):
        specs = [_one(v, None) for v in systems_or_ranges]
    else:
        specs = [_one(systems_or_ranges, None)]
    if not specs:
        raise InvalidInputError("systems_or_ranges is empty: give at least one range or system")
    return specs


def against_states(against: Any, world: World, on: Any, exclude: str = "") -> list[str]:
    """Alpha-3 codes of the states to colour: a group ("NATO", "CSTO") on ``on``, a state, a
    list of states, or (None) every sovereign state but ``exclude``.
    """
    from deployguard.geography import groups

    if against is None:
        s = world.states
        keep = (s["iso_a3"] == s["sovereign_a3"]) & ~s.geometry.is_empty
        return sorted(c for c in s.loc[keep, "iso_a3"] if c != exclude)
    items = [against] if isinstance(against, str) else list(against)
    out: set[str] = set()
    for item in items:
        name = str(item).strip().upper() if isinstance(item, str) else ""
        group = {"NATO": groups.nato, "CSTO": groups.csto}.get(name)
        if group is not None:
            out |= set(group.members(on=on))
        else:
            out.add(world.lookup(item))
    return sorted(out)


def reach_levels(lon: float, lat: float, states: Sequence[str], specs: Sequence[RingSpec],
                 world: World, *, sea: bool = False
                 ) -> tuple[dict[str, float], dict[str, float | None]]:
    """For each state, its geodesic distance (km, None if beyond every ring) and the shortest
    drawn radius that reaches it (missing if none does).

    A state is reached at radius r when ``distance_km <= r`` (with a minimum range, when
    :func:`~deployguard.geography.ranges.within_range` says so).  States beyond the largest
    ring (plus a margin) are skipped without an exact distance.
    """
    from deployguard.geography.ranges import distance_km, within_range
    from deployguard.viz.mapview import geodesic_ring

    outer = max(s.outer for s in specs)
    screen = geodesic_ring(lon, lat, min(outer + 25.0, 20_000.0), tolerance_km=1.0)
    levels = sorted({(r, s.min_range or 0.0) for s in specs for r in s.radii})
    reached: dict[str, float] = {}
    dist: dict[str, float | None] = {}
    for code in states:
        terr = world.territory(code, sea=sea)
        if terr.is_empty or not shapely.intersects(screen, terr):
            dist[code] = None
            continue
        d = float(distance_km(lon, lat, terr))
        dist[code] = d
        for r, rmin in levels:
            ok = d <= r if rmin == 0 else bool(within_range(lon, lat, terr, r, rmin))
            if ok:
                reached[code] = r
                break
    return reached, dist
