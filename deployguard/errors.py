"""Exceptions and warnings raised by deployguard.

Every error names the offending field or value and says what was expected, so
that a user never has to read a traceback from inside shapely or pandas.

Examples
--------
>>> from deployguard.errors import UnknownStateError
>>> issubclass(UnknownStateError, DeployguardError)
True
"""

from __future__ import annotations

__all__ = [
    "DeployguardError",
    "InvalidInputError",
    "UnknownStateError",
    "UnknownSystemError",
    "DataError",
    "ModellingAssumptionWarning",
]


class DeployguardError(Exception):
    """Base class of every error deployguard raises on purpose."""


class InvalidInputError(DeployguardError, ValueError):
    """An argument has the wrong type, shape or value (the message names it)."""


class UnknownStateError(DeployguardError, KeyError):
    """A state, territory, party or group name that deployguard does not know.

    The message lists the closest known names.
    """

    def __str__(self) -> str:  # KeyError quotes its argument; we want plain text
        return str(self.args[0]) if self.args else ""


class UnknownSystemError(DeployguardError, KeyError):
    """A weapon system or base name that the catalogue does not know."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class DataError(DeployguardError):
    """A bundled or user-supplied data file is missing or malformed."""


class ModellingAssumptionWarning(UserWarning):
    """A result depends on a modelling assumption the user should know about."""
