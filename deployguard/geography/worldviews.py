"""Worldviews: who holds each disputed area (Crimea first).

Natural Earth 4.1 draws borders "as on the ground": Crimea inside Russia. A :class:`Worldview`
reassigns disputed areas to a holder before any territory is built. Three are built in:

``de_facto``
    As held on the ground in December 2021 (Crimea with Russia; Kosovo, Northern Cyprus and
    Somaliland as their own units).
``un``
    Borders of UN member states as recognised by the UN General Assembly (UNGA res. 68/262:
    Crimea with Ukraine; Kosovo with Serbia, Northern Cyprus with Cyprus, Somaliland with Somalia).
``russia``
    Russia's own claims as of December 2021 (Crimea with Russia, Kosovo with Serbia). Later
    claims (the 2022 annexations) can be layered on with :meth:`Worldview.from_geojson`.

Examples
--------
>>> Worldview.builtin("un").holders["CRIMEA"]
'UKR'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from deployguard.data.files import read_countries, read_disputed_areas
from deployguard.errors import DataError, InvalidInputError

__all__ = ["BUILTIN_WORLDVIEWS", "Worldview"]

BUILTIN_WORLDVIEWS: tuple[str, ...] = ("de_facto", "un", "russia")


@dataclass(frozen=True, eq=False)
class Worldview:
    """Who holds each disputed area; hashable by identity so worlds can be cached on it.

    Parameters
    ----------
    name : str
        Recorded in every result built under this worldview.
    holders : Mapping[str, str]
        Disputed-area id -> alpha-3 code of the holder under this worldview.
    user_areas : geopandas.GeoDataFrame or None
        Areas supplied by the user (columns ``id, holder, geometry``), applied after the base's
        areas, at every resolution. None for a built-in worldview.
    base : Worldview or None
        A worldview whose areas are applied first (user areas override them where they overlap).
    source : str
        Where the assignments come from.

    Examples
    --------
    >>> wv = Worldview.builtin("russia")
    >>> wv.name, wv.holders["CRIMEA"]
    ('russia', 'RUS')
    """

    name: str
    holders: Mapping[str, str]
    user_areas: gpd.GeoDataFrame | None = None
    base: Worldview | None = None
    source: str = ""
    _builtin: bool = field(default=False, repr=False)

    def __repr__(self) -> str:
        return f"Worldview({self.name!r})"

    @classmethod
    @functools.cache
    def builtin(cls, name: str) -> Worldview:
        """Return the built-in worldview ``name`` (one of :data:`BUILTIN_WORLDVIEWS`).

        Raises
        ------
        InvalidInputError
            For any other name; the message lists the valid ones.

        Examples
        --------
        >>> Worldview.builtin("de_facto").holders["CRIMEA"]
        'RUS'
        """
        if not isinstance(name, str) or name not in BUILTIN_WORLDVIEWS:
            raise InvalidInputError(
                f"worldview must be one of {', '.join(map(repr, BUILTIN_WORLDVIEWS))} or a "
                f"Worldview object, got {name!r}"
            )
        areas = read_disputed_areas("50m")  # the holders are the same at every resolution
        holders = dict(zip(areas["id"], areas[name], strict=True))
        sources = "; ".join(f"{i}: {s}" for i, s in zip(areas["id"], areas["source"], strict=True))
        return cls(name, MappingProxyType(holders), source=sources, _builtin=True)

    @classmethod
    def from_geojson(
        cls,
        path: str | os.PathLike[str],
        name: str,
        holder_property: str = "holder",
        id_property: str = "id",
        base: str | Worldview | None = "russia",
    ) -> Worldview:
        """Build a worldview from a GeoJSON file of disputed areas.

        Each feature is a (Multi)Polygon in EPSG:4326 whose ``holder_property`` names the alpha-3
        code of the state that holds it under this worldview. The areas are cut out of whatever
        units they overlap and given to the holder, after the ``base`` worldview's areas. The same
        geometry is used at every resolution, so borders along an area's edge mix resolutions.
        Precomputed territorial-sea belts exist only for built-in areas: a user area's sea is not
        reassigned (``sea=True`` issues a :class:`~deployguard.errors.ModellingAssumptionWarning`).

        Raises
        ------
        DataError
            If the file cannot be read, lacks the properties, or names an unknown holder.
        InvalidInputError
            If ``name`` clashes with a built-in worldview.

        Examples
        --------
        >>> import json, tempfile, os
        >>> feature = {"type": "Feature", "properties": {"id": "ZAP", "holder": "RUS"},
        ...            "geometry": {"type": "Polygon", "coordinates": [[[34, 47], [36, 47],
        ...                         [36, 46.5], [34, 46.5], [34, 47]]]}}
        >>> path = os.path.join(tempfile.mkdtemp(), "claims.geojson")
        >>> with open(path, "w") as fh:
        ...     json.dump({"type": "FeatureCollection", "features": [feature]}, fh)
        >>> wv = Worldview.from_geojson(path, name="russia_2022")
        >>> wv.holders["ZAP"], wv.holders["CRIMEA"]
        ('RUS', 'RUS')
        """
        if not isinstance(name, str) or not name or name in BUILTIN_WORLDVIEWS:
            raise InvalidInputError(
                f"name must be a new non-empty string (not one of {BUILTIN_WORLDVIEWS}), "
                f"got {name!r}"
            )
        try:
            gdf = gpd.read_file(path)
        except Exception as exc:  # pyogrio raises its own types for missing/bad files
            raise DataError(f"cannot read worldview file {os.fspath(path)!r}: {exc}") from exc
        for prop in (holder_property, id_property):
            if prop not in gdf.columns:
                raise DataError(
                    f"worldview file {os.fspath(path)!r} lacks property {prop!r}; "
                    f"it has {sorted(c for c in gdf.columns if c != 'geometry')}"
                )
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            gdf = gdf.to_crs("EPSG:4326")
        known = set(read_countries("50m")["iso_a3"])
        holders = [str(h).strip().upper() for h in gdf[holder_property]]
        unknown = sorted({h for h in holders if h not in known})
        if unknown:
            raise DataError(
                f"worldview file {os.fspath(path)!r} names unknown holders {unknown}; "
                "use ISO 3166-1 alpha-3 codes (see World.lookup)"
            )
        bad_geom = ~gdf.geom_type.isin(["Polygon", "MultiPolygon"])
        if bad_geom.any():
            raise DataError(
                f"worldview areas must be (Multi)Polygons; feature {int(bad_geom.argmax())} is "
                f"{gdf.geom_type[bad_geom].iloc[0]}"
            )
        areas = gpd.GeoDataFrame(
            {"id": gdf[id_property].astype(str).to_numpy(), "holder": holders},
            geometry=gdf.geometry.make_valid().to_numpy(),
            crs="EPSG:4326",
        )
        base_wv = Worldview.builtin(base) if isinstance(base, str) else base
        holders_map = dict(base_wv.holders) if base_wv is not None else {}
        holders_map.update(zip(areas["id"], areas["holder"], strict=True))
        return cls(
            name,
            MappingProxyType(holders_map),
            user_areas=areas,
            base=base_wv,
            source=f"user file {os.fspath(path)}",
        )

    def areas_at(self, resolution: str) -> gpd.GeoDataFrame:
        """Areas to reassign, in the order they apply (columns ``id, holder, has_sea_belt,
        geometry``).

        Examples
        --------
        >>> Worldview.builtin("un").areas_at("50m").set_index("id").loc["CRIMEA", "holder"]
        'UKR'
        """
        parts = []
        if self.base is not None:
            parts.append(self.base.areas_at(resolution))
        if self._builtin:
            builtin = read_disputed_areas(resolution)
            parts.append(
                gpd.GeoDataFrame(
                    {"id": builtin["id"], "holder": builtin[self.name], "has_sea_belt": True},
                    geometry=builtin.geometry,
                    crs="EPSG:4326",
                )
            )
        if self.user_areas is not None:
            parts.append(self.user_areas.assign(has_sea_belt=False))
        out = pd.concat(parts, ignore_index=True) if parts else None
        if out is None:
            return gpd.GeoDataFrame(
                {"id": [], "holder": [], "has_sea_belt": []}, geometry=[], crs="EPSG:4326"
            )
        return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
