"""Range-overlap maps: what one or more systems or estimates reach from a site.

Nested labelled rings (a system's low / nominal / high estimates as a band with its nominal
ring), the states reached coloured by the shortest drawn range that reaches them (darker:
reached at a shorter range), every other state of ``against`` in one grey-blue group, the
reached capitals and large cities labelled, and the view framed on the rings, never on
the farthest state.  The map is azimuthal equidistant on the site unless told otherwise,
so every ring is a true circle and distances from the site can be read off the scale.

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> ax = plot_range_overlap((20.511, 54.7065), "Iskander-M", against="NATO", on="2018-02-05",
...                         places=False)
>>> [t.get_text() for t in ax.get_legend().get_texts()][:2]
['Iskander-M 500 km (nominal; minimum range 50 km)', 'Iskander-M 400-700 km (low-high)']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.viz.basemap import (
    RING_COLORS,
    base_map,
    box_aspect,
    draw_geometry,
    figure_of,
    outline,
)
from deployguard.viz.footer import add_scale_bar, wrap_lines
from deployguard.viz.labels import MapLabel, place_labels
from deployguard.viz.layers import ring_tolerance_km
from deployguard.viz.mapview import MapView, geodesic_ring, map_view, project_geometry
from deployguard.viz.output import save_figure
from deployguard.viz.panels import ring_label_points
from deployguard.viz.places import PLACES_CREDIT, places_to_label
from deployguard.viz.rings import RingSpec, against_states, reach_levels, ring_specs

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = ["plot_range_overlap"]

NOT_REACHED = "#7d8fa3"
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white", alpha=0.85)]
_REDS = ("#a3241a", "#cf4a33", "#e4765c", "#f09f86", "#f6c3b1", "#fbe0d6")


def _site(site: Any) -> tuple[tuple[float, float], str | None]:
    if isinstance(site, str):
        from deployguard.data.bases import Bases

        base = Bases.load().get(site)
        return base.lonlat, base.name
    lonlat = getattr(site, "lonlat", site)
    try:
        lon, lat = (float(v) for v in lonlat)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"site must be (lon, lat), a base name or a Deployment, got "
                                f"{site!r:.80}") from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInputError(f"site must be (lon, lat) in degrees, got {site!r}")
    return (lon, lat), getattr(site, "name", None) if not isinstance(site, tuple) else None


def _level_colors(levels: Sequence[float]) -> dict[float, str]:
    pick = np.linspace(0, len(_REDS) - 1, len(levels)).round().astype(int) if len(levels) > 1 \
        else np.array([1])
    return {r: _REDS[int(k)] for r, k in zip(levels, pick, strict=True)}


def _legend_handles(specs: Sequence[RingSpec], colors: Sequence[str], levels: dict[float, str],
                    reached: dict[str, float], n_not: int, who: dict[float, str]) -> list[Any]:
    handles: list[Any] = []
    for spec, color in zip(specs, colors, strict=True):
        if spec.nominal is not None:
            notes = (["nominal"] if spec.is_band else []) + (
                [f"minimum range {spec.min_range:,.0f} km"] if spec.min_range else [])
            handles.append(Line2D([], [], color=color, linewidth=1.8,
                                  label=f"{spec.label} {spec.nominal:,.0f} km".strip()
                                  + (f" ({'; '.join(notes)})" if notes else "")))
        if spec.is_band:
            band = f"{spec.label} {spec.radii[0]:,.0f}-{spec.outer:,.0f} km (low-high)"
            handles.append(Patch(facecolor=color, alpha=0.15, edgecolor=color, linestyle="--",
                                 label=band.strip()))
    for r, color in levels.items():
        n = sum(1 for v in reached.values() if v == r)
        if n:
            handles.append(Patch(facecolor=color, alpha=0.75, label=f"reached within {r:,.0f} km"
                                 f" ({who[r]}): {n} state{'s' if n != 1 else ''}"))
    if n_not:
        handles.append(Patch(facecolor=NOT_REACHED, alpha=0.35,
                             label=f"not reached: {n_not} state{'s' if n_not != 1 else ''}"))
    return handles


def _estimate_name(spec: RingSpec, r: float) -> str:
    """"Iskander-M low" for a band's radius, the label alone for a single ring."""
    if not spec.is_band:
        return spec.name
    names = [n for n, v in (("low", spec.low), ("nominal", spec.nominal), ("high", spec.high))
             if v == r]
    return f"{spec.name} {names[0]}" if names else spec.name


def _state_anchor(terr: BaseGeometry, view: MapView) -> tuple[float, float] | None:
    pg = project_geometry(terr, view)
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    vis = shapely.clip_by_rect(pg, x0, y0, x1, y1)
    parts = [p for p in shapely.get_parts(vis) if p.geom_type == "Polygon" and p.area > 0]
    if not parts:
        return None
    p = shapely.point_on_surface(max(parts, key=lambda q: q.area))
    return (p.x, p.y)


def _reached_parts(rings: dict[tuple[int, float], BaseGeometry], reached: dict[str, float],
                   world: World, *, sea: bool) -> dict[tuple[str, float], BaseGeometry]:
    """The part of each state within each radius that reaches a state: ``(code, r) -> geometry``.

    The part at radius r (a radius at which some state is first reached) is the ring(s) of
    radius r cut to the state
    (:func:`~deployguard.geography.reached.reached_part`, as a finding's evidence makes it),
    less what a shorter radius already shades: the map shows how far into each state a range
    reaches, never a whole state because a corner of it is in range.
    """
    from deployguard.geography.reached import drawn_territory, reached_part
    from deployguard.treaty.report import EVIDENCE_TOLERANCE_KM

    out: dict[tuple[str, float], BaseGeometry] = {}
    radii = sorted(set(reached.values()))
    by_radius = {r: shapely.union_all([g for (_, rr), g in rings.items() if rr == r])
                 for r in radii}
    for code, first in reached.items():
        terr = drawn_territory(world.territory(code, sea=sea), tolerance_km=EVIDENCE_TOLERANCE_KM)
        inner: BaseGeometry | None = None
        for r in radii:
            part = reached_part(by_radius[r], [terr], tolerance_km=EVIDENCE_TOLERANCE_KM) \
                if r >= first else None
            if part is not None and inner is not None:
                part = shapely.difference(part, inner)
            if part is not None and not part.is_empty:
                out[(code, r)] = part
            inner = by_radius[r] if inner is None else shapely.union(inner, by_radius[r])
    return out


def plot_range_overlap(
    site: Any,
    systems_or_ranges: Any,
    against: Any = None,
    world: World | None = None,
    ax: Axes | None = None,
    *,
    on: Any = None,
    label: str | None = None,
    projection: Any = "auto",
    sea: bool = False,
    places: bool = True,
    min_population: int = 1_000_000,
    path: str | os.PathLike[str] | None = None,
    dpi: float = 150.0,
    title: str | None = None,
) -> Axes:
    """Map the rings of one or more systems or estimates from a site, and what they reach.

    Parameters
    ----------
    site : (lon, lat), base name or Deployment
    systems_or_ranges : km, system name, WeaponSystem, mapping or sequence of these
        A system draws its low-high band and nominal ring; a mapping ``label -> km`` or
        ``label -> (low, high)`` / ``(low, nominal, high)`` names its rings.
    against : group name ("NATO", "CSTO"), state(s), or None
        The states to colour (reached) or group (not reached); None: every state but the
        site's own.
    world : World, optional
        Borders (default ``World.load()``).
    ax : matplotlib Axes, optional
        Draw into it (the legend goes inside); otherwise a figure is made.
    on : date, optional
        Membership date of a group (today if None).
    sea : bool
        Measure to territories with their 12-nmi territorial sea.
    places : bool
        Label reached capitals and cities of ``min_population`` or more.
    path : str or path, optional
        Write the figure (.png, .svg or .pdf) at ``dpi``.

    Returns
    -------
    matplotlib Axes
        The map; ``ax.get_legend()`` lists rings, reach classes and the group not reached.
    """
    from deployguard.geography.world import World

    world = World.load() if world is None else world
    (lon, lat), site_name = _site(site)
    name = label or site_name or f"{lon:.2f}, {lat:.2f}"
    specs = sorted(ring_specs(systems_or_ranges), key=lambda s: -s.outer)
    own = str(world.state_at(lon, lat).ravel()[0])  # land only: the sea index is costly
    states = [c for c in against_states(against, world, on, exclude=own) if c != own]
    reached, _ = reach_levels(lon, lat, states, specs, world, sea=sea)
    rings = {(k, r): geodesic_ring(lon, lat, r, s.min_range or 0.0,
                                tolerance_km=ring_tolerance_km(r))
             for k, s in enumerate(specs) for r in s.radii}
    outer = max(rings.items(), key=lambda kv: kv[0][1])[1]
    projection = "aeqd" if str(projection) == "auto" else projection
    view = map_view([outer], projection=projection, center=(lon, lat), margin=0.04)
    levels = _level_colors(sorted(set(reached.values())))
    who = {r: ", ".join(_estimate_name(s, r) for s in specs if r in s.radii) for r in levels}
    not_reached = [c for c in states if c not in reached]
    colors = [RING_COLORS[k % len(RING_COLORS)] for k in range(len(specs))]
    handles = _legend_handles(specs, colors, levels, reached, len(not_reached), who)
    shown_places = places_to_label(lon, lat, max(s.outer for s in specs), set(reached),
                                   min_population=min_population, worldview=world.worldview,
                                   resolution=world.resolution) if places else []
    group = against if isinstance(against, str) else "the states given" if against else "all states"
    when = f" on {on}" if on is not None and isinstance(against, str) else ""
    foot = [
        f"Reach: a state is reached when its geodesic (WGS84) distance from the site - to the "
        f"nearest point of its territory{' with its 12-nmi sea' if sea else ''} - is at most "
        f"the range. Coloured: {group}{when}. "
        + (f"Not reached: {', '.join(not_reached)}." if not_reached else ""),
        f"Projection: {view.description}. Scale bar true at its position. Borders: Natural "
        f"Earth ({world.worldview}, {world.resolution})."
        + (f" {PLACES_CREDIT}" if shown_places else ""),
    ]
    own_fig = ax is None
    if own_fig:
        import matplotlib.pyplot as plt

        width, map_w = 7.6, 7.2
        map_h = map_w / view.aspect
        foot_lines = wrap_lines(foot, map_w, 6.3)
        legend_h = 0.2 * ((len(handles) + 1) // 2) + 0.15
        foot_h = len(foot_lines) * 6.3 * 1.3 / 72 + 0.1
        n_title = len((title or "x").splitlines())
        height = 0.2 + foot_h + legend_h + map_h + 0.25 + n_title * 10 * 1.25 / 72
        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0.2 / width, (0.2 + foot_h + legend_h) / height, map_w / width,
                           map_h / height))
        fig.text(0.2 / width, (0.2 + foot_h) / height, "\n".join(foot_lines), fontsize=6.3,
                 va="top", linespacing=1.15, gid="footer")
    else:
        assert ax is not None
        view = view.fit_aspect(box_aspect(ax))  # fill the user's axes with map, not margins
    base_map(ax, view, world)
    if not_reached:
        draw_geometry(ax, view, shapely.union_all([world.territory(c) for c in not_reached]),
                      facecolor=NOT_REACHED, edgecolor="none", alpha=0.3, zorder=1.2,
                      gid="not-reached")
    shaded = _reached_parts(rings, reached, world, sea=sea)
    for (code, r), part in shaded.items():
        draw_geometry(ax, view, part, facecolor=levels[r], edgecolor="#5a1a10",
                      linewidth=0.4, alpha=0.62, zorder=1.4, gid=f"reached:{code}:{r:g}")
    labels: list[MapLabel] = []
    for k, (spec, color) in enumerate(zip(specs, colors, strict=True)):
        if spec.is_band:
            band = shapely.difference(rings[(k, spec.outer)], rings[(k, spec.radii[0])])
            # several bands overlap: fainter each, so that the map stays readable
            draw_geometry(ax, view, band, facecolor=color, edgecolor="none",
                          alpha=0.10 if len(specs) == 1 else 0.06, zorder=1.1, gid=f"band:{k}")
        for r in spec.radii:
            main = r == spec.nominal
            named = main or (spec.nominal is None and r == spec.outer)  # a label never dropped
            draw_geometry(ax, view, outline(rings[(k, r)]), edgecolor=color,
                          linewidth=1.7 if main else 0.9,
                          linestyle="-" if main else (0, (4, 3)), zorder=3.5,
                          gid=f"ring:{k}:{r:g}")
            cands = ring_label_points(rings[(k, r)], view)
            if cands:
                text = f"{spec.label} {r:,.0f} km".strip() if named else f"{r:,.0f} km"
                labels.append(MapLabel(text, cands[0], candidates=cands, optional=not named,
                                       gid=f"ring-label:{k}:{r:g}", style={
                                           "fontsize": 7.5 if main else 6.5, "color": color,
                                           "weight": "bold" if main else "normal", "zorder": 6.5,
                                           "bbox": {"boxstyle": "round,pad=0.15", "alpha": 0.85,
                                                    "facecolor": "white", "edgecolor": "none"}}))
    x, y = view.project_xy(lon, lat)
    ax.scatter([float(x)], [float(y)], s=46, c="k", marker="^", zorder=6, gid="site")
    labels.insert(0, MapLabel(name, (float(x), float(y)), gap_px=5, gid="site-label", style={
        "fontsize": 8, "weight": "bold", "zorder": 7,
        "bbox": {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.9,
                 "edgecolor": "#333333", "linewidth": 0.5}}))
    for code in sorted(reached, key=lambda c: reached[c]):
        # the name goes on the part within range, not on the state's far-off bulk
        anchor = _state_anchor(shapely.union_all(
            [g for (c, _), g in shaded.items() if c == code]), view)
        if anchor is not None:
            labels.append(MapLabel(world.name(code), anchor, at_anchor=True, gap_px=0,
                                   optional=True, gid=f"state-label:{code}", style={
                                       "fontsize": 7, "style": "italic", "color": "#2a0a05",
                                       "zorder": 6.2, "path_effects": HALO}))
    dots = []
    for p in shown_places:
        px, py = view.project_xy(p.lon, p.lat)
        dots.append((float(px), float(py), 2.5))
        ax.scatter([float(px)], [float(py)], s=9 if p.capital else 5, c="#111111",
                   marker="s" if p.capital else "o", zorder=5.5, gid=f"place:{p.name}")
        labels.append(MapLabel(p.name, (float(px), float(py)), gap_px=2.5, optional=True,
                               gid=f"place-label:{p.name}",
                               style={"fontsize": 6.5, "zorder": 6.3, "path_effects": HALO,
                                      "weight": "bold" if p.capital else "normal"}))
    add_scale_bar(ax, view)
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    place_labels(ax, labels, obstacles=[(float(x), float(y), 5.0), *dots],
                 keep_clear=[(x0, y0, x0 + 0.34 * (x1 - x0), y0 + 0.12 * (y1 - y0))])
    ax.set_title(title or f"What {', '.join(s.name for s in specs)} reach"
                 f"{'es' if len(specs) == 1 else ''} from {name}", loc="left", fontsize=10,
                 weight="bold")
    if own_fig:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.005), ncol=2,
                  fontsize=7, frameon=False, borderaxespad=0.2)
    else:
        ax.legend(handles=handles, loc="lower right", fontsize=6.5, framealpha=0.9)
        w_in = ax.get_position().width * figure_of(ax).get_size_inches()[0]
        ax.text(0.0, -0.01, "\n".join(wrap_lines(foot, w_in, 5.5)), transform=ax.transAxes,
                fontsize=5.5, va="top", gid="footer")
    if path is not None:
        save_figure(figure_of(ax), path, dpi)
    return ax
