"""deployguard: would this deployment break Russia's December 2021 draft treaties?

Geodesically exact (WGS84, GeographicLib) answers with the evidence and the
assumptions behind them.

Examples
--------
>>> import deployguard as dg
>>> world = dg.World.load("50m")
>>> world.lookup("Russian Federation")
'RUS'
>>> len(dg.nato.members(on="1997-05-27"))
16
"""

from deployguard.alliances import FORMER_USSR, art7_regions, csto, nato, states_in_europe
from deployguard.baseline1997 import Baseline1997, BaselineEntry, BaselineLevel
from deployguard.bases import Base, Bases, UnknownBaseError
from deployguard.catalogue import Catalogue
from deployguard.checker import check
from deployguard.clauses import CLAUSES, Clause, Finding, Readings, Status, get_clause
from deployguard.deployments import Deployment, builtin_scenario, load_scenario
from deployguard.errors import (
    DataError,
    DeployguardError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownStateError,
    UnknownSystemError,
)
from deployguard.geodesy.index import DistanceIndex
from deployguard.plotting import plot_map, plot_range_overlap, plot_report, plot_zone
from deployguard.ranges import distance_km, range_ring, reach_zone, target_index, within_range
from deployguard.report import Report
from deployguard.systems import WeaponSystem
from deployguard.worldviews import Worldview
from deployguard.zones import Territory, World

__version__ = "0.1.0"

__all__ = [
    "CLAUSES",
    "FORMER_USSR",
    "Base",
    "Baseline1997",
    "BaselineEntry",
    "BaselineLevel",
    "Bases",
    "Catalogue",
    "Clause",
    "DataError",
    "Deployment",
    "DeployguardError",
    "DistanceIndex",
    "Finding",
    "InvalidInputError",
    "ModellingAssumptionWarning",
    "Readings",
    "Report",
    "Status",
    "Territory",
    "UnknownBaseError",
    "UnknownStateError",
    "UnknownSystemError",
    "WeaponSystem",
    "World",
    "Worldview",
    "__version__",
    "art7_regions",
    "builtin_scenario",
    "check",
    "csto",
    "distance_km",
    "get_clause",
    "load_scenario",
    "nato",
    "plot_map",
    "plot_range_overlap",
    "plot_report",
    "plot_zone",
    "range_ring",
    "reach_zone",
    "states_in_europe",
    "target_index",
    "within_range",
]
