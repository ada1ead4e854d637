"""The base map and the drawing primitives every map of :mod:`deployguard.viz` uses.

A map is a matplotlib Axes with a :class:`~deployguard.viz.mapview.MapView` attached
(:func:`view_of`): sea, land, borders and a graticule that stops at 80 deg (so the meridians
do not meet in a starburst at the pole).  :func:`draw_geometry` projects an EPSG:4326
geometry into the view and adds it as one artist whose ``gid`` names what it is
(``"ring:4"``, ``"overlap:4"``), so tests and users can find it.  :func:`plot_map` and
:func:`plot_zone` are the general-purpose maps.

Nothing here imports :mod:`matplotlib.pyplot` until a figure has to be created, and nothing
selects a backend: call ``matplotlib.use("Agg")`` yourself in scripts.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import deployguard as dg
>>> world = dg.World.load()
>>> ax = plot_map(territories={"Russia": world.territory("RUS")},
...               sites={"Kaliningrad": (20.51, 54.71)}, world=world)
>>> ax.get_aspect()
1.0
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.treaty.findings import Status
from deployguard.viz.mapview import MapView, map_view, project_geometry
from deployguard.viz.output import save_figure

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = [
    "STATUS_COLORS", "RING_COLORS", "base_map", "box_aspect", "draw_geometry", "figure_of",
    "land_and_borders", "new_axes", "outline",
    "plot_map", "plot_zone", "view_of",
]

#: fill colour of each status (keys are Status values)
STATUS_COLORS: dict[str, str] = {
    Status.VIOLATION.value: "#c0392b",
    Status.DEPENDS.value: "#e08a1e",
    Status.COMPLIANT.value: "#2e9d5b",
    Status.NOT_APPLICABLE.value: "#8c959d",
}
#: colours of rings and overlaps, one per deployment; none is a status colour (no red,
#: orange, green or grey), so a shaded area is never read as a verdict
RING_COLORS = ("#1f5fa8", "#8e44ad", "#0e9aa7", "#c2408f", "#6b4c2a", "#3d3bb0",
               "#00606b", "#7a2e5d", "#4f6d8a", "#a66ad6")
SEA, LAND, BORDER, GRID = "#dde9f3", "#f3f2ee", "#b9b6ad", "#ffffff"
_LAND: dict[int, tuple[Any, BaseGeometry, BaseGeometry]] = {}
_VIEWS: weakref.WeakKeyDictionary[Axes, MapView] = weakref.WeakKeyDictionary()


def view_of(ax: Axes) -> MapView | None:
    """The :class:`MapView` a deployguard map drew ``ax`` in (None for other axes)."""
    return _VIEWS.get(ax)


def figure_of(ax: Axes) -> Figure:
    """The figure ``ax`` belongs to (the top-level one for a subfigure)."""
    return cast(Figure, ax.figure)


def box_aspect(ax: Axes) -> float:
    """Width over height of the axes' box on its figure (inches)."""
    w, h = figure_of(ax).get_size_inches()
    box = ax.get_position()
    return float(box.width * w / (box.height * h))


def new_axes(ax: Axes | None, figsize: tuple[float, float] = (8.0, 8.0)) -> Axes:
    """``ax``, or the axes of a new figure (the only place pyplot is imported)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    assert ax is not None
    return ax


def _as_geometry(value: Any, world: World | None, field: str) -> BaseGeometry:
    if isinstance(value, BaseGeometry):
        return value
    if hasattr(value, "geometry") and isinstance(value.geometry, BaseGeometry):
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


def _items(values: Any, world: World | None, field: str) -> list[tuple[str, BaseGeometry]]:
    """Normalise a mapping or sequence of layers to (label, geometry) pairs."""
    if values is None:
        return []
    if isinstance(values, Mapping):
        pairs = list(values.items())
    elif isinstance(values, BaseGeometry | str) or (
        isinstance(values, tuple) and len(values) == 2 and not isinstance(values[0], Iterable)
    ):
        pairs = [("", values)]
    else:
        pairs = [(v if isinstance(v, str) else "", v) for v in values]
    return [(str(k), _as_geometry(v, world, field)) for k, v in pairs]


def _flat(values: Any) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, Mapping):
        return list(values.values())
    if isinstance(values, str | BaseGeometry):
        return [values]
    return list(values) if isinstance(values, Iterable) else [values]


def polygon_path(geom: BaseGeometry) -> Path | None:
    """A matplotlib Path of the polygons in ``geom`` (holes left empty), or None."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    polys += [q for p in shapely.get_parts(geom) if p.geom_type == "MultiPolygon" for q in p.geoms]
    polys += [q for p in shapely.get_parts(geom) if p.geom_type == "GeometryCollection"
              for q in shapely.get_parts(p) if q.geom_type == "Polygon"]
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


def outline(geom: BaseGeometry) -> BaseGeometry:
    """The outline of ``geom`` without the artificial edges along +-180 deg and the poles.

    A polygonal geometry gives its boundary; lines are taken as they are.

    Examples
    --------
    >>> import deployguard as dg
    >>> ring = dg.range_ring(179.5, 66.5, 800)  # two parts, cut at 180 deg
    >>> lines = outline(ring)
    >>> bool(shapely.get_coordinates(lines)[:, 0].max() < 180)  # no edge along the cut
    True
    """
    e = 1e-7  # the cut edges lie exactly on the limits; real edges never do
    lines = shapely.boundary(geom) if shapely.get_dimensions(geom) == 2 else geom
    return shapely.clip_by_rect(lines, -180 + e, -90 + e, 180 - e, 90 - e)


def draw_geometry(ax: Axes, view: MapView, geom: BaseGeometry, *, label: str | None = None,
                  gid: str | None = None, **style: Any) -> Artist | None:
    """Project ``geom`` into ``view`` and add it to ``ax``: polygons as a patch, lines as lines.

    Returns the artist (None when nothing is visible); ``gid`` is set on it.
    """
    pg = project_geometry(geom, view)
    if pg.is_empty:
        return None
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    pad = 0.1 * max(x1 - x0, y1 - y0)
    pg = shapely.clip_by_rect(pg, x0 - pad, y0 - pad, x1 + pad, y1 + pad)  # clip to the view
    path = polygon_path(pg)
    artist: Artist
    if path is not None:
        style.setdefault("linewidth", 0.8)
        patch = PathPatch(path, label=label or None, **style)
        # add_artist, not add_patch: the limits are fixed by the view, and add_patch would walk
        # every vertex of Russia to update them.
        patch.set_transform(ax.transData)
        artist = ax.add_artist(patch)
    else:
        lines = [
            np.asarray(part.coords)[:, :2]
            for part in shapely.get_parts(shapely.get_parts(pg))  # flattens multi-lines too
            if part.geom_type == "LineString"
        ]
        if not lines:
            return None
        style = {"colors" if k in ("edgecolor", "color") else k: v for k, v in style.items()}
        style.setdefault("linewidths", style.pop("linewidth", 1.2))
        artist = ax.add_collection(LineCollection(lines, label=label or None, **style),
                                   autolim=False)
    if gid is not None:
        artist.set_gid(gid)
    return artist


def land_and_borders(world: World) -> tuple[BaseGeometry, BaseGeometry]:
    """Land (one geometry) and all borders and coasts of ``world``, cached per world."""
    key = id(world)
    hit = _LAND.get(key)
    if hit is None or hit[0] is not world:
        geoms = [g for g in world.states.geometry if not g.is_empty]
        land = shapely.union_all(geoms)
        lines = shapely.MultiLineString(list(shapely.get_parts(shapely.boundary(geoms))))
        hit = _LAND[key] = (world, land, outline(lines))
    return hit[1], hit[2]


def _graticule(ax: Axes, view: MapView) -> None:
    width = view.xlim[1] - view.xlim[0]
    km = width if view.crs is None else width / 1000.0
    step = (5.0 if km < 2_500 else 10.0 if km < 9_000 else 20.0) if view.crs is not None else (
        5.0 if km < 25 else 10.0 if km < 90 else 30.0)
    # meridians stop at 80 deg: all of them meeting at the pole would paint a white star there
    lines = [shapely.LineString([(lo, -80), (lo, 80)]) for lo in np.arange(-180, 180, step)]
    lines += [shapely.LineString([(-180, la), (180, la)]) for la in np.arange(-80, 81, step)]
    draw_geometry(ax, view, shapely.MultiLineString(lines), edgecolor=GRID, linewidth=0.5,
                  zorder=0.2, gid="graticule")


def base_map(ax: Axes, view: MapView, world: World | None, *, graticule: bool = True) -> None:
    """Sea, land, borders and graticule of ``world`` in ``view``; attaches the view to ``ax``."""
    _VIEWS[ax] = view
    ax.set_facecolor(SEA)
    if world is not None:
        land, borders = land_and_borders(world)
        draw_geometry(ax, view, land, facecolor=LAND, edgecolor="none", zorder=0, gid="land")
        draw_geometry(ax, view, borders, edgecolor=BORDER, linewidth=0.35, zorder=0.5,
                      gid="borders")
    if graticule:
        _graticule(ax, view)
    ax.set_xlim(view.xlim)
    ax.set_ylim(view.ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def plot_map(
    ax: Axes | None = None,
    *,
    territories: Any = None,
    zones: Any = None,
    sites: Any = None,
    extent: Any = None,
    projection: Any = "auto",
    center: tuple[float, float] | None = None,
    world: World | None = None,
    background: bool = True,
    graticule: bool = True,
    title: str | None = None,
    legend: bool = True,
    path: str | os.PathLike[str] | None = None,
    dpi: float = 150.0,
) -> Axes:
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
    extent : (lon_min, lat_min, lon_max, lat_max) or geometry, optional
        What to show: a box in shapely's order (degrees; ``lon_min > lon_max`` crosses
        180 deg); default all zones, sites and territories.
    projection : str or pyproj.CRS
        See :func:`~deployguard.viz.mapview.map_view`.
    world : deployguard.World, optional
        Grey land in the background and name lookups (default ``World.load()``).
    path : str or path, optional
        Write the figure: the suffix chooses the format (.png, .svg, .pdf, .jpg).
    dpi : float
        Pixels per inch of a PNG or JPEG (and of the raster parts of SVG and PDF).

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
    ax = new_axes(ax)
    view = view_of(ax)
    if view is None:
        focus = [g for _, g in zone + site] or [g for _, g in terr]
        view = map_view(focus, projection=projection, center=center, extent=extent)
        base_map(ax, view, world if background else None, graticule=graticule)
    for i, (label, g) in enumerate(terr):
        color = RING_COLORS[i % len(RING_COLORS)]
        draw_geometry(ax, view, g, label=label, facecolor=color, edgecolor="#333333", alpha=0.45,
                      zorder=2, gid=f"territory:{label or i}")
    for i, (label, g) in enumerate(zone):
        color = ("#d62728", "#ff7f0e", "#2ca02c", "#1f77b4")[i % 4]
        draw_geometry(ax, view, g, label=label, facecolor=color, edgecolor="none", alpha=0.18,
                      zorder=3, gid=f"zone:{label or i}")
        draw_geometry(ax, view, outline(g), edgecolor=color, linewidth=1.4, zorder=3.5,
                      linestyle="--", gid=f"zone-outline:{label or i}")
    for label, g in site:
        pg = project_geometry(g, view)
        if pg.is_empty:
            continue
        xy = shapely.get_coordinates(pg)
        ax.scatter(xy[:, 0], xy[:, 1], s=36, c="k", marker="^", zorder=5)
        if label:
            ax.annotate(label, (float(xy[0, 0]), float(xy[0, 1])), xytext=(4, 4),
                        textcoords="offset points", fontsize=8, zorder=6)
    if title:
        ax.set_title(title)
    if legend and ax.get_legend_handles_labels()[1]:
        ax.legend(loc="lower left", fontsize=7, framealpha=0.85)
    if path is not None:
        save_figure(figure_of(ax), path, dpi)
    return ax


def plot_zone(
    zone: Any,
    ax: Axes | None = None,
    *,
    label: str = "zone",
    target: Any = None,
    sites: Any = None,
    projection: Any = "auto",
    extent: Any = None,
    world: World | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
    dpi: float = 150.0,
) -> Axes:
    """Map a reach zone, range ring or permitted zone, with its target territory.

    ``extent`` is a box in shapely's order (lon_min, lat_min, lon_max, lat_max) or a geometry;
    ``path`` and ``dpi`` write the figure as :func:`plot_map` does.

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
                    sites=sites, extent=extent, projection=projection, world=world, title=title,
                    path=path, dpi=dpi)
