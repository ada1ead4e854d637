"""``deployguard demo``: an offline tour of what the geography layer answers.

Who holds a few contested or remote sites under each worldview, NATO's membership on three
dates, and the geodesic distances from Kaliningrad; with ``--out``, the tables as CSV and a
range map.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deployguard._atomic import folder_problems, output_folder
from deployguard.cli._base import (
    EXIT_OK,
    WORLDVIEWS,
    Command,
    Console,
    add_common,
    add_dpi,
    add_world,
)
from deployguard.cli._output import Outputs, csv_text, write_bytes, write_text
from deployguard.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMMAND"]

# Demo sites: each tests a different edge of the borders data (a disputed area, an exclave,
# a river border, a peninsula cut by 180 deg, an overseas territory, a dependency).
DEMO_SITES: tuple[tuple[str, str | tuple[float, float]], ...] = (
    ("Sevastopol (Crimea)", "Sevastopol"),
    ("Kaliningrad", "Kaliningrad"),
    ("Narva", "Narva"),
    ("Chukotka (179.5, 66.5)", (179.5, 66.5)),
    ("Guam (Andersen AFB)", "Andersen Air Force Base"),
    ("Thule (Pituffik)", "Pituffik Space Base"),
)
DEMO_DATES = ("1997-05-27", "2021-12-17", "2024-03-07")
DEMO_TARGETS = ("POL", "LTU", "DEU")
FILES = ("sites.csv", "nato_members.csv", "distances.csv", "demo.txt")
MAP_FILE = "kaliningrad_iskander.png"
DEMO_FILES = ("sites.csv", "nato_members.csv", "distances.csv", "demo.txt", MAP_FILE)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", type=Path,
                   help=f"write {', '.join(FILES)} and {MAP_FILE} into DIR")
    p.add_argument("--no-map", action="store_true", help=f"no {MAP_FILE} in --out")
    p.add_argument("--force", action="store_true",
                   help="replace files in --out that deployguard did not write")
    add_dpi(p)
    add_world(p)
    add_common(p)


def _sites(resolution: str) -> pd.DataFrame:
    import pandas as pd

    from deployguard.data.bases import Bases
    from deployguard.geography.world import World

    bases = Bases.load()
    rows = []
    for label, where in DEMO_SITES:
        base = bases.get(where) if isinstance(where, str) else None
        lon, lat = base.lonlat if base is not None else (where if isinstance(where, tuple)
                                                         else (0.0, 0.0))
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
        row["recorded_host"] = base.host if base is not None else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _nato() -> pd.DataFrame:
    import pandas as pd

    from deployguard.geography.groups import nato

    rows, before = [], frozenset[str]()
    for date in DEMO_DATES:
        now = nato.members(on=date)
        rows.append({"date": date, "members": len(now),
                     "joined_since_previous": " ".join(sorted(now - before)) if before else "",
                     "codes": " ".join(sorted(now))})
        before = now
    return pd.DataFrame(rows)


def _distances(resolution: str, worldview: str) -> pd.DataFrame:
    import pandas as pd

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


def _map(resolution: str, worldview: str, dpi: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # a command line never needs a window
    import matplotlib.pyplot as plt

    from deployguard.data.catalogue import Catalogue
    from deployguard.geography.world import World
    from deployguard.viz.output import figure_bytes
    from deployguard.viz.plotting import plot_range_overlap

    rng = Catalogue.load().get("Iskander-M").range_for("nominal") or 500.0
    ax = plot_range_overlap((20.511, 54.7065), rng, DEMO_TARGETS,
                            World.load(resolution, worldview), label="Kaliningrad",
                            title=f"Iskander-M ({rng:,.0f} km nominal) from Kaliningrad, "
                                  f"{worldview}")
    fig = ax.get_figure(root=True)
    assert fig is not None
    try:
        return figure_bytes(fig, "png", dpi)
    finally:
        plt.close(fig)


def _run(args: argparse.Namespace, console: Console) -> int:
    outputs = Outputs()
    if args.out is not None:
        outputs.folder(args.out, "--out")
        outputs.problems += folder_problems(args.out, DEMO_FILES, "--out", args.force)
    outputs.check()
    sites = _sites(args.resolution)
    members = _nato()
    dist = _distances(args.resolution, args.worldview)
    text = "\n\n".join([
        f"Who holds each site (land at 1:{args.resolution}; state_at, sovereign):",
        sites.to_string(index=False),
        "NATO members on each date:",
        members.drop(columns="codes").to_string(index=False),
        "Geodesic (WGS84) distance from Kaliningrad to each territory:",
        dist.to_string(index=False),
    ])
    if args.out is not None:
        out: Path = args.out
        # one set, swapped in whole; files deployguard did not write are kept (or --force)
        with output_folder(out, force=args.force, option="--out") as stage:
            for name, frame in (("sites.csv", sites), ("nato_members.csv", members),
                                ("distances.csv", dist)):
                rows = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
                write_text(stage / name, csv_text(rows, [str(c) for c in frame.columns]))
            write_text(stage / "demo.txt", text)
            if not args.no_map:
                write_bytes(stage / MAP_FILE, _map(args.resolution, args.worldview, args.dpi))
        text += f"\n\nWritten to {out}/"
    if not args.quiet:
        console.print(text)
    return EXIT_OK


COMMAND = Command(
    name="demo",
    summary="an offline tour of the borders, alliances and distances deployguard uses",
    description=("Who holds a few contested or remote sites under each worldview, NATO's "
                 "membership on three dates, and geodesic distances from Kaliningrad."),
    examples=("deployguard demo", "deployguard demo --out demo/ --worldview un"),
    configure=_configure,
    run=_run,
)
