"""``deployguard systems``, ``states`` and ``baseline``: the built-in data, with its sources.

Each prints a table (``--format json`` or ``csv`` for every column, sources included); in the
table, each distinct source is listed once below and cited by number.
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from deployguard.cli._base import EXIT_OK, Command, Console, add_common
from deployguard.cli._output import csv_text, jsonable, table_text
from deployguard.errors import InvalidInputError

__all__ = ["BASELINE", "STATES", "SYSTEMS"]

_FORMATS = ("table", "json", "csv")


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=_FORMATS, default="table",
                   help="table (default), or json/csv with every column and full sources")


def _emit(console: Console, fmt: str, rows: list[dict[str, Any]], shown: Sequence[str],
          source_key: str = "sources", title: str = "") -> None:
    if fmt == "json":
        console.print(json.dumps(jsonable(rows), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        console.print(csv_text([{k: ("|".join(v) if isinstance(v, list | tuple) else v)
                                 for k, v in r.items()} for r in rows]))
        return
    numbers: dict[str, int] = {}
    table_rows = []
    for r in rows:
        refs = [numbers.setdefault(s, len(numbers) + 1) for s in r.get(source_key) or []]
        table_rows.append({**r, "src": _runs(refs)})
    lines = [title] if title else []
    lines.append(table_text(table_rows, [*shown, "src"]))
    if numbers:
        import textwrap

        lines += ["", "Sources"]
        for src, n in numbers.items():
            # a web address is never broken (it would stop working)
            lines += textwrap.wrap(src, 100, initial_indent=f"  [{n}] ", subsequent_indent="      ",
                                   break_on_hyphens=False, break_long_words=False)
    console.print("\n".join(lines))


def _runs(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` as ``"1-3,7"``."""
    out: list[str] = []
    for n in sorted(set(numbers)):
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ",".join(out)


def _choices(values: Sequence[str], allowed: Sequence[str], option: str) -> set[str]:
    out = set()
    for value in values:
        for item in (v.strip() for v in value.split(",")):
            if item and item not in allowed:
                close = difflib.get_close_matches(item, list(allowed), n=3)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                raise InvalidInputError(f"{option} {item!r} is not one of {sorted(allowed)}{hint}")
            if item:
                out.add(item)
    return out


# ------------------------------------------------------------------------------ systems
def _systems_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--class", dest="classes", metavar="CLASS", action="append", default=[],
                   help="only these classes (repeatable or comma-separated): GLBM, GLCM, SLCM, "
                        "ALCM, heavy_bomber, surface_warship, launcher, ...")
    _add_format(p)
    add_common(p)


def _systems_run(args: argparse.Namespace, console: Console) -> int:
    from deployguard.data.catalogue import Catalogue
    from deployguard.data.systems import ALL_CLASSES

    wanted = _choices(args.classes, sorted(ALL_CLASSES), "--class")
    rows = []
    for s in Catalogue.load():
        if wanted and s.system_class not in wanted:
            continue
        rows.append({
            "name": s.name, "class": s.system_class, "basing": s.basing, "operator": s.operator,
            "low_km": s.range_low_km, "nominal_km": s.range_nominal_km,
            "high_km": s.range_high_km, "min_km": s.min_range_km, "inf_class": s.inf_class,
            "weapons": list(s.platform_weapons), "confidence": s.confidence,
            "range_basis": s.range_basis, "aliases": list(s.aliases),
            "sources": list(getattr(s, "references", s.source)),
        })
    _emit(console, args.format, rows,
          ["name", "class", "operator", "low_km", "nominal_km", "high_km", "inf_class",
           "confidence"],
          title=f"{len(rows)} weapon systems (ranges in km over the Earth's surface; blank: "
                "no published figure)")
    return EXIT_OK


SYSTEMS = Command(
    name="systems",
    summary="list the weapon systems, their ranges and sources",
    description="The bundled catalogue of weapon systems with low, nominal and high ranges "
                "(km), their INF Treaty class and the sources of each figure.",
    examples=("deployguard systems", "deployguard systems --class GLBM,GLCM",
              "deployguard systems --format csv > systems.csv"),
    configure=_systems_configure,
    run=_systems_run,
)


# ------------------------------------------------------------------------------ states
_GROUPS = ("nato", "csto", "former_ussr", "europe")


def _states_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--on", metavar="DATE", help="memberships on this date (default: today)")
    p.add_argument("--group", choices=_GROUPS,
                   help="only members of this group on the date (europe: UN M49 Europe)")
    p.add_argument("--all-units", action="store_true",
                   help="also list dependencies and special areas, not only sovereign states")
    _add_format(p)
    add_common(p)


def _states_run(args: argparse.Namespace, console: Console) -> int:
    import datetime as dt

    from deployguard._validate import as_date
    from deployguard.geography.groups import FORMER_USSR, art7_regions, csto, nato
    from deployguard.geography.groups import states_in_europe as europe
    from deployguard.geography.world import World

    day = dt.date.today() if args.on is None else as_date(args.on, "--on")
    world = World.load("50m")
    members = {"nato": nato.members(on=day), "csto": csto.members(on=day),
               "former_ussr": FORMER_USSR, "europe": europe("m49_europe")}
    region = {c: r for r, codes in art7_regions("m49").items() for c in codes}
    rows = []
    for code, name, sov in zip(world.states["iso_a3"], world.states["name"],
                               world.states["sovereign_a3"], strict=True):
        if not args.all_units and code != sov:
            continue
        if args.group and code not in members[args.group]:
            continue
        joined = nato.accession_date(code) if code in nato.codes else None
        sources = [s for s, _ in nato.source(code)] + [s for s, _ in csto.source(code)]
        rows.append({
            "code": code, "name": name, "sovereign": sov,
            "nato": code in members["nato"],
            "nato_since": joined.isoformat() if joined and code in members["nato"] else None,
            "csto": code in members["csto"], "former_ussr": code in FORMER_USSR,
            "europe_m49": code in members["europe"], "art7_region_m49": region.get(code),
            "sources": sources,
        })
    table = [{**r, **{k: ("yes" if r[k] else "") for k in ("nato", "csto", "former_ussr",
                                                             "europe_m49")}} for r in rows]
    shown = ["code", "name", "nato", "nato_since", "csto", "former_ussr", "europe_m49",
             "art7_region_m49"]
    if args.all_units:
        shown.insert(2, "sovereign")
    _emit(console, args.format, rows if args.format != "table" else table, shown,
          title=f"{len(rows)} {'units' if args.all_units else 'states'} on {day.isoformat()} "
                "(borders: Natural Earth; memberships: geodata/nato_members.csv, groups.csv)")
    return EXIT_OK


STATES = Command(
    name="states",
    summary="list states with their NATO/CSTO membership on a date",
    description="Every state deployguard knows, its alpha-3 code, and on the date: NATO and "
                "CSTO membership, former USSR, UN M49 Europe and the NATO-draft Art. 7 region.",
    examples=("deployguard states", "deployguard states --on 1997-05-27 --group nato",
              "deployguard states --all-units --format json"),
    configure=_states_configure,
    run=_states_run,
)


# ------------------------------------------------------------------------------ baseline
def _baseline_configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("host", metavar="HOST", nargs="?",
                   help="only this host state (a name or alpha-3 code)")
    _add_format(p)
    add_common(p)


def _baseline_run(args: argparse.Namespace, console: Console) -> int:
    from deployguard.data.baseline1997 import Baseline1997

    entries = Baseline1997.load().entries
    title = "forces stationed on 27 May 1997 (NATO draft Art. 4 baseline); blank = unknown"
    if args.host:
        from deployguard.geography.world import World

        code = World.load("50m").lookup(args.host)
        entries = tuple(e for e in entries if e.host == code)
        if not entries:
            console.print(f"no 1997 baseline entry for {code}: the sources record no foreign "
                          "forces there (reported as unknown, not zero, by the checker)")
            return EXIT_OK
        title = f"{code}: {title}"
    rows = [_entry_row(e) for e in entries]
    _emit(console, args.format, rows,
          ["host", "sender", "category", "unit", "personnel", "low", "high", "confidence"],
          title=title)
    return EXIT_OK


def _entry_row(e: Any) -> dict[str, Any]:
    fields: Mapping[str, Any] = {
        "host": e.host, "sender": e.sender, "category": e.category, "unit": e.unit,
        "present": e.present, "personnel": e.personnel, "low": e.personnel_low,
        "high": e.personnel_high, "estimate_method": e.estimate_method, "token": e.token,
        "treatment": e.treatment, "confidence": e.confidence, "notes": e.notes,
        "sources": [e.source] if e.source else [],
    }
    return dict(fields)


BASELINE = Command(
    name="baseline",
    summary="list the 27 May 1997 stationed-forces baseline with sources",
    description="Foreign forces stationed in European states on 27 May 1997, the baseline of "
                "NATO-draft Art. 4, one row per host, sender and category, with its source.",
    examples=("deployguard baseline", "deployguard baseline Germany",
              "deployguard baseline HUN --format json"),
    configure=_baseline_configure,
    run=_baseline_run,
)
