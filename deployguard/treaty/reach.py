"""What a reach oracle answers: check()'s distance table and a sweep's site-set table alike.

The reach clauses (US-5.2, US-6, NATO-5) ask their context "which of these rows reach any of
these states within [min range, range], and how far is the nearest?"
(:meth:`deployguard.treaty.clauses.base.ClauseContext.reach`); :class:`ReachAnswer` is the
reply, so one clause function decides for both faces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from deployguard.treaty.distances import ReachColumns

__all__ = ["ReachAnswer"]


@dataclass(frozen=True)
class ReachAnswer:
    """What a reach oracle says of some rows: one entry per row asked about.

    Attributes
    ----------
    hit : numpy bool array
        Some target lies at a geodesic distance in [min range, range] (False without a range).
    distance_km : numpy float array
        To the nearest target (NaN where not measured).
    nearest : sequence of str or None
        The nearest target state (None where not measured).
    detail : ReachColumns or None
        The states reached and the distance to each: check() only (a sweep reports none).
    """

    hit: NDArray[np.bool_]
    distance_km: NDArray[np.float64]
    nearest: Sequence[str | None]
    detail: ReachColumns | None = None
