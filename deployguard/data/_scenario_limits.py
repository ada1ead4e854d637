"""Limits on scenario files, and the cheap counts that check them before a document is built.

Memory stays bounded because each limit is checked while the file is read, not after it is
parsed: :data:`MAX_BYTES` from the file system's size (and a read that stops there),
:data:`MAX_NODES` by a count of values (keys included) made before any Python object is built.
The readers in :mod:`deployguard.data._scenario_files` call these; every refusal is a
:class:`~deployguard.errors.Problem` naming the limit and what was found (the caller adds the
file). The limits are module attributes, read at each call, so that tests can lower them.

Examples
--------
>>> json_count('[{"by": "USA", "at": [20, 50]}]') is None
True
>>> print(too_big(300 * 2**20))
the file is 300.0 MB; scenario files are limited to 100.0 MB (split it)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from deployguard.errors import Problem

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "json_count",
    "long_int_problem",
    "measure",
    "too_big",
    "too_many",
]

#: nesting levels a scenario may have; a MultiPolygon in a GeoJSON feature needs 8
MAX_DEPTH = 64
#: values (keys included) a scenario may hold: about 180,000 point deployments of five fields
MAX_NODES = 2_000_000
#: bytes a scenario file may have; two million values take a few tens of MB of text
MAX_BYTES = 100 * 2**20
#: digits an integer may have; no deployment field needs more (personnel, degrees)
MAX_INT_DIGITS = 15
_LONG_INT = re.compile(r"(?<![\d.])[+-]?\d{4301,}")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_CHUNK = 2**20


def _bytes(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def too_big(size: int | None) -> Problem:
    """The file is over :data:`MAX_BYTES` (``size`` None: the read went past it)."""
    found = _bytes(size) if size is not None else f"more than {_bytes(MAX_BYTES)}"
    return Problem(f"the file is {found}; scenario files are limited to {_bytes(MAX_BYTES)} "
                   "(split it)")


def too_many(found: str, where: str = "") -> Problem:
    """More than :data:`MAX_NODES` values: ``found`` says how many, ``where`` where it stopped."""
    return Problem(f"{found} values (keys included){where}; scenario files are limited to "
                   f"{MAX_NODES:,} values (split the file)")


def long_int_problem(text: str) -> Problem | None:
    """The first integer too long for the parser, with its line (None if there is none)."""
    match = _LONG_INT.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return Problem(
        f"a number with {len(match.group().lstrip('+-')):,} digits at line {line}; no deployment "
        "field takes a number that long (expected degrees, a date or a personnel count)"
    )


def _json_structure(bare: str) -> int:
    return bare.count(",") + bare.count(":") + bare.count("[") + bare.count("{")


def json_count(text: str) -> Problem | None:
    """Refuse JSON with more than :data:`MAX_NODES` values before building it.

    Outside strings, each item of an array or object (a value, or a key and its value) but the
    first follows a comma, each key ends with a colon and the first item follows the opening
    bracket, so one (the document) + commas + colons + brackets bound the count of values, keys
    and containers from above (an empty container counts one too many). Counted over the
    whole text first (strings included, so an upper bound); only above the limit are the
    strings skipped, a chunk at a time, stopping as soon as the limit is passed, so memory
    stays at one copy of the text.
    """
    if 1 + _json_structure(text) <= MAX_NODES:
        return None
    found, pos, size = 1, 0, _CHUNK
    while pos < len(text):
        chunk = text[pos:pos + size]
        bare = _JSON_STRING.sub("", chunk)
        cut = len(chunk)
        quote = bare.find('"')
        if quote >= 0 and pos + size < len(text):
            # a string runs past the chunk; the text after its opening quote was left as is
            cut = len(chunk) - (len(bare) - quote)
            if cut == 0:  # one string longer than the chunk: take a larger one
                size *= 2
                continue
            bare = bare[:quote]
        found += _json_structure(bare)
        if found > MAX_NODES:
            line = text.count("\n", 0, pos + cut) + 1
            return too_many(f"more than {MAX_NODES:,}", f" by line {line}")
        pos += cut
    return None


def measure(doc: Any) -> Problem | None:
    """Refuse documents too deep, too large (aliases expanded) or with absurd integers."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            return too_many(f"more than {MAX_NODES:,}", " after expanding YAML aliases")
        if depth > MAX_DEPTH:
            return Problem(f"nested more than {MAX_DEPTH} levels deep; a scenario needs only a "
                           "few (a GeoJSON MultiPolygon needs 8)")
        if isinstance(value, Mapping):
            seen += len(value)  # the keys, counted as the pre-scans count them
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list | tuple):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > 50 and len(str(abs(value))) > MAX_INT_DIGITS:
                return Problem(f"an integer with {len(str(abs(value))):,} digits; no deployment "
                               "field takes a number that long")
    return None
