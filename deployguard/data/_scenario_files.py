r"""Read scenario files into raw records: YAML, JSON, CSV, GeoJSON and (Geo)Parquet.

Each reader turns bytes (or a table) into a :class:`RawScenario`: the deployment records as
plain mappings, each with where it sits in the file, the top-level settings, and every
:class:`~deployguard.errors.Problem` met on the way. Nothing here raises on bad content: the
caller (:mod:`deployguard.data.scenarios`) reports all problems at once.

Guards against hostile or broken files, checked while the file is read so that memory stays
bounded: only a regular file is read (a FIFO or a device is named as such), and at most
:data:`MAX_BYTES` of it; text must be UTF-8 (with or without a BOM); more than
:data:`MAX_NODES` values (keys included, YAML aliases expanded) are refused by a cheap count
before the document is built (YAML: the parser's event stream, stopped at the limit; JSON: its
structural characters outside strings; CSV: cells as rows are read; Parquet: rows times columns
from the file's metadata); nesting deeper than :data:`MAX_DEPTH` or integers longer than
:data:`MAX_INT_DIGITS` digits are refused with a message, never a ``RecursionError``, a
``MemoryError`` or a ``ValueError`` from the parser. YAML is read with the safe loader only, and a
key given twice in one mapping is refused (as JSON's are).

Examples
--------
>>> raw = read_text_scenario(b"by;lon;lat;date\nUSA;8,3;50,0;2026-07-01\n", ".csv", "s.csv")
>>> raw.records[0].fields["lon"], raw.records[0].where, raw.problems
('8.3', 'line 2', [])
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deployguard.errors import Problem

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "RawRecord",
    "RawScenario",
    "read_frame",
    "read_parquet_scenario",
    "read_scenario_file",
    "read_text_scenario",
]

#: file suffix -> format name
FORMATS: dict[str, str] = {
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".geojson": "geojson", ".csv": "csv",
    ".parquet": "parquet", ".geoparquet": "parquet",
}
MAX_DEPTH = 64  # a MultiPolygon in a GeoJSON feature needs 8
#: values (keys included) a scenario may hold: about 180,000 point deployments of five fields
MAX_NODES = 2_000_000
#: bytes a scenario file may have; two million values take a few tens of MB of text
MAX_BYTES = 100 * 2**20
MAX_INT_DIGITS = 15  # no deployment field needs a larger integer (personnel, degrees)
_WKT = re.compile(
    r"^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)"
    r"\b", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")
_LONG_INT = re.compile(r"(?<![\d.])[+-]?\d{4301,}")


@dataclass(frozen=True)
class RawRecord:
    """One deployment record as read: its fields and where it is in the file."""

    fields: Any  # a mapping when well formed; anything else is reported by the builder
    where: str | None = None


@dataclass
class RawScenario:
    """What a reader found: the records, the top-level settings and the problems."""

    records: list[RawRecord] = field(default_factory=list)
    top: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    kind: str = ""


def _short(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


# ------------------------------------------------------------------------------ files
_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_scenario_file(path: str | os.PathLike[str], origin: str) -> RawScenario:
    """Read a scenario file (its suffix one of :data:`FORMATS`) within the limits.

    Raises
    ------
    OSError
        When the file cannot be opened or read (the caller names the file).
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    raw = RawScenario(kind=FORMATS.get(suffix, ""))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raw.problems.append(Problem("scenario file not found; expected a file"))
        return raw
    if stat.S_ISDIR(info.st_mode):
        raw.problems.append(Problem("scenario file is a folder; expected a file"))
        return raw
    special = next((name for test, name in _SPECIAL if test(info.st_mode)), None)
    if special is not None or not stat.S_ISREG(info.st_mode):
        raw.problems.append(Problem(f"is {special or 'a special file'}, not a scenario file; "
                                    "expected a regular file"))
        return raw
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raw.problems.append(Problem(f"unknown scenario format {suffix or '(none)'!r}; expected "
                                    f"one of {known}"))
        return raw
    if info.st_size > MAX_BYTES:
        raw.problems.append(_too_big(info.st_size))
        return raw
    if raw.kind == "parquet":
        return read_parquet_scenario(os.fspath(path), origin)
    with open(path, "rb") as handle:
        # bounded even when the size on disk lies (a file that grows, /proc)
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raw.problems.append(_too_big(None))
        return raw
    return read_text_scenario(data, raw.kind, origin)


def _bytes(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def _too_big(size: int | None) -> Problem:
    found = _bytes(size) if size is not None else f"more than {_bytes(MAX_BYTES)}"
    return Problem(f"the file is {found}; scenario files are limited to {_bytes(MAX_BYTES)} "
                   "(split it)")


def _too_many(found: str, where: str = "") -> Problem:
    return Problem(f"{found} values (keys included){where}; scenario files are limited to "
                   f"{MAX_NODES:,} values (split the file)")


# ------------------------------------------------------------------------------ text
def _decode(data: bytes, origin: str) -> str | Problem:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem("the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return Problem(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {col}; save "
            "the file as UTF-8 (in Excel: 'CSV UTF-8'; most editors: 'Save with encoding')"
        )


def _long_int_problem(text: str) -> Problem | None:
    match = _LONG_INT.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return Problem(
        f"a number with {len(match.group().lstrip('+-')):,} digits at line {line}; no deployment "
        "field takes a number that long (expected degrees, a date or a personnel count)"
    )


def read_text_scenario(data: bytes, kind_or_suffix: str, origin: str) -> RawScenario:
    """Parse a text scenario (``.yaml``, ``.json``, ``.geojson`` or ``.csv``) from bytes."""
    kind = FORMATS.get(kind_or_suffix, kind_or_suffix)
    raw = RawScenario(kind=kind)
    text = _decode(data, origin)
    if isinstance(text, Problem):
        raw.problems.append(text)
        return raw
    if not text.strip():
        raw.problems.append(Problem("the file is empty; expected deployments"))
        return raw
    if kind == "csv":
        _read_csv(text, raw)
        return raw
    counted = _yaml_count(text) if kind == "yaml" else _json_count(text)
    if counted is not None:
        raw.problems.append(counted)
        return raw
    try:
        doc, lines = _parse_yaml(text) if kind == "yaml" else (_parse_json(text), {})
    except RecursionError:
        raw.problems.append(Problem(f"nested too deeply (more than {MAX_DEPTH} levels); a "
                                    "scenario needs only a few"))
        return raw
    except _ParseError as exc:
        raw.problems.append(Problem(str(exc)))
        return raw
    except ValueError as exc:  # the parser's own limit on integer digits
        raw.problems.append(_long_int_problem(text) or Problem(f"cannot be read: {exc}"))
        return raw
    size_problem = _measure(doc)
    if size_problem is not None:
        raw.problems.append(size_problem)
        return raw
    _split_document(doc, raw, lines)
    return raw


class _ParseError(Exception):
    """A syntax error, with the line where the parser gave up."""


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_CHUNK = 2**20


def _json_structure(bare: str) -> int:
    return bare.count(",") + bare.count(":") + bare.count("[") + bare.count("{")


def _json_count(text: str) -> Problem | None:
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
            return _too_many(f"more than {MAX_NODES:,}", f" by line {line}")
        pos += cut
    return None


def _yaml_count(text: str) -> Problem | None:
    """Refuse YAML with more than :data:`MAX_NODES` nodes, stopping the parser's event stream
    at the limit (nothing is built); aliases are counted once here and expanded later.
    """
    import yaml

    loader = _yaml_loader()(text)
    seen = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.NodeEvent):
                seen += 1
                if seen > MAX_NODES:
                    line = event.start_mark.line + 1 if event.start_mark else "?"
                    return _too_many(f"more than {MAX_NODES:,}", f" by line {line}")
    except yaml.YAMLError:
        return None  # the parse proper names the syntax error and its line
    finally:
        loader.dispose()
    return None


def _parse_json(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _ParseError(f"key {k!r} appears twice in one object; keep one")
            out[k] = v
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise _ParseError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column "
                          f"{exc.colno}") from exc


def _parse_yaml(text: str) -> tuple[Any, dict[int, str]]:
    """The YAML document (safe loader) and the line of each deployment record (by position)."""
    import yaml

    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _ParseError("the file is empty; expected deployments")
        doc = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise _ParseError(f"not valid YAML: {exc.problem or exc.context}{where}") from exc
    except yaml.YAMLError as exc:
        raise _ParseError(f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return doc, _yaml_lines(node)


@functools.cache
def _yaml_loader() -> Any:
    """The safe loader, except that an impossible date (``2018-02-31``) stays text.

    PyYAML turns an unquoted ``date: 2018-02-31`` into a ``ValueError`` for the whole file;
    kept as text, the date is judged with the deployment's other fields (its index, line and
    field named, and every other problem listed in the same answer).
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[valid-type,misc]
        pass

    def timestamp(loader: Any, node: Any) -> Any:
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    def mapping(loader: Any, node: Any) -> Any:
        # PyYAML keeps the last of two equal keys ('by: RUS' then 'by: USA' is USA); JSON
        # refuses them here, and so does YAML. A merge key ('<<') may be overridden on purpose.
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
                seen[key] = line
            except TypeError:  # an unhashable key: the safe constructor names it
                continue
            if first is not None:
                raise _ParseError(f"key {key!r} appears twice in one mapping (line {first} and "
                                  f"line {line}); keep one")
        return yaml.SafeLoader.construct_yaml_map(loader, node)

    _Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    _Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    return _Loader


def _yaml_lines(node: Any) -> dict[int, str]:
    import yaml

    seq = node
    if isinstance(node, yaml.MappingNode):
        seq = next((v for k, v in node.value if getattr(k, "value", None) == "deployments"),
                   None)
    if not isinstance(seq, yaml.SequenceNode):
        return {}
    return {i: f"line {item.start_mark.line + 1}" for i, item in enumerate(seq.value)}


def _measure(doc: Any) -> Problem | None:
    """Refuse documents too deep, too large (aliases expanded) or with absurd integers."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            return _too_many(f"more than {MAX_NODES:,}", " after expanding YAML aliases")
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


def _split_document(doc: Any, raw: RawScenario, lines: dict[int, str]) -> None:
    if isinstance(doc, list):
        items: Any = doc
    elif isinstance(doc, Mapping) and doc.get("type") in ("FeatureCollection", "Feature"):
        _split_geojson(doc, raw)
        return
    elif isinstance(doc, Mapping):
        raw.top = {k: v for k, v in doc.items() if k != "deployments"}
        if "deployments" not in doc:
            raw.problems.append(Problem(
                "no 'deployments' list; expected a list of deployments, or a mapping with "
                f"'deployments' (and optional 'title', 'defaults'), got keys {sorted(doc)}"))
            return
        items = doc["deployments"]
    else:
        raw.problems.append(Problem(
            f"expected a list of deployments or a mapping with 'deployments', got "
            f"{type(doc).__name__} {_short(doc)}"))
        return
    if not isinstance(items, list):
        raw.problems.append(Problem(f"'deployments' must be a list, got {type(items).__name__} "
                                    f"{_short(items)}", "deployments"))
        return
    raw.kind = raw.kind or "json"
    # the index names a JSON entry; YAML entries also get their line
    raw.records.extend(RawRecord(rec, lines.get(i)) for i, rec in enumerate(items))


def _split_geojson(doc: Mapping[str, Any], raw: RawScenario) -> None:
    raw.kind = "geojson"
    features = [doc] if doc.get("type") == "Feature" else doc.get("features")
    raw.top = {k: v for k, v in doc.items() if k not in ("type", "features", "bbox", "crs")}
    if not isinstance(features, list):
        raw.problems.append(Problem("a FeatureCollection needs a 'features' list", "features"))
        return
    for i, feat in enumerate(features):
        where = None  # the deployment index is the feature index
        if not isinstance(feat, Mapping) or feat.get("type") != "Feature":
            raw.records.append(RawRecord(feat, where))
            continue
        props = feat.get("properties") or {}
        if not isinstance(props, Mapping):
            raw.problems.append(Problem(f"properties must be an object, got {_short(props)}",
                                        "properties", i, None, where))
            continue
        rec = dict(props)
        geom = feat.get("geometry")
        if geom is not None:
            if "at" in rec or "lon" in rec or "lat" in rec:
                raw.problems.append(Problem(
                    "the feature has a geometry and also at/lon/lat in its properties; give "
                    "one", "at", i, rec.get("label") if isinstance(rec.get("label"), str)
                    else None, where))
                continue
            rec["at"] = geom
        raw.records.append(RawRecord(rec, where))


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


def _read_csv(text: str, raw: RawScenario) -> None:
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
            if cells > MAX_NODES:  # counted as rows are read, before more are kept
                raw.records.clear()
                raw.problems[:] = [_too_many(f"more than {MAX_NODES:,}", f" by {where}")]
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
                raw.problems.append(Problem(f"a cell {_short(value)} under an empty column name",
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
        raw.problems.append(Problem(f"not valid WKT: {_short(value)} ({exc})", column,
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
    if cells > MAX_NODES:
        raw.problems.append(_too_many(f"{cells:,} ({footer.num_rows:,} rows of "
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
