"""What every command shares: the command record, the console, option parsers and progress.

A command is one :class:`Command` record (name, help, examples, how to add its options, how to
run it); :mod:`deployguard.cli.main` builds the parser from the table of them, so adding a
command is one module and one line.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import re
import sys
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from deployguard.errors import InvalidInputError, Problem

__all__ = [
    "EXIT_CODES",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_VIOLATION",
    "Command",
    "Console",
    "Stages",
    "add_common",
    "add_world",
    "parse_lonlat",
    "parse_readings",
    "reading_problems",
]

EXIT_OK, EXIT_VIOLATION, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CODES = """exit status:
  0    success (check: no violation found)
  1    check: at least one finding is a violation
  2    bad input or usage (the message names the file, entry, field, value and what was expected)
  3    deployguard could not finish (a bundled data file missing, a kernel limit, a bug)
  130  interrupted (Ctrl-C); files already written are whole, as every output is atomic"""
WORLDVIEWS = ("de_facto", "un", "russia")
RESOLUTIONS = ("50m", "10m")


@dataclass(frozen=True)
class Command:
    """One subcommand: its help, its options and what it does."""

    name: str
    summary: str
    description: str
    examples: tuple[str, ...]
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Console], int]
    exit_codes: str = EXIT_CODES

    @property
    def epilog(self) -> str:
        lines = ["examples:", *(f"  {e}" for e in self.examples), "", self.exit_codes]
        return "\n".join(lines)


@dataclass
class Console:
    """Where a command speaks: results on stdout, notes and progress on stderr."""

    quiet: bool = False
    debug: bool = False

    @property
    def out(self) -> TextIO:
        return sys.stdout

    @property
    def err(self) -> TextIO:
        return sys.stderr

    @property
    def show_progress(self) -> bool:
        """A progress bar only on a terminal, and never with ``--quiet``."""
        return not self.quiet and _isatty(sys.stderr)

    def print(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")

    def note(self, text: str) -> None:
        """An informational line on stderr (silent with ``--quiet``)."""
        if not self.quiet:
            self.err.write(f"deployguard: {text}\n")


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Stages:
    """A progress bar over the stages of a command (tqdm, on stderr, only on a terminal)."""

    def __init__(self, console: Console, total: int) -> None:
        self._bar: Any = None
        if console.show_progress and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=sys.stderr, leave=False, dynamic_ncols=True,
                             bar_format="{desc:<34} {bar} {n_fmt}/{total_fmt} [{elapsed}]")

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._bar is not None:
            self._bar.set_description_str(name)
        yield
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


# ------------------------------------------------------------------------------ options
def add_common(p: argparse.ArgumentParser) -> None:
    """``--quiet`` and ``--debug``, on every command."""
    p.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress bar and no notes; errors are still printed")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show the Python traceback of an error (for bug reports)")


def add_world(p: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    """``--worldview`` and ``--resolution`` (no default when a scenario may set them)."""
    p.add_argument("--worldview", choices=WORLDVIEWS, default="de_facto" if defaults else None,
                   help="who holds disputed areas such as Crimea (default: de_facto)")
    p.add_argument("--resolution", choices=RESOLUTIONS, default="50m" if defaults else None,
                   help="Natural Earth borders scale; 10m is finer and slower (default: 50m)")


#: pixels per inch of a map the command line writes, unless --dpi says otherwise
MAP_DPI = 110.0


def _dpi(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 10.0 <= value <= 2400.0:  # nan fails too
        raise argparse.ArgumentTypeError(f"--dpi must be a number of pixels per inch from 10 to "
                                         f"2400, got {text!r}")
    return value


def add_dpi(p: argparse.ArgumentParser) -> None:
    """``--dpi``: the resolution of a map written as PNG or JPEG (SVG and PDF are vector)."""
    p.add_argument("--dpi", type=_dpi, default=MAP_DPI, metavar="N",
                   help=f"pixels per inch of a PNG or JPEG map (default: {MAP_DPI:g}); the "
                        "file's suffix chooses the format (.png, .svg, .pdf, .jpg)")


_NUMBER = r"([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)"
_LONLAT = re.compile(rf"^\s*{_NUMBER}\s*[, ]\s*{_NUMBER}\s*$")


def parse_lonlat(text: str) -> tuple[float, float] | None:
    """``"LON,LAT"`` as two floats, or None when ``text`` is not a coordinate pair.

    Examples
    --------
    >>> parse_lonlat("-173.23,64.42"), parse_lonlat("Kaliningrad")
    ((-173.23, 64.42), None)
    """
    match = _LONLAT.match(text)
    return None if match is None else (float(match.group(1)), float(match.group(2)))


def fix_negative_values(argv: Sequence[str], options: Sequence[str]) -> list[str]:
    """Join ``--at -173.2,64.4`` into ``--at=-173.2,64.4`` (argparse reads ``-1...`` as a flag).

    Examples
    --------
    >>> fix_negative_values(["reach", "X", "--at", "-173.2,64.4"], ["--at"])
    ['reach', 'X', '--at=-173.2,64.4']
    >>> fix_negative_values(["zone", "-173.2,64.4", "--range", "5"], ["--at"])
    ['zone', ' -173.2,64.4', '--range', '5']
    """
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        if items[i] in options and i + 1 < len(items) and re.match(r"^-[\d.]", items[i + 1]):
            out.append(f"{items[i]}={items[i + 1]}")
            i += 2
            continue
        # a positional "-173.2,64.4" (zone TARGET): a leading space stops argparse reading
        # it as an option; parse_lonlat ignores the space
        out.append(" " + items[i] if parse_lonlat(items[i]) and items[i].startswith("-")
                   else items[i])
        i += 1
    return out


# ------------------------------------------------------------------------------ readings
def _reading_types() -> dict[str, Any]:
    from deployguard.treaty.readings import Readings

    hints = typing.get_type_hints(Readings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Readings)}


def _coerce(name: str, value: Any, kind: Any) -> Any:
    """``value`` (text from the command line, or a value from a file) as the reading's type."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) is typing.Literal:
        if value not in args:
            raise InvalidInputError(f"reading {name} must be one of {list(args)}, got {value!r}"
                                    f"{_close(value, args)}")
        return value
    optional = type(None) in args
    base = next((a for a in args if a is not type(None)), kind) if args else kind
    if isinstance(value, str):
        text = value.strip().lower()
        if optional and text in ("none", "null", ""):
            return None
        if base is bool:
            if text in ("true", "yes", "1", "on"):
                return True
            if text in ("false", "no", "0", "off"):
                return False
            raise InvalidInputError(f"reading {name} must be true or false, got {value!r}")
        try:
            return base(text)
        except ValueError as exc:
            what = "a whole number" if base is int else "a number"
            extra = " or none" if optional else ""
            raise InvalidInputError(f"reading {name} must be {what}{extra}, got {value!r}") from exc
    if value is None and optional:
        return None
    if base is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, base) and not (base is int and isinstance(value, bool)):
        return value
    raise InvalidInputError(f"reading {name} must be {getattr(base, '__name__', base)}, got "
                            f"{value!r}")


def _close(value: Any, choices: Sequence[Any]) -> str:
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=3)
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def reading_problems(readings: Mapping[str, Any], field_prefix: str) -> tuple[dict[str, Any],
                                                                             list[Problem]]:
    """Coerce reading values by the annotations of :class:`deployguard.Readings`.

    Returns the good values and a problem for each unknown name or bad value.
    """
    kinds = _reading_types()
    good: dict[str, Any] = {}
    problems = []
    for name, value in readings.items():
        field_name = f"{field_prefix}{name}"
        if name not in kinds:
            hint = _close(name, list(kinds)) or f"; readings: {', '.join(kinds)}"
            where = f"{field_name}: " if field_prefix else ""
            problems.append(Problem(f"{where}unknown reading {name!r}{hint}", field_name))
            continue
        try:
            good[name] = _coerce(name, value, kinds[name])
        except InvalidInputError as exc:
            problems.append(Problem(f"{field_name}: {exc}" if field_prefix else str(exc),
                                    field_name))
    return good, problems


def parse_readings(items: Sequence[str]) -> dict[str, Any]:
    """``["name=value", ...]`` from ``--reading`` as typed values; raise listing every problem.

    Examples
    --------
    >>> parse_readings(["territorial_sea=false", "nato72_zone_km=100"])
    {'territorial_sea': False, 'nato72_zone_km': 100.0}
    >>> parse_readings(["europe=europa"])
    Traceback (most recent call last):
    ...
    deployguard.errors.InvalidInputError: --reading: reading europe must be one of ... 'm49_europe'?
    """
    pairs: dict[str, Any] = {}
    bad = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            names = ", ".join(_reading_types())
            bad.append(f"expected NAME=VALUE, got {item!r} (names: {names})")
            continue
        pairs[name.strip()] = value.strip()
    good, problems = reading_problems(pairs, "")
    bad += [p.message for p in problems]
    if bad:
        raise InvalidInputError("--reading: " + "\n  --reading: ".join(bad))
    return good
