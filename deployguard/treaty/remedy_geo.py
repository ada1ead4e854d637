"""The geographic remedies of :mod:`deployguard.treaty.remedies`: where to move, and the check.

:func:`geographic_remedy` finds the nearest permitted position for a missile (US Art. 6, NATO
Art. 5), a bomber or warship (US Art. 5 para 2), or forces and nuclear weapons that must go home
(US Art. 5 para 1 and 7); :func:`verify` steps each target inward from the zone's boundary until
:func:`deployguard.check` of the moved deployment finds the clause compliant, and checks every
reduction. Only the public functions (``permitted_zone``, ``permitted_waters``, ``check``)
decide, so the remedies follow the clause engine wherever it goes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry.base import BaseGeometry

from deployguard.data.deployments import Deployment
from deployguard.geodesy.ellipsoid import GEOD
from deployguard.treaty.checker import check
from deployguard.treaty.findings import Finding, Status

if TYPE_CHECKING:
    from deployguard.treaty.remedies import _Run

__all__ = ["geographic_remedy", "moved", "reduced", "step_inward", "verify"]

_MISSILE = ("US-6", "NATO-5")
#: inward steps from the zone's boundary (km), tried in turn until check() agrees
_STEPS_KM = (0.1, 0.5, 2.0, 8.0, 25.0)


def _km(x: float) -> str:
    return f"{x:,.1f} km"


def geographic_remedy(f: Finding, run: _Run) -> dict[str, Any]:
    """The row fields of a missile, patrol or go-home remedy (``_target`` is left for
    :func:`verify`).
    """
    if f.lon is None or f.lat is None:
        return {"action": "none", "reason": "the deployment has no position to move"}
    site = (float(f.lon), float(f.lat))
    if f.clause_id in _MISSILE:
        return _missile(f, run, site)
    if f.clause_id == "US-5.2":
        return _patrol(f, run, site)
    return _home(f, run, site)


def _estimate(f: Finding, run: _Run) -> tuple[str, str]:
    if f.status is Status.VIOLATION:
        return run.estimate, ""
    return "high", f"assumed: the high range estimate ({f.reason})"


def _missile(f: Finding, run: _Run, site: tuple[float, float]) -> dict[str, Any]:
    d = f.deployment
    estimate, assumption = _estimate(f, run)
    clauses = run.missile_clauses.get(f.label) or (f.clause_id,)
    zone = run.zone(d, estimate, clauses)
    key = ("zone-land", id(zone))
    if key not in run.shapes:
        run.shapes[key] = shapely.intersection(zone.geometry, run.land(d.by))
    geom = run.shapes[key]
    row: dict[str, Any] = {"assumption": assumption, "zone": zone.note,
                           "zone_area_km2": run.area(zone), "tolerance_km": zone.tolerance_km}
    home = f.evidence.get("host") == d.by
    if geom.is_empty:
        row.update(action="withdraw", reason=(
            f"no part of {d.by}'s territory is beyond reach ({zone.note}, under "
            f"{', '.join(clauses)}): {zone.weapon} has no permitted position at all"))
        return row
    tlon, tlat, km = run.nearest(key, geom, *site)
    row.update(action="relocate" if home else "withdraw", _target=(geom, site, (tlon, tlat)))
    row["reason"] = (
        f"move {_km(km)} to the nearest point of {d.by}'s permitted zone on land ({zone.note}; "
        f"{', '.join(clauses)})" if home else
        f"no position outside {d.by}'s territory complies: back {_km(km)} to the nearest point "
        f"of its permitted zone at home ({zone.note}; {', '.join(clauses)})")
    return row


def _patrol(f: Finding, run: _Run, site: tuple[float, float]) -> dict[str, Any]:
    d = f.deployment
    assert d.system is not None
    estimate, assumption = _estimate(f, run)
    waters = run.waters(d, estimate)
    home = run.national(d.by)
    if d.system.system_class == "surface_warship":
        home = shapely.difference(home, run.land(d.by))  # a warship stays on water
    options = [(("waters", id(waters)), waters.geometry, "the nearest permitted "
                + ("waters" if d.system.system_class == "surface_warship" else "airspace")),
               (("home", d.by, d.system.system_class), home,
                f"{d.by}'s own national airspace or waters")]
    best: tuple[float, Any, BaseGeometry, str, tuple[float, float]] | None = None
    for key, geom, words in options:
        if geom.is_empty:
            continue
        tlon, tlat, km = run.nearest(key, geom, *site)
        if best is None or km < best[0]:
            best = (km, key, geom, words, (tlon, tlat))
    row: dict[str, Any] = {"assumption": assumption, "zone": waters.note,
                           "zone_area_km2": run.area(waters), "tolerance_km": waters.tolerance_km}
    if best is None:
        row.update(action="withdraw", reason="no permitted waters or airspace exist")
        return row
    km, _, geom, words, target = best
    row.update(action="relocate", _target=(geom, site, target),
               reason=f"move {_km(km)} to {words} ({waters.note})")
    return row


def _home(f: Finding, run: _Run, site: tuple[float, float]) -> dict[str, Any]:
    d = f.deployment
    geom = run.land(d.by)
    tlon, tlat, km = run.nearest(("land", d.by), geom, *site)
    what = {"US-5.1": "the deployment is perceived as a threat by the other Party",
            "US-7.1": "the weapons are deployed", "US-7.2": "the site serves nuclear weapons"}
    assumption = "" if f.status is Status.VIOLATION else (
        f"assumed: {what[f.clause_id]} ({f.reason})")
    return {"assumption": assumption, "action": "withdraw", "_target": (geom, site, (tlon, tlat)),
            "zone": f"{d.by}'s national territory (land)",
            "reason": (f"no position outside {d.by}'s national territory complies: back "
                       f"{_km(km)} to the nearest point of its territory")}


def _with(d: Deployment, **changes: Any) -> Deployment:
    """A copy of ``d`` with ``changes`` (validated again, so a bad change is an error)."""
    fields: dict[str, Any] = {"by": d.by, "at": d.at, "date": d.date, "system": d.system,
              "personnel": d.personnel, "category": d.category, "kind": d.kind,
              "arrangement": d.arrangement, "consent": d.consent, "host": d.host,
              "weapon": d.weapon, "label": d.label, "why": d.why, "notes": d.notes,
              "id": d.id, "trainees": d.trainees}
    fields.update(changes)
    return Deployment(**fields)


def moved(d: Deployment, lon: float, lat: float) -> Deployment:
    """``d`` at ``(lon, lat)``, its host left to geography (and no ``id``: one check may hold
    several moves of one deployment, to the targets of different clauses).
    """
    return _with(d, at=(lon, lat), host=None, id=None)


def reduced(d: Deployment, personnel: int) -> Deployment:
    """``d`` with ``personnel`` (and no ``id``, as :func:`moved`)."""
    return _with(d, personnel=personnel, id=None)


def step_inward(geom: BaseGeometry, site: tuple[float, float], point: tuple[float, float],
                step_km: float) -> tuple[float, float] | None:
    """A point ``step_km`` beyond ``point`` on the geodesic from ``site``, if ``geom`` covers it.

    Beyond the nearest boundary point the geodesic from the site enters the area (the
    boundary's normal); where it does not (a corner, a sliver), points around ``point`` at
    ``step_km`` are tried, turning away from straight ahead by 30 degrees at a time. None when
    no such point is in ``geom``.
    """
    az12, az21, _ = GEOD.inv(site[0], site[1], point[0], point[1])
    ahead = (float(az21) + 180.0) % 360.0
    tries = [ahead] + [ahead + s * a for a in (30.0, 60.0, 90.0, 120.0, 150.0) for s in (1, -1)]
    tries.append(ahead + 180.0)  # a site already inside the polygon (a traced edge)
    for az in tries:
        lon, lat, _ = GEOD.fwd(point[0], point[1], az, step_km * 1000.0)
        lon = float((lon + 180.0) % 360.0 - 180.0)
        if bool(shapely.intersects_xy(geom, lon, float(lat))):
            return lon, float(lat)
    return None


def _checked(deps: list[Any], run: _Run, estimate: str) -> list[dict[str, Status]]:
    report = check(deps, drafts=run.drafts, worldview=run.worldview, range_estimate=estimate,
                   on=run.on, readings=run.readings, resolution=run.resolution, progress=False)
    return [{g.clause_id: g.status for g in report.for_deployment(i)} for i in range(len(deps))]


def verify(rows: list[dict[str, Any]], run: _Run) -> None:
    """Fill ``to_lon``, ``to_lat``, ``move_km``, ``step_km`` and ``verified`` in place.

    The findings of one deployment that share a target (US Art. 6 and NATO Art. 5 of one
    missile) move together: the target is stepped inward by :data:`_STEPS_KM` in turn until
    ``check()`` of the moved deployment finds every one of those clauses compliant. A reduction
    is verified when ``check()`` of the reduced deployment finds no violation of NATO Art. 4
    (for a ``depends``, brought to the estimate's low end: compliant).
    """
    groups: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if "_target" in r:
            groups[(r["deployment"], id(r["_target"][0]))].append(r)
    todo = list(groups.values())
    for step in _STEPS_KM:
        batch: dict[str, list[tuple[list[dict[str, Any]], Deployment]]] = defaultdict(list)
        for group in todo:
            geom, site, point = group[0]["_target"]
            at = step_inward(geom, site, point, step)
            if at is None:
                continue
            km = float(GEOD.inv(site[0], site[1], at[0], at[1])[2]) / 1000.0
            for r in group:
                r.update(to_lon=at[0], to_lat=at[1], step_km=step, move_km=km)
            high = any(r["assumption"] and r["clause"] in _MISSILE for r in group)
            batch["high" if high else run.estimate].append(
                (group, moved(group[0]["_finding"].deployment, *at)))
        for estimate, pairs in batch.items():
            statuses = _checked([p[1] for p in pairs], run, estimate)
            for (group, _), st in zip(pairs, statuses, strict=True):
                ok = all(st.get(r["clause"]) is Status.COMPLIANT for r in group)
                for r in group:
                    r["verified"] = ok
        todo = [g for g in todo if not g[0].get("verified")]
        if not todo:
            break
    cuts = [r for r in rows if r.get("withdraw_personnel") is not None]
    if cuts:
        deps = [reduced(r["_finding"].deployment,
                        int(r["personnel"]) - int(r["withdraw_personnel"])) for r in cuts]
        for r, st in zip(cuts, _checked(deps, run, run.estimate), strict=True):
            # a violation comes down to the top of the 1997 estimate (no longer a violation);
            # a 'depends' to its low end (compliant whatever the level was)
            r["verified"] = (st.get("NATO-4") is not Status.VIOLATION
                             if r["status"] == "violation"
                             else st.get("NATO-4") is Status.COMPLIANT)
    for r in rows:
        r.pop("_target", None)
        r.pop("_finding", None)
