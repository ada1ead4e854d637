"""Named types for the arguments deployguard takes everywhere (for signatures and mypy).

Examples
--------
>>> from deployguard._types import Estimate
>>> Estimate.__args__
('low', 'nominal', 'high')
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal, TypeAlias

from numpy.typing import ArrayLike

__all__ = ["Coordinates", "DateLike", "Estimate", "Resolution", "StateLike"]

#: Longitudes or latitudes in degrees: a number, a sequence or an array (broadcast like numpy).
Coordinates: TypeAlias = ArrayLike
#: A state: an ISO 3166-1 alpha-3 code ("POL"), an ISO numeric code (616) or a name ("Poland").
StateLike: TypeAlias = str | int
#: A day: a :class:`datetime.date` (or datetime) or an ISO string ("2021-12-17").
DateLike: TypeAlias = _dt.date | str
#: Which published range figure to use.
Estimate: TypeAlias = Literal["low", "nominal", "high"]
#: Natural Earth scale of the borders.
Resolution: TypeAlias = Literal["50m", "10m"]
