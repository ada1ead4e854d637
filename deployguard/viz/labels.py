"""Map labels that do not collide: greedy placement over candidate positions.

Each label has candidate positions, best first (around its anchor, or along a ring);
labels are placed in priority order, each at the first candidate whose box lies inside
the frame and touches neither a label already placed nor an obstacle (the markers).
A label with no free candidate takes the least-overlapping one, or is dropped if it is
optional (a city name, say; a deployment number never is).  A label placed away from
its anchor gets a thin leader line.

:func:`place_boxes` is the pure geometry (pixels in, choices out) and is what the tests
check; :func:`place_labels` measures matplotlib texts and draws them.

Examples
--------
>>> import numpy as np
>>> cands = [around((0.0, 0.0), (10.0, 4.0), 3.0)] * 3  # three labels on one point
>>> picks = place_boxes(cands, np.array([[10.0, 4.0]] * 3), np.zeros((0, 4)),
...                     (-50.0, -50.0, 50.0, 50.0))
>>> len(set(picks))  # three different places
3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from numpy.typing import NDArray

__all__ = ["MapLabel", "around", "place_boxes", "place_labels"]

# directions tried around an anchor, best first: the four diagonals, then the sides
_DIRECTIONS = np.array([(1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)],
                       dtype=float)
_RINGS = (0.0, 0.7, 1.6, 2.8, 4.5, 7.0)  # extra distances, in label heights


def around(anchor: tuple[float, float], size: tuple[float, float], gap: float,
           steps: Sequence[float] = _RINGS) -> NDArray[np.float64]:
    """Candidate box centres around ``anchor``, nearest first, best direction first.

    A box of ``size`` (w, h) is put with its nearest side or corner ``gap`` (plus some
    label heights) from the anchor, in each of eight directions.
    """
    w, h = size
    out = []
    for extra in steps:
        r = gap + extra * h
        for dx, dy in _DIRECTIONS:
            out.append((anchor[0] + dx * (r + w / 2), anchor[1] + dy * (r + h / 2)))
    return np.asarray(out, dtype=float)


def _overlap(boxes: NDArray[np.float64], others: NDArray[np.float64]) -> NDArray[np.float64]:
    """Overlap area of each box (n, 4: x0 y0 x1 y1) with all ``others`` (m, 4), summed."""
    if not len(others):
        return np.zeros(len(boxes))
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(boxes[:, None, 0],
                                                                       others[None, :, 0])
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(boxes[:, None, 1],
                                                                       others[None, :, 1])
    return np.sum(np.clip(w, 0, None) * np.clip(h, 0, None), axis=1)


def place_boxes(
    candidates: Sequence[NDArray[np.float64]],
    sizes: NDArray[np.float64],
    obstacles: NDArray[np.float64],
    bounds: tuple[float, float, float, float],
    optional: Sequence[bool] | None = None,
) -> list[int | None]:
    """Choose one candidate per label so that boxes do not overlap (greedy, in order).

    Parameters
    ----------
    candidates : sequence of (k_i, 2) arrays
        Box centres to try for each label, best first.
    sizes : (n, 2) array
        Width and height of each label's box.
    obstacles : (m, 4) array
        Boxes (x0, y0, x1, y1) no label may cover.
    bounds : (x0, y0, x1, y1)
        The frame every box should lie in.
    optional : sequence of bool, optional
        Labels that are dropped (None) rather than placed over another.

    Returns
    -------
    list of int or None
        The index of the chosen candidate of each label.
    """
    optional = [False] * len(candidates) if optional is None else list(optional)
    placed: list[NDArray[np.float64]] = []
    picks: list[int | None] = []
    bx0, by0, bx1, by1 = bounds
    for cand, (w, h), opt in zip(candidates, np.asarray(sizes, float), optional, strict=True):
        c = np.asarray(cand, dtype=float).reshape(-1, 2)
        if not len(c):
            picks.append(None)
            continue
        boxes = np.column_stack([c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2,
                                 c[:, 1] + h / 2])
        outside = (np.clip(bx0 - boxes[:, 0], 0, None) + np.clip(boxes[:, 2] - bx1, 0, None)
                   + np.clip(by0 - boxes[:, 1], 0, None) + np.clip(boxes[:, 3] - by1, 0, None))
        taken = np.array(placed).reshape(-1, 4)
        clash = _overlap(boxes, taken) + _overlap(boxes, np.asarray(obstacles).reshape(-1, 4))
        free = np.flatnonzero((clash <= 0) & (outside <= 0))
        if len(free):
            i: int | None = int(free[0])
        elif opt:
            i = None
        else:  # least overlap, keeping inside the frame first
            i = int(np.lexsort((clash, outside))[0])
        picks.append(i)
        if i is not None:
            placed.append(boxes[i])
    return picks


@dataclass(frozen=True)
class MapLabel:
    """A label to place on a map (data coordinates).

    Attributes
    ----------
    text : str
    anchor : (x, y)
        The point the label names (a site, a point on a ring, a city).
    candidates : sequence of (x, y), optional
        Box centres to try instead of positions around the anchor (e.g. along a ring).
    gap_px : float
        Distance kept from the anchor (the marker's radius).
    at_anchor : bool
        Try the anchor itself first (a name written over an area), then around it.
    optional : bool
        Drop the label rather than overlap another.
    style : dict
        Keyword arguments of :class:`matplotlib.text.Text` (fontsize, color, bbox, ...).
    gid : str, optional
        Set on the text artist.
    """

    text: str
    anchor: tuple[float, float]
    candidates: Sequence[tuple[float, float]] | None = None
    gap_px: float = 4.0
    at_anchor: bool = False
    optional: bool = False
    style: dict[str, Any] = field(default_factory=dict)
    gid: str | None = None


def _renderer(ax: Axes) -> Any:
    fig = cast(Figure, ax.figure)
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()  # type: ignore[attr-defined]


def place_labels(ax: Axes, labels: Sequence[MapLabel], *,
                 obstacles: Sequence[tuple[float, float, float]] = (),
                 keep_clear: Sequence[tuple[float, float, float, float]] = (),
                 leader_color: str = "#333333") -> list[Text | None]:
    """Draw ``labels`` on ``ax`` without collisions; returns the texts (None if dropped).

    Parameters
    ----------
    obstacles : sequence of (x, y, radius_px)
        Markers (data coordinates, radius in pixels) that labels must not cover.
    keep_clear : sequence of (x0, y0, x1, y1)
        Rectangles in data coordinates (a scale bar, a panel letter) labels must not cover.

    Notes
    -----
    Sizes are measured at the figure's current layout and DPI; the figure should have its
    final size before labels are placed (a later resize moves data, not font sizes).
    """
    fig = cast(Figure, ax.figure)
    if fig.get_layout_engine() is not None:
        fig.draw_without_rendering()  # a user's layout engine moves axes: settle it first
    ax.apply_aspect()  # and the equal aspect shrinks the box: positions in pixels are final
    renderer = _renderer(ax)
    dpi = fig.dpi
    to_px = ax.transData.transform
    sizes, texts = [], []
    for lab in labels:
        t = ax.text(0, 0, lab.text, ha="center", va="center", **lab.style)
        ext = t.get_window_extent(renderer)  # measured while visible: a hidden text has no size
        t.set_visible(False)
        pad = 0.0
        patch = t.get_bbox_patch()
        if patch is not None:
            box_pad = float(getattr(patch.get_boxstyle(), "pad", 0.3))
            pad = 2.0 * box_pad * float(t.get_fontsize()) * dpi / 72.0
        sizes.append((ext.width + pad + 2.0, ext.height + pad + 2.0))
        texts.append(t)
    obst = np.array([(x - r, y - r, x + r, y + r) for (x, y), r in
                     ((tuple(to_px((ox, oy))), orad) for ox, oy, orad in obstacles)],
                    dtype=float).reshape(-1, 4)
    for bx0, by0, bx1, by1 in keep_clear:
        (px0, py0), (px1, py1) = to_px((bx0, by0)), to_px((bx1, by1))
        obst = np.vstack([obst, [min(px0, px1), min(py0, py1), max(px0, px1), max(py0, py1)]])
    cands = []
    for lab, size in zip(labels, sizes, strict=True):
        if lab.candidates is not None:
            cands.append(np.asarray([to_px(c) for c in lab.candidates], dtype=float).reshape(-1, 2))
        else:
            px = tuple(to_px(lab.anchor))
            ring = around(px, size, lab.gap_px)
            cands.append(np.vstack([[px], ring]) if lab.at_anchor else ring)
    bb = ax.get_window_extent(renderer)
    picks = place_boxes(cands, np.asarray(sizes), obst, (bb.x0, bb.y0, bb.x1, bb.y1),
                        [lab.optional for lab in labels])
    inv = ax.transData.inverted().transform
    out: list[Text | None] = []
    for lab, t, size, c, pick in zip(labels, texts, sizes, cands, picks, strict=True):
        if pick is None:
            t.remove()
            out.append(None)
            continue
        cx, cy = c[pick]
        t.set_position(tuple(inv((cx, cy))))
        t.set_visible(True)
        if lab.gid is not None:
            t.set_gid(lab.gid)
        ax_px = to_px(lab.anchor)
        # the nearest point of the box to the anchor; a leader if it is well away
        nx = float(np.clip(ax_px[0], cx - size[0] / 2, cx + size[0] / 2))
        ny = float(np.clip(ax_px[1], cy - size[1] / 2, cy + size[1] / 2))
        away = np.hypot(nx - ax_px[0], ny - ax_px[1]) > lab.gap_px + 4
        if lab.candidates is None and not lab.at_anchor and away:
            (x0, y0), (x1, y1) = inv(ax_px), inv((nx, ny))
            ax.plot([x0, x1], [y0, y1], color=leader_color, linewidth=0.6,
                    zorder=t.get_zorder() - 0.1, gid=f"leader:{lab.gid}" if lab.gid else None)
        out.append(t)
    return out
