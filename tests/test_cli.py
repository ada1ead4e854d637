"""The command line: ``deployguard.cli.main`` called in process, and the console script itself.

Almost every test calls ``main([...])`` in this process (:func:`run`), with stdout and stderr
captured, as the console script would run it: each subprocess paid a cold start of seconds,
34 of them made this file take six minutes (issue 18). A few tests start the installed
console script or ``python -m deployguard`` in a subprocess (:func:`run_script`): the entry
points, a whole check from a cold start, and Ctrl-C.

Every run checks that no Python traceback reaches the user and that the input file is
unchanged (its hash before and after).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import deployguard as dg
from deployguard.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPT = Path(sys.executable).with_name("deployguard")
COMMANDS = ("check", "reach", "zone", "permitted", "systems", "states", "baseline", "demo")
SMALL = (  # a scenario that checks in a second or two
    "label,by,at,date,system\n"
    "Iskander-M in Kaliningrad,RUS,Kaliningrad,2018-02-05,Iskander-M\n"
)


def _fits_100_columns(text: str) -> bool:
    """Every line fits 100 columns, except a web address alone on its line (never broken)."""
    return all(len(line) <= 100 or (line.strip().split()[-1].startswith("http")
                                    and len(line.strip().split()) <= 2)
               for line in text.splitlines())


def _hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def run(*args: str | Path, inputs: tuple[Path, ...] = (), cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run ``main(args)`` in this process, as the console script does; assert no traceback and
    that ``inputs`` are unchanged."""
    before = {p: _hash(p) for p in inputs}
    out, err = io.StringIO(), io.StringIO()
    argv = [str(a) for a in args]
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        code = main(argv)
    res = subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
    assert "Traceback" not in res.stderr + res.stdout, res.stderr
    assert {p: _hash(p) for p in inputs} == before, "an input file was modified"
    return res


def run_script(*args: str | Path, inputs: tuple[Path, ...] = (), timeout: float = 300,
               **kwargs) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a subprocess (a fresh process: a cold start)."""
    before = {p: _hash(p) for p in inputs}
    res = subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                         timeout=timeout, **kwargs)
    assert "Traceback" not in res.stderr + res.stdout, res.stderr
    assert {p: _hash(p) for p in inputs} == before, "an input file was modified"
    return res


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text(SMALL)
    return path


# ------------------------------------------------------------------------------ help, version
def test_help_on_every_command_has_examples_and_exit_codes():
    for command in COMMANDS:
        res = run(command, "--help")
        assert res.returncode == 0, res.stderr
        assert "examples:" in res.stdout and f"deployguard {command}" in res.stdout
        assert "130  interrupted" in res.stdout and "2    bad input" in res.stdout
    top = run("--help")
    assert top.returncode == 0 and all(c in top.stdout for c in COMMANDS)


def test_version__console_script():
    res = run_script("--version")
    assert res.returncode == 0 and res.stdout.startswith(f"deployguard {dg.__version__}")


def test_module_entry_point(tmp_path):
    res = subprocess.run([sys.executable, "-m", "deployguard", "demo", "--out", str(tmp_path),
                          "--no-map", "--quiet"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "" and (tmp_path / "sites.csv").is_file()


# ------------------------------------------------------------------------------ check
def test_check__exit_1_on_violation_and_table_fits_100_columns(small):
    # the one whole check from a cold start, through the installed console script
    res = run_script("check", small, "--reading", "territorial_sea=false", inputs=(small,))
    assert res.returncode == 1, res.stderr
    assert "VIOLATION      NATO-5" in res.stdout
    assert _fits_100_columns(res.stdout)


def test_check__exit_0_without_violation(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"by": "USA", "at": "Fort Bliss", "date": "2025-01-01",
                                 "system": "Dark Eagle"}]))
    res = run("check", path, "--drafts", "us", inputs=(path,))
    assert res.returncode == 0, res.stderr + res.stdout
    assert run("check", path, "--drafts", "us", "--quiet").stdout == ""


def test_check__json_matches_check_in_python(small):
    res = run("check", small, "--format", "json", "--reading", "territorial_sea=false",
              inputs=(small,))
    assert res.returncode == 1
    doc = json.loads(res.stdout)
    report = dg.check(dg.load_scenario(small), readings=dg.Readings(territorial_sea=False))
    assert doc["deployguard"] == dg.__version__ and doc["violations"] == len(report.violations)
    assert doc["settings"]["readings"]["territorial_sea"] is False
    assert len(doc["findings"]) == len(report.findings)
    for row, f in zip(doc["findings"], report.findings, strict=True):
        assert (row["clause"], row["status"], row["reason"]) == (
            f.clause_id, f.status.value, f.reason)
        assert row["deployment"] == f.deployment.name and row["deployment_index"] == 0
        assert row["evidence"].get("margin_km") == f.evidence.get("margin_km")


def test_check__out_folder_geojson_map_and_formats(small, tmp_path):
    out = tmp_path / "out"
    res = run("check", small, "--out", out, "--geojson", tmp_path / "e.geojson",
              "--format", "csv", "--reading", "territorial_sea=false", inputs=(small,))
    assert res.returncode == 1, res.stderr
    assert res.stdout.startswith("deployment,") or "clause" in res.stdout.splitlines()[0]
    for name in ("report.md", "findings.csv", "findings.json", "evidence.geojson", "map.png"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "map.png").read_bytes()[:4] == b"\x89PNG"
    geo = json.loads((tmp_path / "e.geojson").read_text())
    assert geo["type"] == "FeatureCollection" and geo["features"]
    md = (out / "report.md").read_text()
    assert "## Summary" in md and "## References" in md and "| 1 |" in md
    assert not list(out.glob(".*.tmp")), "a temporary file was left behind"
    markdown = run("check", small, "--format", "markdown", "--reading",
                   "territorial_sea=false").stdout
    assert markdown.startswith("# deployguard report")


def test_check__range_estimate_all_and_scenario_defaults(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("defaults: {date: 2022-01-01, range_estimate: all}\n"
                    "deployments:\n  - {by: RUS, at: Anadyr, system: Iskander-M}\n")
    doc = json.loads(run("check", path, "--drafts", "us", "--format", "json").stdout)
    assert doc["settings"]["range_estimate"] == ["low", "nominal", "high"]
    us6 = {r["range_estimate"]: r["status"] for r in doc["findings"] if r["clause"] == "US-6"}
    # Anadyr to Alaska is ~532 km: reached only at the 700 km high estimate
    assert us6 == {"low": "not_applicable", "nominal": "compliant", "high": "violation"}
    nominal = json.loads(run("check", path, "--drafts", "us", "--format", "json",
                             "--range-estimate", "nominal").stdout)  # the option wins
    assert nominal["settings"]["range_estimate"] == "nominal"


def test_check__nothing_to_map_prints_report_and_says_so(tmp_path):
    src = EXAMPLES / "accessions.json"
    res = run("check", src, "--map", tmp_path / "m.png", inputs=(src,))
    assert res.returncode == 1  # the accessions break NATO-6
    assert "deployguard report" in res.stdout
    assert "no map drawn" in res.stderr and not (tmp_path / "m.png").exists()


def test_check__labels_escaped_in_markdown_and_neutralised_in_csv(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('label,by,at,date,personnel\n'
                    '"=HYPERLINK(""http://evil"")",USA,Aviano,2022-01-01,10\n'
                    '"[x](http://evil) | <script>",USA,Aviano,2022-01-01,10\n')
    out = tmp_path / "out"
    assert run("check", path, "--out", out, "--no-map", inputs=(path,)).returncode in (0, 1)
    import csv

    with open(out / "findings.csv", newline="") as fh:
        labels = {row["deployment"] for row in csv.DictReader(fh)}
    assert "'=HYPERLINK(\"http://evil\")" in labels
    md = (out / "report.md").read_text()
    assert "<script>" not in md and "](http://evil)" not in md
    assert "\\[x\\]\\(http://evil\\) \\| \\<script\\>" in md
    assert not (out / "map.png").exists()


# ------------------------------------------------------------------------------ bad input
BAD = {
    "noby.csv": ("label,at,date,system\nx,Kaliningrad,2018-02-05,Iskander-M\n",
                 "deployment 0 'x' (line 2): by is required"),
    "semicolon.csv": ("by;at;date;system\nRUS;Kaliningrd;2018-02-05;Iskandr\n",
                      "did you mean 'Kaliningrad'?"),
    "latin1.csv": (b"by,at,date\nUSA,M\xfcnchen,2022-01-01\n", "not UTF-8 text"),
    "deep.json": ("[" * 100_000, "nested too deeply"),
    "bigint.json": ('[{"by": "USA", "at": [20, 50], "date": "2022-01-01", "personnel": '
                    + "9" * 5000 + "}]", "a number with 5,000 digits"),
    "bad.yaml": ("defaults: {worldview: mars}\ndeployments:\n  - {by: RUS, at: Kaliningrad, "
                 "date: 2018-02-05, system: Iskandr}\n  - 5\n", "3 problems"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files__exit_2_one_message_no_traceback(tmp_path, name):
    content, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "out"
    res = run("check", path, "--out", out, inputs=(path,))
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and res.stderr.startswith("deployguard: error: ")
    assert len(res.stderr.splitlines()) < 40  # one screen
    assert not out.exists(), "an output folder was created for bad input"


@pytest.mark.parametrize("args, message", [
    (["check", "missing.yaml"], "scenario file not found"),
    (["check", "builtin:../../pyproject"], "unknown built-in scenario"),
    (["check", "builtin", "--drafts", "us,warsaw"], "--drafts must be"),
    (["check", "builtin", "--reading", "europe=europa"], "did you mean 'm49_europe'?"),
    (["check", "builtin", "--reading", "colour=red"], "unknown reading 'colour'"),
    (["check", "builtin", "--on", "yesterday"], "--on must be an ISO date"),
    (["check", "builtin", "--map", "m.gif"], "expected a file ending in"),
    (["check", "builtin", "--range-estimate", "median"], "invalid choice: 'median'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["reach", "Iskandr", "--at", "Kaliningrad"], "did you mean 'Iskander"),
    (["reach", "Iskander-M", "--at", "Atlantis"], "unknown base or site 'Atlantis'"),
    (["zone", "Narnia", "--range", "500"], "unknown state 'Narnia'"),
    (["zone", "POL", "--range", "-5"], "--range must be a finite number of km >= 0"),
    (["systems", "--class", "GLMB"], "'GLBM'?"),
])
def test_bad_arguments__exit_2(tmp_path, args, message):
    res = run(*args, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr


def test_output_over_input_is_refused(small, tmp_path):
    res = run("check", small, "--geojson", small, inputs=(small,))
    assert res.returncode == 2 and "would overwrite the input" in res.stderr
    clash = tmp_path / "findings.csv"
    clash.write_text(SMALL)
    res = run("check", clash, "--out", tmp_path, inputs=(clash,))
    assert res.returncode == 2 and "would overwrite the input" in res.stderr


def _lock(folder: Path) -> bool:
    """Make ``folder`` unwritable, for root too (root ignores mode bits: use chattr +i)."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return True
    chattr = shutil.which("chattr")
    return chattr is not None and subprocess.run([chattr, "+i", str(folder)],
                                                 capture_output=True).returncode == 0


def _unlock(folder: Path) -> None:
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run([shutil.which("chattr") or "chattr", "-i", str(folder)],
                       capture_output=True)
    folder.chmod(0o755)


def test_read_only_output_folder__detected_before_computing(small, tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    if not _lock(out):
        _unlock(out)
        pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    try:
        t0 = time.perf_counter()
        res = run("check", small, "--out", out, inputs=(small,))
        elapsed = time.perf_counter() - t0
        probe = run("check", small, "--out", out / "sub" / "dir", inputs=(small,))
    finally:
        _unlock(out)
    assert res.returncode == 2, res.stderr
    assert "is not writable" in res.stderr and "locked" in res.stderr
    assert res.stdout == ""  # refused before the check ran
    assert probe.returncode == 2 and "its folder" in probe.stderr
    assert not (out / "sub").exists()
    assert elapsed < 120


def test_interrupted_write_leaves_the_old_output_intact(small, tmp_path):
    out = tmp_path / "out"
    assert run("check", small, "--out", out, "--no-map", "--reading",
               "territorial_sea=false").returncode == 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # Ctrl-C arrives while findings are being written: after the data, before the rename

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fsync", interrupted)
        res = run("check", small, "--out", out, "--no-map", "--reading",
                  "territorial_sea=false")
    assert res.returncode == 130, res.stderr
    assert "interrupted" in res.stderr and "Traceback" not in res.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file either


@pytest.mark.slow
def test_ctrl_c__exit_130_without_traceback(tmp_path):
    proc = subprocess.Popen([str(SCRIPT), "check", "builtin", "--sensitivity", "--out",
                             str(tmp_path / "out")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(4.0)  # well inside the run (tens of seconds with --sensitivity)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob(".*.tmp")) if (tmp_path / "out").exists() else True


# ------------------------------------------------------------------------------ examples
@pytest.mark.slow
@pytest.mark.parametrize("name", ["kaliningrad.yaml", "us_missiles.csv",
                                  "forces_europe_semicolon.csv", "patrols.geojson",
                                  "forces_east.parquet"])
def test_check__each_example(tmp_path, name):
    src = EXAMPLES / name
    res = run("check", src, "--geojson", tmp_path / "e.geojson", "--map", tmp_path / "m.png",
              inputs=(src,))
    assert res.returncode == 1, res.stderr  # every example has a violation
    assert (tmp_path / "m.png").stat().st_size > 10_000
    assert json.loads((tmp_path / "e.geojson").read_text())["features"]


def test_reach__states_with_margins_match_distances():
    res = run("reach", "Iskander-M", "--at", "Kaliningrad", "--on", "2018-02-05", "--format",
              "json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    reached = {r["state"]: r for r in doc["states_reached"]}
    assert {"POL", "LTU", "LVA", "EST", "DNK", "DEU", "RUS"} <= set(reached)
    assert "SWE" in reached and reached["SWE"]["party"] == ""  # not NATO in 2018
    assert reached["POL"]["party"].startswith("other Party")
    world = dg.World.load()
    d = float(dg.distance_km(20.511, 54.7065, world.territory("POL", sea=True)))
    assert reached["POL"]["distance_km"] == pytest.approx(d, abs=1e-3)
    assert reached["POL"]["margin_km"] == pytest.approx(500.0 - d, abs=1e-3)
    assert all(r["margin_km"] >= 0 for r in doc["states_reached"])


def test_reach__negative_longitude_and_map(tmp_path):
    res = run("reach", "Iskander-M", "--at", "-173.2333,64.4236", "--map", tmp_path / "r.png")
    assert res.returncode == 0, res.stderr
    assert "USA" in res.stdout and (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"


def test_zone__geojson_and_geoparquet(tmp_path):
    import geopandas as gpd
    import shapely

    res = run("zone", "Lithuania", "--range", "100", "--land-only", "-o", tmp_path / "z.parquet")
    assert res.returncode == 0, res.stderr
    zone = gpd.read_parquet(tmp_path / "z.parquet")
    assert zone.crs.to_epsg() == 4326 and zone["range_km"].iloc[0] == 100
    vilnius_minus = shapely.Point(25.2797, 54.6872)
    assert zone.geometry.iloc[0].contains(vilnius_minus)
    text = run("zone", "Kaliningrad", "--range", "50").stdout
    doc = json.loads(text)
    assert doc["features"][0]["properties"]["range_km"] == 50


def test_permitted__zone_and_waters_with_their_assumptions(tmp_path):
    """Alaska vs the lower 48: a 2,776 km Dark Eagle may not stand within reach of Russia.

    Anchorage lies 1,114 km from Russia (golden_territories.csv), so it is outside the zone;
    Fort Bliss (Texas) is ~5,600 km away, inside it. A destroyer's permitted waters exclude
    the Bering Sea, within Tomahawk reach of Chukotka."""
    import shapely

    out = tmp_path / "zone.geojson"
    res = run("permitted", "USA", "Dark Eagle", "--on", "2021-12-17", "-o", out)
    assert res.returncode == 0, res.stderr
    feature = json.loads(out.read_text())["features"][0]
    zone = shapely.geometry.shape(feature["geometry"])
    props = feature["properties"]
    assert props["protected_states"] == ["RUS"] and props["range_estimate"] == "nominal"
    assert props["date"] == "2021-12-17" and props["kind"] == "zone"
    assert zone.is_valid
    assert not zone.contains(shapely.Point(-149.9003, 61.2181))  # Anchorage
    assert zone.contains(shapely.Point(-106.42, 31.81))  # Fort Bliss
    waters = json.loads(run("permitted", "USA", "Arleigh Burke DDG", "--on", "2021-12-17")
                        .stdout)["features"][0]
    assert waters["properties"]["kind"] == "waters"
    assert not shapely.geometry.shape(waters["geometry"]).contains(shapely.Point(-175.0, 62.0))


def test_permitted__bad_input_exit_2():
    res = run("permitted", "USA", "Dark Eagel")
    assert res.returncode == 2 and "did you mean 'Dark Eagle'" in res.stderr
    res = run("permitted", "USA", "Dark Eagle", "-o", "zone.txt")
    assert res.returncode == 2 and ".geojson" in res.stderr


def test_listings__systems_states_baseline():
    systems = run("systems", "--class", "GLBM", "--format", "json")
    rows = json.loads(systems.stdout)
    assert systems.returncode == 0 and rows and {r["class"] for r in rows} == {"GLBM"}
    assert all("sources" in r for r in rows)
    table = run("systems").stdout
    assert "Sources" in table and _fits_100_columns(table)
    states = json.loads(run("states", "--on", "1997-05-27", "--group", "nato",
                            "--format", "json").stdout)
    assert len(states) == 16
    base = run("baseline", "Hungary", "--format", "csv")
    assert base.returncode == 0 and "HUN,USA" in base.stdout
    assert "DMDC" in run("baseline", "HUN").stdout


def test_demo__writes_tables_and_map(tmp_path):
    res = run("demo", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    assert "NATO members" in res.stdout and "Kaliningrad" in res.stdout
    for name in ("sites.csv", "nato_members.csv", "distances.csv", "demo.txt",
                 "kaliningrad_iskander.png"):
        assert (tmp_path / name).stat().st_size > 0
    import pandas as pd

    sites = pd.read_csv(tmp_path / "sites.csv").set_index("site")
    assert sites.loc["Sevastopol (Crimea)", "de_facto"] == "RUS"
    assert sites.loc["Sevastopol (Crimea)", "un"] == "UKR"
    assert sites.loc["Thule (Pituffik)", "un"] == "DNK"
    nato = pd.read_csv(tmp_path / "nato_members.csv")
    assert nato["members"].tolist() == [16, 30, 32]


def test_check_without_a_scenario_is_the_main_job(tmp_path):
    """``deployguard check`` alone checks the built-in real cases and writes the report and
    the map to out/ (it used to be a usage error, so the main job failed for a user who
    typed just the command); --out still says where."""
    res = run("check", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    assert "checking the built-in scenario" in res.stderr
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"report.md", "map.png", "findings.csv"} <= written


# ------------------------------------------------------------------------------ --help examples
def _help_examples() -> list[str]:
    from deployguard.cli.main import COMMANDS as TABLE

    return [e for c in TABLE for e in c.examples]


@pytest.mark.parametrize("example", _help_examples())
def test_help_examples__every_one_runs(tmp_path, example):
    """Every example that ``--help`` shows runs as written, from a folder holding examples/
    (as the repository does): no missing file, no usage error (issue 18)."""
    import shlex

    command = example.split("#")[0].split(";")[0].split(">")[0]  # the shell's part: ours only
    words = shlex.split(command)
    assert words[0] == "deployguard", example
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    for word in words:
        if word.startswith("examples/"):
            assert (tmp_path / word).is_file(), f"{example}: {word} does not exist"
    res = run(*words[1:], cwd=tmp_path)
    assert res.returncode in (0, 1), f"{example}\n{res.stderr}"
