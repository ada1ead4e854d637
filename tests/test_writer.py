"""One finding schema, one writer, one CSV neutraliser, whole output folders (issues 17, 22).

The documented schema (docs/schema.md) is read as a reader would, from its tables, and every
format is held to it; the command line and ``Report.write`` must write the same bytes; an
interrupted write must leave the previous set of files, whole.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import deployguard as dg
from deployguard._atomic import MANIFEST, ours
from deployguard._encode import neutralise
from deployguard.cli.main import main
from deployguard.errors import InvalidInputError, UnknownClauseError
from deployguard.treaty import render
from deployguard.treaty.schema import schema_markdown

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "schema.md"
SMALL = ("label,by,at,date,system\n"
         "Iskander-M in Kaliningrad,RUS,Kaliningrad,2018-02-05,Iskander-M\n"
         "Typhon at Wiesbaden,USA,Wiesbaden,2026-07-01,Tomahawk (Typhon)\n")
FILES = ["evidence.geojson", "findings.csv", "findings.json", "report.md"]


def _documented(heading: str, table: int = 0) -> list[str]:
    """Column names of the ``table``-th table under ``## heading`` in docs/schema.md."""
    text = SCHEMA.read_text()
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    tables = re.split(r"\n\s*\n(?=[^|])", section)
    found = [re.findall(r"^\| `([^`]+)` \|", block, flags=re.M) for block in tables]
    return [cols for cols in found if cols][table]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("in") / "small.csv"
    path.write_text(SMALL)
    return path


@pytest.fixture(scope="module")
def report(scenario: Path) -> dg.Report:
    return dg.check(dg.load_scenario(scenario), readings=dg.Readings(territorial_sea=False))


@pytest.fixture(scope="module")
def written(report: dg.Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("w") / "out"
    report.write(out)
    return out


# ------------------------------------------------------------------------------ the schema
def test_schema_doc_is_made_from_the_spec():
    assert SCHEMA.read_text() == schema_markdown(), (
        "docs/schema.md is stale: write deployguard.treaty.schema.schema_markdown() to it")


def test_every_format_has_exactly_the_documented_columns(report, written):
    cols = _documented("Findings")
    assert len(cols) == len(set(cols)) > 20
    assert list(report.to_frame().columns) == cols
    assert all(list(r) == cols for r in report.to_records())
    assert list(report.to_geodataframe().columns) == [*cols, "geometry"]
    with open(written / "findings.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == cols
    doc = json.loads((written / "findings.json").read_text())
    assert doc["findings"] and all(list(r) == cols for r in doc["findings"])
    gj = json.loads((written / "evidence.geojson").read_text())
    deployment_props = _documented("evidence.geojson", 0)
    extra = _documented("evidence.geojson", 1)
    roles = {"deployment": deployment_props, "evidence": ["role", *cols, *extra]}
    for feat in gj["features"]:
        props = feat["properties"]
        assert list(props) == roles[props["role"]]
    assert {f["properties"]["role"] for f in gj["features"]} == {"deployment", "evidence"}


def test_evidence_users_see_is_in_every_format(report, written):
    """capitals_reached and places_in_range: in the evidence of every format, or in none."""
    f = report.finding("NATO-5", 0)
    capitals = f.evidence["capitals_reached"]
    assert capitals and f.evidence["places_in_range"]["credit"]
    k = next(i for i, r in enumerate(report.to_records())
             if r["clause"] == "NATO-5" and r["deployment_index"] == 0)
    frame = report.to_frame().iloc[k]
    rows = [report.to_records()[k], json.loads((written / "findings.json").read_text())
            ["findings"][k]]
    with open(written / "findings.csv", newline="", encoding="utf-8") as fh:
        csv_row = list(csv.DictReader(fh))[k]
    texts = [frame["evidence"], csv_row["evidence"]]
    for ev in [r["evidence"] for r in rows] + [json.loads(t) for t in texts]:
        assert json.loads(json.dumps(ev["capitals_reached"])) == json.loads(
            json.dumps(capitals))
        assert ev["places_in_range"]["n_places"] == f.evidence["places_in_range"]["n_places"]
    assert json.loads(frame["capitals_reached"]) == json.loads(csv_row["capitals_reached"])
    assert rows[0]["capitals_reached"] == rows[1]["capitals_reached"] == rows[0][
        "evidence"]["capitals_reached"]
    gj = json.loads((written / "evidence.geojson").read_text())
    ev = [x["properties"] for x in gj["features"] if x["properties"]["role"] == "evidence"
          and x["properties"]["clause"] == "NATO-5" and x["properties"]["deployment_index"] == 0]
    assert ev and ev[0]["evidence"]["capitals_reached"] == rows[0]["capitals_reached"]


def test_frame_numbers_match_the_findings(report):
    """range_km is the range the clause used: the ground-launched weapon's for US-6/NATO-5."""
    for r in report.to_records():
        f = report.finding(r["clause"], r["deployment_index"])
        assert r["margin_km"] == f.evidence.get("margin_km")
        assert r["distance_km"] == f.evidence.get("distance_km")
        if r["margin_km"] is not None and r["distance_km"] is not None:
            assert r["range_km"] == pytest.approx(r["margin_km"] + r["distance_km"])


def test_finding_reads_clause_ids_as_get_clause_does(report):
    assert report.finding("nato 5", 0) is report.finding("NATO-5", 0)
    assert dg.get_clause("nato 5").id == "NATO-5"
    with pytest.raises(UnknownClauseError, match="NATO-5"):
        report.finding("nato 55", 0)


# ------------------------------------------------------------------------------ one writer
def _cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.mark.parametrize("estimate", ["nominal", "all"])
def test_command_line_and_report_write_are_byte_identical(scenario, tmp_path, estimate):
    out_cli, out_api = tmp_path / "cli", tmp_path / "api"
    assert _cli("check", scenario, "--out", out_cli, "--no-map", "--quiet",
                "--reading", "territorial_sea=false", "--range-estimate", estimate) == 1
    scen = dg.load_scenario(scenario)
    estimates = ["low", "nominal", "high"] if estimate == "all" else [estimate]
    reports = [dg.check(scen, readings=dg.Readings(territorial_sea=False), range_estimate=e)
               for e in estimates]
    reports[0].write(out_api, runs=reports[1:], source=scen.origin)
    names = sorted(p.name for p in out_cli.iterdir())
    assert names == sorted([*FILES, MANIFEST]) == sorted(p.name for p in out_api.iterdir())
    for name in names:
        assert (out_cli / name).read_bytes() == (out_api / name).read_bytes(), name


def test_format_json_prints_findings_json(scenario, tmp_path, capsys):
    out = tmp_path / "out"
    _cli("check", scenario, "--out", out, "--no-map", "--quiet", "--format", "json",
         "--reading", "territorial_sea=false")
    assert capsys.readouterr().out == (out / "findings.json").read_text()


# ------------------------------------------------------------------------------ CSV injection
@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =1",
                                  "\n=HYPERLINK(\"http://x\")", " \n @x", "\u00a0=1"])
def test_neutralise__formula_starts(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Kaliningrad", "a=b", "", "1.5", 3.0, -2.5, None])
def test_neutralise__plain_cells_pass(cell):
    assert neutralise(cell) == cell


def test_regression_022_report_write_neutralises_formula_labels(tmp_path):
    """Issue 22 item 3: Report.write wrote a label like =HYPERLINK(...) raw into findings.csv
    (only the command line neutralised it), and leading blanks or a newline passed."""
    labels = ['=HYPERLINK("http://x","y")', '  =1+1', '\n@SUM(A1)', '\t-3']
    deps = [dg.Deployment(by="USA", at="Aviano", date="2022-01-01", personnel=10, label=lab)
            for lab in labels]
    report = dg.check(deps, drafts=("nato",))
    report.write(tmp_path / "out")
    with open(tmp_path / "out" / "findings.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["label"] for r in rows} == {"'" + lab for lab in labels}
    numeric = {"lon", "lat", "distance_km", "margin_km", "range_km", "min_range_km"}
    for r in rows:  # no text cell anywhere a spreadsheet would run
        for col, v in r.items():
            if col not in numeric:
                assert not (v.lstrip()[:1] in "=+-@" and v.lstrip()) or v.startswith("'"), col


# ------------------------------------------------------------------------------ whole folders
def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_manifest_names_the_set_and_a_second_run_replaces_it(report, tmp_path):
    out = tmp_path / "out"
    report.write(out)
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == FILES
    assert ours(out) == set(FILES)
    first = _snapshot(out)
    report.write(out)  # deployguard's own files are replaced without force
    assert _snapshot(out) == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_interrupted_write_leaves_the_previous_set_whole(report, tmp_path, monkeypatch):
    out = tmp_path / "out"
    report.write(out, extra={"map.png": lambda p: p.write_bytes(b"old map")})
    before = _snapshot(out)
    calls = []

    def section(self: render.MarkdownReport, i: int) -> str:
        calls.append(i)
        if len(calls) == 2:  # Ctrl-C half-way through report.md, CSV and JSON already begun
            raise KeyboardInterrupt
        return original(self, i)

    original = render.MarkdownReport.section
    monkeypatch.setattr(render.MarkdownReport, "section", section)
    with pytest.raises(KeyboardInterrupt):
        report.write(out)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing staged is left behind
    monkeypatch.undo()

    def broken_map(path: Path) -> None:
        path.write_bytes(b"half a map")
        raise OSError("disk full")

    with pytest.raises(OSError):
        report.write(out, extra={"map.png": broken_map})
    assert _snapshot(out) == before
    report.write(out)  # a new set without a map: the old map goes with the old set
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, MANIFEST])


def test_foreign_files_are_never_replaced_without_force(report, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("my own notes\n")
    (out / "notes.txt").write_text("keep me\n")
    with pytest.raises(InvalidInputError, match=r"report\.md.*force"):
        report.write(out)
    assert (out / "report.md").read_text() == "my own notes\n"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.md"]
    report.write(out, force=True)
    assert (out / "report.md").read_text().startswith("# deployguard report")
    assert (out / "notes.txt").read_text() == "keep me\n"
    assert ours(out) == set(FILES)
    (out / "findings.csv").write_text("edited by hand\n")  # no longer what deployguard wrote
    with pytest.raises(InvalidInputError, match=r"findings\.csv"):
        report.write(out)


def test_bare_check_refuses_a_foreign_report_and_says_where_it_wrote(tmp_path, monkeypatch,
                                                                      capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.md").write_text("mine\n")
    assert _cli("check", "--no-map") == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "out" / "report.md").read_text() == "mine\n"
    assert _cli("check", "--no-map", "--force") == 1
    err = capsys.readouterr().err
    assert "wrote report.md, findings.csv, findings.json, evidence.geojson into out" in err
    assert _cli("check", "builtin", "--out", "out", "--no-map") == 1  # the README's, twice
    assert _cli("check", "builtin", "--out", "out", "--no-map") == 1


def test_killed_write_leaves_the_previous_set_whole(report, tmp_path):
    """SIGKILL (no clean-up runs) in the middle of a write: the previous set stays whole and
    its manifest still names it; only a hidden staging folder is left beside it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    report.write(out)
    before = _snapshot(out)
    flag = tmp_path / "writing"
    code = (
        "import time, deployguard as dg\n"
        "d = dg.Deployment(by='RUS', at='Kaliningrad', date='2018-02-05', system='Iskander-M')\n"
        "r = dg.check(d)\n"
        f"def slow(p):\n    p.write_bytes(b'half')\n    open({str(flag)!r}, 'w').close()\n"
        "    time.sleep(600)\n"
        f"r.write({str(out)!r}, extra={{'map.png': slow}})\n")
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 240
        while not flag.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert flag.exists(), "the child never reached the write"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _snapshot(out) == before
    assert ours(out) == set(FILES)
    left = [p for p in tmp_path.iterdir() if p.name not in ("out", "writing")]
    assert left and all(p.name.startswith(f".out.{proc.pid}.") for p in left)
    report.write(out)  # the next run clears what the killed one left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "writing"]


def test_runs_must_be_of_the_same_deployments(report, tmp_path):
    other = dg.check([dg.Deployment(by="USA", at="Aviano", date="2022-01-01", personnel=10)])
    with pytest.raises(InvalidInputError, match="same deployments"):
        report.write(tmp_path / "out", runs=[other])
    assert not (tmp_path / "out").exists()


def test_report_keeps_records_not_the_engine_context(monkeypatch):
    """Issue 17 item 3: a report holds its records and the run's settings; the engine's
    context and its distance tables are freed when check() returns."""
    import gc
    import weakref

    from deployguard.treaty.context import Context

    made: list[weakref.ref] = []
    build = Context.build.__func__

    def tracked(cls, *args, **kwargs):
        ctx = build(cls, *args, **kwargs)
        made.extend([weakref.ref(ctx), weakref.ref(ctx.table)])
        return ctx

    monkeypatch.setattr(Context, "build", classmethod(tracked))
    d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
    report = dg.check(d)
    report.to_frame()
    assert report.finding("NATO-5").evidence["capitals_reached"]
    gc.collect()
    assert made and all(ref() is None for ref in made)


def test_cli_geojson_beside_out_is_the_same_file(tmp_path, monkeypatch):
    # --geojson with --out copies the evidence --out wrote (one computation, one content)
    monkeypatch.chdir(tmp_path)
    scenario = Path(__file__).resolve().parents[1] / "examples" / "kaliningrad.yaml"
    _cli("check", scenario, "--out", "o", "--geojson", "e.geojson", "--no-map", "--quiet")
    copied = (tmp_path / "e.geojson").read_bytes()
    assert copied == (tmp_path / "o" / "evidence.geojson").read_bytes()
