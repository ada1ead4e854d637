"""Report-map panels: which deployments share a panel, what frames it, and how it is drawn.

Deployments closer than 3,500 km (single linkage, geodesic) share a panel; a panel is
framed on its markers and overlaps and on the rings that do not dwarf them (a 4,500 km
bomber ring is drawn, and cut at the frame, rather than shrinking Europe to a corner).

Examples
--------
>>> clusters([(20.5, 54.7), (8.3, 50.0), (-106.4, 31.8)])
[[0, 1], [2]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyproj
import shapely
from matplotlib.axes import Axes
from scipy.sparse.csgraph import connected_components
from shapely.geometry.base import BaseGeometry

from deployguard.viz.basemap import STATUS_COLORS, base_map, draw_geometry, outline
from deployguard.viz.footer import add_scale_bar
from deployguard.viz.key import TEXT_ON
from deployguard.viz.labels import MapLabel, place_labels
from deployguard.viz.layers import DeploymentLayer
from deployguard.viz.mapview import MapView, geodesic_ring, map_view

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = [
    "SCALE_RATIO", "clusters", "draw_panel", "panel_view", "ring_label_points", "split_by_scale",
]

_GEOD = pyproj.Geod(ellps="WGS84")


def clusters(points: Sequence[tuple[float, float]], km: float = 3500.0) -> list[list[int]]:
    """Group points closer than ``km`` (single linkage): far-apart theatres get own panels.

    Largest group first; ties by first index.
    """
    if not points:
        return []
    xy = np.asarray(points, dtype=float)
    n = len(xy)
    i, j = np.triu_indices(n, 1)
    near = np.zeros((n, n), dtype=bool)
    if len(i):
        d = _GEOD.inv(xy[i, 0], xy[i, 1], xy[j, 0], xy[j, 1])[2] / 1000.0
        near[i[d < km], j[d < km]] = True
    _, label = connected_components(near, directed=False)
    groups: dict[int, list[int]] = {}
    for k, lab in enumerate(label):
        groups.setdefault(int(lab), []).append(k)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


#: A ring whose reach (from the panel's centre) is more than this many times the reach of
#: everything else in its panel gets a panel of its own, framed whole: drawn with the others it
#: would shrink them to a corner, and cut at the frame it would be a ring the reader cannot
#: see whole (a 4,500 km bomber, a 5,500 km Oreshnik among 500-1,600 km rings).
SCALE_RATIO = 2.0
#: Below this reach (km) a panel is never split: a small theatre keeps its rings together.
MIN_SPLIT_KM = 1500.0
#: A panel with markers and nothing else shows this far (km) around each: the land around.
MARKERS_ALONE_KM = 600.0


def _reach_km(ly: DeploymentLayer, centre: tuple[float, float]) -> float:
    """How far from ``centre`` the panel must reach to show ``ly`` whole (ring or marker)."""
    if ly.anchor is None:
        return 0.0
    gap = float(_GEOD.inv(centre[0], centre[1], ly.anchor[0], ly.anchor[1])[2]) / 1000.0
    extent = ly.range_km if ly.ring is not None and ly.range_km is not None else 150.0
    return gap + extent


def split_by_scale(layers: Sequence[DeploymentLayer]) -> list[list[DeploymentLayer]]:
    """Split a theatre's deployments into panels whose rings are all shown whole.

    Each deployment must be shown out to its reach from the theatre's centre (its ring, or
    its marker).  The rings reaching more than :data:`SCALE_RATIO` times the median reach
    (and than :data:`SCALE_RATIO` times :data:`MIN_SPLIT_KM`) leave the theatre's panel, so
    that it is drawn at the scale of most of its deployments; they are split the same way
    among themselves, and
    rings of one scale (no jump of :data:`SCALE_RATIO` between them) share a panel.  The
    theatre's panel comes first, then the wider ones and far-off markers, regrouped by place
    (:func:`clusters`) and scale; each keeps the order given.
    """
    anchors = np.asarray([ly.anchor for ly in layers if ly.anchor is not None], dtype=float)
    if len(layers) < 2 or not len(anchors):
        return [list(layers)]
    centre = (float(anchors[:, 0].mean()), float(anchors[:, 1].mean()))
    reach = {id(ly): _reach_km(ly, centre) for ly in layers}
    values = sorted(reach.values())
    base = max(values[(len(values) - 1) // 2], MIN_SPLIT_KM)  # the lower median
    # far-off markers leave too (Guam chained to Europe through Siberia's bases)
    wide = {id(ly) for ly in layers if reach[id(ly)] > SCALE_RATIO * base}
    if not wide or len(wide) == len(layers):
        # one scale, or rings only: split where the sorted reach jumps
        ordered = sorted(layers, key=lambda ly: reach[id(ly)])
        k = next((k for k in range(1, len(ordered)) if ordered[k].ring is not None and
                  reach[id(ordered[k])] > SCALE_RATIO * max(reach[id(ordered[k - 1])],
                                                            MIN_SPLIT_KM)), None)
        if k is None:
            return [list(layers)]
        wide = {id(ly) for ly in ordered[k:]}
    rest = [ly for ly in layers if id(ly) in wide]
    # what left is regrouped by place, then by scale: Guam's marker and a ring over Europe
    # do not share a panel because both are far from the theatre's centre
    anchored = [ly for ly in rest if ly.anchor is not None]
    groups = [[anchored[k] for k in g] for g in clusters([ly.anchor for ly in anchored
                                                          if ly.anchor is not None])]
    # and the theatre is split again about its own centre, which moved with what left
    return [*split_by_scale([ly for ly in layers if id(ly) not in wide]),
            *[part for g in groups for part in split_by_scale(g)]]


def _disc(lon: float, lat: float, km: float) -> BaseGeometry:
    return geodesic_ring(lon, lat, km, tolerance_km=5.0)


def panel_view(layers: Sequence[DeploymentLayer], *, projection: Any = "auto",
               whole_rings: bool = False) -> MapView:
    """The view of a panel: markers, overlaps and areas, and the rings that do not dwarf them.

    ``whole_rings`` frames every ring whole (the map of one deployment).
    """
    anchors = [ly.anchor for ly in layers if ly.anchor is not None]
    # a panel of markers alone shows the country around them, not an empty square
    alone = not any(ly.ring is not None or ly.area is not None for ly in layers)
    core = [_disc(lon, lat, MARKERS_ALONE_KM if alone else 150.0) for lon, lat in anchors]
    for ly in layers:
        core += [g for g in (ly.overlap, ly.area) if g is not None]
    rings = [ly for ly in layers if ly.ring is not None and ly.anchor is not None]
    if whole_rings:
        core += [ly.ring for ly in rings if ly.ring is not None]
    else:
        pts = np.concatenate([shapely.get_coordinates(shapely.segmentize(g, 2.0)) for g in core])
        c = np.asarray(anchors, dtype=float).mean(axis=0)
        reach = _GEOD.inv(np.full(len(pts), c[0]), np.full(len(pts), c[1]), pts[:, 0], pts[:, 1])
        radius = float(np.max(reach[2])) / 1000.0
        for ly in rings:
            assert ly.anchor is not None and ly.range_km is not None
            gap = _GEOD.inv(c[0], c[1], ly.anchor[0], ly.anchor[1])[2] / 1000.0
            if ly.ring is not None and gap + ly.range_km <= max(1.3 * radius, 1500.0):
                core.append(ly.ring)
    if len(anchors) == 1 and str(projection) == "auto":
        # one site: azimuthal equidistant on it, so every ring around it is a true circle
        return map_view(core, projection="aeqd", center=anchors[0], margin=0.05)
    return map_view(core, projection=projection, margin=0.05)


def ring_label_points(ring: BaseGeometry, view: MapView, n: int = 24) -> list[tuple[float,
                                                                                          float]]:
    """Points on the drawn outline of ``ring`` inside the frame, best first (upper right)."""
    from deployguard.viz.mapview import project_geometry

    line = project_geometry(outline(ring), view)
    if line.is_empty:
        return []
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    inner = shapely.clip_by_rect(line, x0 + 0.06 * (x1 - x0), y0 + 0.1 * (y1 - y0),
                                 x1 - 0.06 * (x1 - x0), y1 - 0.06 * (y1 - y0))
    parts = [p for p in shapely.get_parts(shapely.line_merge(inner)) if p.length > 0]
    if not parts:
        return []
    pts = []
    for part in parts:
        for t in np.linspace(0.0, 1.0, max(3, int(n * part.length / inner.length)) + 2)[1:-1]:
            p = part.interpolate(t, normalized=True)
            pts.append((p.x, p.y))
    cx, cy = np.mean(view.xlim), np.mean(view.ylim)
    # prefer the top right of the ring, then the top: out of the way of the markers below
    pts.sort(key=lambda q: -((q[0] - cx) / (x1 - x0) + 1.5 * (q[1] - cy) / (y1 - y0)))
    return pts


def draw_panel(ax: Axes, view: MapView, layers: Sequence[DeploymentLayer], world: World,
               colors: dict[int, str], *, letter: str | None = None,
               ring_labels: bool = True, fontsize: float = 7.5) -> list[Any]:
    """Base map, areas, overlaps, rings, markers, number labels, ring labels and a scale bar.

    Returns the labels placed (texts; None for dropped ones).
    """
    base_map(ax, view, world)
    # overlaps stack: fainter each when many share the panel, so the map under them shows
    shaded = sum(1 for ly in layers if ly.overlap is not None and ly.number in colors)
    alpha = min(0.26, 0.78 / max(shaded, 1))
    for ly in layers:
        color = colors.get(ly.number)
        if ly.area is not None and ly.deployment.geometry is None:  # a state-wide deployment
            st = STATUS_COLORS[ly.status.value]
            draw_geometry(ax, view, ly.area, facecolor="none", edgecolor=st, hatch="////",
                          linewidth=0.8, alpha=0.8, zorder=1.5, gid=f"area:{ly.number}")
        if ly.overlap is not None and color is not None:
            draw_geometry(ax, view, ly.overlap, facecolor=color, edgecolor=color, alpha=alpha,
                          linewidth=0.5, zorder=2, gid=f"overlap:{ly.number}")
    for ly in layers:
        color = colors.get(ly.number)
        if ly.area is not None and ly.deployment.geometry is not None:  # a patrol area, a route
            draw_geometry(ax, view, outline(ly.area), edgecolor=color or "#222222",
                          linewidth=1.2, linestyle="--", zorder=3.6, gid=f"where:{ly.number}")
        if ly.ring is not None and color is not None:
            draw_geometry(ax, view, outline(ly.ring), edgecolor=color, linewidth=1.3, zorder=3.5,
                          gid=f"ring:{ly.number}")
    add_scale_bar(ax, view, fontsize=fontsize - 0.5)
    if letter:
        ax.text(0.012, 0.988, letter, transform=ax.transAxes, fontsize=fontsize + 3,
                weight="bold", ha="left", va="top", zorder=10, gid=f"panel:{letter}",
                bbox={"boxstyle": "square,pad=0.25", "facecolor": "white", "alpha": 0.85,
                      "edgecolor": "none"})
    marks = []
    for ly in layers:
        if ly.anchor is None:
            continue
        x, y = view.project_xy(*ly.anchor)
        if not (view.xlim[0] <= x <= view.xlim[1] and view.ylim[0] <= y <= view.ylim[1]):
            continue
        ax.scatter([float(x)], [float(y)], s=14, c="#111111", zorder=6, gid=f"site:{ly.number}")
        marks.append((ly, float(x), float(y)))
    labels = [MapLabel(str(ly.number), (x, y), gap_px=5.0, gid=f"label:{ly.number}", style={
        "fontsize": fontsize, "weight": "bold", "color": TEXT_ON[ly.status], "zorder": 7,
        "bbox": {"boxstyle": "round,pad=0.25", "facecolor": STATUS_COLORS[ly.status.value],
                 "edgecolor": "#222222", "linewidth": 0.6}}) for ly, x, y in marks]
    if ring_labels:
        for ly in layers:
            color = colors.get(ly.number)
            if ly.ring is None or color is None or ly.range_km is None:
                continue
            cands = ring_label_points(ly.ring, view)
            if cands:
                labels.append(MapLabel(
                    f"{ly.number}: {ly.range_km:,.0f} km", cands[0], candidates=cands,
                    optional=True, gid=f"ring-label:{ly.number}", style={
                        "fontsize": fontsize - 1, "color": color, "zorder": 6.5,
                        "bbox": {"boxstyle": "round,pad=0.15", "facecolor": "white",
                                 "alpha": 0.85, "edgecolor": "none"}}))
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    keep_clear = [(x0, y0, x0 + 0.34 * (x1 - x0), y0 + 0.12 * (y1 - y0))]  # the scale bar
    if letter:
        keep_clear.append((x0, y1 - 0.07 * (y1 - y0), x0 + 0.06 * (x1 - x0), y1))
    return place_labels(ax, labels, obstacles=[(x, y, 3.5) for _, x, y in marks],
                        keep_clear=keep_clear)
