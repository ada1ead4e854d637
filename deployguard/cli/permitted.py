"""``deployguard permitted PARTY SYSTEM``: where the party may deploy the system at all.

For a missile (or a ground launcher) the permitted zone of
:func:`deployguard.permitted_zone`: the part of the party's national territory from which the
system reaches no state the clauses protect (US draft Art. 6, NATO draft Art. 5). For a heavy
bomber or a surface warship the permitted waters of :func:`deployguard.permitted_waters`
(US draft Art. 5 para 2). The geometry is written as GeoJSON or GeoParquet with every
assumption in its properties.
"""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path
from typing import Any

from deployguard.cli._base import (
    EXIT_OK,
    Command,
    Console,
    add_common,
    add_world,
    parse_readings,
)
from deployguard.cli._output import Outputs
from deployguard.cli.places import ZONE_SUFFIXES, write_geometry

__all__ = ["COMMAND"]

_ESTIMATES = ("low", "nominal", "high")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("party", metavar="PARTY", help="the deploying state (name or alpha-3 code)")
    p.add_argument("system", metavar="SYSTEM", help="a weapon system of the catalogue "
                   "(see 'deployguard systems')")
    p.add_argument("--on", metavar="DATE",
                   help="the date whose NATO membership applies (default: today)")
    p.add_argument("--range-estimate", choices=_ESTIMATES, default="nominal",
                   help="which published range to use (default: nominal)")
    p.add_argument("--clauses", metavar="IDS",
                   help="comma-separated clauses, e.g. US-6 or NATO-5 (default: those that bind "
                        "PARTY)")
    p.add_argument("--reading", metavar="NAME=VALUE", action="append", default=[],
                   help="how an open term is read (repeatable), e.g. territorial_sea=false")
    p.add_argument("-o", "--output", metavar="FILE", type=Path,
                   help="write the zone to FILE: .geojson/.json or .parquet/.geoparquet; "
                        "default: GeoJSON on stdout")
    add_world(p)
    add_common(p)


def _run(args: argparse.Namespace, console: Console) -> int:
    from deployguard import __version__

    readings_kw = parse_readings(args.reading)
    outputs = Outputs()
    if args.output is not None:
        outputs.file(args.output, "--output", ZONE_SUFFIXES)
    outputs.check()

    from deployguard._validate import as_date
    from deployguard.data.catalogue import Catalogue
    from deployguard.treaty.readings import Readings
    from deployguard.treaty.where import permitted_waters, permitted_zone

    day = _dt.date.today() if args.on is None else as_date(args.on, "--on")
    system = Catalogue.load().get(args.system)
    readings = Readings(**readings_kw)
    common: dict[str, Any] = dict(on=day, range_estimate=args.range_estimate,
                                  worldview=args.worldview, readings=readings,
                                  resolution=args.resolution, progress=console.show_progress)
    if system.is_platform and not (system.system_class == "launcher" and system.basing == "land"):
        if args.clauses:
            console.note("--clauses is ignored for a bomber or warship: US draft Art. 5 para 2 "
                         "is the only clause about them")
        zone = permitted_waters(args.party, system, **common)
    else:
        clauses = None if not args.clauses else [c.strip() for c in args.clauses.split(",")
                                                 if c.strip()]
        zone = permitted_zone(args.party, system, clauses=clauses, **common)
    props = {**zone.assumptions(), "area_km2": round(zone.area_km2, 1),
             "edges": "straight in lon/lat (RFC 7946); split at 180 degrees",
             "generated_by": f"deployguard {__version__}"}
    console.note(zone.note)
    write_geometry(args.output, zone.geometry, props, console)
    return EXIT_OK


COMMAND = Command(
    name="permitted",
    summary="where a party may deploy a system without reaching the states a clause protects",
    description="For a missile: the part of PARTY's national territory (land and 12-nmi sea) "
                "from which SYSTEM reaches no state protected by US draft Art. 6 / NATO draft "
                "Art. 5 on the date. For a heavy bomber or surface warship: the waters and "
                "airspace outside PARTY's own from which its weapon cannot reach the other "
                "Party (US draft Art. 5 para 2). Boundaries are traced on WGS84 geodesics; "
                "decisions about a given site should use 'deployguard check'.",
    examples=("deployguard permitted USA 'Dark Eagle' --on 2021-12-17 -o usa_dark_eagle.geojson",
              "deployguard permitted RUS 9M729 --on 2021-12-17 --clauses NATO-5 -o rus.parquet",
              "deployguard permitted USA 'Arleigh Burke DDG' --on 2021-12-17 > waters.geojson"),
    configure=_configure,
    run=_run,
)
