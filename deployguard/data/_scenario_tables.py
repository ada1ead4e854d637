r"""Read tabular scenarios into raw records: CSV text, (Geo)Parquet files and (Geo)DataFrames.

CSV cells stay text (the deployment builder parses numbers and dates, naming the line); a
semicolon CSV's decimal comma in ``lon``/``lat`` becomes a point; WKT in ``at``, ``wkt`` or
``geometry`` becomes a shapely geometry. The value limit is checked as rows are read (CSV) or
from the file's footer before any row is read (Parquet).

Examples
--------
>>> raw = RawScenario(kind="csv")
>>> read_csv_text("by;lon;lat;date\nUSA;8,3;50,0;2026-07-01\n", raw)
>>> raw.records[0].fields["lon"], raw.records[0].where, raw.problems
('8.3', 'line 2', [])
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any

from deployguard.data import _scenario_limits as limits
from deployguard.data._scenario_raw import RawRecord, RawScenario, short
from deployguard.errors import Problem

__all__ = ["read_csv_text", "read_frame", "read_parquet_scenario"]

_WKT = re.compile(
    r"^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)"
    r"\b", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")


# ------------------------------------------------------------------------------ CSV
def _delimiter(header: str) -> str:
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _skip_comments(text: str) -> tuple[int, str]:
    """The number of '#' comment (and blank) lines before the header, and the rest."""
    skipped, start = 0, 0
    while start < len(text):  # line by line, without splitting the whole text
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        line = text[start:end]
        if line.strip() and not line.lstrip().startswith("#"):
            break
        skipped, start = skipped + 1, end
    return skipped, text[start:]


def read_csv_text(text: str, raw: RawScenario) -> None:
    skipped, body = _skip_comments(text)
    if not body.strip():
        raw.problems.append(Problem("no header row; expected column names like by,at,date"))
        return
    delim = _delimiter(body[: body.find("\n")] if "\n" in body else body)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        dupes = sorted({h for h in header if header.count(h) > 1 and h})
        if dupes:
            raw.problems.append(Problem(f"column(s) {dupes} appear twice in the header; keep one"))
            return
        last = reader.line_num
        cells = len(header)
        for row in reader:
            where = f"line {skipped + last + 1}"  # the row's first line (cells may span lines)
            last = reader.line_num
            cells += len(row)
            if cells > limits.MAX_NODES:  # counted as rows are read, before more are kept
                raw.records.clear()
                raw.problems[:] = [limits.too_many(f"more than {limits.MAX_NODES:,}",
                                                   f" by {where}")]
                return
            if any(c.strip() for c in row):
                _csv_row(header, row, delim, where, raw)
    except csv.Error as exc:
        raw.problems.append(Problem(f"not valid CSV at line {skipped + reader.line_num}: {exc}"))


def _csv_row(header: list[str], row: list[str], delim: str, where: str, raw: RawScenario) -> None:
    entry = len(raw.records)
    if len(row) > len(header):
        raw.problems.append(Problem(
            f"{len(row)} cells but the header has {len(header)} columns (separator {delim!r}); "
            f"quote cells that contain {delim!r}", None, entry, None, where))
        raw.records.append(RawRecord(None, where))  # keeps the entry numbers in step
        return
    rec: dict[str, Any] = {}
    for name, cell in zip(header, row, strict=False):
        value = cell.strip()
        if not name:
            if value:
                raw.problems.append(Problem(f"a cell {short(value)} under an empty column name",
                                            None, entry, None, where))
            continue
        if delim == ";" and name in ("lon", "lat") and _DECIMAL_COMMA.match(value):
            value = value.replace(",", ".")  # a European decimal comma
        rec[name] = value
    _csv_geometry(rec, raw, where)
    raw.records.append(RawRecord(rec, where))


def _csv_geometry(rec: dict[str, Any], raw: RawScenario, where: str) -> None:
    """``at``, ``wkt`` or ``geometry`` holding WKT becomes a shapely geometry."""
    import shapely

    label = rec.get("label")
    for key in ("wkt", "geometry"):
        if not rec.get(key):
            rec.pop(key, None)
    given = [k for k in ("at", "wkt", "geometry") if rec.get(k)]
    if len(given) > 1:
        raw.problems.append(Problem(f"give one of the columns {given}, not several", "at",
                                    len(raw.records), label, where))
        return
    column = given[0] if given else None
    if column is None or (column == "at" and not _WKT.match(rec["at"])):
        return  # no position, or a base name
    value = rec.pop(column)
    try:
        rec["at"] = shapely.from_wkt(value)
    except (shapely.errors.ShapelyError, ValueError) as exc:
        raw.problems.append(Problem(f"not valid WKT: {short(value)} ({exc})", column,
                                    len(raw.records), label, where))


# ------------------------------------------------------------------------------ tables
def read_parquet_scenario(path: str, origin: str) -> RawScenario:
    """Read a GeoParquet file (or a plain Parquet file with ``lon``/``lat`` columns)."""
    import pyarrow.parquet as pq

    raw = RawScenario(kind="parquet")
    try:
        footer = pq.read_metadata(path)
        meta = footer.schema.to_arrow_schema().metadata or {}
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raw.problems.append(Problem(f"not a Parquet file: {exc}"))
        return raw
    cells = footer.num_rows * footer.num_columns  # from the footer, before any row is read
    if cells > limits.MAX_NODES:
        raw.problems.append(limits.too_many(f"{cells:,} ({footer.num_rows:,} rows of "
                                      f"{footer.num_columns} columns)"))
        return raw
    try:
        if b"geo" in meta:
            import geopandas as gpd

            frame: Any = gpd.read_parquet(path)
        else:
            import pandas as pd

            frame = pd.read_parquet(path)
    except Exception as exc:  # a corrupt or unsupported file
        raw.problems.append(Problem(f"cannot read the Parquet file: {exc}"))
        return raw
    if b"deployguard" in meta:
        try:
            top = json.loads(meta[b"deployguard"])
        except ValueError:
            top = None
        if not isinstance(top, dict):
            raw.problems.append(Problem("the 'deployguard' metadata must be a JSON object with "
                                        "'defaults' (and optional 'title')"))
        else:
            raw.top = top
    table = read_frame(frame)
    raw.records, raw.problems = table.records, raw.problems + table.problems
    return raw


def read_frame(frame: Any) -> RawScenario:
    """Records from a (Geo)DataFrame of deployment fields (its geometry column is ``at``)."""
    raw = RawScenario(kind="table")
    geom_col = None
    if hasattr(frame, "geometry") and getattr(frame, "_geometry_column_name", None):
        geom_col = frame._geometry_column_name
        crs = frame.crs
        if crs is not None and not crs.equals("EPSG:4326") and not crs.equals("OGC:CRS84"):
            frame = frame.to_crs("EPSG:4326")  # exact reprojection to lon/lat degrees
    for i, row in enumerate(frame.to_dict("records")):
        rec = {str(k): _plain(v) for k, v in row.items() if k != geom_col}
        if geom_col is not None:
            geom = row[geom_col]
            if geom is not None and not getattr(geom, "is_empty", False):
                if rec.get("at") is not None or rec.get("lon") is not None:
                    raw.problems.append(Problem(
                        "the row has a geometry and also at/lon/lat; give one", "at", i,
                        rec.get("label") if isinstance(rec.get("label"), str) else None,
                        None))
                    continue
                rec["at"] = geom
        raw.records.append(RawRecord(rec))
    return raw


def _plain(value: Any) -> Any:
    """Python values for numpy and pandas scalars; None for missing values."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, list | tuple | dict | str):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "tolist"):  # an array cell (consent as a list)
        return value.tolist()
    return value
