"""Maps of permitted zones and permitted waters (:mod:`deployguard.treaty.where`).

The party's territory split in two - where the system may stand (green) and where it would
reach the states the clauses protect (red) - with the protected states shaded and the line
at the system's range from them drawn dashed; for a bomber or a warship, the permitted
waters outside the party's own airspace and waters.  The footer says what the zone means
and under which date, readings, worldview and range estimate it was made.

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import shapely
>>> from deployguard.viz.permitted import zone_parts
>>> parts = zone_parts(shapely.box(0, 0, 2, 1), shapely.box(0, 0, 1, 1))
>>> round(parts["excluded"].area, 3), round(parts["line"].length, 3)
(1.0, 1.0)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.viz.basemap import (
    base_map,
    box_aspect,
    draw_geometry,
    figure_of,
    land_and_borders,
    outline,
)
from deployguard.viz.footer import add_scale_bar, wrap_lines
from deployguard.viz.mapview import map_view
from deployguard.viz.output import save_figure

if TYPE_CHECKING:
    from deployguard.geography.world import World
    from deployguard.treaty.where import PermittedZone

__all__ = ["plot_permitted_zone", "view_note", "zone_parts"]

PERMITTED, EXCLUDED, PROTECTED = "#2e9d5b", "#c0392b", "#7d8fa3"
_WATERS_CLASSES = {"heavy_bomber", "medium_bomber", "surface_warship"}


def zone_parts(area: BaseGeometry, permitted: BaseGeometry) -> dict[str, BaseGeometry]:
    """Split ``area`` (the party's territory, or the waters) into permitted and excluded
    parts, and the line between them (the permitted zone's edge inside ``area``).
    """
    excluded = shapely.difference(area, permitted)
    if permitted.is_empty or excluded.is_empty:
        return {"permitted": permitted, "excluded": excluded, "line": shapely.LineString()}
    # the edge between the two: where the permitted part's boundary touches the excluded part
    edge = shapely.boundary(permitted)
    line = shapely.intersection(edge, shapely.buffer(shapely.boundary(excluded), 1e-7))
    line = shapely.difference(line, shapely.buffer(shapely.boundary(area), 1e-7))
    return {"permitted": permitted, "excluded": excluded, "line": line}


def _main_parts(geom: BaseGeometry, share: float = 0.97) -> BaseGeometry:
    """The largest parts of ``geom`` that hold ``share`` of its area (in degrees squared,
    enough to leave out Guam when framing the USA).
    """
    parts = shapely.get_parts(geom)
    if len(parts) <= 1:
        return geom
    area = shapely.area(parts)
    order = np.argsort(-area)
    keep = order[: int(np.searchsorted(np.cumsum(area[order]), share * area.sum()) + 1)]
    return shapely.union_all(parts[keep])


def _is_empty(geom: BaseGeometry) -> bool:
    # slivers left by cutting the zone to the view are not "something permitted in view"
    return bool(geom.is_empty or shapely.area(geom) < 1e-8)


def view_note(zone: PermittedZone, parts: dict[str, BaseGeometry], what: str, km: str
              ) -> str | None:
    """Why nothing, or everything, in view is permitted (None when the view shows both).

    ``parts`` are the permitted and excluded parts of the party's ``what`` in view
    (:func:`zone_parts`), ``km`` the range as the legend gives it.
    """
    permitted, excluded = parts["permitted"], parts["excluded"]
    if _is_empty(permitted) and _is_empty(excluded):
        home = "its national territory" if zone.kind == "zone" else what
        why = (f" (US-6 forbids deploying {zone.system} outside it)"
               if zone.kind == "zone" and "US-6" in zone.clauses else "")
        return (f"Nothing is permitted in view: the zone lies only in {zone.party}'s "
                f"{home.removeprefix('its ')}{why}, and none of it is in view. The whole zone: "
                f"{zone.area_km2:,.0f} km².")
    if _is_empty(permitted):
        return (f"Nothing is permitted in view: all of {zone.party}'s {what} in view lies within "
                f"{km} of the protected states.")
    if _is_empty(excluded):
        if not zone.restricted:
            return f"All of {zone.party}'s {what} in view is permitted: {zone.note}."
        return (f"All of {zone.party}'s {what} in view is permitted: none of it is within {km} "
                f"of the protected states.")
    return None


def _is_warship(zone: PermittedZone, world: World) -> bool:
    """Whether the waters are a warship's (no land) rather than a bomber's airspace."""
    from deployguard.data.catalogue import Catalogue
    from deployguard.errors import UnknownNameError

    try:
        return Catalogue.load().get(zone.system).system_class == "surface_warship"
    except UnknownNameError:  # a user's platform: a ship's waters hold no land
        land = land_and_borders(world)[0]
        return bool(shapely.area(shapely.intersection(zone.geometry, land)) < 1e-6)


def _compute(party: Any, system: Any, kwargs: dict[str, Any]) -> PermittedZone:
    from deployguard.data.catalogue import Catalogue
    from deployguard.treaty.where import permitted_waters, permitted_zone

    sys_ = Catalogue.load().get(system)
    fn = permitted_waters if sys_.system_class in _WATERS_CLASSES else permitted_zone
    return fn(party, sys_, **kwargs)


def plot_permitted_zone(
    party: Any = None,
    system: Any = None,
    *,
    on: Any = None,
    zone: PermittedZone | None = None,
    range_estimate: str = "nominal",
    worldview: str = "de_facto",
    readings: Any = None,
    resolution: str = "50m",
    world: World | None = None,
    ax: Axes | None = None,
    projection: Any = "auto",
    extent: Any = None,
    path: str | os.PathLike[str] | None = None,
    dpi: float = 150.0,
    title: str | None = None,
) -> Axes:
    """Map where ``party`` may deploy ``system`` under the drafts (permitted zone or waters).

    Parameters
    ----------
    party, system : str
        As for :func:`deployguard.permitted_zone` (missiles, ground launchers) or
        :func:`deployguard.permitted_waters` (heavy bombers, surface warships), chosen by the
        system's class; ignored when ``zone`` is given.
    on : date
        The date whose membership applies (required unless ``zone`` is given).
    zone : PermittedZone, optional
        A zone already computed (computing one can take minutes for a large party).
    range_estimate, worldview, readings, resolution
        Passed to the zone's computation.
    world : World, optional
        Borders drawn (default: the zone's worldview and resolution).
    ax, projection, extent, path, dpi, title
        As for the other maps (``extent``: a box in shapely's order (lon_min, lat_min,
        lon_max, lat_max) or a geometry); the view frames the party's main territory by
        default.

    Returns
    -------
    matplotlib Axes
    """
    from deployguard.geography.world import World

    if zone is None:
        if party is None or system is None or on is None:
            raise InvalidInputError("plot_permitted_zone needs party, system and on= (or zone=)")
        zone = _compute(party, system, {"on": on, "range_estimate": range_estimate,
                                        "worldview": worldview, "readings": readings,
                                        "resolution": resolution, "progress": False})
    world = World.load(zone.resolution, zone.worldview) if world is None else world
    waters = zone.kind == "waters"
    sea = True if waters else bool(zone.readings.territorial_sea)
    own = world.territory(zone.party, sea=sea)
    protected = shapely.union_all([world.territory(c) for c in zone.protected_states])
    main = _main_parts(own)
    # frame the party, and the protected states near it (their reach is what the map shows)
    near = shapely.intersection(protected, shapely.buffer(shapely.envelope(main), 10.0))
    view = map_view([main, near] if not near.is_empty else [main], projection=projection,
                    extent=extent, margin=0.05)
    seen = view.cap  # only what the map shows is split (the world's coasts are costly)
    permitted = shapely.intersection(zone.geometry, seen)
    if waters:
        domain = shapely.difference(seen, own)
        if _is_warship(zone, world):  # a ship stays at sea
            domain = shapely.difference(domain, land_and_borders(world)[0])
        parts = zone_parts(domain, permitted)
    else:
        parts = zone_parts(shapely.intersection(own, seen), permitted)
    if ax is None:
        import matplotlib.pyplot as plt

        width = 8.0
        map_h = (width - 0.4) / view.aspect
        foot_h = 0.75
        fig = plt.figure(figsize=(width, map_h + foot_h + 0.45))
        fh = fig.get_size_inches()[1]
        ax = fig.add_axes((0.2 / width, foot_h / fh, (width - 0.4) / width, map_h / fh))
    else:
        view = view.fit_aspect(box_aspect(ax))
    base_map(ax, view, world)
    draw_geometry(ax, view, protected, facecolor=PROTECTED, edgecolor="none", alpha=0.35,
                  zorder=1.2, gid="protected")
    draw_geometry(ax, view, parts["excluded"], facecolor=EXCLUDED, edgecolor="none",
                  alpha=0.18 if waters else 0.45, zorder=1.5, gid="excluded")
    draw_geometry(ax, view, parts["permitted"], facecolor=PERMITTED, edgecolor="none",
                  alpha=0.30 if waters else 0.55, zorder=1.6, gid="permitted")
    if waters:
        draw_geometry(ax, view, own, facecolor="none", edgecolor="#333333", linewidth=0.6,
                      hatch="....", zorder=1.7, gid="own")
    draw_geometry(ax, view, parts["line"], edgecolor="#7a1410", linewidth=1.3,
                  linestyle=(0, (4, 2)), zorder=3.5, gid="reach-line")
    draw_geometry(ax, view, outline(own), edgecolor="#333333", linewidth=0.5, zorder=3,
                  gid="party")
    add_scale_bar(ax, view)
    km = f"{zone.range_km:,.0f} km" + (f" (minimum {zone.min_range_km:,.0f} km)"
                                       if zone.min_range_km else "")
    what = "waters outside its own airspace and waters" if waters else "national territory"
    protected_list = ", ".join(zone.protected_states)
    excluded_label = (f"{what} within {km} of {protected_list}" if len(zone.protected_states) <= 3
                      else f"{what} within {km} of the {len(zone.protected_states)} protected "
                      "states")
    handles = [
        Patch(facecolor=PERMITTED, alpha=0.30 if waters else 0.55,
              label=f"permitted: {zone.area_km2:,.0f} km² (the whole zone)"),
        Patch(facecolor=EXCLUDED, alpha=0.18 if waters else 0.45, label=excluded_label),
        Patch(facecolor=PROTECTED, alpha=0.35, label="protected: " + (
            protected_list if len(zone.protected_states) <= 6
            else f"{len(zone.protected_states)} states (footer)")),
    ]
    if waters:
        handles.append(Patch(facecolor="none", edgecolor="#333333", hatch="....",
                             label=f"{zone.party}'s own airspace and territorial waters"))
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    note = view_note(zone, parts, what, km)
    if note is not None:
        w_in = ax.get_position().width * figure_of(ax).get_size_inches()[0]
        ax.text(0.015, 0.985, "\n".join(wrap_lines([note], 0.6 * w_in, 7.5, indent="")),
                transform=ax.transAxes, fontsize=7.5, va="top", ha="left", zorder=8,
                gid="view-note", bbox={"boxstyle": "round,pad=0.4", "facecolor": "white",
                                       "alpha": 0.92, "edgecolor": "#7a1410", "linewidth": 0.8})
    foot = [
        f"{zone.note[0].upper() + zone.note[1:]}. Clauses {', '.join(zone.clauses)} on "
        f"{zone.date}; {zone.weapon} at the {zone.range_estimate} estimate; worldview "
        f"{zone.worldview}; territorial sea {'counted' if sea else 'not counted'} as "
        f"territory. Edges within {zone.tolerance_km:g} km of the exact geodesic distance. "
        f"Decisions for one site: deployguard.check.",
        f"Projection: {view.description}. Borders: Natural Earth ({zone.resolution}). "
        "Distances: WGS84 geodesics.",
    ]
    w_in = ax.get_position().width * figure_of(ax).get_size_inches()[0]
    ax.text(0.0, -0.01, "\n".join(wrap_lines(foot, w_in, 6.3)), transform=ax.transAxes,
            fontsize=6.3, va="top", gid="footer")
    ax.set_title(title or f"Where {zone.party} may deploy {zone.system} ({zone.date})",
                 loc="left", fontsize=10, weight="bold")
    if path is not None:
        save_figure(figure_of(ax), path, dpi)
    return ax
