"""Input checks shared by the public functions (coordinates, radii, dates)."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np

from deployguard.errors import InvalidInputError

__all__ = ["as_lonlat_arrays", "as_nonnegative_km", "as_date"]


def as_lonlat_arrays(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return broadcast float arrays of ``lon`` and ``lat`` after checking them.

    Longitudes may be any finite number (they are wrapped into [-180, 180]);
    latitudes must lie in [-90, 90]. NaN and infinities are rejected.
    """
    for name, value in (("lon", lon), ("lat", lat)):
        if value is None:
            raise InvalidInputError(f"{name} is None; expected degrees (a number or array)")
    try:
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"lon/lat must be numbers or arrays of numbers, got lon={lon!r}, lat={lat!r}"
        ) from exc
    try:
        lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    except ValueError as exc:
        raise InvalidInputError(
            f"lon and lat must broadcast together, got shapes {lon_a.shape} and {lat_a.shape}"
        ) from exc
    bad = ~np.isfinite(lon_a)
    if bad.any():
        raise InvalidInputError(
            f"lon must be finite degrees, got {lon_a[bad].ravel()[0]!r} "
            f"(at index {np.argwhere(bad)[0].tolist()})"
        )
    bad = ~np.isfinite(lat_a) | (lat_a < -90.0) | (lat_a > 90.0)
    if bad.any():
        raise InvalidInputError(
            f"lat must be degrees in [-90, 90], got {lat_a[bad].ravel()[0]!r} "
            f"(at index {np.argwhere(bad)[0].tolist()})"
        )
    wrapped = (lon_a + 180.0) % 360.0 - 180.0
    # keep +180 as +180 rather than folding it onto -180
    wrapped = np.where((wrapped == -180.0) & (lon_a > 0), 180.0, wrapped)
    return wrapped, lat_a.copy()


def as_nonnegative_km(value: Any, name: str) -> float:
    """Return ``value`` as a finite float >= 0, or raise naming ``name``."""
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be a number of kilometres, got {value!r}") from exc
    if not math.isfinite(out) or out < 0:
        raise InvalidInputError(f"{name} must be a finite number of km >= 0, got {value!r}")
    return out


def as_date(value: Any, name: str = "date") -> _dt.date:
    """Return ``value`` as a :class:`datetime.date` (accepts ISO strings)."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise InvalidInputError(
                f"{name} must be an ISO date like '2021-12-17', got {value!r}"
            ) from exc
    raise InvalidInputError(f"{name} must be a date or ISO date string, got {value!r}")
