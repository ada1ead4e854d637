"""``deployguard reach`` and ``deployguard zone``: which states a weapon reaches from a place,
and the zone from which a target lies within a range.

Decisions are exact WGS84 geodesic distances (:func:`deployguard.within_range`,
:func:`deployguard.distance_km`); a range ring only pre-selects the states worth measuring, and
is drawn larger than the range by more than its tolerance, so no state is missed. Territory is
land plus the 12-nmi territorial sea, as :func:`deployguard.check` reads it by default
(``--land-only`` for land alone).
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deployguard.cli._base import (
    EXIT_OK,
    Command,
    Console,
    add_common,
    add_dpi,
    add_world,
    parse_lonlat,
)
from deployguard.cli._output import (
    MAP_SUFFIXES,
    Outputs,
    csv_text,
    jsonable,
    table_text,
    write_bytes,
    write_text,
)
from deployguard.errors import DataError, InvalidInputError

if TYPE_CHECKING:
    from deployguard.data.systems import WeaponSystem
    from deployguard.geography.world import World

__all__ = ["REACH", "ZONE", "ZONE_SUFFIXES", "write_geometry"]

_SEA_KM = 22.224  # 12 nautical miles: how far a territorial sea extends beyond the land
ZONE_SUFFIXES = (".geojson", ".json", ".parquet", ".geoparquet")


def _where(text: str) -> tuple[float, float, str]:
    """``LON,LAT`` or a base name as (lon, lat, label)."""
    from deployguard._validate import as_lonlat_arrays
    from deployguard.data.bases import Bases

    pair = parse_lonlat(text)
    if pair is not None:
        as_lonlat_arrays(*pair)
        if not -180.0 <= pair[0] <= 180.0:
            raise InvalidInputError(f"--at longitude must be in [-180, 180], got {pair[0]:g}")
        return pair[0], pair[1], f"({pair[0]:g}, {pair[1]:g})"
    base = Bases.load().get(text)
    return base.lon, base.lat, base.name


def _territory(world: World, code: str, sea: bool) -> Any:
    try:
        return world.territory(code, sea=sea)
    except DataError as exc:
        raise DataError(f"{exc}; run with --land-only to measure to land alone") from exc


def _weapon(system: WeaponSystem, name: str | None, estimate: str) -> tuple[WeaponSystem, str]:
    from deployguard.data.catalogue import Catalogue

    if name is not None:
        weapon = Catalogue.load().get(name)
        if system.is_platform and weapon.name not in {w.name for w in system.weapons}:
            carried = ", ".join(w.name for w in system.weapons) or "none"
            raise InvalidInputError(f"--weapon {weapon.name!r} is not carried by "
                                    f"{system.name}; it carries: {carried}")
        return weapon, f"--weapon {weapon.name}"
    if system.is_missile:
        return system, "the missile itself"
    options = [w for w in system.weapons if w.is_missile]
    known = [w for w in options if w.range_for(estimate) is not None]
    if not known:
        raise InvalidInputError(f"{system.name} carries no missile with a {estimate} range; "
                                f"nothing to measure (carried: "
                                f"{', '.join(w.name for w in options) or 'none'})")
    best = max(known, key=lambda w: w.range_for(estimate) or 0.0)
    note = (f"the loadout {best.name}" if len(options) == 1 else
            f"the longest-ranged of {', '.join(w.name for w in options)} at the {estimate} "
            f"estimate (--weapon to choose)")
    return best, note


def _parties(by: str, day: Any) -> dict[str, str]:
    """The other Party of each draft for a deploying state, as code -> words."""
    from deployguard.geography.groups import nato

    members = nato.members(on=day)
    if by == "RUS":
        out = {c: "other Party (NATO draft)" for c in members}
        out["USA"] = "other Party (US and NATO drafts)"
        return out
    if by == "USA" or by in members:
        return {"RUS": "other Party (US and NATO drafts)" if by == "USA"
                else "other Party (NATO draft)"}
    return {}


# ------------------------------------------------------------------------------ reach
def _reach_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("system", metavar="SYSTEM", help="a weapon system or platform, e.g. Iskander-M")
    p.add_argument("--at", required=True, metavar="LON,LAT|BASE",
                   help="where it stands: degrees (e.g. -173.23,64.42) or a base name")
    p.add_argument("--by", metavar="STATE", help="the deploying state (default: the operator)")
    p.add_argument("--on", metavar="DATE",
                   help="whose territory is a Party's on this date (NATO membership; "
                        "default: today)")
    p.add_argument("--range-estimate", choices=("low", "nominal", "high"), default="nominal",
                   help="published range used (default: nominal)")
    p.add_argument("--weapon", metavar="NAME", help="the carried weapon of a platform")
    p.add_argument("--land-only", action="store_true",
                   help="measure to land; default: land and 12-nmi territorial sea")
    p.add_argument("--map", metavar="FILE", type=Path,
                   help=f"draw the range and the states reached ({', '.join(MAP_SUFFIXES)})")
    add_dpi(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add_world(p)
    add_common(p)


def _reach_run(args: argparse.Namespace, console: Console) -> int:
    outputs = Outputs()
    if args.map is not None:
        outputs.file(args.map, "--map", MAP_SUFFIXES)
    outputs.check()
    import datetime as dt

    import shapely

    from deployguard._validate import as_date
    from deployguard.data.catalogue import Catalogue
    from deployguard.geography.ranges import distance_km, range_ring, within_range
    from deployguard.geography.world import World

    day = dt.date.today() if args.on is None else as_date(args.on, "--on")
    system = Catalogue.load().get(args.system)
    weapon, how = _weapon(system, args.weapon, args.range_estimate)
    range_km = weapon.range_for(args.range_estimate)
    if range_km is None:
        raise InvalidInputError(f"{weapon.name} has no published {args.range_estimate} range; "
                                "try another --range-estimate")
    min_km = weapon.min_range_km or 0.0
    lon, lat, place = _where(args.at)
    world = World.load(args.resolution, args.worldview)
    by = system.operator if args.by is None else world.lookup(args.by)
    sea = not args.land_only
    # pre-selection: a ring wider than the range by more than its 1 km tolerance (and the sea)
    pad = 2.0 + (_SEA_KM if sea else 0.0)
    ring = range_ring(lon, lat, min(range_km + pad, 20_000.0), tolerance_km=1.0)
    states = world.states
    hit = shapely.intersects(states.geometry.values, ring)
    candidates = sorted(set(states.loc[hit, "sovereign_a3"]))
    host = str(world.state_at(lon, lat, sea=sea)[()])
    parties = _parties(by, day)
    rows = []
    for code in candidates:
        terr = _territory(world, code, sea)
        if terr.is_empty:
            continue
        if not bool(within_range(lon, lat, terr, range_km, min_km)):
            continue
        d = float(distance_km(lon, lat, terr))
        rows.append({"state": code, "name": world.name(code), "distance_km": round(d, 3),
                     "margin_km": round(range_km - d, 3),
                     "host": code == host, "party": parties.get(code, "")})
    rows.sort(key=lambda r: (r["distance_km"], r["state"]))
    info = {"system": system.name, "weapon": weapon.name, "weapon_choice": how,
            "range_km": range_km, "min_range_km": weapon.min_range_km,
            "range_estimate": args.range_estimate, "range_source": list(weapon.source),
            "inf_class": weapon.inf_class_for(args.range_estimate),
            "at": place, "lon": lon, "lat": lat, "host": host or None, "by": by,
            "on": day.isoformat(), "worldview": world.worldview, "resolution": world.resolution,
            "territorial_sea": sea}
    if args.format == "json":
        console.print(json.dumps(jsonable({**info, "states_reached": rows}), indent=2,
                                 ensure_ascii=False))
    elif args.format == "csv":
        console.print(csv_text(rows, ["state", "name", "distance_km", "margin_km", "host",
                                      "party"]))
    else:
        console.print(_reach_text(info, rows))
    if args.map is not None:
        write_bytes(args.map, _reach_map(info, rows, world, args.map.suffix.lower(), args.dpi))
        console.note(f"map written to {args.map}")
    return EXIT_OK


def _reach_text(info: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    import textwrap

    cls = f", {info['inf_class']} under the INF Treaty" if info["inf_class"] else ""
    head = (f"{info['weapon']} ({info['weapon_choice']}): {info['range_km']:,.0f} km at the "
            f"{info['range_estimate']} estimate{cls}, from {info['at']} "
            f"(host {info['host'] or 'none: at sea or no state'}), deployed by {info['by']}")
    lines = textwrap.wrap(head, 100)
    what = "land and 12-nmi territorial sea" if info["territorial_sea"] else "land only"
    lines += textwrap.wrap(f"territory: {what}; worldview {info['worldview']}, borders 1:"
                           f"{info['resolution']}; Parties on {info['on']}; WGS84 geodesic "
                           "distances", 100)
    lines.append("")
    if not rows:
        lines.append("reaches no state's territory")
    else:
        table = [{**r, "host": "host" if r["host"] else ""} for r in rows]
        lines.append(f"reaches {len(rows)} state{'s' if len(rows) != 1 else ''} "
                     "(margin = range - distance to the nearest point of the territory):")
        lines.append(table_text(table, ["state", "name", "distance_km", "margin_km", "host",
                                        "party"]))
    parties = [r["state"] for r in rows if r["party"]]
    if parties:
        lines += ["", f"within reach of the other Party: {', '.join(parties)}; "
                  "run 'deployguard check' for the clauses' verdicts"]
    if info["range_source"]:
        lines += ["", "range sources:"]
        lines += [f"  {s}" for s in info["range_source"]]
    return "\n".join(lines)


def _reach_map(info: dict[str, Any], rows: list[dict[str, Any]], world: World,
               suffix: str, dpi: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from deployguard.viz.output import figure_bytes
    from deployguard.viz.plotting import plot_range_overlap

    # the other Party's states reached (else the nearest few): a legend of 45 states says nothing
    parties = [r["state"] for r in rows if r["party"]]
    states = parties or [r["state"] for r in rows if not r["host"]][:8]
    states = states or ([info["host"]] if info["host"] else [])
    ring = {f"{info['weapon']} ({info['range_estimate']})": info["range_km"]}
    whose = "the other Party's" if parties else "the nearest states'"
    floor = (f"; minimum range {info['min_range_km']:,.0f} km not drawn"
             if info["min_range_km"] else "")
    title = (f"{info['weapon']} ({info['range_km']:,.0f} km, {info['range_estimate']}) "
             f"from {info['at']}\nshaded: {whose} land within range{floor}")
    ax = plot_range_overlap((info["lon"], info["lat"]), ring, states, world, label=info["at"],
                            title=title)
    fig = ax.get_figure(root=True)
    assert fig is not None
    try:
        return figure_bytes(fig, suffix, dpi)
    finally:
        plt.close(fig)


REACH = Command(
    name="reach",
    summary="which states a weapon reaches from a place, with the margin for each",
    description="Which states' territory a weapon system reaches from a place, how far each "
                "is and by how much the range exceeds that distance (the margin), and which of "
                "them are the other Party of the drafts.",
    examples=("deployguard reach Iskander-M --at Kaliningrad",
              "deployguard reach Iskander-M --at -173.23,64.42 --range-estimate high",
              "deployguard reach 'Tomahawk (Typhon)' --at Wiesbaden --map typhon.png",
              "deployguard reach Tu-95MS --weapon Kh-101 --at 5,66 --by RUS --format json"),
    configure=_reach_configure,
    run=_reach_run,
)


# ------------------------------------------------------------------------------ zone
def _zone_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="TARGET",
                   help="a state (name or alpha-3 code), a base name or LON,LAT")
    p.add_argument("--range", dest="range_km", required=True, type=float, metavar="KM",
                   help="the range in km")
    p.add_argument("-o", "--output", metavar="FILE", type=Path,
                   help="write the zone to FILE: .geojson/.json (GeoJSON) or "
                        ".parquet/.geoparquet (GeoParquet); default: GeoJSON on stdout")
    p.add_argument("--land-only", action="store_true",
                   help="a state's land only; default: land and 12-nmi territorial sea")
    add_world(p)
    add_common(p)


def _zone_run(args: argparse.Namespace, console: Console) -> int:
    from deployguard import __version__
    from deployguard._validate import as_nonnegative_km

    outputs = Outputs()
    if args.output is not None:
        outputs.file(args.output, "--output", ZONE_SUFFIXES)
    outputs.check()
    range_km = as_nonnegative_km(args.range_km, "--range")
    if range_km == 0:
        raise InvalidInputError("--range must be > 0 km")

    from deployguard.geography.ranges import range_ring, reach_zone
    from deployguard.geography.world import World

    world = World.load(args.resolution, args.worldview)
    sea = not args.land_only
    site = None
    zone: Any
    pair = parse_lonlat(args.target)
    if pair is not None or _is_base(args.target):
        site = _where(args.target)
        zone = range_ring(site[0], site[1], range_km)
        target, name, what = site[2], site[2], "a site"
    else:
        target = world.lookup(args.target)
        name = world.name(target)
        zone = reach_zone(_territory(world, target, sea), range_km)
        what = "land and 12-nmi territorial sea" if sea else "land"
    props = {"target": target, "target_name": name, "range_km": range_km,
             "meaning": f"the points from which {name} lies within {range_km:g} km "
                        "(WGS84 geodesic distance)",
             "target_is": what, "worldview": world.worldview, "resolution": world.resolution,
             "edges": "straight in lon/lat (RFC 7946); split at 180 degrees",
             "generated_by": f"deployguard {__version__}"}
    if site is not None:
        props["worldview"] = props["resolution"] = None
    write_geometry(args.output, zone, props, console)
    return EXIT_OK


def write_geometry(out: Path | None, geometry: Any, properties: dict[str, Any],
                   console: Console) -> None:
    """One geometry with its properties: GeoParquet or GeoJSON by suffix, or GeoJSON on stdout.

    ``out`` must have been checked with :meth:`Outputs.file` (suffixes :data:`ZONE_SUFFIXES`).
    """
    import shapely

    if out is not None and out.suffix.lower() in (".parquet", ".geoparquet"):
        import geopandas as gpd

        frame = gpd.GeoDataFrame([properties], geometry=[geometry], crs="EPSG:4326")
        buf = io.BytesIO()
        frame.to_parquet(buf)
        write_bytes(out, buf.getvalue())
    else:
        doc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": shapely.geometry.mapping(geometry),
             "properties": properties}]}
        text = json.dumps(jsonable(doc), ensure_ascii=False)
        if out is None:
            console.print(text)
            return
        write_text(out, text)
    parts = len(shapely.get_parts(geometry))
    console.note(f"written to {out} ({geometry.geom_type}, {parts} part(s))")


def _is_base(text: str) -> bool:
    from deployguard.data.bases import Bases

    return text in Bases.load()


ZONE = Command(
    name="zone",
    summary="the zone from which a target lies within a range, as GeoJSON or GeoParquet",
    description="The reach zone of TARGET: every point from which the target's territory (or "
                "the site) lies within KM, traced on WGS84 geodesics.",
    examples=("deployguard zone Poland --range 500 -o poland_500km.geojson",
              "deployguard zone USA --range 5500 -o usa_inf.parquet --land-only",
              "deployguard zone Kaliningrad --range 500 > ring.geojson"),
    configure=_zone_configure,
    run=_zone_run,
)
