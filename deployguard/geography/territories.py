"""A territory argument given by name: one resolver for every function that takes a territory.

``grid("Poland", 25)`` and ``distance_km(20.5, 54.7, "Poland")`` read a state the same way:
a name, alias, alpha-3 or ISO numeric code (anything :meth:`World.lookup` accepts) becomes
its territory in the borders of ``World.load(resolution, worldview)``; anything else is left
for the caller to validate as a geometry.

Examples
--------
>>> geom = state_territory("Poland")
>>> geom.geom_type, round(geom.bounds[0])
('MultiPolygon', 14)
>>> state_territory((1.0, 2.0)) == (1.0, 2.0)  # not a state: returned as given
True
"""

from __future__ import annotations

import numbers
from typing import Any

from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError, UnknownStateError

__all__ = ["is_state", "state_territory"]


def is_state(value: Any) -> bool:
    """Whether ``value`` names a state (a string or an integer code) rather than a shape."""
    return isinstance(value, str) or (isinstance(value, numbers.Integral)
                                      and not isinstance(value, bool))


def state_territory(value: Any, name: str = "target", *, resolution: str = "50m",
                    worldview: str = "de_facto", sea: bool = False) -> Any:
    """The territory of ``value`` when it names a state, else ``value`` unchanged.

    Parameters
    ----------
    value : str, int or anything else
        A state's name or code; other values (geometries, Territory objects, boxes) are
        returned as given.
    name : str
        The argument's name, for the error message.
    resolution, worldview : str
        The borders (:meth:`deployguard.World.load`); by default 1:50m, de facto.
    sea : bool
        Add the 12-nmi territorial sea.

    Raises
    ------
    UnknownStateError
        A name nothing matches (the message lists the closest known names).
    InvalidInputError
        A state whose territory is empty under ``worldview`` (Kosovo under ``un``).
    """
    if not is_state(value):
        return value
    from deployguard.geography.world import World

    world = World.load(resolution, worldview)
    try:
        code = world.lookup(value)
    except UnknownStateError as exc:  # say which argument held the name
        raise UnknownStateError(f"{name}: {exc}") from exc
    geom: BaseGeometry = world.territory(code, sea=sea)
    if geom.is_empty:
        raise InvalidInputError(f"{name} {value!r}: the territory of {code} is empty under the "
                                f"{world.worldview} worldview")
    return geom
