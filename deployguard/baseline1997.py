"""Foreign forces stationed in European states on 27 May 1997 (the design card's module name).

The code lives in :mod:`deployguard.data.baseline1997`; this module re-exports it so that
``from deployguard.baseline1997 import Baseline1997`` keeps working.

Examples
--------
>>> from deployguard.baseline1997 import Baseline1997
>>> Baseline1997.load().level("HUN", "USA").known
True
"""

from deployguard.data.baseline1997 import (
    BASELINE_DATE,
    CATEGORIES,
    Baseline1997,
    BaselineEntry,
    BaselineLevel,
)

__all__ = ["BASELINE_DATE", "CATEGORIES", "Baseline1997", "BaselineEntry", "BaselineLevel"]
