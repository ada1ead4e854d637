"""Input checks shared by the public functions: coordinates, radii, dates, codes and choices.

One validator per kind of argument, so every message reads the same: it names the field, the
value and what was expected.

Examples
--------
>>> as_alpha3("pol", "host")
'POL'
>>> as_choice("low", "range_estimate", ("low", "nominal", "high"))
'low'
>>> as_choice("lo", "range_estimate", ("low", "nominal", "high"))
Traceback (most recent call last):
...
deployguard.errors.InvalidInputError: range_estimate must be one of [...], got 'lo'
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
import warnings
from collections.abc import Collection
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from deployguard.errors import InvalidInputError, LikelyInputSlipWarning

__all__ = [
    "BOX_ORDER",
    "MAX_ABS_LON",
    "as_alpha3",
    "as_box",
    "as_choice",
    "as_count",
    "as_date",
    "as_degrees_text",
    "as_lonlat_arrays",
    "as_nonnegative_km",
]

#: the largest longitude magnitude accepted (wrapped into [-180, 180]): one and a half turns
MAX_ABS_LON = 540.0
_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")
T = TypeVar("T")


def as_alpha3(value: Any, name: str, *, also: Collection[str] = ()) -> str:
    """Return ``value`` as an upper-case ISO 3166-1 alpha-3 code, or raise naming ``name``.

    ``also`` lists other accepted spellings (e.g. multinational senders "SFOR"), matched
    case-insensitively and returned upper-cased.
    """
    if isinstance(value, str):
        text = value.strip()
        if _ALPHA3.match(text) or text.upper() in also:
            return text.upper()
    extra = f" or one of {sorted(also)}" if also else ""
    raise InvalidInputError(f"{name} must be an ISO alpha-3 code like 'POL'{extra}, got {value!r}")


def as_choice(value: T, name: str, choices: Collection[T]) -> T:
    """Return ``value`` if it is one of ``choices``, else raise naming ``name`` and the choices."""
    try:
        ok = value in choices
    except TypeError:  # unhashable value against a set
        ok = False
    if not ok:
        raise InvalidInputError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def as_lonlat_arrays(
    lon: ArrayLike, lat: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return broadcast float arrays of ``lon`` and ``lat`` after checking them.

    Longitudes may be any finite number in [-540, 540] (:data:`MAX_ABS_LON`; they are wrapped
    into [-180, 180]); latitudes must lie in [-90, 90]. NaN and infinities are rejected, and so
    are booleans, text and bytes: ``True`` or ``b"5"`` is a slip, not a number of degrees (text
    read from a file is parsed where the file is read).
    """
    for name, value in (("lon", lon), ("lat", lat)):
        if value is None:
            raise InvalidInputError(f"{name} is None; expected degrees (a number or array)")
    lon_a = _real_array(lon, "lon")
    lat_a = _real_array(lat, "lat")
    try:
        lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    except ValueError as exc:
        raise InvalidInputError(
            f"lon and lat must broadcast together, got shapes {lon_a.shape} and {lat_a.shape}"
        ) from exc
    bad = ~np.isfinite(lon_a)
    if bad.any():
        raise InvalidInputError(
            f"lon must be finite degrees, got {float(lon_a[bad].ravel()[0])!r}"
            + _at_index(bad)
        )
    bad = ~np.isfinite(lat_a) | (lat_a < -90.0) | (lat_a > 90.0)
    if bad.any():
        raise InvalidInputError(
            f"lat must be degrees in [-90, 90], got {float(lat_a[bad].ravel()[0])!r}"
            + _at_index(bad) + (" (longitude and latitude swapped? deployguard takes lon, lat)"
                                if bool(np.any(np.abs(lat_a[bad]) <= 180.0)) else "")
        )
    bad = np.abs(lon_a) > MAX_ABS_LON
    if bad.any():
        # beyond one and a half turns a longitude is no slip of the wrap but a wrong number
        # (1e308 wrapped silently lands anywhere)
        raise InvalidInputError(
            f"lon must be degrees in [-{MAX_ABS_LON:g}, {MAX_ABS_LON:g}], got "
            f"{float(lon_a[bad].ravel()[0])!r}" + _at_index(bad)
        )
    wrapped = (lon_a + 180.0) % 360.0 - 180.0
    # keep +180 as +180 rather than folding it onto -180
    wrapped = np.where((wrapped == -180.0) & (lon_a > 0), 180.0, wrapped)
    return wrapped, lat_a.copy()


def _real_array(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """``value`` as a float array, refusing booleans, text, bytes and other non-numbers."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise InvalidInputError(
            f"{name} must be a number or an array of numbers (degrees), got {value!r}"
        ) from exc
    kind = raw.dtype.kind
    bad = kind not in "iufO" or (kind == "O" and any(
        isinstance(v, bool | np.bool_ | str | bytes) for v in raw.ravel().tolist()))
    if bad:
        raise InvalidInputError(
            f"{name} must be a real number or an array of real numbers (degrees), not "
            f"booleans, text or bytes; got {_short(value)}"
        )
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInputError(f"{name} must be degrees, got {_short(value)}") from exc


def _short(value: Any, width: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _at_index(bad: NDArray[np.bool_]) -> str:
    # a scalar input has no index worth naming; an array names its first bad position
    if bad.ndim == 0:
        return ""
    where = np.argwhere(bad)[0].tolist()
    return f" (at index {where[0] if len(where) == 1 else tuple(where)})"


def as_count(value: Any, name: str, maximum: int, why: str) -> int:
    """Return ``value`` as a whole number in [0, ``maximum``], or raise naming ``name``.

    ``why`` says what the ceiling stands for; ``7.0`` is accepted as 7, ``True`` is not.

    Examples
    --------
    >>> as_count(7.0, "personnel", 100, "a test")
    7
    """
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real)
    if not bad and not isinstance(value, numbers.Integral):
        bad = not math.isfinite(value) or value != int(value)
    if bad or value < 0:
        raise InvalidInputError(f"{name} must be a whole number >= 0, got {value!r}")
    if value > maximum:
        raise InvalidInputError(f"{name} must be at most {maximum:,} ({why}), got {value!r}")
    return int(value)


def as_degrees_text(value: Any, name: str) -> Any:
    """A record's ``lon``/``lat`` cell: text of a number (CSV, JSON) becomes a float.

    Anything else is returned as given, for :func:`as_lonlat_arrays` to judge; only records
    read from files may hold numbers as text.
    """
    if not isinstance(value, str):
        return value
    try:
        return float(value.strip())
    except ValueError as exc:
        raise InvalidInputError(f"{name} must be degrees (a number), got {value!r}") from exc


def as_nonnegative_km(value: Any, name: str) -> float:
    """Return ``value`` as a finite float >= 0, or raise naming ``name``.

    ``True`` and ``b"5"`` are slips, not distances (``float`` would take them as 1 and 5).
    """
    try:
        if isinstance(value, bool | np.bool_ | bytes):
            raise TypeError(value)
        out = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInputError(f"{name} must be a number of kilometres, got {value!r}") from exc
    if not math.isfinite(out) or out < 0:
        raise InvalidInputError(f"{name} must be a finite number of km >= 0, got {value!r}")
    return out


def as_date(value: Any, name: str = "date") -> _dt.date:
    """Return ``value`` as a :class:`datetime.date` (accepts ISO strings).

    A timezone-aware datetime is converted to UTC first, with a
    :class:`~deployguard.errors.LikelyInputSlipWarning` (near midnight the calendar day
    changes); a naive datetime keeps its own day.
    """
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            utc = value.astimezone(_dt.UTC)
            warnings.warn(
                f"{name} {value.isoformat()} is timezone-aware: converted to UTC "
                f"({utc.isoformat()}), so the date used is {utc.date().isoformat()}",
                LikelyInputSlipWarning,
                stacklevel=3,
            )
            return utc.date()
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            shaped = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
            if shaped:  # the shape is right, the calendar is not: say which part
                raise InvalidInputError(
                    f"{name} {value!r} is not a calendar date: {exc}"
                ) from exc
            raise InvalidInputError(
                f"{name} must be an ISO date like '2021-12-17', got {value!r}"
            ) from exc
    raise InvalidInputError(f"{name} must be a date or ISO date string, got {value!r}")


BOX_ORDER = "(lon_min, lat_min, lon_max, lat_max)"


def _box_problem(box: tuple[float, ...]) -> str | None:
    lon_min, lat_min, lon_max, lat_max = box
    if not all(math.isfinite(v) for v in box):
        return "finite degrees"
    if not (-180 <= lon_min <= 180 and -180 <= lon_max <= 180):
        return "longitudes in [-180, 180] (lon_min > lon_max crosses 180 deg)"
    if not (-90 <= lat_min <= lat_max <= 90):
        return "latitudes with -90 <= lat_min <= lat_max <= 90"
    return None


def as_box(value: Any, name: str) -> tuple[float, float, float, float]:
    """Return ``value`` as a box in shapely's order ``(lon_min, lat_min, lon_max, lat_max)``.

    Degrees (EPSG:4326), the order of ``shapely.box`` and ``geometry.bounds``; ``lon_min >
    lon_max`` is a box across 180 deg.  A box that is valid only in matplotlib's and
    cartopy's order ``(lon_min, lon_max, lat_min, lat_max)`` is refused with the reordered
    box in the message (a box valid in both orders cannot be told apart, and is read in
    shapely's).

    Examples
    --------
    >>> as_box((14.0, 49.0, 24.2, 54.9), "area")
    (14.0, 49.0, 24.2, 54.9)
    >>> as_box((-10, 40, 35, 72), "extent")  # valid in both orders: read as shapely's
    (-10.0, 40.0, 35.0, 72.0)
    >>> as_box((100, 140, 20, 50), "extent")  # East Asia in matplotlib's order
    Traceback (most recent call last):
    ...
    deployguard.errors.InvalidInputError: extent must be a box (lon_min, lat_min, lon_max, \
lat_max) in degrees with latitudes with -90 <= lat_min <= lat_max <= 90, got (100, 140, 20, 50); \
it looks like (lon_min, lon_max, lat_min, lat_max): give (100, 20, 140, 50)
    """
    try:
        box = tuple(float(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be a box {BOX_ORDER} of 4 numbers in degrees, "
                                f"got {value!r:.120}") from exc
    if len(box) != 4:
        raise InvalidInputError(f"{name} must be a box {BOX_ORDER} of 4 numbers in degrees, "
                                f"got {len(box)} numbers: {value!r:.120}")
    problem = _box_problem(box)
    if problem is None:
        return (box[0], box[1], box[2], box[3])
    hint = ""
    swapped = (box[0], box[2], box[1], box[3])
    if _box_problem(swapped) is None:
        v = tuple(value)
        hint = (f"; it looks like (lon_min, lon_max, lat_min, lat_max): give "
                f"({v[0]!r}, {v[2]!r}, {v[1]!r}, {v[3]!r})")
    raise InvalidInputError(f"{name} must be a box {BOX_ORDER} in degrees with {problem}, "
                            f"got {value!r:.120}{hint}")
