"""Build ``us_forces_dmdc.csv``: US active-duty forces by host, from DMDC's quarterly counts.

Two steps, so that the build is reproducible from files in this folder:

``python build_us_forces.py --snapshot COUNTRY_QUARTERS.csv US_STATES.csv``
    Cut ``dmdc_snapshot.csv`` (the two quarters and the columns we use) out of the troopdata
    compilation of DMDC's reports (https://github.com/meflynn/troopdata, files
    ``data-raw/troopdata-rebuild-country-year-quarter-format.csv`` and
    ``data-raw/troopdata-rebuild-us-state-data.csv``).
``python build_us_forces.py``
    Write ``us_forces_dmdc.csv`` from ``dmdc_snapshot.csv`` and the sites below.

DMDC counts the personnel *permanently assigned* in a country on the last day of the quarter
("Military and Civilian Personnel by Service/Agency by State/Country"); rotational units on
temporary duty (the armoured brigade in Poland, the forward-presence battlegroups) are not in
them, so ``postures.csv`` carries those as separate rows with their own sources. The quarter
for 17 December 2021 is the last one ending before it, September 2021 (30 Sep; December's
count would postdate the posture); the latest in the compilation is December 2025.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "dmdc_snapshot.csv"
OUT = HERE / "us_forces_dmdc.csv"
TROOPDATA_COMMIT = "3946bcf89a6d72de8abace812dc557f1f249f5f7"
DMDC_URL = "https://dwp.dmdc.osd.mil/dwp/app/dod-data-reports/workforce-reports"
QUARTERS = {"2021-12-17": ("2021", "September", "2021-09-30"),
            "latest": ("2025", "December", "2025-12-31")}
# below this many active-duty personnel a host holds embassy, attaché and Marine security
# guard staff rather than a deployment (Russia 72, Ukraine 41 in December 2021)
MIN_PERSONNEL = 100
# Where each host's forces are placed: its largest or best-known US installation, so the
# position of every row is an estimate of where the country's whole count stands. A site of
# geodata/bases.csv is named (its coordinates are written there, once); any other is a point
# chosen by us (about +-2 km). Keyed by DMDC's alpha-3 code, or the state's name.
SITES: dict[str, tuple[str, float | None, float | None]] = {
    "DEU": ("Ramstein Air Base", None, None),
    "ITA": ("Aviano Air Base", None, None),
    "GBR": ("RAF Lakenheath", None, None),
    "ESP": ("Naval Station Rota", None, None),
    "TUR": ("Incirlik Air Base", None, None),
    "PRT": ("Lajes Field", None, None),
    "Alaska": ("Joint Base Elmendorf-Richardson", None, None),
    "Guam": ("Andersen Air Force Base", None, None),
    "BEL": ("SHAPE, Casteau (Mons)", 3.98, 50.50),
    "NLD": ("JFC Brunssum", 5.97, 50.95),
    "GRC": ("NSA Souda Bay, Crete", 24.12, 35.53),
    "ROU": ("Mihail Kogalniceanu Air Base", 28.49, 44.36),
    "POL": ("Poznan (V Corps forward command post)", 16.93, 52.41),
    "JPN": ("Yokota Air Base", 139.35, 35.75),
}
HOST_OF = {"Alaska": "USA", "Guam": "USA"}
# Hosts whose count troopdata's rebuild doubles: Italy from 2016 on (24,180 in September 2016,
# where DMDC's own 2016 figure is 12,088 as Pew Research reported it, and every service's
# column about twice the 1996-97 level that the 1997 baseline reads from the same compilation).
# Halved, and marked as an estimate, until DMDC's own quarterly file can be read again.
DOUBLED = {"ITA": ("troopdata's rebuild counts Italy twice from 2016 on (September 2016: "
                   "24,180 against DMDC's 12,088 for 2016 reported by Pew Research, "
                   "https://www.pewresearch.org/fact-tank/2017/08/22/"
                   "u-s-active-duty-military-presence-overseas-is-at-its-smallest-in-decades/); "
                   "halved here, an estimate")}
COLUMNS = ["id", "posture", "label", "by", "host", "base", "lon", "lat", "date", "system", "weapon",
           "trainees", "personnel", "category", "kind", "arrangement", "position_estimate",
           "size_estimate", "confidence", "catalogue", "source", "notes"]
SOURCE = ("DMDC, Military and Civilian Personnel by Service/Agency by State/Country, quarterly "
          "(https://dwp.dmdc.osd.mil/dwp/app/dod-data-reports/workforce-reports), via the "
          "troopdata compilation (https://github.com/meflynn/troopdata, commit {commit})")
HEADER = """\
# US active-duty military personnel permanently assigned, by host (Europe, Japan) and in Alaska
# and Guam, from DMDC's quarterly counts; one row per host and posture. DMDC counts exclude
# rotational units on temporary duty (postures.csv has those). Hosts under 100 are left out.
# describes: 30 September 2021 (for the posture of 17 December 2021) and 31 December 2025
# compiled: 2026-12-07
# source: {source}; positions: a main US installation per host, chosen by us
# licence: US government figures (public domain); table MIT
# built by: geodata/postures/build_us_forces.py from dmdc_snapshot.csv
"""
SNAPSHOT_HEADER = """\
# Input snapshot of build_us_forces.py: DMDC's active-duty counts for the two quarters used,
# cut from troopdata's troopdata-rebuild-country-year-quarter-format.csv (countries, Guam) and
# troopdata-rebuild-us-state-data.csv (Alaska; its troops_ad includes the Coast Guard)
# describes: 30 September 2021 and 31 December 2025
# compiled: 2026-12-07
# source: {source}
# licence: US government figures (public domain)
# built by: geodata/postures/build_us_forces.py --snapshot
"""


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def snapshot(countries: Path, states: Path) -> None:
    """Cut the two quarters out of troopdata's files into ``dmdc_snapshot.csv``."""
    keep = {(y, m) for y, m, _ in QUARTERS.values()}
    rows = []
    with countries.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = r["iso3c"] if r["iso3c"] != "NA" else r["countryname"]
            if (r["year"], r["month"]) in keep and key in SITES:
                rows.append({"key": key, "name": r["countryname"], "year": r["year"],
                             "month": r["month"], "troops_ad": r["troops_ad"],
                             "source": r["source"]})
    with states.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if (r["year"], r["month"]) in keep and r["state"] in SITES:
                rows.append({"key": r["state"], "name": r["state"], "year": r["year"],
                             "month": r["month"], "troops_ad": r["troops_ad"],
                             "source": f"{r['month']} {r['year']} (state report)"})
    rows.sort(key=lambda r: (r["year"], r["key"]))
    buf = io.StringIO()
    buf.write(SNAPSHOT_HEADER.format(source=SOURCE.format(commit=TROOPDATA_COMMIT)))
    w = csv.DictWriter(buf, ["key", "name", "year", "month", "troops_ad", "source"],
                       lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    _write_atomic(SNAPSHOT, buf.getvalue())


def build() -> None:
    """Write ``us_forces_dmdc.csv`` from the snapshot."""
    lines = [ln for ln in SNAPSHOT.read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    snap = list(csv.DictReader(lines))
    out = []
    for posture, (year, month, day) in QUARTERS.items():
        for r in snap:
            if (r["year"], r["month"]) != (year, month) or r["troops_ad"] in ("", "NA"):
                continue
            n = int(float(r["troops_ad"]))
            doubled = DOUBLED.get(r["key"])
            if doubled:
                n //= 2
            if n < MIN_PERSONNEL:
                continue
            site, lon, lat = SITES[r["key"]]
            host = HOST_OF.get(r["key"], r["key"])
            out.append({
                "id": f"dmdc-{year}-{r['key'].lower()}", "posture": posture,
                "label": f"US forces in {r['name']} ({month} {year}, DMDC)", "by": "USA",
                "host": host, "base": site if lon is None else "",
                "lon": "" if lon is None else lon, "lat": "" if lat is None else lat,
                "date": day, "system": "",
                "weapon": "", "trainees": "", "personnel": n, "category": "mixed", "kind": "forces",
                "arrangement": "permanent", "position_estimate": "true",
                "size_estimate": "true" if doubled else "false",
                "confidence": "M" if doubled else "H", "catalogue": "", "source": DMDC_URL,
                "notes": (f"{n:,} active duty permanently assigned, DMDC {month} {year}; all "
                          f"placed at {site} (our choice of site); rotational units excluded"
                          + (f"; {doubled}" if doubled else "")),
            })
    buf = io.StringIO()
    buf.write(HEADER.format(source=SOURCE.format(commit=TROOPDATA_COMMIT)))
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(out)
    _write_atomic(OUT, buf.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", nargs=2, metavar=("COUNTRIES", "STATES"), type=Path,
                        help="refresh dmdc_snapshot.csv from troopdata's two files first")
    args = parser.parse_args()
    if args.snapshot:
        snapshot(*args.snapshot)
    build()


if __name__ == "__main__":
    main()
