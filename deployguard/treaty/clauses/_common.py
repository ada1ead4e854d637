"""Small helpers shared by the clause modules (not public)."""

from __future__ import annotations

from typing import Any

from deployguard.data.deployments import Deployment
from deployguard.data.systems import INF_INTERMEDIATE_MAX_KM, WeaponSystem, inf_class_of
from deployguard.treaty.findings import Status
from deployguard.treaty.readings import Readings

US_PARTIES = ("USA", "RUS")

# every kind that puts forces or arms somewhere on the map; "located" in geodata/clauses.json
LOCATED_KINDS = frozenset({"missile", "forces", "patrol", "nuclear", "base", "exercise"})

Result = tuple[Status, str, dict[str, Any], Any]


def other_us_party(by: str) -> str:
    return "RUS" if by == "USA" else "USA"


def not_bound(dep: Deployment, binds: str) -> Result:
    return (
        Status.NOT_APPLICABLE,
        f"{dep.by} is not bound: the clause binds {binds}",
        {"by": dep.by},
        None,
    )


def missile_class(weapon: WeaponSystem, range_km: float, readings: Readings) -> str | None:
    """The "intermediate/shorter-range" class of a ground-launched missile under the reading."""
    if not weapon.is_ground_launched:
        return None
    if readings.missile_classes == "inf":
        return inf_class_of(range_km)
    return "ground-launched up to 5,500 km" if range_km <= INF_INTERMEDIATE_MAX_KM else None


def km(value: float | None) -> str:
    """A distance for prose: '1,234.5 km' or 'unknown'."""
    return "unknown" if value is None else f"{value:,.1f} km"


def names(codes: list[str] | frozenset[str]) -> str:
    return ", ".join(sorted(codes)) or "none"


def split_reach(reach: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Evidence without the geometry, and the geometry."""
    ev = {k: v for k, v in reach.items() if k != "geometry"}
    return ev, reach.get("geometry")


def classify_missile(
    dep: Deployment, ctx: Any, *, launched: str, classes: str, unknown_suffix: str = ""
) -> tuple[Result | None, Any, dict[str, Any], str | None]:
    """Weapon, evidence and INF class of a ground-launched missile deployment (Art. 6, Art. 5).

    Returns ``(early, choice, evidence, missile_class)``; ``early`` is the finding when the
    clause stops here: not a ground-launched missile, an unknown range, or a range outside the
    classes. ``launched`` and ``classes`` keep each draft's own words ("land-based" and
    "short-range" in the NATO draft, "ground-launched" and "shorter-range" in the US draft).
    """
    choice = ctx.weapon(dep, ground_launched_only=True)
    w = choice.weapon
    ev: dict = choice.as_dict()
    if w is None or not w.is_ground_launched:
        return (Status.NOT_APPLICABLE, f"not a {launched} missile", ev, None), choice, ev, None
    if choice.range_km is None:
        reason = f"the {ctx.range_estimate} range of {w.name} is unknown{unknown_suffix}"
        return (Status.DEPENDS, reason, ev, None), choice, ev, None
    cls = missile_class(w, choice.range_km, ctx.readings)
    ev["missile_class"] = cls
    if cls is None:
        reason = (f"{w.name} at {km(choice.range_km)} ({ctx.range_estimate}) is outside the "
                  f"intermediate/{classes} classes (INF: 500-5,500 km)")
        return (Status.NOT_APPLICABLE, reason, ev, None), choice, ev, None
    return None, choice, ev, cls
