"""Maps of territories, range rings, reach zones and reports (matplotlib only).

Geometries are EPSG:4326 as the rest of deployguard makes them; each one is
projected by :func:`deployguard.viz.mapview.project_geometry` (clipped to the visible
cap, densified, projected, healed along the antimeridian and at the poles) into
the :class:`~deployguard.viz.mapview.MapView` chosen by
:func:`~deployguard.viz.mapview.map_view`, then clipped to the view and drawn.
Those three names are re-exported here.

Nothing here imports :mod:`matplotlib.pyplot` until a figure has to be created,
and nothing selects a backend: call ``matplotlib.use("Agg")`` yourself in scripts.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import deployguard as dg
>>> from deployguard.viz.plotting import plot_map
>>> world = dg.World.load()
>>> ax = plot_map(territories={"Russia": world.territory("RUS")},
...               sites={"Kaliningrad": (20.51, 54.71)}, world=world)
>>> ax.get_aspect()
1.0
"""

from __future__ import annotations

import textwrap
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pyproj
import shapely
import shapely.geometry
from matplotlib.collections import LineCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from deployguard.errors import InvalidInputError
from deployguard.viz.mapview import _MAX_CAP_KM, MapView, map_view, project_geometry
from deployguard.viz.mapview import PROJECTIONS as PROJECTIONS  # re-exported, as before the split

__all__ = [
    "MapView",
    "map_view",
    "project_geometry",
    "plot_map",
    "plot_zone",
    "plot_range_overlap",
    "plot_report",
    "STATUS_COLORS",
]

STATUS_COLORS = {
    "violation": "#c0392b",
    "depends": "#e67e22",
    "compliant": "#27ae60",
    "not applicable": "#7f8c8d",
    "not_applicable": "#7f8c8d",
}
_STATUS_ORDER = ("violation", "depends", "compliant", "not applicable", "not_applicable")
_PALETTE = ("#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#ff7f0e")
_LAND: dict[int, tuple[Any, shapely.Geometry, shapely.Geometry]] = {}
_VIEWS: weakref.WeakKeyDictionary[Any, MapView] = weakref.WeakKeyDictionary()


def _as_geometry(value: Any, world: Any, field: str) -> shapely.Geometry:
    if isinstance(value, shapely.Geometry):
        return value
    if hasattr(value, "geometry") and isinstance(value.geometry, shapely.Geometry):
        return value.geometry
    if isinstance(value, str):
        if world is None:
            from deployguard.geography.world import World

            world = World.load()
        return world.territory(value)
    if isinstance(value, tuple | list) and len(value) == 2:
        try:
            return shapely.Point(float(value[0]), float(value[1]))
        except (TypeError, ValueError):
            pass
    raise InvalidInputError(
        f"{field} items must be shapely geometries, territories, state codes or (lon, lat), "
        f"got {value!r:.80}"
    )


def _items(values: Any, world: Any, field: str) -> list[tuple[str, shapely.Geometry]]:
    """Normalise a mapping or sequence of layers to (label, geometry) pairs."""
    if values is None:
        return []
    if isinstance(values, Mapping):
        pairs = list(values.items())
    elif isinstance(values, shapely.Geometry | str) or (
        isinstance(values, tuple) and len(values) == 2 and not isinstance(values[0], Iterable)
    ):
        pairs = [("", values)]
    else:
        pairs = [(v if isinstance(v, str) else "", v) for v in values]
    return [(str(k), _as_geometry(v, world, field)) for k, v in pairs]


def _polygon_path(geom: shapely.Geometry) -> Path | None:
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    polys += [q for p in shapely.get_parts(geom) if p.geom_type == "MultiPolygon" for q in p.geoms]
    if not polys:
        return None
    verts, codes = [], []
    for poly in shapely.orient_polygons(polys):  # holes clockwise, so the fill leaves them empty
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            verts.append(xy)
            c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(c)
    return Path(np.concatenate(verts), np.concatenate(codes))


def _outline(geom: shapely.Geometry) -> shapely.Geometry:
    """The outline of ``geom`` without the artificial edges along +-180 deg and the poles.

    A polygonal geometry gives its boundary; lines are taken as they are.
    """
    e = 1e-7  # the cut edges lie exactly on the limits; real edges never do
    lines = shapely.boundary(geom) if shapely.get_dimensions(geom) == 2 else geom
    return shapely.clip_by_rect(lines, -180 + e, -90 + e, 180 - e, 90 - e)


def _draw(ax: Any, view: MapView, geom: shapely.Geometry, label: str | None = None,
          **style: Any) -> None:
    pg = project_geometry(geom, view)
    if pg.is_empty:
        return
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    pad = 0.1 * max(x1 - x0, y1 - y0)
    pg = shapely.clip_by_rect(pg, x0 - pad, y0 - pad, x1 + pad, y1 + pad)  # clip to the view
    path = _polygon_path(pg)
    if path is not None:
        style.setdefault("linewidth", 0.8)
        patch = PathPatch(path, label=label or None, **style)
        # add_artist, not add_patch: the limits are fixed by the view, and add_patch would walk
        # every vertex of Russia to update them.
        patch.set_transform(ax.transData)
        ax.add_artist(patch)
        return
    lines = [
        np.asarray(part.coords)[:, :2]
        for part in shapely.get_parts(shapely.get_parts(pg))  # flattens multi-lines too
        if part.geom_type == "LineString"
    ]
    if lines:
        style = {"colors" if k == "edgecolor" else k: v for k, v in style.items()}
        style.setdefault("linewidths", style.pop("linewidth", 1.2))
        ax.add_collection(LineCollection(lines, label=label or None, **style), autolim=False)


def _axes(ax: Any, figsize: tuple[float, float] = (8.0, 8.0)) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt  # only when the caller gave no axes

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_map(
    ax: Any = None,
    *,
    territories: Any = None,
    zones: Any = None,
    sites: Any = None,
    extent: Any = None,
    projection: str = "auto",
    center: tuple[float, float] | None = None,
    world: Any = None,
    background: bool = True,
    graticule: bool = True,
    title: str | None = None,
    legend: bool = True,
) -> Any:
    """Draw territories, zones and sites (EPSG:4326) on a projected map.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        A new figure is made if omitted.  A second call on the same axes keeps
        its projection and limits (so layers can be added).
    territories, zones : mapping label -> geometry, or sequence
        Geometries, :class:`~deployguard.geography.world.Territory` records or state
        names/codes (looked up in ``world``).  Territories are filled, zones are
        drawn translucent with a dashed outline.
    sites : mapping label -> (lon, lat), or sequence of (lon, lat)
    extent : (lon_min, lon_max, lat_min, lat_max) or geometry, optional
        What to show; default all zones, sites and territories.
    projection : str
        See :func:`map_view`.
    world : deployguard.World, optional
        Grey land in the background and name lookups (default ``World.load()``).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import deployguard as dg
    >>> ax = plot_map(zones={"5,500 km": dg.reach_zone(dg.World.load().territory("RUS"), 5500)},
    ...               projection="north_polar")
    >>> bool(ax.get_xlim()[0] < 0 < ax.get_xlim()[1])  # the pole is on the map
    True
    """
    if world is None and (background or any(
        isinstance(v, str) for v in _flat(territories) + _flat(zones)
    )):
        from deployguard.geography.world import World

        world = World.load()
    terr = _items(territories, world, "territories")
    zone = _items(zones, world, "zones")
    site = _items(sites, world, "sites")
    ax = _axes(ax)
    view = _VIEWS.get(ax)
    if view is None:
        focus = [g for _, g in zone + site] or [g for _, g in terr]
        view = map_view(focus, projection=projection, center=center, extent=extent)
        _VIEWS[ax] = view
        ax.set_facecolor("#dbe9f4")
        if background and world is not None:
            land, borders = _land(world)
            _draw(ax, view, land, facecolor="#eeeeea", edgecolor="none", zorder=0)
            _draw(ax, view, borders, edgecolor="#a8a8a0", linewidth=0.3, zorder=0.5)
        if graticule:
            _graticule(ax, view)
    for i, (label, g) in enumerate(terr):
        color = _PALETTE[i % len(_PALETTE)]
        _draw(ax, view, g, label, facecolor=color, edgecolor="#333333", alpha=0.55, zorder=2)
    for i, (label, g) in enumerate(zone):
        color = ("#d62728", "#ff7f0e", "#2ca02c", "#1f77b4")[i % 4]
        _draw(ax, view, g, label, facecolor=color, edgecolor=color, alpha=0.18, zorder=3)
        _draw(ax, view, _outline(g), None, edgecolor=color, linewidth=1.4, zorder=3.5,
              linestyle="--")
    for label, g in site:
        pg = project_geometry(g, view)
        if pg.is_empty:
            continue
        xy = shapely.get_coordinates(pg)
        ax.scatter(xy[:, 0], xy[:, 1], s=36, c="k", marker="^", zorder=5)
        if label:
            ax.annotate(label, xy[0], xytext=(4, 4), textcoords="offset points", fontsize=8,
                        zorder=6)
    ax.set_xlim(view.xlim)
    ax.set_ylim(view.ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    if legend and ax.get_legend_handles_labels()[1]:
        ax.legend(loc="lower left", fontsize=7, framealpha=0.85)
    return ax


def _land(world: Any) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Land (one geometry) and all borders and coasts of ``world``, cached per world."""
    key = id(world)
    hit = _LAND.get(key)
    if hit is None or hit[0] is not world:
        geoms = [g for g in world.states.geometry if not g.is_empty]
        land = shapely.union_all(geoms)
        lines = shapely.multilinestrings(shapely.get_parts(shapely.boundary(geoms)))
        hit = _LAND[key] = (world, land, _outline(lines))
    return hit[1], hit[2]


def _flat(values: Any) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, Mapping):
        return list(values.values())
    if isinstance(values, str | shapely.Geometry):
        return [values]
    return list(values) if isinstance(values, Iterable) else [values]


def _graticule(ax: Any, view: MapView, step: float = 10.0) -> None:
    lines = [shapely.LineString([(lo, -90), (lo, 90)]) for lo in np.arange(-180, 180, step)]
    lines += [shapely.LineString([(-180, la), (180, la)]) for la in np.arange(-80, 81, step)]
    _draw(ax, view, shapely.MultiLineString(lines), edgecolor="#ffffff", linewidth=0.4,
          zorder=0.2)


def plot_zone(
    zone: Any,
    ax: Any = None,
    *,
    label: str = "zone",
    target: Any = None,
    sites: Any = None,
    projection: str = "auto",
    extent: Any = None,
    world: Any = None,
    title: str | None = None,
) -> Any:
    """Map a reach zone, range ring or permitted zone, with its target territory.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import deployguard as dg
    >>> ring = dg.range_ring(179.5, 66.5, 800)  # crosses 180 deg
    >>> ax = plot_zone(ring, label="800 km", sites={"Chukotka": (179.5, 66.5)})
    """
    targets = {} if target is None else ({"target": target} if not isinstance(
        target, Mapping) else target)
    return plot_map(ax, territories=targets, zones={label: _as_geometry(zone, world, "zone")},
                    sites=sites, extent=extent, projection=projection, world=world, title=title)


def plot_range_overlap(
    site_lonlat: tuple[float, float],
    range_km: float,
    states: Iterable[str],
    world: Any = None,
    ax: Any = None,
    *,
    min_range_km: float = 0.0,
    label: str | None = None,
    projection: str = "auto",
) -> Any:
    """Map the range ring of a site and colour ``states`` by whether it reaches them.

    Reach is decided with :func:`deployguard.within_range` (exact distances), not by
    intersecting the drawn ring.  Reached states are red, the part inside the ring is
    hatched; the legend gives each state's geodesic distance.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_range_overlap((20.51, 54.71), 500, ["POL", "LTU", "DEU"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()][1]
    'LTU: 68.9 km (reached)'
    """
    from deployguard.geography.ranges import distance_km, range_ring, within_range
    from deployguard.geography.world import World

    world = World.load() if world is None else world
    lon, lat = (float(v) for v in site_lonlat)
    ring = range_ring(lon, lat, range_km, min_range_km)
    codes = [world.lookup(s) for s in states]
    dist = {c: float(distance_km(lon, lat, world.territory(c))) for c in codes}
    farthest = max([range_km, *dist.values()]) if dist else range_km
    view_ring = range_ring(lon, lat, min(farthest * 1.1 + 50.0, _MAX_CAP_KM))
    ax = plot_map(ax, sites={label or f"{lon:.2f}, {lat:.2f}": (lon, lat)}, extent=view_ring,
                  projection=projection, world=world, legend=False)
    view = _VIEWS[ax]
    for c in codes:
        t = world.territory(c)
        hit = bool(within_range(lon, lat, t, range_km, min_range_km))
        face = "#d62728" if hit else "#6b8fb5"
        mark = "reached" if hit else "not reached"
        _draw(ax, view, t, f"{c}: {dist[c]:,.1f} km ({mark})", facecolor=face,
              edgecolor="#333333", alpha=0.45, zorder=2)
        if hit:
            _draw(ax, view, shapely.intersection(t, ring), None, facecolor="none",
                  edgecolor="#7f0000", hatch="////", linewidth=0.6, zorder=2.5)
    _draw(ax, view, _outline(ring), f"{range_km:,.0f} km ring", edgecolor="#000000",
          linewidth=1.4, linestyle="--", zorder=4)
    ax.legend(loc="lower left", fontsize=7, framealpha=0.85)
    return ax


def plot_report(report: Any, path: Any = None, *, world: Any = None, projection: str = "auto",
                ax: Any = None) -> Any:
    """Map a checker :class:`~deployguard.treaty.report.Report`; write a PNG when ``path`` is given.

    Deployment locations are coloured by their worst status (violation > depends >
    compliant > not applicable); evidence geometries from ``report.to_geojson()``
    (overlaps, zones) are drawn underneath.

    Returns
    -------
    matplotlib Figure
    """
    from deployguard.treaty.report import Report

    if not isinstance(report, Report):
        raise InvalidInputError(
            f"report must be a deployguard Report (from deployguard.check), got {report!r}"
        )
    return _plot_report(report, path, world=world, projection=projection, ax=ax)


def _worst(statuses: Iterable[str]) -> str:
    ranked = sorted(statuses, key=lambda st: _STATUS_ORDER.index(st) if st in _STATUS_ORDER else 9)
    return ranked[0] if ranked else "not_applicable"


def _clusters(points: list[tuple[float, float]], km: float = 3500.0) -> list[list[int]]:
    """Group sites closer than ``km`` (single linkage), so far-apart theatres get own panels."""
    geod = pyproj.Geod(ellps="WGS84")
    groups: list[list[int]] = []
    for i, (lon, lat) in enumerate(points):
        near = [g for g in groups if any(
            geod.inv(lon, lat, *points[j])[2] / 1000.0 < km for j in g)]
        merged = [i] + [j for g in near for j in g]
        groups = [g for g in groups if g not in near] + [sorted(merged)]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def _plot_report(report: Any, path: Any, *, world: Any, projection: str, ax: Any) -> Any:
    from deployguard.geography.world import World

    world = World.load() if world is None else world
    features = report.to_geojson()["features"]
    deps = [f for f in features if f["properties"]["role"] == "deployment"]
    evidence = [f for f in features if f["properties"]["role"] == "evidence"]
    if not deps:
        raise InvalidInputError("report has no deployment with a location to map")
    geoms = [shapely.geometry.shape(f["geometry"]) for f in deps]
    where = [(p.x, p.y) for p in (shapely.point_on_surface(g) for g in geoms)]
    worst = [_worst(f["properties"]["statuses"].values()) for f in deps]
    groups = [list(range(len(deps)))] if ax is not None else _clusters(where)[:4]
    if ax is None:
        import matplotlib.pyplot as plt

        fig, grid = plt.subplots(
            1, len(groups) + 1, figsize=(6.0 * len(groups) + 5.0, 7), squeeze=False,
            layout="constrained", width_ratios=[6.0] * len(groups) + [5.0])
        axes, text_ax = list(grid[0][:-1]), grid[0][-1]
        text_ax.axis("off")
    else:
        fig, axes, text_ax = ax.figure, [ax], None
    for pax, group in zip(axes, groups, strict=False):
        names = {deps[i]["properties"]["deployment"] for i in group}
        ev = [f for f in evidence if f["properties"]["deployment"] in names]
        ev_geoms = [shapely.geometry.shape(f["geometry"]) for f in ev]
        disc = [shapely.buffer(shapely.Point(where[i]), 3.0) for i in group]  # framing only
        focus = shapely.union_all([*disc, *(geoms[i] for i in group)])
        focus = shapely.union(focus, shapely.union_all(ev_geoms)) if ev_geoms else focus
        focus = shapely.clip_by_rect(focus, -180, -89.9, 180, 89.9)
        plot_map(pax, world=world, extent=focus, projection=projection, legend=False)
        view = _VIEWS[pax]
        for f, g in zip(ev, ev_geoms, strict=True):
            color = STATUS_COLORS.get(f["properties"]["status"], "#7f8c8d")
            _draw(pax, view, g, None, facecolor=color, edgecolor=color, alpha=0.22, zorder=2)
        for i in group:
            color = STATUS_COLORS.get(worst[i], "#7f8c8d")
            if geoms[i].geom_type != "Point":
                _draw(pax, view, geoms[i], None, facecolor=color, edgecolor="k", alpha=0.6,
                      zorder=4)
            x, y = view.project_xy(*where[i])
            pax.scatter([x], [y], s=70, c=color, edgecolors="k", linewidths=0.8, zorder=5)
            pax.annotate(str(i + 1), (float(x), float(y)), xytext=(5, 4),
                         textcoords="offset points", fontsize=8, weight="bold", zorder=6)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", markersize=8, markerfacecolor=STATUS_COLORS[st],
                      markeredgecolor="k", label=st.replace("_", " "))
               for st in ("violation", "depends", "compliant", "not_applicable")]
    axes[0].legend(handles=handles, loc="lower left", fontsize=8, title="worst status",
                   title_fontsize=8, framealpha=0.9)
    lines = [f"{i + 1}. {d['properties']['deployment']} - {worst[i].replace('_', ' ')}"
             for i, d in enumerate(deps)]
    s = getattr(report, "settings", {}) or {}
    head = (f"worldview {s.get('worldview', world.worldview)}, range estimate "
            f"{s.get('range_estimate', '?')}, WGS84 geodesics")
    if text_ax is not None:
        text_ax.text(0.0, 0.5, head + "\n\n" + "\n".join(textwrap.shorten(t, 62) for t in lines),
                     fontsize=8, va="center", ha="left", family="monospace",
                     transform=text_ax.transAxes)
    fig.suptitle("deployguard: deployments by worst status; shaded: territory within range")
    if path is not None:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    return fig
