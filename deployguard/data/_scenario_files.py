r"""Read scenario files into raw records: YAML, JSON, CSV, GeoJSON and (Geo)Parquet
(the tables in :mod:`deployguard.data._scenario_tables`).

Each reader turns bytes (or a table) into a :class:`RawScenario`: the deployment records as
plain mappings, each with where it sits in the file, the top-level settings, and every
:class:`~deployguard.errors.Problem` met on the way. Nothing here raises on bad content: the
caller (:mod:`deployguard.data.scenarios`) reports all problems at once.

Guards against hostile or broken files, checked while the file is read so that memory stays
bounded (the limits and the counts are in :mod:`deployguard.data._scenario_limits`): only a
regular file is read (a FIFO or a device is named as such), and at most ``MAX_BYTES`` of it;
text must be UTF-8 (with or without a BOM); more than ``MAX_NODES`` values (keys included, YAML
aliases expanded) are refused by a cheap count before the document is built (YAML: the
parser's event stream, stopped at the limit; JSON: its structural characters outside strings;
CSV: cells as rows are read; Parquet: rows times columns from the file's metadata); nesting
deeper than ``MAX_DEPTH`` or integers longer than ``MAX_INT_DIGITS`` digits are refused with a
message, never a ``RecursionError``, a ``MemoryError`` or a ``ValueError`` from the parser.
YAML is read with the safe loader only, and a
key given twice in one mapping is refused (as JSON's are).

Examples
--------
>>> raw = read_text_scenario(b"by;lon;lat;date\nUSA;8,3;50,0;2026-07-01\n", ".csv", "s.csv")
>>> raw.records[0].fields["lon"], raw.records[0].where, raw.problems
('8.3', 'line 2', [])
"""

from __future__ import annotations

import functools
import json
import os
import stat
from collections.abc import Mapping
from typing import Any

from deployguard.data import _scenario_limits as limits
from deployguard.data._scenario_raw import RawRecord, RawScenario, short
from deployguard.data._scenario_tables import read_csv_text, read_frame, read_parquet_scenario
from deployguard.errors import Problem

__all__ = [
    "FORMATS",
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
    if info.st_size > limits.MAX_BYTES:
        raw.problems.append(limits.too_big(info.st_size))
        return raw
    if raw.kind == "parquet":
        return read_parquet_scenario(os.fspath(path), origin)
    with open(path, "rb") as handle:
        # bounded even when the size on disk lies (a file that grows, /proc)
        data = handle.read(limits.MAX_BYTES + 1)
    if len(data) > limits.MAX_BYTES:
        raw.problems.append(limits.too_big(None))
        return raw
    return read_text_scenario(data, raw.kind, origin)


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
        read_csv_text(text, raw)
        return raw
    counted = _yaml_count(text) if kind == "yaml" else limits.json_count(text)
    if counted is not None:
        raw.problems.append(counted)
        return raw
    try:
        doc, lines = _parse_yaml(text) if kind == "yaml" else (_parse_json(text), {})
    except RecursionError:
        raw.problems.append(Problem(f"nested too deeply (more than {limits.MAX_DEPTH} levels); "
                                    "a scenario needs only a few"))
        return raw
    except _ParseError as exc:
        raw.problems.append(Problem(str(exc)))
        return raw
    except ValueError as exc:  # the parser's own limit on integer digits
        raw.problems.append(limits.long_int_problem(text) or Problem(f"cannot be read: {exc}"))
        return raw
    size_problem = limits.measure(doc)
    if size_problem is not None:
        raw.problems.append(size_problem)
        return raw
    _split_document(doc, raw, lines)
    return raw


class _ParseError(Exception):
    """A syntax error, with the line where the parser gave up."""


def _yaml_count(text: str) -> Problem | None:
    """Refuse YAML with more than ``MAX_NODES`` nodes, stopping the parser's event stream at
    the limit (nothing is built); aliases are counted once here and expanded later.

    libyaml first counts every event in C, building no Python object (a few MB/s faster than
    the loop below): events bound the nodes from above (a collection has an end event too) and,
    as each document and collection has a node, from below by a quarter of the events less
    the stream's two. Only between the bounds are the nodes counted one by one.
    """
    import yaml

    events = _raw_events(text)
    if events is not None and events <= limits.MAX_NODES:
        return None
    if events is not None and (events - 2) // 4 > limits.MAX_NODES:
        return limits.too_many(f"at least {(events - 2) // 4:,}")
    loader = _yaml_loader()(text)
    seen = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.NodeEvent):
                seen += 1
                if seen > limits.MAX_NODES:
                    line = event.start_mark.line + 1 if event.start_mark else "?"
                    return limits.too_many(f"more than {limits.MAX_NODES:,}", f" by line {line}")
    except yaml.YAMLError:
        return None  # the parse proper names the syntax error and its line
    finally:
        loader.dispose()
    return None


def _raw_events(text: str) -> int | None:
    """The number of parser events, counted by libyaml in C; None without libyaml or when the
    text is not valid YAML (the parse proper names the error).
    """
    import yaml

    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML without libyaml: the loop counts alone
        return None
    try:
        return int(CParser(text).raw_parse())
    except yaml.YAMLError:
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
            f"{type(doc).__name__} {short(doc)}"))
        return
    if not isinstance(items, list):
        raw.problems.append(Problem(f"'deployments' must be a list, got {type(items).__name__} "
                                    f"{short(items)}", "deployments"))
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
            raw.problems.append(Problem(f"properties must be an object, got {short(props)}",
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
