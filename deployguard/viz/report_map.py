"""The report map: every deployment of a check, its range ring and the territory it reaches.

One panel per theatre (deployments within 3,500 km of each other), panels sized to their
own aspect so that they fill the figure; a key with the deployments by number, grouped
under their worst status; a footer with what the reader must know to cite the map.
``deployment=`` (and :func:`plot_finding`) draw one deployment with the evidence: the
ring, the low-high band of the range estimates, the other party's states reached and not
reached, and the geodesic to the nearest of them.

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import deployguard as dg
>>> report = dg.check(dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05",
...                                 system="Iskander-M"))
>>> fig = plot_report(report)
>>> sorted(a.get_gid() for a in fig.axes[0].get_children() if a.get_gid() in ("ring:1",
...        "overlap:1"))
['overlap:1', 'ring:1']
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from deployguard.errors import InvalidInputError
from deployguard.treaty.findings import Finding
from deployguard.viz.basemap import RING_COLORS, box_aspect, figure_of
from deployguard.viz.evidence import draw_evidence, single_view
from deployguard.viz.footer import report_footer, wrap_lines
from deployguard.viz.key import (
    KeyRow,
    column_lines,
    draw_key_column,
    finding_rows,
    key_rows,
    split_columns,
    status_groups,
)
from deployguard.viz.layers import DeploymentLayer, deployment_layers, layer_for, territorial_sea
from deployguard.viz.mapview import MapView
from deployguard.viz.output import save_figure
from deployguard.viz.panels import clusters, draw_panel, panel_view, split_by_scale

if TYPE_CHECKING:
    from deployguard.geography.world import World
    from deployguard.treaty.report import Report

__all__ = ["plot_finding", "plot_report"]

_FONT = 7.5          # map labels and key entries (points)
_FOOT = 6.8          # footer
_MARGIN = 0.15       # figure margin (inches)
_GAP = 0.08          # between panels
_KEY_W = 4.4         # one key column


def _world(settings: Mapping[str, Any], world: World | None) -> World:
    if world is not None:
        return world
    from deployguard.geography.world import World

    return World.load(settings.get("resolution") or "50m", settings.get("worldview") or "de_facto")


def _colors(layers: Sequence[DeploymentLayer]) -> dict[int, str]:
    with_ring = [ly.number for ly in layers if ly.ring is not None]
    return {n: RING_COLORS[k % len(RING_COLORS)] for k, n in enumerate(with_ring)}


def _map_widths(aspects: Sequence[float], height: float) -> tuple[float, list[float]]:
    """Width of the maps block at ``height``: the main panel, then columns of three others.

    Returns the total width and the width of each column after the main panel.
    """
    width = height * aspects[0]
    cols = []
    rest = list(aspects[1:])
    for k in range(0, len(rest), 3):
        chunk = rest[k:k + 3]
        wc = (height - _GAP * (len(chunk) - 1)) / sum(1.0 / a for a in chunk)
        cols.append(wc)
        width += _GAP + wc
    return width, cols


def _map_rects(aspects: Sequence[float], max_w: float, max_h: float
               ) -> tuple[float, list[tuple[float, float, float, float]]]:
    """Height of the maps block and each panel's (x, y, w, h) in inches from its lower left.

    Panels keep their own aspect and fill the block exactly: no white space between them.
    """
    w1, _ = _map_widths(aspects, 1.0)  # the width is linear in the height (less the gaps)
    w0, _ = _map_widths(aspects, 0.0)
    height = min(max_h, (max_w - w0) / (w1 - w0))
    _, cols = _map_widths(aspects, height)
    rects = [(0.0, 0.0, height * aspects[0], height)]
    x = height * aspects[0]
    rest = list(aspects[1:])
    for k, wc in enumerate(cols):
        x += _GAP
        y = height
        for a in rest[3 * k:3 * k + 3]:
            h = wc / a
            y -= h
            rects.append((x, y, wc, h))
            y -= _GAP
        x += wc
    return height, rects


def _figure(width: float, height: float) -> Figure:
    import matplotlib.pyplot as plt  # a figure notebooks display and scripts can close

    return plt.figure(figsize=(width, height))


def _add_axes(fig: Figure, rect: tuple[float, float, float, float], x0: float, y0: float) -> Axes:
    fw, fh = fig.get_size_inches()
    x, y, w, h = rect
    return fig.add_axes(((x0 + x) / fw, (y0 + y) / fh, w / fw, h / fh))


def _columns(rows_for: Callable[[float], list[KeyRow]], width: float, lh: float
             ) -> tuple[float, list[list[KeyRow]]]:
    """Key columns filling ``width`` inches below the maps, as even as whole groups allow."""
    ncols = max(1, int((width + 0.25) / (_KEY_W + 0.25)))
    col_w = (width - 0.25 * (ncols - 1)) / ncols
    rows = rows_for(col_w)
    total = column_lines(rows)
    # start from the longest group, so that every group fits a column whole
    lines = max([column_lines(g) for g in status_groups(rows)] + [total / ncols])
    cols = split_columns(rows, max_lines=lines)
    while len(cols) > ncols:
        lines += 1.0
        cols = split_columns(rows, max_lines=lines)
    return col_w, cols


def _compose(views: Sequence[MapView], rows_for: Callable[[float], list[KeyRow]],
             footer: Sequence[str], title: str, subtitle: str, *, max_w: float, max_h: float
             ) -> tuple[Figure, list[Axes]]:
    """A figure with the panels, the key, a title and the footer, without white space.

    The key goes in one column to the right of the maps when it fits beside them, else in
    columns under them (each status group kept whole).
    """
    aspects = [v.aspect for v in views]
    lh = _FONT * 1.32 / 72.0
    height, rects = _map_rects(aspects, max_w - 2 * _MARGIN - (0.2 + _KEY_W), max_h)
    cols = split_columns(rows_for(_KEY_W), max_lines=height / lh)
    beside = len(cols) == 1
    if not beside:
        height, rects = _map_rects(aspects, max_w - 2 * _MARGIN, max_h)
    maps_w = max(x + w for x, _, w, _ in rects)
    if beside:
        col_w, key_h = _KEY_W, column_lines(cols[0]) * lh
        width = 2 * _MARGIN + maps_w + 0.2 + _KEY_W
    else:
        col_w, cols = _columns(rows_for, maps_w, lh)
        key_h = max(column_lines(c) for c in cols) * lh
        width = 2 * _MARGIN + maps_w
    foot = wrap_lines(footer, width - 2 * _MARGIN, _FOOT)
    foot_h = len(foot) * _FOOT * 1.3 / 72.0 + 0.1
    heads = wrap_lines([title], 0.9 * (width - 2 * _MARGIN), 11)  # bold: about 10 % wider
    subs = wrap_lines([subtitle], width - 2 * _MARGIN, 7.8)
    title_lh, sub_lh = 11 * 1.25 / 72.0, 7.8 * 1.3 / 72.0
    title_h = 0.1 + len(heads) * title_lh + 0.06 + len(subs) * sub_lh + 0.08
    below = 0.0 if beside else key_h + 0.15
    band = max(height, key_h) if beside else height
    fig = _figure(width, _MARGIN + foot_h + 0.12 + below + band + title_h)
    base = _MARGIN + foot_h + 0.12
    axes = [_add_axes(fig, r, _MARGIN, base + below + (band - height)) for r in rects]
    if beside:
        draw_key_column(fig, (_MARGIN + maps_w + 0.2, base + band - key_h, _KEY_W, key_h),
                        cols[0], fontsize=_FONT)
    else:
        for k, col in enumerate(cols):
            draw_key_column(fig, (_MARGIN + k * (col_w + 0.25), base, col_w, key_h), col,
                            fontsize=_FONT)
    fh = fig.get_size_inches()[1]
    fig.text(_MARGIN / width, 1 - 0.1 / fh, "\n".join(heads), fontsize=11, weight="bold",
             va="top", linespacing=1.1, gid="title")
    fig.text(_MARGIN / width, 1 - (0.16 + len(heads) * title_lh) / fh, "\n".join(subs),
             fontsize=7.8, va="top", color="#333333", linespacing=1.15, gid="subtitle")
    fig.text(_MARGIN / width, (_MARGIN + foot_h) / fh, "\n".join(foot), fontsize=_FOOT,
             va="top", ha="left", color="#222222", linespacing=1.15, gid="footer")
    return fig, axes


def _footer_under(ax: Axes, lines: Sequence[str]) -> None:
    """The footer as small text under a user's axes (no figure of our own to put it in)."""
    w_in = ax.get_position().width * figure_of(ax).get_size_inches()[0]
    ax.text(0.0, -0.01, "\n".join(wrap_lines(lines, w_in, 5.5)), transform=ax.transAxes,
            fontsize=5.5, va="top", ha="left", gid="footer")


def _finish(fig: Figure, path: str | os.PathLike[str] | None, dpi: float) -> Figure:
    if path is not None:
        save_figure(fig, path, dpi)
    return fig


def plot_report(report: Report, path: str | os.PathLike[str] | None = None, *,
                deployment: Any = None, world: World | None = None, projection: Any = "auto",
                ax: Axes | None = None, dpi: float = 150.0, max_width: float = 16.0,
                max_height: float = 6.4, title: str | None = None) -> Figure:
    """Map a :class:`~deployguard.treaty.report.Report`; write it when ``path`` is given.

    Parameters
    ----------
    report : Report
        From :func:`deployguard.check`.
    path : str or path, optional
        ``.png``, ``.svg`` or ``.pdf`` (written atomically at ``dpi``).
    deployment : Deployment, int or str, optional
        Draw only this deployment (object, 0-based index or name) with its evidence.
    world : World, optional
        Borders to draw; default the worldview and resolution the run used.
    projection : str or pyproj.CRS
        "auto" (azimuthal equidistant for one site, conic for a mid-latitude theatre, polar
        for the Arctic), a name of :data:`~deployguard.viz.mapview.PROJECTIONS` or any CRS.
    ax : matplotlib Axes, optional
        Draw one panel (every deployment) into the user's axes, with the footer under it.
    max_width : float
        Inches the figure (maps and key) may take.
    max_height : float
        Inches the maps may take.

    Returns
    -------
    matplotlib Figure
    """
    from deployguard.treaty.report import Report

    if not isinstance(report, Report):
        raise InvalidInputError(
            f"report must be a deployguard Report (from deployguard.check), got {report!r:.80}"
        )
    world = _world(report.settings, world)
    if deployment is not None:
        found = report.for_deployment(deployment)  # validates deployment
        d = found[0].deployment if found else _lookup(report, deployment)
        i = next(k for k, x in enumerate(report.deployments) if x is d)
        layer = layer_for(i + 1, d, found, world, sea=territorial_sea(report.settings))
        return _one(layer, found, report.settings, world, path=path, projection=projection,
                    ax=ax, dpi=dpi, title=title, max_height=max_height)
    layers = deployment_layers(report, world)
    mapped = [ly for ly in layers if ly.anchor is not None]
    if not mapped:
        raise InvalidInputError("report has no deployment with a location to map")
    colors = _colors(layers)
    if ax is not None:  # one panel in the user's axes: framed on the theatre, wide rings cut
        groups = [mapped]
        views = [panel_view(mapped, projection=projection)]
    else:  # a panel per theatre and per ring of another scale, every ring whole
        groups = [part for g in clusters([ly.anchor for ly in mapped if ly.anchor])
                  for part in split_by_scale([mapped[k] for k in g])]
        views = [panel_view(g, projection=projection, whole_rings=True) for g in groups]
    letters = [chr(ord("A") + k) for k in range(len(views))] if len(views) > 1 else [""]
    footer = report_footer(report.settings, report.deployments, report.findings,
                           {k or "map": v for k, v in zip(letters, views, strict=True)},
                           worldview=world.worldview, resolution=world.resolution)
    if ax is not None:
        draw_panel(ax, views[0].fit_aspect(box_aspect(ax)), groups[0], world, colors,
                   fontsize=_FONT)
        _footer_under(ax, footer)
        return _finish(figure_of(ax), path, dpi)
    n = len(report.deployments)
    drafts = ", ".join(str(x).upper() for x in report.settings.get("drafts") or ("us", "nato"))
    fig, axes = _compose(
        views, lambda w: key_rows(layers, colors, width_in=w, fontsize=_FONT), footer,
        title or f"{n} deployment{'s' if n != 1 else ''} checked against the December 2021 "
        f"draft treaties ({drafts})",
        "Numbered badges: deployments, coloured by their worst status (see the key). Lines: "
        "range rings, one colour per deployment; shaded in the same colour: the other party's "
        "territory within range.", max_w=max_width, max_h=max_height)
    for pax, view, group, letter in zip(axes, views, groups, letters, strict=True):
        draw_panel(pax, view, group, world, colors, letter=letter or None, fontsize=_FONT)
    return _finish(fig, path, dpi)


def _lookup(report: Report, deployment: Any) -> Any:
    if isinstance(deployment, int):
        return report.deployments[deployment]
    if isinstance(deployment, str):
        return next(d for d in report.deployments if d.name == deployment)
    return deployment


def _who(layer: DeploymentLayer) -> str:
    d = layer.deployment
    return d.name if d.date.isoformat() in d.name else f"{d.name} ({d.by}, {d.date})"


def _one(layer: DeploymentLayer, findings: Sequence[Finding], settings: Mapping[str, Any],
         world: World, *, path: str | os.PathLike[str] | None, projection: Any,
         ax: Axes | None, dpi: float, title: str | None, max_height: float) -> Figure:
    """The map of one deployment: panel, key of its findings, footer."""
    if layer.anchor is None:
        raise InvalidInputError(
            f"deployment {layer.name!r} has no location to map (kind {layer.deployment.kind!r})")
    sea = territorial_sea(settings)
    view = single_view(layer, world, projection=projection, sea=sea)
    footer = report_footer(settings, [layer.deployment], findings, {"map": view},
                           worldview=world.worldview, resolution=world.resolution,
                           numbers=[layer.number])
    if ax is not None:
        draw_evidence(ax, view.fit_aspect(box_aspect(ax)), layer, world, fontsize=_FONT, sea=sea)
        _footer_under(ax, footer)
        return _finish(figure_of(ax), path, dpi)
    fig, axes = _compose(
        [view], lambda w: finding_rows(findings, width_in=w, fontsize=_FONT), footer,
        title or f"{layer.number}. {_who(layer)}",
        "Ring: the range each verdict used; band: the low-high estimates; shaded: the other "
        "party's territory within range; dashed: the geodesic to its nearest state.",
        max_w=13.0, max_h=max(math.floor(max_height), 5.5))
    draw_evidence(axes[0], view, layer, world, fontsize=_FONT, sea=sea)
    return _finish(fig, path, dpi)


def plot_finding(finding: Finding, report: Report | None = None,
                 path: str | os.PathLike[str] | None = None, *, world: World | None = None,
                 projection: Any = "auto", ax: Axes | None = None, dpi: float = 150.0,
                 title: str | None = None) -> Figure:
    """Map one finding: its deployment, ring, the states it reaches and its verdict.

    ``report`` (the run the finding came from) gives the deployment's number and the run's
    settings; without it they are read from the finding's assumptions.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import deployguard as dg
    >>> r = dg.check(dg.Deployment(by="USA", at="Wiesbaden", date="2026-07-01",
    ...                            system="Tomahawk (Typhon)"))
    >>> fig = plot_finding(r.finding("NATO-5"), r)
    >>> "NATO-5" in fig.axes[1].texts[-1].get_text()
    True
    """
    if not isinstance(finding, Finding):
        raise InvalidInputError(f"finding must be a deployguard Finding, got {finding!r:.80}")
    a = finding.assumptions
    settings: Mapping[str, Any] = report.settings if report is not None else {
        "worldview": a.get("worldview"), "resolution": a.get("resolution"),
        "range_estimate": a.get("range_estimate"), "readings": a.get("readings")}
    world = _world(settings, world)
    number = 1
    if report is not None:
        number = next((k + 1 for k, d in enumerate(report.deployments)
                       if d is finding.deployment), 1)
    layer = layer_for(number, finding.deployment, [finding], world,
                      sea=territorial_sea(settings))
    title = title or (f"{finding.clause_id} {finding.status.value.replace('_', ' ')}: "
                      f"{number}. {_who(layer)}")
    return _one(layer, [finding], settings, world, path=path, projection=projection, ax=ax,
                dpi=dpi, title=title, max_height=6.0)
