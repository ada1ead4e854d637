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
>>> issubclass(ModellingAssumptionWarning, DeployguardWarning)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DataError",
    "DeployguardError",
    "DeployguardWarning",
    "InternalError",
    "InvalidInputError",
    "LikelyInputSlipWarning",
    "MissingDependencyError",
    "ModellingAssumptionWarning",
    "Problem",
    "ScenarioError",
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file: where it is, which field, and what was expected.

    Attributes
    ----------
    message : str
        What is wrong, naming the value and what was expected.
    field : str or None
        The field (``"system"``, ``"defaults.worldview"``); None for the file as a whole.
    entry : int or None
        Index of the deployment in the file (0-based, as in the JSON list); None for the file.
    label : str or None
        The deployment's ``label``, where it has one.
    where : str or None
        Where in the file: ``"line 14"`` (CSV, YAML) or ``"features[2]"`` (GeoJSON).

    Examples
    --------
    >>> print(Problem("kind must be one of [...], got 'x'", "kind", 3, "Typhon", "line 5"))
    deployment 3 'Typhon' (line 5): kind must be one of [...], got 'x'
    >>> print(Problem("unknown base or site 'Ramstien'", "at", 0))
    deployment 0: at: unknown base or site 'Ramstien'
    """

    message: str
    field: str | None = None
    entry: int | None = None
    label: str | None = None
    where: str | None = None

    def __str__(self) -> str:
        head = []
        if self.entry is not None:
            head.append(f"deployment {self.entry}")
            if self.label:
                head.append(repr(_shorten(self.label, 60)))
        if self.where:
            head.append(f"({self.where})" if head else self.where)
        text = self.message
        last = (self.field or "").rsplit(".", 1)[-1]
        if self.field and not (text.startswith((self.field, last)) or f"'{last}'" in text):
            text = f"{self.field}: {text}"
        return f"{' '.join(head)}: {text}" if head else text


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


class ScenarioError(InvalidInputError, DataError):
    """A scenario (a user's file or table of deployments) has problems: all of them, at once.

    Both an :class:`InvalidInputError` (the user's input) and a :class:`DataError` (a file that
    is malformed). :attr:`problems` lists every :class:`Problem` found, so that a file with ten
    mistakes takes one run to fix, not ten.

    Examples
    --------
    >>> err = ScenarioError("s.csv", [Problem("by is required", "by", 0), Problem("x", "kind", 2)])
    >>> print(err)
    scenario 's.csv': 2 problems:
      deployment 0: by is required
      deployment 2: kind: x
    """

    def __init__(self, origin: str, problems: Sequence[Problem]) -> None:
        self.origin = origin
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.describe())

    def describe(self, limit: int | None = None) -> str:
        """The message, listing at most ``limit`` problems (all with None)."""
        shown = self.problems if limit is None else self.problems[:limit]
        n = len(self.problems)
        if n == 1:
            return f"scenario {self.origin!r}: {self.problems[0]}"
        lines = [f"scenario {self.origin!r}: {n} problems:"]
        lines += [f"  {p}" for p in shown]
        if len(shown) < n:
            lines.append(f"  ... and {n - len(shown)} more")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


class ZoneTraceError(DeployguardError):
    """A zone or ring could not be traced within its tolerance (a kernel limit; please report)."""


class MissingDependencyError(DeployguardError, RuntimeError):
    """Something the caller asked for needs an optional dependency that is not installed
    (``compiled=True`` without numba or GeographicLib's C library); the message names it.
    """


class InternalError(DeployguardError, RuntimeError):
    """An internal consistency check failed: a bug in deployguard (please report it)."""


class DeployguardWarning(UserWarning):
    """Base class of every warning deployguard issues: ``warnings.simplefilter("error",
    DeployguardWarning)`` turns them all into errors, and ``"ignore"`` silences them.
    """


class ModellingAssumptionWarning(DeployguardWarning):
    """A result depends on a modelling assumption the user should know about."""


class LikelyInputSlipWarning(DeployguardWarning):
    """An input looks like a slip (swapped lon/lat, a date outside the data, a timezone)."""
