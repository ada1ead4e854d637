"""The reached part of territories: a range ring cut to them, as the evidence and the maps show it.

A state is *reached* when some point of it is within range; what a map shades, and what a
finding's evidence geometry is, is only the part of it within range: the range ring (see
:func:`deployguard.geography.ranges.range_ring`) intersected with the territory.  One function
makes it, so that the report's evidence and every map draw the same area.

Examples
--------
>>> import shapely
>>> from deployguard.geography.ranges import range_ring
>>> ring = range_ring(20.5, 54.7, 400, tolerance_km=1.0)
>>> part = reached_part(ring, [shapely.box(14.0, 54.0, 16.0, 56.0),    # Bornholm's waters
...                            shapely.box(-60.0, 60.0, -20.0, 83.0)],  # far beyond range
...                     tolerance_km=1.0)
>>> part.within(ring.buffer(0.02)), round(part.bounds[0], 1)  # cut to the ring at 14.3E
(True, 14.3)
>>> reached_part(ring, [shapely.box(-60.0, 60.0, -20.0, 83.0)], tolerance_km=1.0) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

import shapely
from shapely.geometry.base import BaseGeometry

from deployguard.geodesy.prepared import prepared

__all__ = ["drawn_territory", "reached_part"]

KM_PER_DEGREE = 111.0  # a degree of latitude; a degree of longitude is never longer


def _degrees(tolerance_km: float) -> float:
    return float(tolerance_km) / KM_PER_DEGREE


def drawn_territory(territory: BaseGeometry, *, tolerance_km: float) -> BaseGeometry:
    """``territory`` simplified to ``tolerance_km`` (for drawing and evidence), valid, prepared.

    Simplification is in degrees (``tolerance_km / 111``), so no vertex moves more than
    ``tolerance_km`` on the ground at any latitude.
    """
    out = shapely.make_valid(shapely.simplify(territory, _degrees(tolerance_km)))
    return prepared(out)  # under the lock: shared by threads (see geodesy.prepared)


def reached_part(ring: shapely.Geometry, territories: Iterable[shapely.Geometry], *,
                 tolerance_km: float) -> BaseGeometry | None:
    """The part of ``territories`` within ``ring``, simplified to ``tolerance_km``; None if none.

    Parameters
    ----------
    ring : shapely geometry
        Points within range (EPSG:4326), from
        :func:`~deployguard.geography.ranges.range_ring` (an annulus with a minimum range).
    territories : iterable of shapely geometry
        The states' territories (EPSG:4326), as :func:`drawn_territory` makes them.
    tolerance_km : float
        How far the result's outline may stray from the exact intersection (km).

    Returns
    -------
    shapely geometry or None
        ``ring`` intersected with the union of ``territories``; None when they do not meet.

    See Also
    --------
    deployguard.Report.evidence_geometry : a finding's evidence, made with this function.
    """
    parts = [shapely.intersection(ring, t) for t in territories]
    if not parts:
        return None
    out = shapely.simplify(shapely.union_all(parts), _degrees(tolerance_km))
    return None if out.is_empty else out
