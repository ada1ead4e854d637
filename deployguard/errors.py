"""Every exception and warning deployguard raises on purpose.

Every error names the offending field or value and says what was expected, so that a user never
has to read a traceback from inside shapely or pandas.  The unknown-name errors share one parent,
:class:`UnknownNameError`, which is a :class:`KeyError` as well (a failed lookup) and lists the
closest known names.

Examples
--------
>>> from deployguard.errors import UnknownStateError, UnknownNameError
>>> issubclass(UnknownStateError, UnknownNameError), issubclass(UnknownStateError, KeyError)
(True, True)
>>> issubclass(InvalidInputError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "DeployguardError",
    "InvalidInputError",
    "LikelyInputSlipWarning",
    "ModellingAssumptionWarning",
    "UnknownBaseError",
    "UnknownClauseError",
    "UnknownNameError",
    "UnknownStateError",
    "UnknownSystemError",
    "ZoneTraceError",
]


class DeployguardError(Exception):
    """Base class of every error deployguard raises on purpose."""


class InvalidInputError(DeployguardError, ValueError):
    """An argument has the wrong type, shape or value (the message names it)."""


class UnknownNameError(DeployguardError, KeyError):
    """A name deployguard does not know; the message lists the closest known names.

    A :class:`KeyError` too, so ``except KeyError`` around a lookup keeps working.
    """

    def __str__(self) -> str:  # KeyError quotes its argument; we want plain text
        return str(self.args[0]) if self.args else ""


class UnknownStateError(UnknownNameError):
    """A state, territory, party or group name that deployguard does not know."""


class UnknownSystemError(UnknownNameError):
    """A weapon system name that the catalogue does not know."""


class UnknownBaseError(UnknownNameError):
    """A base or site name that the bases table does not know."""


class UnknownClauseError(UnknownNameError, InvalidInputError):
    """A clause id that is not one of :data:`deployguard.CLAUSES`.

    Also an :class:`InvalidInputError`, as clause ids are arguments the caller spells.
    """


class DataError(DeployguardError):
    """A bundled or user-supplied data file is missing or malformed."""


class ZoneTraceError(DeployguardError):
    """A zone or ring could not be traced within its tolerance (a kernel limit; please report)."""


class ModellingAssumptionWarning(UserWarning):
    """A result depends on a modelling assumption the user should know about."""


class LikelyInputSlipWarning(UserWarning):
    """An input looks like a slip (swapped lon/lat, a date outside the data, a timezone)."""
