"""The evidence map of one deployment (``plot_report(deployment=...)``, ``plot_finding``).

On an azimuthal equidistant map centred on the site (so every ring is a true circle): the
ring at the range the verdicts used, the band between the low and high estimates, the other
party's states reached (the part within range shaded strongly) and not reached, and the
geodesic to the nearest of them labelled with the distance the evidence gives.

Examples
--------
>>> p = nearest_point((20.5, 54.7), shapely.box(22.0, 50.0, 24.0, 53.0))
>>> round(p[0], 1), round(p[1], 1)
(22.0, 53.0)
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np
import pyproj
import shapely
from matplotlib.axes import Axes
from shapely.geometry.base import BaseGeometry

from deployguard.errors import UnknownStateError
from deployguard.viz.basemap import RING_COLORS, STATUS_COLORS, base_map, draw_geometry, outline
from deployguard.viz.footer import add_scale_bar
from deployguard.viz.key import TEXT_ON
from deployguard.viz.labels import MapLabel, place_labels
from deployguard.viz.layers import DeploymentLayer, ring_tolerance_km
from deployguard.viz.mapview import MapView, geodesic_ring
from deployguard.viz.panels import panel_view, ring_label_points

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = ["draw_evidence", "nearest_point", "single_view"]

_GEOD = pyproj.Geod(ellps="WGS84")
NOT_REACHED = "#7d8fa3"


def nearest_point(site: tuple[float, float], target: BaseGeometry) -> tuple[float, float]:
    """The vertex of ``target``'s outline (densified to 0.05 deg) nearest to ``site``.

    For drawing only: the distance printed on the map is the evidence's exact one.
    """
    pts = shapely.get_coordinates(shapely.segmentize(shapely.boundary(target), 0.05))
    d = _GEOD.inv(np.full(len(pts), site[0]), np.full(len(pts), site[1]), pts[:, 0],
                  pts[:, 1])[2]
    k = int(np.argmin(d))
    return float(pts[k, 0]), float(pts[k, 1])


def _spread_rings(layer: DeploymentLayer) -> dict[str, tuple[float, BaseGeometry]]:
    """Rings at the low and high estimates when they differ from the range used."""
    out: dict[str, tuple[float, BaseGeometry]] = {}
    d = layer.deployment.geometry
    if layer.spread_km is None or not isinstance(d, shapely.Point) or layer.range_km is None:
        return out
    for name in ("low", "high"):
        km = layer.spread_km.get(name)
        if km and abs(float(km) - layer.range_km) > 1e-9:
            out[name] = (float(km), geodesic_ring(d.x, d.y, float(km),
                                               tolerance_km=ring_tolerance_km(float(km))))
    return out


def _other_parties(layer: DeploymentLayer) -> set[str]:
    out: set[str] = set()
    for f in layer.findings:
        out.update(f.evidence.get("distances_km") or {})
        out.update(f.evidence.get("other_parties") or ())
    return out - set(layer.states_reached)


def single_view(layer: DeploymentLayer, world: World, *, projection: Any = "auto",
                sea: bool = True) -> MapView:
    """Frame the ring whole, with the high-estimate ring, the area of the deployment and the
    nearest state when it lies just out of range (the line to it shows by how much).
    """
    extra = [g for _, g in _spread_rings(layer).values()]
    if layer.area is not None:
        extra.append(layer.area)
    if layer.nearest and layer.anchor and layer.range_km and \
            layer.range_km < layer.nearest[1] <= 1.5 * layer.range_km:
        end = _nearest_end(layer, world, sea)
        if end is not None:
            extra.append(shapely.Point(end).buffer(0.5))
    framed = dataclasses.replace(layer, area=shapely.union_all(extra) if extra else None)
    return panel_view([framed], projection=projection, whole_rings=True)


def draw_evidence(ax: Axes, view: MapView, layer: DeploymentLayer, world: World, *,
                  fontsize: float = 7.5, sea: bool = True) -> list[Any]:
    """Draw one deployment's evidence into ``ax`` (see the module docstring)."""
    color = RING_COLORS[0]
    n = layer.number
    base_map(ax, view, world)
    others = sorted(_other_parties(layer))
    if others:
        geoms = shapely.union_all([world.territory(c) for c in others])
        draw_geometry(ax, view, geoms, facecolor=NOT_REACHED, edgecolor="none", alpha=0.22,
                      zorder=1.2, gid="not-reached")
    if layer.states_reached:
        geoms = shapely.union_all([world.territory(c) for c in layer.states_reached])
        draw_geometry(ax, view, geoms, facecolor=color, edgecolor="none", alpha=0.10,
                      zorder=1.3, gid="reached")
    if layer.area is not None and layer.deployment.geometry is None:
        draw_geometry(ax, view, layer.area, facecolor="none", hatch="////", zorder=1.5,
                      edgecolor=STATUS_COLORS[layer.status.value], gid=f"area:{n}")
    if layer.overlap is not None:
        draw_geometry(ax, view, layer.overlap, facecolor=color, edgecolor=color, alpha=0.34,
                      linewidth=0.5, zorder=2, gid=f"overlap:{n}")
    labels: list[MapLabel] = []
    spread = _spread_rings(layer)
    if spread and layer.ring is not None:
        # the band runs from the lowest to the highest estimate (the nominal may be either end)
        inner = spread["low"][1] if "low" in spread else layer.ring
        outer_ring = spread["high"][1] if "high" in spread else layer.ring
        band = shapely.difference(outer_ring, inner)
        draw_geometry(ax, view, band, facecolor=color, edgecolor="none", alpha=0.08, zorder=1.1,
                      gid=f"band:{n}")
    for name, (km, ring) in spread.items():
        draw_geometry(ax, view, outline(ring), edgecolor=color, linewidth=0.9,
                      linestyle=(0, (4, 3)),
                      zorder=3.4, gid=f"ring-{name}:{n}")
        cands = ring_label_points(ring, view)
        if cands:
            labels.append(MapLabel(f"{name} {km:,.0f} km", cands[0], candidates=cands,
                                   optional=True, gid=f"ring-label-{name}:{n}", style={
                                       "fontsize": fontsize - 1, "color": color, "zorder": 6.5,
                                       "bbox": {"boxstyle": "round,pad=0.15", "alpha": 0.85,
                                                "facecolor": "white", "edgecolor": "none"}}))
    if layer.ring is not None and layer.range_km is not None:
        draw_geometry(ax, view, outline(layer.ring), edgecolor=color, linewidth=1.7, zorder=3.5,
                      gid=f"ring:{n}")
        cands = ring_label_points(layer.ring, view)
        if cands:
            est = layer.findings[0].assumptions.get("range_estimate") if layer.findings else None
            text = f"{layer.range_km:,.0f} km" + (f" ({est})" if est else "")
            labels.insert(0, MapLabel(text, cands[0], candidates=cands, gid=f"ring-label:{n}",
                                      style={"fontsize": fontsize, "color": color, "zorder": 6.6,
                                             "weight": "bold", "bbox": {
                                                 "boxstyle": "round,pad=0.15", "alpha": 0.9,
                                                 "facecolor": "white", "edgecolor": "none"}}))
    if layer.nearest is not None and layer.anchor is not None:
        labels += _nearest_line(ax, view, layer, world, sea=sea, fontsize=fontsize)
    assert layer.anchor is not None
    x, y = view.project_xy(*layer.anchor)
    ax.scatter([float(x)], [float(y)], s=16, c="#111111", zorder=6, gid=f"site:{n}")
    labels.insert(0, MapLabel(str(n), (float(x), float(y)), gap_px=5.0, gid=f"label:{n}", style={
        "fontsize": fontsize, "weight": "bold", "color": TEXT_ON[layer.status], "zorder": 7,
        "bbox": {"boxstyle": "round,pad=0.25", "facecolor": STATUS_COLORS[layer.status.value],
                 "edgecolor": "#222222", "linewidth": 0.6}}))
    add_scale_bar(ax, view, fontsize=fontsize - 0.5)
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    return place_labels(ax, labels, obstacles=[(float(x), float(y), 3.5)],
                        keep_clear=[(x0, y0, x0 + 0.34 * (x1 - x0), y0 + 0.12 * (y1 - y0))])


def _nearest_end(layer: DeploymentLayer, world: World, sea: bool) -> tuple[float, float] | None:
    """The end of the geodesic to the nearest state, if it agrees with the evidence's km."""
    if layer.nearest is None or layer.anchor is None or layer.nearest[1] <= 0:
        return None
    state, km = layer.nearest
    try:
        target = world.territory(state, sea=sea)
    except UnknownStateError:  # a code the map's world does not know: no line to draw
        return None
    end = nearest_point(layer.anchor, target)
    drawn = _GEOD.inv(layer.anchor[0], layer.anchor[1], end[0], end[1])[2] / 1000.0
    return end if abs(drawn - km) <= 0.02 * km + 5.0 else None  # else another territory


def _nearest_line(ax: Axes, view: MapView, layer: DeploymentLayer, world: World, *, sea: bool,
                  fontsize: float) -> list[MapLabel]:
    """The geodesic from the site to the nearest state, labelled with the evidence's km."""
    assert layer.nearest is not None and layer.anchor is not None
    state, km = layer.nearest
    end = _nearest_end(layer, world, sea)
    if end is None:
        return []
    lon0, lat0 = layer.anchor
    pts = np.array([(lon0, lat0), *_GEOD.npts(lon0, lat0, end[0], end[1], 62), end])
    x, y = view.project_xy(pts[:, 0], pts[:, 1])
    ax.plot(x, y, color="#222222", linewidth=1.0, linestyle=(0, (3, 2)), zorder=5,
            gid="nearest")
    mid = len(x) // 2
    return [MapLabel(f"{km:,.1f} km to {state}", (float(x[mid]), float(y[mid])),
                     candidates=[(float(x[k]), float(y[k])) for k in
                                 (mid, mid - 10, mid + 10, mid - 20, mid + 20)],
                     gid="nearest-label", style={
                         "fontsize": fontsize - 0.5, "zorder": 6.7, "bbox": {
                             "boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.9,
                             "edgecolor": "none"}})]
