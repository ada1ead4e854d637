"""The key of a report map: deployments by number, grouped under their worst status.

Each status group is kept whole in one column when it fits (a group longer than a column
continues in the next, under a "continued" heading); entries are wrapped, never cut, so
no entry loses its status or its clauses.  A coloured swatch ties an entry to its ring and
overlap on the map.

Examples
--------
>>> from deployguard.treaty.findings import Status
>>> rows = [KeyRow(Status.VIOLATION, None, None, ["heading"], True)] + [
...     KeyRow(Status.VIOLATION, i, None, ["a", "b"], False) for i in range(1, 4)]
>>> cols = split_columns(rows, max_lines=5)  # a group longer than a column continues
>>> [len(c) for c in cols], cols[1][0].lines
([2, 2, 2], ['heading (continued)'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from deployguard.treaty.findings import Finding, Status
from deployguard.viz.basemap import STATUS_COLORS
from deployguard.viz.footer import wrap_lines
from deployguard.viz.layers import DeploymentLayer

__all__ = [
    "KeyRow", "column_lines", "draw_key_column", "entry_text", "finding_rows", "finding_text",
    "key_rows", "split_columns", "status_groups",
]

_VERB = {Status.VIOLATION: "violates", Status.DEPENDS: "depends under",
         Status.COMPLIANT: "complies with", Status.NOT_APPLICABLE: "no clause applies:"}
_TITLE = {Status.VIOLATION: "Violation", Status.DEPENDS: "Depends",
          Status.COMPLIANT: "Compliant", Status.NOT_APPLICABLE: "Not applicable"}
TEXT_ON = {Status.VIOLATION: "white", Status.DEPENDS: "black", Status.COMPLIANT: "white",
           Status.NOT_APPLICABLE: "white"}


@dataclass(frozen=True)
class KeyRow:
    """One row of the key: a status heading or a deployment entry (wrapped lines)."""

    status: Status
    number: int | None
    color: str | None
    lines: list[str]
    heading: bool


def _km(value: float) -> str:
    return f"{value:,.0f} km"


def entry_text(layer: DeploymentLayer) -> str:
    """What the key says about one deployment: who, when, the clauses at its worst status, reach.

    Examples
    --------
    >>> import deployguard as dg
    >>> from deployguard.viz.layers import deployment_layers
    >>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    >>> text = entry_text(deployment_layers(dg.check(d), dg.World.load())[0])
    >>> for part in text.split("; "):
    ...     print(part)
    RUS Iskander-M Kaliningrad 2018-02-05 - violates NATO-5
    Iskander-M 50-500 km reaches DEU, DNK, EST, LTU, LVA, POL
    """
    d = layer.deployment
    who = d.name if d.date.isoformat() in d.name else f"{d.name} ({d.by}, {d.date})"
    clauses = [f.clause_id for f in layer.findings if f.status is layer.status]
    verdict = (f"{_VERB[layer.status]} {', '.join(clauses)}" if clauses else "no findings")
    text = f"{who} - {verdict}"
    if layer.range_km is not None:
        rng = _km(layer.range_km)
        if layer.min_range_km:
            rng = f"{layer.min_range_km:,.0f}-{rng}"
        weapon = f"{layer.weapon} " if layer.weapon else ""
        if layer.states_reached:
            text += f"; {weapon}{rng} reaches {', '.join(layer.states_reached)}"
        else:
            text += f"; {weapon}{rng} reaches no state of the other party"
            if layer.nearest:
                text += f" (nearest {layer.nearest[0]}, {_km(layer.nearest[1])})"
    flips = sorted({w.replace("_", " ") for f in layer.findings for w in f.flipped_by})
    if flips:
        text += f"; verdicts change with the {' and the '.join(flips)}"
    if layer.anchor is None:
        text += " (not on the map: no location)"
    return text


def finding_text(f: Finding) -> str:
    """A finding in one paragraph: clause, article, status and reason (for one-deployment keys)."""
    flips = f"  Flips with: {', '.join(f.flipped_by)}." if f.flipped_by else ""
    return f"{f.clause_id} ({f.article}): {f.reason}.{flips}".replace("..", ".")


def key_rows(layers: Sequence[DeploymentLayer], colors: dict[int, str], *, width_in: float,
             fontsize: float) -> list[KeyRow]:
    """Headings and wrapped entries, worst status first, deployments in report order."""
    rows: list[KeyRow] = []
    text_w = width_in - 0.75  # badge and swatch come first
    for status in sorted({ly.status for ly in layers}, key=Status.sort_key):
        group = [ly for ly in layers if ly.status is status]
        n = len(group)
        rows.append(KeyRow(status, None, None,
                           [f"{_TITLE[status]} - {n} deployment{'s' if n != 1 else ''}"], True))
        for ly in group:
            rows.append(KeyRow(status, ly.number, colors.get(ly.number),
                               wrap_lines([entry_text(ly)], text_w, fontsize), False))
    return rows


def finding_rows(findings: Sequence[Finding], *, width_in: float, fontsize: float
                 ) -> list[KeyRow]:
    """Headings and wrapped findings, worst status first (the key of a one-deployment map)."""
    rows: list[KeyRow] = []
    for status in sorted({f.status for f in findings}, key=Status.sort_key):
        group = [f for f in findings if f.status is status]
        n = len(group)
        rows.append(KeyRow(status, None, None,
                           [f"{_TITLE[status]} - {n} clause{'s' if n != 1 else ''}"], True))
        rows += [KeyRow(status, None, None, wrap_lines([finding_text(f)], width_in - 0.3,
                                                       fontsize), False) for f in group]
    return rows


def _height(row: KeyRow) -> float:
    """Height of a row in line units (a heading has space above it)."""
    return len(row.lines) + (0.9 if row.heading else 0.35)


def status_groups(rows: Sequence[KeyRow]) -> list[list[KeyRow]]:
    """The rows cut into groups, each starting at its heading."""
    groups: list[list[KeyRow]] = []
    for row in rows:
        if row.heading or not groups:
            groups.append([row])
        else:
            groups[-1].append(row)
    return groups


def split_columns(rows: Sequence[KeyRow], max_lines: float) -> list[list[KeyRow]]:
    """Split rows into columns of at most ``max_lines`` lines, keeping a status group whole
    when it fits in a column (a longer group continues in the next one).
    """
    cols: list[list[KeyRow]] = [[]]
    used = 0.0
    for group in status_groups(rows):
        need = sum(_height(r) for r in group)
        if cols[-1] and used + need > max_lines and need <= max_lines:
            cols.append([])
            used = 0.0
        for row in group:
            h = _height(row)
            if cols[-1] and used + h > max_lines:
                cols.append([])
                used = 0.0
                if not row.heading:  # say which group continues
                    head = group[0]
                    cont = KeyRow(head.status, None, None, [head.lines[0] + " (continued)"], True)
                    cols[-1].append(cont)
                    used += _height(cont)
            cols[-1].append(row)
            used += h
    return [c for c in cols if c]


def column_lines(col: Sequence[KeyRow]) -> float:
    """Height of a column in line units."""
    return sum(_height(r) for r in col)


def draw_key_column(fig: Figure, rect: tuple[float, float, float, float], rows: Sequence[KeyRow],
                    *, fontsize: float) -> Axes:
    """Draw one key column in ``rect`` (left, bottom, width, height in figure inches)."""
    fw, fh = fig.get_size_inches()
    x0, y0, w, h = rect
    ax = fig.add_axes((x0 / fw, y0 / fh, w / fw, h / fh))
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    ax.axis("off")
    ax.set_gid("key")
    lh = fontsize * 1.32 / 72.0
    y = h
    for row in rows:
        color = STATUS_COLORS[row.status.value]
        if row.heading:
            y -= 0.55 * lh
            ax.add_patch(Rectangle((0.02, y - 0.85 * lh), 0.3, 0.75 * lh, facecolor=color,
                                   edgecolor="#222222", linewidth=0.5))
            ax.text(0.42, y - 0.45 * lh, row.lines[0], fontsize=fontsize + 0.8, weight="bold",
                    va="center", ha="left", gid=f"key-heading:{row.status.value}")
            y -= lh + 0.35 * lh
            continue
        if row.number is not None:
            ax.text(0.17, y - 0.5 * lh, str(row.number), fontsize=fontsize, weight="bold",
                    ha="center", va="center", color=TEXT_ON[row.status],
                    bbox={"boxstyle": "round,pad=0.22", "facecolor": color,
                          "edgecolor": "#222222", "linewidth": 0.5})
        if row.color is not None:
            ax.plot([0.36, 0.62], [y - 0.5 * lh] * 2, color=row.color, linewidth=2.4,
                    solid_capstyle="butt")
        ax.text(0.72 if row.number is not None else 0.12, y, "\n".join(row.lines),
                fontsize=fontsize, ha="left", va="top", linespacing=1.12,
                gid=f"key-entry:{row.number}" if row.number is not None else "key-finding")
        y -= len(row.lines) * lh + 0.35 * lh
    return ax
