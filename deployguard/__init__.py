"""deployguard: would this deployment break Russia's December 2021 draft treaties?

Geodesically exact (WGS84, GeographicLib) answers with the evidence and the assumptions behind
them.  The names below are the public API; each is imported on first use, so ``import
deployguard`` loads no matplotlib and reads no data file.  Kernel classes and row records stay
importable from their floor (``deployguard.geodesy``, ``deployguard.data``,
``deployguard.geography``, ``deployguard.treaty``, ``deployguard.viz``).

Examples
--------
>>> import deployguard as dg
>>> world = dg.World.load("50m")
>>> world.lookup("Russian Federation")
'RUS'
>>> len(dg.nato.members(on="1997-05-27"))
16
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from deployguard._bundled import ensure_geodata

__version__ = "0.2.0"

ensure_geodata()  # the bundled data, also when Python runs in a clone's root

# public name -> module that defines it (imported on first access, PEP 562)
_LAZY: dict[str, str] = {
    # geography: where states are, how far things are
    "World": "deployguard.geography.world",
    "Worldview": "deployguard.geography.worldviews",
    "distance_km": "deployguard.geography.ranges",
    "geometry_distance_km": "deployguard.geography.ranges",
    "within_range": "deployguard.geography.ranges",
    "range_ring": "deployguard.geography.ranges",
    "reach_zone": "deployguard.geography.ranges",
    "grid": "deployguard.geography.grid",
    "nato": "deployguard.geography.groups",
    "csto": "deployguard.geography.groups",
    "FORMER_USSR": "deployguard.geography.groups",
    "art7_regions": "deployguard.geography.groups",
    "states_in_europe": "deployguard.geography.groups",
    "places_in_reach": "deployguard.geography.places",
    # data: systems, sites, the 1997 baseline, deployments
    "Catalogue": "deployguard.data.catalogue",
    "WeaponSystem": "deployguard.data.systems",
    "Bases": "deployguard.data.bases",
    "Baseline1997": "deployguard.data.baseline1997",
    "Deployment": "deployguard.data.deployments",
    "load_scenario": "deployguard.data.scenarios",
    "builtin_scenario": "deployguard.data.scenarios",
    "posture": "deployguard.data.postures",
    "data_versions": "deployguard.data.versions",
    # treaty: the clauses and the checker
    "check": "deployguard.treaty.checker",
    "Readings": "deployguard.treaty.readings",
    "Report": "deployguard.treaty.report",
    "Finding": "deployguard.treaty.findings",
    "Status": "deployguard.treaty.findings",
    "CLAUSES": "deployguard.treaty.clauses",
    "get_clause": "deployguard.treaty.clauses",
    "sweep": "deployguard.treaty.sweep",
    "remedies": "deployguard.treaty.remedies",
    "Remedies": "deployguard.treaty.remedies",
    "permitted_zone": "deployguard.treaty.where",
    "permitted_waters": "deployguard.treaty.where",
    # maps
    "plot_finding": "deployguard.viz.plotting",
    "plot_map": "deployguard.viz.plotting",
    "plot_permitted_zone": "deployguard.viz.plotting",
    "plot_zone": "deployguard.viz.plotting",
    "plot_range_overlap": "deployguard.viz.plotting",
    "plot_report": "deployguard.viz.plotting",
    # the errors a user catches most
    "DeployguardError": "deployguard.errors",
    "DeployguardWarning": "deployguard.errors",
    "InvalidInputError": "deployguard.errors",
    "ModellingAssumptionWarning": "deployguard.errors",
}

__all__ = [
    "Baseline1997",
    "Bases",
    "CLAUSES",
    "Catalogue",
    "DeployguardError",
    "DeployguardWarning",
    "Deployment",
    "FORMER_USSR",
    "Finding",
    "InvalidInputError",
    "ModellingAssumptionWarning",
    "Readings",
    "Remedies",
    "Report",
    "Status",
    "WeaponSystem",
    "World",
    "Worldview",
    "__version__",
    "art7_regions",
    "builtin_scenario",
    "check",
    "csto",
    "data_versions",
    "distance_km",
    "geometry_distance_km",
    "get_clause",
    "grid",
    "load_scenario",
    "nato",
    "permitted_waters",
    "permitted_zone",
    "places_in_reach",
    "plot_finding",
    "plot_map",
    "plot_permitted_zone",
    "plot_range_overlap",
    "plot_report",
    "plot_zone",
    "posture",
    "range_ring",
    "reach_zone",
    "remedies",
    "states_in_europe",
    "sweep",
    "within_range",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'deployguard' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


if TYPE_CHECKING:  # static checkers and IDEs see the real objects
    from deployguard.data.baseline1997 import Baseline1997
    from deployguard.data.bases import Bases
    from deployguard.data.catalogue import Catalogue
    from deployguard.data.deployments import Deployment
    from deployguard.data.scenarios import builtin_scenario, load_scenario
    from deployguard.data.systems import WeaponSystem
    from deployguard.data.versions import data_versions
    from deployguard.errors import (
        DeployguardError,
        DeployguardWarning,
        InvalidInputError,
        ModellingAssumptionWarning,
    )
    from deployguard.geography.grid import grid
    from deployguard.geography.groups import (
        FORMER_USSR,
        art7_regions,
        csto,
        nato,
        states_in_europe,
    )
    from deployguard.geography.places import places_in_reach
    from deployguard.geography.ranges import (
        distance_km,
        geometry_distance_km,
        range_ring,
        reach_zone,
        within_range,
    )
    from deployguard.geography.world import World
    from deployguard.geography.worldviews import Worldview
    from deployguard.treaty.checker import check
    from deployguard.treaty.clauses import CLAUSES, get_clause
    from deployguard.treaty.findings import Finding, Status
    from deployguard.treaty.readings import Readings
    from deployguard.treaty.remedies import Remedies, remedies
    from deployguard.treaty.report import Report
    from deployguard.treaty.sweep import sweep
    from deployguard.treaty.where import permitted_waters, permitted_zone
    from deployguard.viz.plotting import (
        plot_finding,
        plot_map,
        plot_permitted_zone,
        plot_range_overlap,
        plot_report,
        plot_zone,
    )
