"""The finding schema: every column a finding has, once, with its type, unit and meaning.

``Report.to_frame``, ``Report.to_records``, ``Report.to_geodataframe``, ``findings.csv``,
``findings.json`` and the evidence features of ``evidence.geojson`` all have exactly the columns
of :data:`FINDING_COLUMNS`, in this order; ``docs/schema.md`` is :func:`schema_markdown`.

How a value looks depends on the format and the column's kind (:data:`KINDS`).

Examples
--------
>>> [c.name for c in FINDING_COLUMNS][:4]
['deployment_id', 'deployment_index', 'label', 'deployment']
>>> COLUMN["margin_km"].unit
'km'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "COLUMN", "DEPLOYMENT_PROPERTIES", "EVIDENCE_PROPERTIES", "EVIDENCE_TOLERANCE_KM",
    "FINDING_COLUMNS", "KINDS", "Column", "schema_markdown",
]

#: Evidence geometry (range ring x territory) is for maps, not decisions: traced and simplified
#: to 1 km, it stays cheap even at 5,000 km radius (``tolerance_km`` of evidence features).
EVIDENCE_TOLERANCE_KM = 1.0

Kind = Literal["text", "integer", "number", "boolean", "list", "object"]

#: How each kind is written: in JSON (records, findings.json, GeoJSON), in a table (frame and
#: CSV), and when the value is missing.
KINDS: dict[str, tuple[str, str, str]] = {
    "text": ("string", "string", "null; an empty cell"),
    "integer": ("number", "integer", "never missing"),
    "number": ("number", "float", "null; NaN in a frame; an empty cell"),
    "boolean": ("true or false", "bool (CSV: True or False)", "never missing"),
    "list": ("array of strings", "the strings joined by |", "[]; an empty text"),
    "object": ("object or array", "its JSON text", "null; an empty cell"),
}


@dataclass(frozen=True)
class Column:
    """One column of the finding schema.

    Attributes
    ----------
    name : str
        The column's name in every format.
    kind : str
        ``text``, ``integer``, ``number``, ``boolean``, ``list`` or ``object`` (see the module).
    unit : str
        The unit of a number (``km``, ``degrees``), or ``""``.
    meaning : str
        What the value says, in one or two sentences.
    """

    name: str
    kind: Kind
    unit: str
    meaning: str


def _c(name: str, kind: Kind, unit: str, meaning: str) -> Column:
    return Column(name, kind, unit, meaning)


#: The columns of a finding, in order (one row per clause x deployment it concerns).
FINDING_COLUMNS: tuple[Column, ...] = (
    _c("deployment_id", "text", "",
       "The deployment's id: the record's own id when the input gives one (text), else its "
       "row number in the input (a number)."),
    _c("deployment_index", "integer", "",
       "The row of the input (0-based) the finding judges."),
    _c("label", "text", "", "The deployment's label, unique within a run."),
    _c("deployment", "text", "",
       "The same label (the name maps and GeoJSON features use)."),
    _c("lon", "number", "degrees",
       "Longitude (WGS84) of the deployment's point; for an area or a route a "
       "representative point; missing for a state-wide deployment."),
    _c("lat", "number", "degrees", "Latitude (WGS84) of the same point."),
    _c("by", "text", "", "The deploying state (ISO 3166-1 alpha-3)."),
    _c("kind", "text", "", "What is deployed: forces, a missile system, a warship, ..."),
    _c("date", "text", "", "The deployment's date (ISO 8601)."),
    _c("clause", "text", "", "The clause applied, e.g. NATO-5."),
    _c("draft", "text", "", "The draft it belongs to: us or nato."),
    _c("article", "text", "", "Where the clause stands in its draft."),
    _c("status", "text", "",
       "violation, compliant, not_applicable or depends (the reason says on what)."),
    _c("reason", "text", "", "Why, in one or two sentences a reader can check."),
    _c("host", "text", "", "The state whose territory hosts the deployment, as decided."),
    _c("distance_km", "number", "km",
       "Geodesic distance (WGS84) the clause measured: to the nearest point of the "
       "territory it names."),
    _c("margin_km", "number", "km",
       "Range minus distance: how far beyond the other side's territory the weapon "
       "reaches (negative: short of it)."),
    _c("states_reached", "list", "",
       "States of the other side within the weapon's range (ISO 3166-1 alpha-3)."),
    _c("capitals_reached", "object", "",
       "[name, country] of every capital within the weapon's range (and beyond its minimum "
       "range), nearest first, for reach findings of a point deployment."),
    _c("weapon", "text", "",
       "The weapon whose range the clause used (the ground-launched one for US-6 and NATO-5)."),
    _c("range_km", "number", "km", "That weapon's range at the run's range estimate."),
    _c("min_range_km", "number", "km", "That weapon's minimum range, if it has one."),
    _c("range_estimate", "text", "", "The run's range estimate: low, nominal or high."),
    _c("worldview", "text", "", "Whose borders the run used (de_facto, ...)."),
    _c("flipped_by", "list", "",
       "With sensitivity: the assumptions whose change changes the status."),
    _c("quote", "text", "", "The operative words of the article."),
    _c("wording", "text", "", "How sure the quote is, and its source."),
    _c("evidence", "object", "",
       "Everything the clause measured or looked up (distances in km, margins, states "
       "reached, capitals_reached, places_in_range with the GeoNames credit, the 1997 level, "
       "member lists, the sensitivity grid)."),
    _c("assumptions", "object", "",
       "The run's assumptions for this deployment: worldview, resolution, borders data, range "
       "estimate and the weapon's facts with their sources, readings, date of evaluation."),
    _c("has_geometry", "boolean", "",
       "Whether the finding has evidence geometry (the site, or the reached part of a "
       "territory) in evidence.geojson and Report.evidence_geometry."),
)

#: The columns by name.
COLUMN: dict[str, Column] = {c.name: c for c in FINDING_COLUMNS}

#: The properties of a deployment feature of evidence.geojson (evidence features carry
#: :data:`FINDING_COLUMNS` and ``role`` and ``tolerance_km``).
DEPLOYMENT_PROPERTIES: tuple[Column, ...] = (
    _c("role", "text", "", "deployment (the site or area) or evidence (a reached part)."),
    *(COLUMN[n] for n in ("deployment_id", "deployment_index", "label", "deployment", "by",
                          "kind", "date", "range_estimate", "worldview")),
    _c("system", "text", "", "The weapon system deployed, if any."),
    _c("statuses", "object", "", "The status of each clause about the deployment."),
)

#: The extra properties of an evidence feature of evidence.geojson.
EVIDENCE_PROPERTIES: tuple[Column, ...] = (
    DEPLOYMENT_PROPERTIES[0],
    *FINDING_COLUMNS,
    _c("tolerance_km", "number", "km",
       "The evidence geometry is traced and simplified to this tolerance (for maps)."),
)


def _table(columns: tuple[Column, ...]) -> list[str]:
    rows = ["| column | type | unit | meaning |", "|---|---|---|---|"]
    rows += [f"| `{c.name}` | {c.kind} | {c.unit or '-'} | {c.meaning} |" for c in columns]
    return rows


def schema_markdown() -> str:
    """``docs/schema.md``: the schema as Markdown tables (a test keeps the file equal)."""
    kinds = ["| kind | JSON | frame and CSV | missing |", "|---|---|---|---|"]
    kinds += [f"| {k} | {j} | {t.replace('|', chr(92) + '|')} | {m} |"
              for k, (j, t, m) in KINDS.items()]
    lines = [
        "# The finding schema", "",
        "<!-- made by deployguard.treaty.schema.schema_markdown(); do not edit by hand -->", "",
        "Every format of a run's findings has exactly these columns, in this order: "
        "`Report.to_frame()`, `Report.to_records()`, `Report.to_geodataframe()` (plus "
        "`geometry`), `findings.csv`, the `findings` of `findings.json` (and of `deployguard "
        "check --format json`), and the evidence features of `evidence.geojson`.", "",
        "How a value is written depends on its kind:", "", *kinds, "",
        "## Findings", "", *_table(FINDING_COLUMNS), "",
        "## evidence.geojson", "",
        "Deployment features (the site, area or route of each deployment):", "",
        *_table(DEPLOYMENT_PROPERTIES), "",
        "Evidence features (the reached part of a territory, or the site) carry `role` "
        "(`evidence`), every finding column above, and:", "",
        *_table(EVIDENCE_PROPERTIES[-1:]), "",
        "## The output folder", "",
        "`Report.write(DIR)` and `deployguard check ... --out DIR` write the same files, byte "
        "for byte: `report.md`, `findings.csv`, `findings.json` (the run's settings and counts, "
        "then one finding a line, as `--format json` prints it), `evidence.geojson`, and with "
        "the command line `map.png`. They are written as one set: staged in a folder beside "
        "DIR and swapped in whole, with `deployguard-manifest.json` (each file's SHA-256 and "
        "size) written last, so an interrupted run leaves the previous set or the new one. "
        "A file in DIR that the manifest does not name with its current content was not "
        "written by deployguard: it is never replaced unless asked (`--force`, "
        "`force=True`). When other files live in DIR, the set moves in file by file, the "
        "manifest last: a folder without a manifest holds an interrupted run.", "",
    ]
    return "\n".join(lines)
