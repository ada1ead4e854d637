r"""A report as text: the terminal summary (fits 100 columns) and the Markdown file.

Both show a deployments x clauses summary, then one section per deployment, then the sources
once (a weapon's range sources, the 1997 baseline's sources, the clause texts' sources), each
cited by number where it is used. Only the public parts of a report are read (its findings,
deployments and settings); evidence keys a renderer does not know are ignored.

Labels and every other text from the input are escaped in Markdown, so a label cannot inject
links, HTML or table cells.

Examples
--------
>>> import deployguard as dg
>>> d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
>>> print(text(dg.check(d)).splitlines()[0])
deployguard report: 1 deployment, 7 findings
>>> md_escape("[click](http://x) | *bold* <b>")
'\\[click\\]\\(http://x\\) \\| \\*bold\\* \\<b\\>'
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from deployguard.treaty.findings import Status
from deployguard.treaty.readings import Readings

if TYPE_CHECKING:
    from deployguard.data.deployments import Deployment
    from deployguard.treaty.findings import Finding
    from deployguard.treaty.report import Report

__all__ = ["WIDTH", "MarkdownReport", "markdown", "md_escape", "text", "text_lines"]

#: the terminal report's width in columns
WIDTH = 100
_CELL = {"violation": "V", "depends": "D", "compliant": "ok", "not_applicable": "-"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$])")
_URL_IN_TEXT = re.compile(r"(https?://[^\s<>\"();]+[^\s<>\"();.,])")
_CAPITALS_SHOWN = 12  # capitals named in a report line; the evidence lists them all
_COMMON = ("Treaties applied as if in force on each date (the drafts never entered into force); "
           "distances are WGS84 geodesics to the nearest point of a territory; the 1997 baseline "
           "is the forces stationed on 27 May 1997.")


# ------------------------------------------------------------------------------ helpers
def md_escape(value: Any) -> str:
    """``value`` as Markdown text that renders literally (one line, specials escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _sources_md(source: str) -> str:
    """Source text escaped, with its web addresses as autolinks."""
    pieces = _URL_IN_TEXT.split(" ".join(source.split()))
    return "".join(f"<{p}>" if i % 2 else _MD_SPECIAL.sub(r"\\\1", p)
                   for i, p in enumerate(pieces))


def _clause_order(clause_id: str) -> tuple[int, tuple[int, ...], str]:
    draft, _, number = clause_id.partition("-")
    nums = tuple(int(n) for n in re.findall(r"\d+", number))
    return ({"US": 0, "NATO": 1}.get(draft.upper(), 2), nums, clause_id)


def _sorted(report: Report, i: int) -> list[Finding]:
    """The findings about deployment ``i``, worst first, then in clause order."""
    return sorted(report.for_deployment(i),
                  key=lambda f: (f.status.severity, _clause_order(f.clause_id)))


def _clauses(report: Report) -> list[str]:
    """The clauses with a finding in ``report``, in the drafts' order."""
    return sorted({b.clause.id for b in report.records.table.blocks if len(b.dep)},
                  key=_clause_order)


def _counts(report: Report) -> str:
    return ", ".join(f"{n} {st.replace('_', ' ')}" for st, n in report.counts().items())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _settings_lines(report: Report) -> list[str]:
    s = report.settings
    drafts = ", ".join(s.get("drafts", []))
    line = (f"worldview {s.get('worldview')}, range estimate {s.get('range_estimate')}, "
            f"resolution {s.get('resolution')}, drafts {drafts}, "
            f"sensitivity {_varied(s.get('sensitivity'))}")
    if s.get("on"):
        line += f", memberships on {s['on']}"
    readings = s.get("readings") or {}
    default = Readings().as_dict()
    changed = {k: v for k, v in readings.items() if default.get(k, object()) != v}
    return [line, "readings: " + (", ".join(f"{k}={v}" for k, v in changed.items())
                                  if changed else "the defaults (see deployguard.Readings)")]


class _Sources:
    """Numbered sources, each listed once however many findings cite it."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, str]] = {}

    def cite(self, key: str, text: str) -> int:
        if key not in self.entries:
            self.entries[key] = (len(self.entries) + 1, text)
        return self.entries[key][0]


def _weapon(findings: Iterable[Finding], sources: _Sources) -> tuple[str, int | None]:
    """'Iskander-M, 500 km at the nominal estimate (low 400, high 700)' and its source number."""
    for f in findings:
        a = f.assumptions
        if a.get("weapon"):
            spread = a.get("range_spread_km") or {}
            km = a.get("range_km")
            rng = f"{km:,.0f} km" if isinstance(km, int | float) else "no published range"
            others = ", ".join(f"{e} {v:,.0f}" for e, v in spread.items()
                               if e != a.get("range_estimate") and isinstance(v, int | float))
            desc = f"{a['weapon']}, {rng} at the {a.get('range_estimate')} estimate"
            if others:
                desc += f" ({others} km)"
            ref = None
            if a.get("range_source"):
                ref = sources.cite(f"weapon:{a['weapon']}",
                                   f"{a['weapon']} range: {a['range_source']}")
            return desc, ref
    return "", None


def _evidence_refs(f: Finding, sources: _Sources) -> list[int]:
    refs = []
    base = f.evidence.get("baseline_1997")
    if isinstance(base, dict):
        for src in base.get("sources") or []:
            refs.append(sources.cite(f"baseline:{src}", f"1997 baseline: {src}"))
    return refs


def _places(findings: Iterable[Finding], sources: _Sources) -> list[tuple[str, int]]:
    """'Within reach (500 km): capitals Warsaw (POL), ...; 406 listed places ...' once per
    distinct reach of a deployment, citing the GeoNames credit and the sum's label once.
    """
    out: list[tuple[str, int]] = []
    seen: set[tuple[Any, ...]] = set()
    for f in findings:
        p = f.evidence.get("places_in_range")
        if not isinstance(p, dict):
            continue
        key = (p.get("range_km"), p.get("min_range_km"), p.get("worldview"))
        if key in seen:
            continue
        seen.add(key)
        ref = sources.cite("places", f"{p.get('credit')}: GeoNames cities15000 "
                           "(https://www.geonames.org/), places of more than 15,000 people and "
                           f"capitals. Population sum: the "
                           + str(p.get("population_label")).replace(";", ","))
        lo, hi = p.get("min_range_km") or 0, p.get("range_km") or 0
        span = f"{lo:,.0f}-{hi:,.0f} km" if lo else f"{hi:,.0f} km"
        capitals = p.get("capitals") or []
        caps = ", ".join(f"{n} ({c})" for n, c in capitals[:_CAPITALS_SHOWN]) or "none"
        if len(capitals) > _CAPITALS_SHOWN:  # a bomber reaches most of the world's capitals
            caps += f" and {len(capitals) - _CAPITALS_SHOWN} more (nearest first)"
        count = int(p.get("n_places") or 0)
        out.append((f"Within reach ({span}): capitals {caps}; "
                   f"{count:,} listed place{'' if count == 1 else 's'} "
                   f"({p.get('n_places_100k', 0):,} of 100,000+, "
                   f"{p.get('n_places_1m', 0):,} of 1,000,000+ people), whose populations sum "
                   f"to {p.get('population_listed', 0):,} (some people counted twice)", ref))
    return out


def _evidence(f: Finding) -> str:
    ev = f.evidence
    parts = []
    if ev.get("host"):
        parts.append(f"host {ev['host']}")
    if ev.get("missile_class"):
        parts.append(f"class {ev['missile_class']}")
    if ev.get("nearest_state") and isinstance(ev.get("distance_km"), int | float):
        parts.append(f"nearest {ev['nearest_state']} at {ev['distance_km']:,.1f} km")
    if isinstance(ev.get("margin_km"), int | float):
        parts.append(f"margin {ev['margin_km']:,.1f} km")
    if ev.get("states_reached"):
        parts.append("reaches " + ", ".join(map(str, ev["states_reached"])))
    if ev.get("personnel") is not None:
        parts.append(f"personnel {ev['personnel']:,}" if isinstance(ev["personnel"], int)
                     else f"personnel {ev['personnel']}")
    base = ev.get("baseline_1997")
    if isinstance(base, dict) and "personnel" in base:
        level = base["personnel"]
        parts.append("1997 level " + ("unknown" if level is None else f"{level:,}"
                                      + (f" ({base.get('low'):,}-{base.get('high'):,})"
                                         if base.get("low") is not None
                                         and base.get("high") is not None else "")))
    if ev.get("region"):
        parts.append(f"region {ev['region']}")
    if f.flipped_by:
        parts.append("flipped by " + " and ".join(f.flipped_by))
    return "; ".join(parts)


def _varied(value: object) -> str:
    """What a run's sensitivity varied, in words."""
    if not value:
        return "off"
    if value is True:
        return "on (range estimates, worldviews)"
    if isinstance(value, dict):
        return "on (" + ", ".join(map(str, value)) + ")"
    if isinstance(value, list | tuple):
        return "on (" + ", ".join(map(str, value)) + ")"
    return "on"


def _host_note(fs: list[Finding]) -> str:
    """What the placement says about the host: known border errors, data that disagree."""
    for f in fs:
        note = f.assumptions.get("host_source")
        if isinstance(note, str) and note:
            return note
    return ""


def _where(d: Deployment) -> str:
    if isinstance(d.at, str):
        lonlat = d.lonlat
        return f"{d.at} ({lonlat[0]:g}, {lonlat[1]:g})" if lonlat else d.at
    if d.geometry is None:
        return f"state-wide (host {d.host})" if d.host else "state-wide"
    if d.geometry.geom_type == "Point" and d.lonlat is not None:
        return f"({d.lonlat[0]:g}, {d.lonlat[1]:g})"
    lon, lat = d.lonlat or (0.0, 0.0)
    return f"a {d.geometry.geom_type} around ({lon:.3f}, {lat:.3f})"


# ------------------------------------------------------------------------------ terminal
def text(report: Report, width: int = WIDTH) -> str:
    """The readable summary for a terminal, at most ``width`` columns wide."""
    return "\n".join(text_lines(report, width))


def text_lines(report: Report, width: int = WIDTH) -> Iterator[str]:
    """:func:`text` a line at a time, one deployment's findings in memory at a time."""
    sources = _Sources()
    yield (f"deployguard report: {_plural(len(report.deployments), 'deployment')}, "
           f"{_plural(len(report), 'finding')}")
    yield from textwrap.wrap(_counts(report), width, initial_indent="  ", subsequent_indent="  ")
    for line in _settings_lines(report):
        yield from textwrap.wrap(line, width, initial_indent="  ", subsequent_indent="    ")
    clauses = _clauses(report)
    if clauses:
        yield ""
        yield from _text_matrix(report, clauses, width)
    quoted: dict[str, Finding] = {}
    for i, d in enumerate(report.deployments):
        fs = _sorted(report, i)
        quoted.update((f.clause_id, f) for f in fs
                      if f.status in (Status.VIOLATION, Status.DEPENDS))
        yield ""
        yield from _text_section(i + 1, d, fs, sources, width)
    if quoted:
        yield ""
        yield "The clauses (violations and depends), quoted once"
        for cid in sorted(quoted, key=_clause_order):
            f = quoted[cid]
            yield from textwrap.wrap(f'{cid} ({f.article}): "{f.quote}" [{f.wording}]', width,
                                     initial_indent="  ", subsequent_indent="    ")
    if sources.entries:
        yield ""
        yield "Sources"
        for num, src in sources.entries.values():
            # one cited item a line; a web address is never broken (it would stop working)
            for i, part in enumerate(p.strip() for p in src.split(";") if p.strip()):
                yield from textwrap.wrap(part, width, initial_indent=f"  [{num}] " if i == 0
                                         else " " * 6, subsequent_indent=" " * 6,
                                         break_on_hyphens=False, break_long_words=False)
    yield ""
    yield from textwrap.wrap(_COMMON, width)


def _text_matrix(report: Report, clauses: list[str], width: int) -> Iterator[str]:
    cols = [c.partition("-")[2] or c for c in clauses]
    drafts = [c.partition("-")[0] for c in clauses]
    label_w = min(48, max(12, width - 6 - 4 * len(clauses)))
    head1 = " " * (6 + label_w)
    for i, draft in enumerate(drafts):
        if i == 0 or draft != drafts[i - 1]:
            head1 = head1.ljust(6 + label_w + 4 * i) + f"{draft} draft"
    yield "Summary: V violation, D depends, ok compliant, - not applicable, blank: not concerned"
    yield head1.rstrip()[:width]
    yield (f"{'#':>3}   {'deployment':<{label_w}}" + "".join(f"{c:<4}" for c in cols)).rstrip()
    for n, d in enumerate(report.deployments, start=1):
        status = {c: st.value for c, st in report.statuses(n - 1).items()}
        name = d.name if len(d.name) <= label_w - 1 else d.name[: label_w - 2] + "\u2026"
        row = f"{n:>3}   {name:<{label_w}}" + "".join(
            f"{_CELL.get(status.get(c, ''), ''):<4}" for c in clauses)
        yield row.rstrip()


def _text_section(n: int, d: Deployment, fs: list[Finding], sources: _Sources,
                  width: int) -> list[str]:
    out = textwrap.wrap(f"{n}. {d.name}", width, subsequent_indent="   ")
    head = f"{d.by} {d.kind}, {d.date.isoformat()}, at {_where(d)}"
    weapon, ref = _weapon(fs, sources)
    if weapon:
        head += f"; {weapon}" + (f" [{ref}]" if ref else "")
    out += textwrap.wrap(head, width, initial_indent="   ", subsequent_indent="   ")
    note = _host_note(fs)
    if note:
        out += textwrap.wrap(f"host note: {note}", width, initial_indent="   ",
                             subsequent_indent="   ")
    for line, ref in _places(fs, sources):
        out += textwrap.wrap(f"{line} [{ref}]", width, initial_indent="   ",
                             subsequent_indent="   ")
    if not fs:
        out.append("   no clause concerns this deployment's kind")
    indent = " " * 27
    for f in fs:
        first = f"   {_status_word(f.status):<15}{f.clause_id:<9}"
        body = f"{f.article}: {f.reason}"
        out += textwrap.wrap(body, width, initial_indent=first, subsequent_indent=indent)
        if f.status in (Status.VIOLATION, Status.DEPENDS):
            ev = _evidence(f)
            refs = _evidence_refs(f, sources)
            if ev:
                cite = f" [{', '.join(map(str, refs))}]" if refs else ""
                out += textwrap.wrap(f"evidence: {ev}{cite}", width, initial_indent=indent,
                                     subsequent_indent=indent)
    return out


# ------------------------------------------------------------------------------ Markdown
def markdown(report: Report) -> str:
    """The report as Markdown (``report.md``): summary table, sections, references."""
    return "".join(MarkdownReport(report).parts())


class MarkdownReport:
    """``report.md`` in parts, so that a writer can stream it: :meth:`head` (the summary
    table), :meth:`section` for each deployment in order, then :meth:`tail` (references,
    clauses, assumptions). Sources are numbered as the sections cite them.
    """

    def __init__(self, report: Report, title: str = "deployguard report") -> None:
        self.report = report
        self.title = title
        self.sources = _Sources()
        self.clause_texts: dict[str, Finding] = {}

    def parts(self) -> Iterator[str]:
        """Every part in order."""
        yield from self.head()
        for i in range(len(self.report.deployments)):
            yield self.section(i)
        yield self.tail()

    def head(self) -> Iterator[str]:
        """The title, counts, settings and the summary table (a line at a time)."""
        report = self.report
        yield (f"# {md_escape(self.title)}\n\n"
               f"**{_plural(len(report.deployments), 'deployment')}, "
               f"{_plural(len(report), 'finding')}:** {_counts(report)}.\n\n")
        yield "".join(f"- {md_escape(line)}\n" for line in _settings_lines(report))
        clauses = _clauses(report)
        if not clauses:
            return
        yield ("\n## Summary\n\n| # | deployment | " + " | ".join(clauses) + " |\n"
               "|---:|---|" + "---|" * len(clauses) + "\n")
        for n, d in enumerate(report.deployments, start=1):
            status = report.statuses(n - 1)
            cells = [_md_status(status[c]) if c in status else "" for c in clauses]
            yield (f"| {n} | [{md_escape(d.name)}](#deployment-{n}) | "
                   + " | ".join(cells) + " |\n")
        yield "\nA blank cell: the clause does not concern that kind of deployment.\n"

    def section(self, i: int) -> str:
        """The section of deployment ``i``."""
        d = self.report.deployments[i]
        n = i + 1
        fs = _sorted(self.report, i)
        lines = ["", f'<a id="deployment-{n}"></a>', "", f"## {n}. {md_escape(d.name)}", ""]
        lines += _md_facts(d, fs, self.sources)
        if not fs:
            lines += ["", "No clause concerns this deployment's kind."]
            return "\n".join(lines) + "\n"
        lines += ["", "| status | clause | finding |", "|---|---|---|"]
        for f in fs:
            self.clause_texts.setdefault(f.clause_id, f)
            reason = md_escape(f.reason)
            ev = _evidence(f)
            refs = _evidence_refs(f, self.sources)
            if ev:
                reason += f"<br>*Evidence:* {md_escape(ev)}"
            if refs:
                reason += " " + " ".join(f"\\[{r}\\]" for r in refs)
            lines.append(f"| {_md_status(f.status)} | {md_escape(f.clause_id)} "
                         f"({md_escape(f.article)}) | {reason} |")
        return "\n".join(lines) + "\n"

    def tail(self) -> str:
        """References, the clauses quoted, the assumptions."""
        lines = ["", "## References", ""]
        for num, src in self.sources.entries.values():
            lines.append(f"{num}. {_sources_md(src)}")
        if self.clause_texts:
            lines += ["", "### The clauses", ""]
            for cid in sorted(self.clause_texts, key=_clause_order):
                f = self.clause_texts[cid]
                lines += [f"- **{md_escape(cid)}** ({md_escape(f.article)}): "
                          f"\u201c{md_escape(f.quote)}\u201d \u2014 {md_escape(f.wording)}"]
        lines += ["", "## Assumptions", "", f"- {md_escape(_COMMON)}"]
        if len(self.report):
            borders = self.report.records.run.run_assumptions.get("borders_data")
            if borders is not None:
                lines.append(f"- Borders: {md_escape(borders)}.")
        return "\n".join(lines) + "\n"


def _status_word(status: Status) -> str:
    word = status.value.replace("_", " ")
    return word.upper() if status in (Status.VIOLATION, Status.DEPENDS) else word


def _md_status(status: Status) -> str:
    word = status.value.replace("_", " ")
    return f"**{word}**" if status in (Status.VIOLATION, Status.DEPENDS) else word


def _md_facts(d: Deployment, fs: list[Finding], sources: _Sources) -> list[str]:
    out = [f"- **{md_escape(d.by)}** {md_escape(d.kind)}, {d.date.isoformat()}, at "
           f"{md_escape(_where(d))}"]
    system = getattr(d.system, "name", None)
    weapon, ref = _weapon(fs, sources)
    if weapon:
        out.append(f"- Weapon: {md_escape(weapon)}" + (f" \\[{ref}\\]" if ref else ""))
    elif system:
        out.append(f"- System: {md_escape(system)}")
    out += [f"- {md_escape(line)} \\[{ref}\\]" for line, ref in _places(fs, sources)]
    if d.personnel is not None:
        out.append(f"- Personnel: {d.personnel:,}")
    note = _host_note(fs)
    if note:
        out.append(f"- Host note: {md_escape(note)}")
    for name in ("why", "notes"):
        value = getattr(d, name, None)
        if value:
            out.append(f"- {name.capitalize()}: {md_escape(value)}")
    return out
