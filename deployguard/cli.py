"""The ``deployguard`` command line: ``check`` a scenario, or run the offline ``demo``.

``deployguard check [SCENARIO] --out DIR`` runs :func:`deployguard.check` on the built-in
real cases (``builtin``, the default) or on a JSON/CSV scenario file, prints the report and
writes the report files plus ``map.png``.  ``deployguard demo --out DIR`` shows what the
geography layer answers without the checker: who holds a few contested or remote sites under
each worldview, NATO's membership on three dates, and the distances from Kaliningrad.

Exit codes: 0 success, 2 bad arguments (argparse's convention, also used for input that
deployguard rejects), 1 any other deployguard error (e.g. a data file missing).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     main(["demo", "--out", tmp, "--no-map", "--quiet"])
0
>>> import contextlib, io
>>> with contextlib.redirect_stderr(io.StringIO()):  # argparse prints the usage there
...     main(["demo", "--resolution", "1m"])
2
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from deployguard.errors import (
    DataError,
    DeployguardError,
    InvalidInputError,
    UnknownStateError,
    UnknownSystemError,
)

__all__ = ["main"]

WORLDVIEWS = ("de_facto", "un", "russia")
RESOLUTIONS = ("50m", "10m")
ESTIMATES = ("low", "nominal", "high")
DRAFTS = ("us", "nato")
# Demo sites: each tests a different edge of the borders data (a disputed area, an exclave,
# a river border, a peninsula cut by 180 deg, an overseas territory, a dependency).
DEMO_SITES = (
    ("Sevastopol (Crimea)", "Sevastopol"),
    ("Kaliningrad", "Kaliningrad"),
    ("Narva", "Narva"),
    ("Chukotka (179.5, 66.5)", (179.5, 66.5)),
    ("Guam (Andersen AFB)", "Andersen Air Force Base"),
    ("Thule (Pituffik)", "Pituffik Space Base"),
)
DEMO_DATES = ("1997-05-27", "2021-12-17", "2024-03-07")
DEMO_TARGETS = ("POL", "LTU", "DEU")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # same exit code, but name the tool clearly
        self.print_usage(sys.stderr)
        self.exit(2, f"deployguard: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="deployguard", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="check a scenario against the draft treaties")
    c.add_argument("scenario", nargs="?", default="builtin",
                   help="'builtin' (the real cases), 'builtin:NAME', or a .json/.csv file")
    c.add_argument("--drafts", default="us,nato",
                   help="comma-separated drafts to check: us, nato (default: us,nato)")
    c.add_argument("--range-estimate", default="nominal", choices=ESTIMATES)
    c.add_argument("--sensitivity", action="store_true",
                   help="re-run under every range estimate and worldview and report changes")
    _common(c)

    d = sub.add_parser("demo", help="offline tour of the geography layer (no checker needed)")
    d.add_argument("--no-map", action="store_true", help="skip the Kaliningrad range map")
    _common(d)
    return p


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="out", type=Path, help="output folder (default: out/)")
    p.add_argument("--worldview", default="de_facto", choices=WORLDVIEWS)
    p.add_argument("--resolution", default="50m", choices=RESOLUTIONS)
    p.add_argument("--quiet", action="store_true", help="print nothing on success")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # the help text goes there
    ...     code = main(["--help"])
    >>> code
    0
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on bad arguments (2)
        return int(exc.code or 0)
    try:
        if args.command == "demo":
            return _demo(args)
        return _check(args)
    except (InvalidInputError, UnknownStateError, UnknownSystemError) as exc:
        print(f"deployguard: error: {exc}", file=sys.stderr)
        return 2
    except DeployguardError as exc:
        print(f"deployguard: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text)


def _outdir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(
            f"--out must be a writable folder, got {str(path)!r} ({exc})"
        ) from exc
    return path


# --------------------------------------------------------------------------- demo
def _demo_sites(resolution: str) -> pd.DataFrame:
    from deployguard.data.bases import Bases
    from deployguard.geography.world import World

    bases = Bases.load()
    rows = []
    for label, where in DEMO_SITES:
        base = bases.get(where) if isinstance(where, str) else None
        lon, lat = base.lonlat if base else where
        row: dict[str, Any] = {"site": label, "lon": lon, "lat": lat}
        for wv in WORLDVIEWS:
            world = World.load(resolution, wv)
            code = str(world.state_at(lon, lat))
            if not code:
                # Coastal bases can fall just offshore at small scales: the territorial sea
                # decides, where it has been built for this resolution.
                try:
                    sea = str(world.state_at(lon, lat, sea=True))
                    code = f"{sea} (sea)" if sea else ""
                except DataError:
                    code = "(at sea)"
            row[wv] = code
        row["recorded_host"] = base.host if base else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _demo_nato() -> pd.DataFrame:
    from deployguard.geography.groups import nato

    rows, before = [], frozenset()
    for date in DEMO_DATES:
        now = nato.members(on=date)
        rows.append({"date": date, "members": len(now),
                     "joined_since_previous": " ".join(sorted(now - before)) if before else "",
                     "codes": " ".join(sorted(now))})
        before = now
    return pd.DataFrame(rows)


def _demo_distances(resolution: str, worldview: str) -> pd.DataFrame:
    from deployguard.data.bases import Bases
    from deployguard.geography.ranges import distance_km
    from deployguard.geography.world import World

    world = World.load(resolution, worldview)
    lon, lat = Bases.load().get("Kaliningrad").lonlat
    return pd.DataFrame(
        [{"from": "Kaliningrad", "to": code, "distance_km": round(float(
            distance_km(lon, lat, world.territory(code))), 3), "worldview": worldview,
          "resolution": resolution} for code in DEMO_TARGETS]
    )


def _demo(args: argparse.Namespace) -> int:
    out = _outdir(args.out)
    sites = _demo_sites(args.resolution)
    members = _demo_nato()
    dist = _demo_distances(args.resolution, args.worldview)
    text = "\n\n".join([
        f"Who holds each site (land at 1:{args.resolution}; state_at, sovereign):",
        sites.to_string(index=False),
        "NATO members on each date:",
        members.drop(columns="codes").to_string(index=False),
        "Geodesic (WGS84) distance from Kaliningrad to each territory:",
        dist.to_string(index=False),
    ])
    sites.to_csv(out / "sites.csv", index=False)
    members.to_csv(out / "nato_members.csv", index=False)
    dist.to_csv(out / "distances.csv", index=False)
    (out / "demo.txt").write_text(text + "\n", encoding="utf-8")
    if not args.no_map:
        import matplotlib

        matplotlib.use("Agg")  # a command line never needs a window
        import matplotlib.pyplot as plt

        from deployguard.data.catalogue import Catalogue
        from deployguard.geography.world import World
        from deployguard.viz.plotting import plot_range_overlap

        rng = Catalogue.load().get("Iskander-M").range_for("nominal")
        ax = plot_range_overlap(
            (20.511, 54.7065), rng, DEMO_TARGETS, World.load(args.resolution, args.worldview),
            label="Kaliningrad")
        ax.set_title(f"Iskander-M ({rng:,.0f} km nominal) from Kaliningrad, {args.worldview}")
        ax.figure.savefig(out / "kaliningrad_iskander.png", dpi=110)
        plt.close(ax.figure)
    _say(args, text + f"\n\nWritten to {out}/")
    return 0


# --------------------------------------------------------------------------- check
def _scenario(spec: str) -> list[Any]:
    from deployguard.data.scenarios import builtin_scenario, load_scenario

    if spec == "builtin" or spec.startswith("builtin:"):
        return builtin_scenario(spec.partition(":")[2] or "real_cases")
    path = Path(spec)
    if not path.is_file():
        raise InvalidInputError(
            f"scenario must be 'builtin', 'builtin:NAME' or an existing .json/.csv file, "
            f"got {spec!r}"
        )
    try:
        return load_scenario(path)
    except DataError as exc:  # the user's file, not the install: a bad argument (exit 2)
        raise InvalidInputError(str(exc)) from exc


def _drafts(text: str) -> tuple[str, ...]:
    drafts = tuple(d.strip().lower() for d in text.split(",") if d.strip())
    bad = [d for d in drafts if d not in DRAFTS]
    if not drafts or bad:
        raise InvalidInputError(f"--drafts must be a comma-separated subset of {DRAFTS}, "
                                f"got {text!r}")
    return drafts


def _check(args: argparse.Namespace) -> int:
    try:
        from deployguard.treaty.checker import check
    except ImportError as exc:  # the checker ships separately from the geography layer
        raise DeployguardError(f"the checker is not available in this install ({exc})") from exc
    drafts = _drafts(args.drafts)
    deployments = _scenario(args.scenario)
    out = _outdir(args.out)
    kwargs: dict[str, Any] = dict(drafts=drafts, worldview=args.worldview,
                                  range_estimate=args.range_estimate,
                                  sensitivity=args.sensitivity)
    params = inspect.signature(check).parameters
    if "resolution" in params:
        kwargs["resolution"] = args.resolution
    elif "world" in params:
        from deployguard.geography.world import World

        kwargs["world"] = World.load(args.resolution, args.worldview)
    elif args.resolution != "50m":
        raise InvalidInputError(f"--resolution {args.resolution!r}: this checker only supports "
                                "its default resolution")
    report = check(deployments, **kwargs)
    report.write(out)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from deployguard.geography.world import World
    from deployguard.viz.plotting import plot_report

    fig = plot_report(report, out / "map.png",
                      world=World.load(args.resolution, args.worldview))
    plt.close(fig)
    _say(args, f"{report}\n\nWritten to {out}/ (report files and map.png)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
