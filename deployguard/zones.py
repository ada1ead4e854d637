"""States and their territories under a worldview (the design card's name for this module).

The code lives in :mod:`deployguard.geography.world`; this module re-exports it so that
``from deployguard.zones import World`` keeps working.

Examples
--------
>>> from deployguard.zones import World
>>> World.load().lookup("Poland")
'POL'
"""

from deployguard.geography.world import Territory, World

__all__ = ["Territory", "World"]
