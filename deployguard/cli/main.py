"""The ``deployguard`` console script: the parser built from the command table, exit codes.

Every error ends in a one-screen message on stderr and an exit status (see
:data:`deployguard.cli._base.EXIT_CODES`), never a Python traceback unless ``--debug``.

Examples
--------
>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()) as out:
...     code = main(["--version"])
>>> code, out.getvalue().startswith("deployguard ")
(0, True)
>>> with contextlib.redirect_stderr(io.StringIO()) as err:
...     code = main(["check", "missing.yaml", "--range-estimate", "median"])
>>> code, "invalid choice: 'median'" in err.getvalue()
(2, True)
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from deployguard.cli import check, demo, listing, permitted, places
from deployguard.cli._base import (
    EXIT_CODES,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    Console,
    add_common,
    fix_negative_values,
)
from deployguard.errors import (
    DeployguardError,
    InvalidInputError,
    ScenarioError,
    UnknownNameError,
)

__all__ = ["COMMANDS", "main"]

#: the subcommands, in the order ``--help`` lists them; a new command is one more entry
COMMANDS: tuple[Command, ...] = (
    check.COMMAND,
    places.REACH,
    places.ZONE,
    permitted.COMMAND,
    listing.SYSTEMS,
    listing.STATES,
    listing.BASELINE,
    demo.COMMAND,
)
_PROBLEMS_SHOWN = 30  # a screenful; --debug lists them all


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise _UsageError(f"{self.prog}: error: {message}")


def _version() -> str:
    from deployguard import __version__

    text = f"deployguard {__version__}"
    try:
        from deployguard.data.versions import data_versions
    except ImportError:
        return text
    try:
        rows = data_versions().to_dict("records")
    except DeployguardError:
        return text
    lines = [f"  {r['file']:<30} {r['compiled'] or '(date not stated)'}" for r in rows]
    return "\n".join([text, "bundled data (file, compiled):", *lines])


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command in :data:`COMMANDS`."""
    parser = _Parser(
        prog="deployguard", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=("Would this military deployment break Russia's December 2021 draft "
                     "treaties? Geodesic (WGS84) answers with evidence and stated assumptions."),
        epilog="Run 'deployguard COMMAND --help' for a command's options and examples.\n\n"
        + EXIT_CODES)
    parser.add_argument("--version", action="version", version=_version())
    add_common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=_Parser)
    for c in COMMANDS:
        p = sub.add_parser(c.name, help=c.summary, description=c.description,
                           epilog=c.epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
        c.configure(p)
    return parser


def _show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: Any = None, line: str | None = None) -> None:
    sys.stderr.write(f"deployguard: note: {message}\n")


def _report(console: Console, exc: BaseException, text: str, code: int) -> int:
    if console.debug:
        traceback.print_exception(exc, file=sys.stderr)
    sys.stderr.write(text.rstrip("\n") + "\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (the console script exits with it)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    console = Console(quiet="--quiet" in args_in, debug="--debug" in args_in)
    try:
        try:
            args = build_parser().parse_args(fix_negative_values(args_in, ["--at"]))
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        except _UsageError as exc:
            sys.stderr.write(f"{exc}\n")
            return EXIT_USAGE
        args.quiet = getattr(args, "quiet", False)
        args.debug = getattr(args, "debug", False)
        console = Console(quiet=args.quiet, debug=args.debug)
        command = next(c for c in COMMANDS if c.name == args.command)
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            if console.quiet:
                warnings.simplefilter("ignore")
            warnings.showwarning = _show_warning
            code = command.run(args, console)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt as exc:
        return _report(console, exc, "\ndeployguard: interrupted; no output was left half "
                       "written (each file is replaced whole or not at all)", EXIT_INTERRUPTED)
    except BrokenPipeError:  # e.g. `deployguard systems | head`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except ScenarioError as exc:
        limit = None if console.debug else _PROBLEMS_SHOWN
        return _report(console, exc, f"deployguard: error: {exc.describe(limit)}", EXIT_USAGE)
    except (InvalidInputError, UnknownNameError) as exc:
        return _report(console, exc, f"deployguard: error: {exc}", EXIT_USAGE)
    except DeployguardError as exc:
        return _report(console, exc, f"deployguard: error: {type(exc).__name__}: {exc}",
                       EXIT_FAILED)
    except OSError as exc:
        return _report(console, exc, f"deployguard: error: {exc}", EXIT_FAILED)
    except Exception as exc:  # a bug: say so plainly, traceback with --debug
        return _report(console, exc, f"deployguard: internal error: {type(exc).__name__}: "
                       f"{exc}\n(this is a bug; run again with --debug for the traceback and "
                       "please report it)", EXIT_FAILED)
