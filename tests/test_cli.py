"""The command line: demo works offline; check writes the report and the map."""

import pandas as pd
import pytest

from deployguard.cli import main


def test_demo__writes_tables_and_map(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "NATO members" in out and "Kaliningrad" in out
    for name in ("sites.csv", "nato_members.csv", "distances.csv", "demo.txt",
                 "kaliningrad_iskander.png"):
        assert (tmp_path / name).stat().st_size > 0
    sites = pd.read_csv(tmp_path / "sites.csv").set_index("site")
    assert sites.loc["Sevastopol (Crimea)", "de_facto"] == "RUS"
    assert sites.loc["Sevastopol (Crimea)", "un"] == "UKR"
    assert sites.loc["Chukotka (179.5, 66.5)", "russia"] == "RUS"
    assert sites.loc["Thule (Pituffik)", "un"] == "DNK"
    nato = pd.read_csv(tmp_path / "nato_members.csv")
    assert nato["members"].tolist() == [16, 30, 32]
    dist = pd.read_csv(tmp_path / "distances.csv").set_index("to")
    assert dist.loc["POL", "distance_km"] < dist.loc["LTU", "distance_km"] < dist.loc[
        "DEU", "distance_km"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["demo", "--resolution", "1m"], "invalid choice"),
        (["demo", "--worldview", "mars"], "invalid choice"),
        (["check", "no_such_file.json", "--out", "{tmp}"], "scenario must be"),
        (["check", "--drafts", "us,warsaw", "--out", "{tmp}"], "--drafts"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments__exit_2_with_message(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_help__exit_0(capsys):
    assert main(["--help"]) == 0
    assert "check" in capsys.readouterr().out


@pytest.mark.slow
def test_check__builtin_writes_report_and_map(tmp_path, capsys):
    assert main(["check", "--out", str(tmp_path), "--drafts", "us,nato"]) == 0
    assert "violation" in capsys.readouterr().out
    assert (tmp_path / "map.png").stat().st_size > 10_000
    assert len(list(tmp_path.iterdir())) >= 2


def test_module_entry_point(tmp_path):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "deployguard", "demo", "--out", str(tmp_path),
                          "--no-map", "--quiet"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
