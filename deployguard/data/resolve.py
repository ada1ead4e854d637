"""Turn the names in a deployment into records: systems through a catalogue, sites through bases.

This is the one place where a deployment's ``system="Iskander-M"`` or ``at="Kaliningrad"`` is
looked up. :class:`~deployguard.data.deployments.Deployment` asks a :class:`Resolver` (the
bundled catalogue and bases unless it is given another), so that after construction every
field of the record has its resolved type.

Examples
--------
>>> r = Resolver.default()
>>> r.system("iskander m", "system").name
'Iskander-M'
>>> label, geom, base = r.location("Kaliningrad")
>>> label, geom.geom_type, base.host
('Kaliningrad', 'Point', 'RUS')
"""

from __future__ import annotations

import functools
import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from deployguard._validate import as_lonlat_arrays
from deployguard.data.bases import Base, Bases
from deployguard.data.catalogue import Catalogue
from deployguard.data.systems import WeaponSystem
from deployguard.errors import (
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownNameError,
)

__all__ = ["Location", "Resolver"]

#: What ``at`` may be after resolution: a base name, a (lon, lat) pair or a geometry.
Location = str | tuple[float, float] | BaseGeometry


@dataclass(frozen=True)
class Resolver:
    """Looks deployment inputs up in one catalogue and one bases table.

    Parameters
    ----------
    catalogue : Catalogue
    bases : Bases
    """

    catalogue: Catalogue
    bases: Bases

    @classmethod
    def default(cls) -> Resolver:
        """The bundled catalogue and bases (cached)."""
        return _default()

    def system(self, value: object, field_name: str) -> WeaponSystem:
        """A system name or record as a :class:`WeaponSystem` with its carried weapons."""
        if isinstance(value, WeaponSystem):
            # a hand-made platform names its weapons; resolve them here, once
            return self.catalogue.resolve(value) if value.platform_weapons else value
        if not isinstance(value, str):
            raise InvalidInputError(
                f"{field_name} must be a system name or WeaponSystem, got {value!r}"
            )
        try:
            return self.catalogue.get(value)
        except UnknownNameError as exc:
            raise type(exc)(f"{field_name}: {exc}") from exc

    def location(self, at: object) -> tuple[Location, BaseGeometry, Base | None]:
        """``(at as kept, its geometry, the named base or None)``, or raise naming ``at``."""
        if isinstance(at, str):
            try:
                base = self.bases.get(at)
            except UnknownNameError as exc:
                raise type(exc)(f"at: {exc}") from exc
            return base.name, base.point, base
        if isinstance(at, BaseGeometry):
            return at, _checked_geometry(at), None
        if isinstance(at, Mapping) and "type" in at:
            _real_coordinates(at)
            try:
                geom = shape(dict(at))
            except Exception as exc:  # shapely raises several types for bad GeoJSON
                raise InvalidInputError(f"at is not a valid GeoJSON geometry: {at!r}") from exc
            return geom, _checked_geometry(geom), None
        if isinstance(at, tuple | list) and len(at) == 2:
            lon_a, lat_a = as_lonlat_arrays(at[0], at[1])
            if lon_a.shape != ():
                raise InvalidInputError(f"at must be one (lon, lat) pair, got {at!r}")
            # keep the caller's digits unless the longitude really needed wrapping
            lon = float(at[0]) if -180.0 <= float(at[0]) <= 180.0 else float(lon_a)
            lonlat = (lon, float(lat_a))
            return lonlat, shapely.Point(lonlat), None
        raise InvalidInputError(
            "at must be a (lon, lat) pair, a shapely geometry, a GeoJSON geometry mapping or a "
            f"base name, got {at!r}"
        )


def _real_coordinates(value: object) -> None:
    """Raise unless every GeoJSON coordinate is a real number (shapely reads True as 1, '5' as 5).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.get(k) for k in ("coordinates", "geometries") if k in item)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif item is not None and (isinstance(item, bool | str | bytes)
                                   or not isinstance(item, numbers.Real)):
            raise InvalidInputError(
                f"at: GeoJSON coordinates must be real numbers (degrees), not booleans, text or "
                f"bytes; got {item!r}"
            )


def _checked_geometry(at: BaseGeometry) -> BaseGeometry:
    if at.is_empty:
        raise InvalidInputError(f"at must be a non-empty geometry, got an empty {at.geom_type}")
    if not at.is_valid:
        raise InvalidInputError(
            f"at must be a valid geometry, got an invalid {at.geom_type}: "
            f"{shapely.is_valid_reason(at)}"
        )
    coords = shapely.get_coordinates(at)
    as_lonlat_arrays(coords[:, 0], coords[:, 1])
    if (abs(coords[:, 0]) > 180).any():
        raise InvalidInputError(
            f"at: geometry longitudes must lie in [-180, 180], got {at.wkt[:80]}"
        )
    _warn_wide(at)
    return at


def _warn_wide(geom: BaseGeometry) -> None:
    """Warn when a part of ``geom`` spans more than 180 degrees of longitude."""
    spans = [float(lon.max() - lon.min()) for lon in (
        shapely.get_coordinates(part)[:, 0] for part in shapely.get_parts(geom)
    ) if lon.size]
    span = max(spans, default=0.0)
    if span > 180.0:
        warnings.warn(
            f"at spans {span:.0f} degrees of longitude: edges are straight in lon/lat, so it is "
            "read the long way round (not across the 180 degree meridian). If you meant the "
            "short way, split it at 180 degrees (e.g. into a MultiPolygon with parts on either "
            "side)",
            ModellingAssumptionWarning,
            stacklevel=5,
        )


@functools.cache
def _default() -> Resolver:
    return Resolver(Catalogue.load(), Bases.load())
