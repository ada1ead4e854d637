"""Locate and load the bundled data files (``deployguard.geodata``), with caching.

The repository's ``geodata/`` folder is installed as the package ``deployguard.geodata``
(see ``pyproject.toml``), so files are found through :mod:`importlib.resources` and work from
a regular install, an editable checkout, a wheel or a zip alike; from a source tree that is not
installed (Python started in a clone's root) :mod:`deployguard._bundled` registers ``geodata/``
under that name when ``deployguard`` is imported. Never build paths relative to this file.

Examples
--------
>>> from deployguard.data.files import read_csv
>>> len(read_csv("nato_members.csv"))
32
"""

from __future__ import annotations

import functools
import importlib.resources
import io
from importlib.resources.abc import Traversable

import geopandas as gpd
import pandas as pd

from deployguard.errors import DataError, InvalidInputError

__all__ = [
    "RESOLUTIONS",
    "data_file",
    "has_data_file",
    "read_csv",
    "read_countries",
    "read_disputed_areas",
    "read_territorial_sea",
]

RESOLUTIONS: tuple[str, ...] = ("50m", "10m")
_PACKAGE = "deployguard.geodata"


def data_file(name: str) -> Traversable:
    """Return the bundled file ``name`` as a :class:`~importlib.resources.abc.Traversable`.

    Raises
    ------
    DataError
        If the file is not part of the installed package.

    Examples
    --------
    >>> data_file("groups.csv").name
    'groups.csv'
    """
    path = importlib.resources.files(_PACKAGE).joinpath(name)
    if not path.is_file():
        raise DataError(
            f"bundled data file {name!r} not found in package {_PACKAGE!r}; "
            "reinstall deployguard or rebuild it (see geodata/README.md)"
        )
    return path


def has_data_file(name: str) -> bool:
    """Whether the bundled file ``name`` exists (e.g. a file another build step adds).

    Examples
    --------
    >>> has_data_file("countries_50m.parquet")
    True
    """
    return importlib.resources.files(_PACKAGE).joinpath(name).is_file()


def _check_resolution(resolution: str) -> str:
    if resolution not in RESOLUTIONS:
        raise InvalidInputError(
            f"resolution must be one of {', '.join(map(repr, RESOLUTIONS))}, got {resolution!r}"
        )
    return resolution


@functools.cache
def read_csv(name: str) -> pd.DataFrame:
    """Read a bundled CSV table (lines starting with ``#`` are header comments).

    Empty cells come back as ``""``. The result is cached: copy it before changing it.

    Examples
    --------
    >>> "source" in read_csv("nato_members.csv").columns
    True
    """
    text = data_file(name).read_text(encoding="utf-8")
    try:
        return pd.read_csv(
            io.StringIO(text),
            comment=None,
            dtype=str,
            keep_default_na=False,
            skiprows=_comment_lines(text),
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(f"bundled table {name!r} is malformed: {exc}") from exc


def _comment_lines(text: str) -> list[int]:
    # only leading '#' lines are comments; '#' inside a source URL must survive
    return [i for i, line in enumerate(text.splitlines()) if line.startswith("#")]


def _read_parquet(name: str) -> gpd.GeoDataFrame:
    with data_file(name).open("rb") as fh:
        try:
            gdf = gpd.read_parquet(io.BytesIO(fh.read()))
        except Exception as exc:  # pyarrow raises several unrelated types
            raise DataError(f"bundled GeoParquet {name!r} cannot be read: {exc}") from exc
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataError(f"{name!r} must be in EPSG:4326, found {gdf.crs}")
    return gdf


@functools.cache
def read_countries(resolution: str = "50m") -> gpd.GeoDataFrame:
    """Natural Earth 4.1.0 admin-0 units at ``resolution`` ("50m" or "10m"), cached.

    Columns: ``iso_a3, iso_n3, name, ne_name, official_name, sovereign_a3, kind, geometry``.
    Geometries are valid (Multi)Polygons in EPSG:4326, cut at the antimeridian; edges are
    straight in lon/lat. The cached frame is shared: copy it before changing it.

    Examples
    --------
    >>> gdf = read_countries("50m")
    >>> gdf.loc[gdf.iso_a3 == "GRL", "sovereign_a3"].item()
    'DNK'
    """
    return _read_parquet(f"countries_{_check_resolution(resolution)}.parquet")


@functools.cache
def read_disputed_areas(resolution: str = "50m") -> gpd.GeoDataFrame:
    """Built-in disputed areas at ``resolution`` (columns ``id, name, ne_unit, de_facto, un,
    russia, source, geometry``), cached.

    Examples
    --------
    >>> areas = read_disputed_areas("50m")
    >>> areas.set_index("id").loc["CRIMEA", "un"]
    'UKR'
    """
    _check_resolution(resolution)
    with data_file("disputed_areas.geojson").open("rb") as fh:
        gdf = gpd.read_file(io.BytesIO(fh.read()))
    gdf = gdf[gdf["resolution"] == resolution].reset_index(drop=True)
    if gdf.empty:
        raise DataError(f"disputed_areas.geojson has no features for resolution {resolution!r}")
    return gdf.set_crs("EPSG:4326", allow_override=True)


@functools.cache
def read_territorial_sea(resolution: str = "50m") -> gpd.GeoDataFrame:
    """Territorial-sea belts (columns ``unit, geometry``) at ``resolution``, cached.

    ``unit`` is an alpha-3 code or a disputed-area id ("CRIMEA").

    Raises
    ------
    DataError
        If ``territorial_sea_{resolution}.parquet`` has not been built yet.

    Examples
    --------
    >>> try:
    ...     belts = read_territorial_sea("50m")
    ... except DataError:
    ...     belts = None
    """
    name = f"territorial_sea_{_check_resolution(resolution)}.parquet"
    if not has_data_file(name):
        raise DataError(
            f"territorial-sea data {name!r} is not bundled with this installation, so sea=True "
            "cannot be answered; build it (see geodata/README.md) or use sea=False"
        )
    gdf = _read_parquet(name)
    missing = {"unit", "geometry"} - set(gdf.columns)
    if missing:
        raise DataError(f"{name!r} lacks columns {sorted(missing)}")
    return gdf
