"""The maps of deployguard in one place (matplotlib only, headless, no web tiles).

- :func:`plot_report` - the report map of a check (and ``deployment=`` for one);
- :func:`plot_finding` - the evidence map of one finding;
- :func:`plot_range_overlap` - rings of one or more systems or estimates from a site, and the
  states and places they reach;
- :func:`plot_permitted_zone` - where a party may deploy a system (permitted zone or waters);
- :func:`plot_map`, :func:`plot_zone` - territories, zones and sites on a projected map;
- :func:`map_view`, :func:`project_geometry` - the projections underneath.

The modules: :mod:`~deployguard.viz.mapview` and :mod:`~deployguard.viz.projections`
(projections), :mod:`~deployguard.viz.basemap` (base map and drawing),
:mod:`~deployguard.viz.layers` (rings and overlaps from findings),
:mod:`~deployguard.viz.labels` (labels that do not collide), :mod:`~deployguard.viz.footer`
(scale bars and footers), :mod:`~deployguard.viz.key`, :mod:`~deployguard.viz.panels`,
:mod:`~deployguard.viz.evidence` and :mod:`~deployguard.viz.report_map` (the report map),
:mod:`~deployguard.viz.overlap` (range overlaps), :mod:`~deployguard.viz.permitted`
(permitted zones).

Examples
--------
>>> import deployguard.viz.plotting as maps
>>> [name for name in maps.__all__ if name.startswith("plot_")]  # doctest: +NORMALIZE_WHITESPACE
['plot_finding', 'plot_map', 'plot_permitted_zone', 'plot_range_overlap', 'plot_report',
 'plot_zone']
"""

from __future__ import annotations

from deployguard.viz.basemap import RING_COLORS, STATUS_COLORS, plot_map, plot_zone
from deployguard.viz.mapview import PROJECTIONS, MapView, map_view, project_geometry
from deployguard.viz.overlap import plot_range_overlap
from deployguard.viz.permitted import plot_permitted_zone
from deployguard.viz.report_map import plot_finding, plot_report

__all__ = [
    "PROJECTIONS",
    "RING_COLORS",
    "STATUS_COLORS",
    "MapView",
    "map_view",
    "plot_finding",
    "plot_map",
    "plot_permitted_zone",
    "plot_range_overlap",
    "plot_report",
    "plot_zone",
    "project_geometry",
]
