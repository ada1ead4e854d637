"""One name normaliser and one name index with suggestions, for states, systems, bases, clauses.

Every lookup by name in deployguard goes through :class:`NameIndex`, so "United Kingdom",
"UnitedKingdom", "united-kingdom" and "UNITED KINGDOM" agree everywhere, and a miss always
lists the closest known names in the same words.

Examples
--------
>>> normalize_name("Iskander-M (9M723)")
'iskanderm9m723'
>>> normalize_name("Türkiye") == normalize_name("TURKIYE")
True
>>> index = NameIndex("state", UnknownNameError)
>>> index.add("United Kingdom", "GBR")
>>> index.get("UnitedKingdom")
'GBR'
>>> index.get("Untied Kingdom")
Traceback (most recent call last):
...
deployguard.errors.UnknownNameError: unknown state 'Untied Kingdom'; did you mean 'United Kingdom'?
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from deployguard.errors import InvalidInputError, UnknownNameError

__all__ = ["NameIndex", "normalize_name"]

V = TypeVar("V")


def normalize_name(name: object) -> str:
    """The lookup key of a name: case-, accent-, space- and punctuation-insensitive.

    Examples
    --------
    >>> normalize_name("Büchel") == normalize_name("buchel")
    True
    >>> normalize_name("  U.K. ")
    'uk'
    """
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed.casefold() if c.isalnum())


class NameIndex(Generic[V]):
    """Names (and aliases) to values, looked up by :func:`normalize_name`.

    Parameters
    ----------
    kind : str
        What the names name, for messages ("state", "weapon system", "base or site").
    error : type of UnknownNameError
        Raised on a miss, with the closest known names.
    show_values : bool
        Show each suggestion's value too ("'Russia' (RUS)"), where values are codes.

    Notes
    -----
    Values must be hashable. The first name added for a value is its display name in
    suggestions. Adding a name that
    already maps to another value raises :class:`~deployguard.errors.InvalidInputError` unless
    ``replace=True`` (the later value then wins).
    """

    def __init__(
        self, kind: str, error: type[UnknownNameError] = UnknownNameError, *,
        show_values: bool = False,
    ) -> None:
        self.kind = kind
        self.error = error
        self.show_values = show_values
        self._values: dict[str, V] = {}
        self._display: dict[str, str] = {}  # key -> the name as it was written
        self._primary: dict[V, str] = {}  # value -> the name suggestions show for it

    def add(self, name: str, value: V, *, replace: bool = False, primary: bool = False) -> None:
        """Map ``name`` to ``value``.

        The first name added for a value (or the one added with ``primary=True``) is the name
        suggestions show for it.
        """
        key = normalize_name(name)
        if not key:
            raise InvalidInputError(
                f"{self.kind} name must contain a letter or digit, got {name!r}"
            )
        if key in self._values and self._values[key] != value and not replace:
            raise InvalidInputError(
                f"{self.kind} name {name!r} is already used for {self._values[key]!r}"
            )
        self._values[key] = value
        self._display.setdefault(key, str(name))
        if primary or value not in self._primary:
            self._primary[value] = str(name)

    def add_all(self, names: Iterable[str], value: V, *, replace: bool = False) -> None:
        """Map each of ``names`` to ``value``."""
        for name in names:
            self.add(name, value, replace=replace)

    def remove_value(self, value: V) -> None:
        """Forget every name of ``value``."""
        for key in [k for k, v in self._values.items() if v == value]:
            del self._values[key]
            self._display.pop(key, None)
        self._primary.pop(value, None)

    def find(self, name: object) -> V | None:
        """The value of ``name``, or None."""
        return self._values.get(normalize_name(name))

    def get(self, name: object) -> V:
        """The value of ``name``; a miss raises :attr:`error` listing close names."""
        key = normalize_name(name)
        if key in self._values:
            return self._values[key]
        close = [
            f"{n!r} ({self._values[normalize_name(n)]})" if self.show_values else repr(n)
            for n in self.suggest(name)
        ]
        hint = ", ".join(close) if close else "(no close match)"
        raise self.error(f"unknown {self.kind} {name!r}; did you mean {hint}?")

    def suggest(self, name: object, n: int = 5) -> list[str]:
        """Up to ``n`` known names close to ``name`` (fuzzy, then substring matches)."""
        key = normalize_name(name)
        keys = list(self._values)
        hits = difflib.get_close_matches(key, keys, n=n * 2, cutoff=0.6)
        if len(key) >= 3:
            hits += [k for k in keys if key in k or (len(k) >= 3 and k in key)]
        out: list[str] = []
        for k in hits:
            shown = self._primary.get(self._values[k], self._display[k])
            if shown not in out:
                out.append(shown)
        return out[:n]

    def __contains__(self, name: object) -> bool:
        return normalize_name(name) in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._display.values())

    def __len__(self) -> int:
        return len(self._values)
