"""The border line of NATO draft Art. 7 para 2: Russia and its allies against NATO, on a date.

"A zone of agreed width ... on each side of the border line of the Russian Federation and the
states in a military alliance with it, as well as Parties that are member States of the North
Atlantic Treaty Organization". The line is made of the segments of boundary that a state of
one side shares with a state of the other: land borders and, with the territorial sea, the
lateral boundaries where their 12-nmi belts meet. A state's border joins the line on the day
it joins its side (Finland's 1,300 km with Russia from 4 April 2023).

Shared segments are taken as the part of one territory's boundary that lies within 0.1 mm
(1e-6 degrees) of the other territory: Natural Earth's neighbours share their arcs, but after
the worldview and the union with the sea belts their vertices no longer match bit for bit.
Lines are cached per (resolution, worldview, sides, sea).

Examples
--------
>>> import deployguard as dg
>>> line = border_line(dg.World.load(), frozenset({"RUS"}), frozenset({"FIN"}), sea=False)
>>> line.geom_type in ("LineString", "MultiLineString")
True
"""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from deployguard.geography.world import World

__all__ = ["border_line", "shared_boundary"]

_EPS_DEG = 1e-6
_cache: dict[tuple[Any, ...], BaseGeometry] = {}


def shared_boundary(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """The part of ``a``'s boundary that ``b`` shares (lines; empty if they do not touch)."""
    if a.is_empty or b.is_empty:
        return shapely.LineString()
    ax0, ay0, ax1, ay1 = a.bounds
    bx0, by0, bx1, by1 = b.bounds
    if ax0 > bx1 + 0.1 or bx0 > ax1 + 0.1 or ay0 > by1 + 0.1 or by0 > ay1 + 0.1:
        return shapely.LineString()
    window = shapely.box(max(ax0, bx0) - 0.1, max(ay0, by0) - 0.1,
                         min(ax1, bx1) + 0.1, min(ay1, by1) + 0.1)
    near_b = shapely.buffer(shapely.intersection(b, window), _EPS_DEG)
    shared = shapely.intersection(shapely.intersection(a.boundary, window), near_b)
    lines = [p for p in shapely.get_parts(shapely.get_parts(shared))
             if p.geom_type == "LineString" and not p.is_empty]
    merged = shapely.line_merge(shapely.MultiLineString(lines)) if lines else None
    return shapely.LineString() if merged is None else merged


def border_line(
    world: World, side_a: frozenset[str], side_b: frozenset[str], sea: bool = True
) -> BaseGeometry:
    """Every boundary segment shared by a state of ``side_a`` and one of ``side_b``.

    Parameters
    ----------
    world : World
        Borders and worldview.
    side_a, side_b : frozenset of str
        Alpha-3 codes (Russia with its allies; the NATO members on the date).
    sea : bool
        Include the lateral boundaries of the territorial seas.

    Returns
    -------
    shapely LineString or MultiLineString
        Possibly empty (no common border).
    """
    key = (world.resolution, world.worldview_object, side_a, side_b, sea)
    if key not in _cache:
        parts = []
        for a in sorted(side_a):
            ta = world.territory(a, sea=sea)
            for b in sorted(side_b - {a}):
                line = shared_boundary(ta, world.territory(b, sea=sea))
                if not line.is_empty:
                    parts.append(line)
        _cache[key] = shapely.union_all(parts) if parts else shapely.LineString()
    return _cache[key]
