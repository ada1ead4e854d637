"""A report as text: the terminal summary and the Markdown file.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> print(text(dg.check(d)).splitlines()[0])
deployguard report: 1 deployments, 7 findings
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deployguard.treaty.findings import Status

if TYPE_CHECKING:
    from deployguard.treaty.report import Report

__all__ = ["markdown", "text"]

# evidence keys worth a place in the one-line summary, in this order
_SUMMARY_KEYS = (
    "host", "missile_class", "nearest_state", "distance_km", "margin_km", "states_reached",
    "acceding_state", "region", "personnel",
)


def text(report: Report) -> str:
    """The readable summary for a terminal, grouped by deployment."""
    return _render(report, markdown=False)


def markdown(report: Report) -> str:
    """The readable summary as Markdown (``report.md``)."""
    return _render(report, markdown=True)


def _render(report: Report, markdown: bool) -> str:
    s = report.settings
    counts = {st: sum(f.status is st for f in report.findings) for st in Status}
    h1, h2 = ("# ", "## ") if markdown else ("", "== ")
    lines = [
        f"{h1}deployguard report: {len(report.deployments)} deployments, "
        f"{len(report.findings)} findings",
        ", ".join(f"{n} {st.value}" for st, n in counts.items()),
        f"worldview {s.get('worldview')}, range estimate {s.get('range_estimate')}, "
        f"resolution {s.get('resolution')}, drafts {', '.join(s.get('drafts', []))}, "
        f"sensitivity {s.get('sensitivity')}",
        "readings: " + ", ".join(f"{k}={v}" for k, v in s.get("readings", {}).items()),
        "",
    ]
    for d in report.deployments:
        fs = sorted(report.for_deployment(d), key=lambda f: f.status.severity)
        head = f"{d.name} ({d.by} {d.kind}, {d.date.isoformat()})"
        lines.append(f"{h2}{head}" + ("" if markdown else " =="))
        if fs and "weapon" in fs[0].assumptions and fs[0].assumptions["weapon"]:
            a = fs[0].assumptions
            lines.append(f"   weapon {a['weapon']}: {a['range_km']} km at the "
                         f"{a['range_estimate']} estimate (source: {a['range_source']})")
        if not fs:
            lines.append("   no clause concerns this deployment's kind")
        for f in fs:
            bullet = "- " if markdown else "  "
            lines.append(f"{bullet}{f.status.value.upper():<14} {f.clause_id:<9} "
                         f"{f.article}: {f.reason}")
            if f.status in (Status.VIOLATION, Status.DEPENDS):
                lines.append(f"      \"{f.quote}\" [{f.wording}]")
            ev = [f"{k}={_fmt(f.evidence[k])}" for k in _SUMMARY_KEYS
                  if f.evidence.get(k) not in (None, [], "")]
            if ev:
                lines.append("      evidence: " + "; ".join(ev))
        lines.append("")
    lines.append("Assumptions common to all findings: treaties applied as if in force on "
                 "each date; borders from Natural Earth 4.1.0; 1997 baseline as of "
                 "27 May 1997; distances are WGS84 geodesics to the nearest point of a "
                 "territory.")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return str(value)
