"""Provenance of the bundled data: reviewed source domains, public sources only, dates of data."""

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from deployguard.data.catalogue import Catalogue
from deployguard.data.sources import domain_of, reviewed_domains, url_domains

TEXT_SUFFIXES = (".csv", ".json", ".geojson")
# what users never get: the project's working notes, machine paths and issue numbers
PRIVATE = re.compile(r"facts\.md|FACTS\b|/work/|\bissues? \d")
REPO = Path(__file__).resolve().parents[1]


def _data_files():
    root = resources.files("deployguard.geodata")
    stack = [(root, "")]
    while stack:
        node, prefix = stack.pop()
        for child in node.iterdir():
            if child.is_dir():
                if not child.name.startswith(("_", ".")):
                    stack.append((child, f"{prefix}{child.name}/"))
            elif child.name.endswith(TEXT_SUFFIXES):
                yield f"{prefix}{child.name}", child


DATA_FILES = dict(_data_files())


def test_data_files_found():
    assert {"systems.json", "baseline_1997.csv", "clauses.json", "bases.csv"} <= set(DATA_FILES)


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_every_source_url_has_a_reviewed_domain(name):
    text = DATA_FILES[name].read_text(encoding="utf-8")
    known = reviewed_domains()
    missing = sorted({d for d in url_domains(text) if d not in known})
    assert not missing, (
        f"{name} cites {missing}: review each site (who they are, original or mirror) and add "
        "it to geodata/source_domains.csv with a quality A/B/C"
    )


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_every_data_file_cites_public_sources_only(name):
    """Every bundled text data file (sidecars included) cites what a user can open."""
    text = DATA_FILES[name].read_text(encoding="utf-8")
    hits = sorted({m.group(0) for m in PRIVATE.finditer(text)})
    assert not hits, f"{name} refers to {hits}, which users never get: cite the public source"


def _user_files():
    """What users get besides the data: the package's code and texts, notebooks, docs,
    examples, the README and the data's README."""
    for folder in ("deployguard", "geodata", "notebooks", "docs", "examples"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in {".py", ".md", ".ipynb", ".txt", ".yaml", ".yml", ".json",
                               ".csv", ".geojson"} and ".ipynb_checkpoints" not in path.parts:
                yield path
    yield REPO / "README.md"


def test_nothing_users_get_refers_to_private_material():
    """Docstrings, report and CLI texts, notebooks: no working notes, machine paths or issue
    numbers (they mean nothing outside the project's tracker)."""
    if not (REPO / "deployguard").is_dir():
        pytest.skip("needs the source tree")
    found = []
    for path in _user_files():
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for m in PRIVATE.finditer(line):
                found.append(f"{path.relative_to(REPO)}:{n}: {m.group(0)!r}")
    assert not found, "\n".join(found)


def test_domain_table_is_clean():
    table = reviewed_domains()
    assert len(table) > 100
    for domain, (who, quality) in table.items():
        assert domain == domain.lower().strip() and not domain.startswith("www."), domain
        assert domain_of(f"https://{domain}/x") == domain
        assert who and quality in {"A", "B", "C"}, domain


def test_url_domains__edge_cases():
    text = ("a https://content.time.com/time/subscriber/article/0,33009,947113-2,00.html; "
            "(http://www.Example.ORG/p) http://x.example:8080/y http://stats.nohib.com./a")
    assert url_domains(text) == ["content.time.com", "example.org", "x.example", "stats.nohib.com"]


def test_source_quality_agrees_with_domain_quality():
    """A figure graded H must not come from a site we reviewed as low quality (C)."""
    table = reviewed_domains()
    for s in Catalogue.load():
        for r in (*s.range_sources, *s.min_range_sources, *s.other_figures):
            if table[r.domain][1] == "C":
                assert r.quality == "L" or r.estimates == (), (s.name, r.source)


def test_systems_about_has_dates():
    about = json.loads(DATA_FILES["systems.json"].read_text(encoding="utf-8"))["_about"]
    assert {"describes", "compiled", "source", "licence", "built_by"} <= set(about)


# ------------------------------------------------------------------ dates of data
def test_data_versions__lists_every_data_file():
    import deployguard as dg

    v = dg.data_versions()
    assert list(v.columns) == ["file", "describes", "compiled", "source", "licence",
                               "built_by", "metadata"]
    files = set(v.file)
    assert {"systems.json", "places.csv", "countries_50m.parquet", "bases.csv"} <= files
    assert not any(f.endswith(".about.json") for f in files)


def test_data_versions__every_file_states_its_dates():
    """Each file states when it was compiled (an ISO date) and the date it describes (a year
    at least: '27 May 1997', 'as of 2026-12-01', 'release of 2018')."""
    import deployguard as dg

    v = dg.data_versions().set_index("file")
    for name, row in v.iterrows():
        assert row["metadata"] in {"header", "_about", "sidecar"}, (name, row["metadata"])
        for field in ("describes", "compiled", "source", "licence", "built_by"):
            assert row[field], (name, field)
        assert re.match(r"\d{4}-\d{2}-\d{2}", row["compiled"]), (name, row["compiled"])
        assert re.search(r"\b(19|20)\d\d\b", row["describes"]), (name, row["describes"])
    assert v.loc["places.csv", "licence"].startswith("CC BY 4.0")


def test_data_versions__reads_no_geometry(monkeypatch):
    """Listing versions must not load the borders (it reads headers and sidecars only)."""
    import geopandas

    from deployguard.data import versions

    def refuse(*args, **kwargs):
        raise AssertionError("data_versions read a GeoParquet file")

    monkeypatch.setattr(geopandas, "read_parquet", refuse)
    assert len(versions.data_versions()) >= 15
