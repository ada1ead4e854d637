# %% [markdown]
# # Readings: how each open term of the drafts changes the verdicts
#
# The drafts leave terms open: which "other Parties" NATO-5 protects, what "short-range"
# means, which states are "in Europe", how wide the NATO-7.2 border zone is, whether a Tomahawk
# in an Aegis Ashore launcher is "land-based". deployguard takes a documented default for each
# (`dg.Readings()`; the readings table in docs/readings.md gives the reasons) and lets you try the others.
# Here the built-in scenario of real and planned deployments (`dg.builtin_scenario("real_cases")`,
# each case with its public source in its `why`) is checked once with the defaults, then once per
# alternative reading, and the verdicts that change are laid out as a deployments x readings
# grid.
#
# **Assumptions.** As in the other notebooks: each deployment judged on its own date with
# the drafts applied as if in force; Natural Earth 4.1.0 borders, `de_facto` worldview, nominal
# range estimates; geodesic distances on WGS84. Only the reading named in a column differs from
# the defaults.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import deployguard as dg
from deployguard.treaty.readings import READING_CHOICES

warnings.filterwarnings("ignore", message="IProgress not found")
pd.set_option("display.max_colwidth", 100)
scenario = dg.builtin_scenario("real_cases")
defaults = dg.Readings().as_dict()
pd.DataFrame([{"reading": k, "default": defaults[k],
               "alternatives": ", ".join(map(str, READING_CHOICES.get(k, ())[1:])) or "(a number)"}
              for k in defaults]).set_index("reading")

# %% [markdown]
# ## The defaults
#
# One row per deployment, one column per clause.

# %%
base = dg.check(scenario, progress=False)
table = base.to_frame()
short = {"violation": "V", "depends": "d", "compliant": "ok", "not_applicable": "-"}
verdicts = (table.pivot(index="deployment_id", columns="clause", values="status")
            .map(lambda v: short.get(v, "")))  # "": the clause does not judge that kind
verdicts.insert(0, "deployment", table.groupby("deployment_id")["label"].first())
verdicts

# %% [markdown]
# The report map of the default run (`report.plot()`): each deployment numbered, its range
# ring, the other party's territory within range shaded, the key by worst status.

# %%
fig = base.plot()
plt.show()

# %% [markdown]
# ## Every alternative reading, one at a time
#
# `check(..., sensitivity={reading: values})` re-runs the clauses under each value (the
# distance table is shared, so this costs little more than one run). Each finding's
# `evidence["sensitivity"]` then holds its status under every variant, and a finding that
# changes becomes `depends`, with the reason naming the reading and what it gives. The two
# numeric readings get two values each: a NATO-7.2 zone of 50 and of 500 km (the draft says
# "of agreed width"), and a brigade of 3,000 instead of 5,000 personnel.

# %%
alternatives = {name: list(choices[1:]) for name, choices in READING_CHOICES.items()}
alternatives.update(nato72_zone_km=[50.0, 500.0], brigade_threshold=[3000])
varied = dg.check(scenario, sensitivity=alternatives, progress=False)
base_status = {(f.deployment_id, f.clause_id): f.status.value for f in base}
changes = []
for f in varied:
    for variant, status in f.evidence["sensitivity"].items():
        was = base_status[(f.deployment_id, f.clause_id)]
        if status != was:
            changes.append({"deployment_id": f.deployment_id, "deployment": f.label,
                            "reading": variant, "clause": f.clause_id, "default": was,
                            "under the reading": status})
changes = pd.DataFrame(changes)
print(len(changes), "verdicts change, under", changes["reading"].nunique(), "of",
      sum(len(v) for v in alternatives.values()), "alternative readings")

# %% [markdown]
# ## The grid
#
# Rows are the deployments, columns the alternative readings; a cell lists the clauses whose
# verdict changes, with the default verdict and the new one (V violation, d depends, ok
# compliant, - not applicable). Empty: nothing changes.

# %%
changes["cell"] = (changes["clause"] + " " + changes["default"].map(short) + "→"
                   + changes["under the reading"].map(short))
variants = [f"{k}={v}" for k, vs in alternatives.items() for v in vs]
grid = (changes.groupby(["deployment_id", "reading"])["cell"].agg(", ".join).unstack("reading")
        .reindex(index=range(len(scenario)), columns=variants).astype(object))
grid = grid.where(grid.notna(), "")
grid.index = [f"{i}. {d.label}" for i, d in zip(grid.index, scenario, strict=True)]
grid.loc[:, (grid != "").any()]

# %%
counts = np.zeros(grid.shape, dtype=int)
for (dep, reading), n in changes.groupby(["deployment_id", "reading"]).size().items():
    counts[dep, variants.index(reading)] = n
fig, ax = plt.subplots(figsize=(14, 7.5))
ax.imshow(counts, cmap="Oranges", vmin=0, vmax=3, aspect="auto")
ax.set_xticks(range(len(variants)), variants, fontsize=7, rotation=40, ha="right")
ax.set_yticks(range(len(grid)), grid.index, fontsize=8)
for (i, j), n in np.ndenumerate(counts):
    if n:
        ax.text(j, i, grid.iloc[i, j].replace(" ", "\n", 1).replace(", ", "\n"),
                ha="center", va="center", fontsize=6)
ax.set_title("Verdicts that change under each alternative reading (built-in scenario)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Why each change happens
#
# The reason text of each changed finding names the reading and quotes what it gives:

# %%
for (dep, clause), rows in changes.groupby(["deployment_id", "clause"]):
    f = varied.finding(clause, dep)
    print(f"{dep}. {f.label} / {clause}: {f.reason}\n")

# %% [markdown]
# ## What the grid says, asserted
#
# - `nato5_other_parties="all"` (every other Party, Canada included) makes the Dark Eagle at
#   Fort Bliss a NATO-5 violation: Canada is within its range, Russia is not.
# - `art7_reading="post_soviet"` clears the US forces in Poland and Hungary under NATO-7.1:
#   those states are east of NATO's 1997 line (the default reading) and in UN M49 "Eastern
#   Europe", but not post-Soviet.
# - `territorial_sea=False` changes the verdicts at sea and on the coast (the destroyer inside
#   US waters is then outside national territory).
# - `europe="conventional"` brings the US base in Georgia under NATO-4.
# - `nato4_unsplit_baseline="upper_bound"` turns the US troops in Hungary below the 1997 total
#   from compliant into depends: the 1997 figure is an all-services total.
# - a NATO-7.2 zone width (50 or 500 km) and a 3,000-strong brigade decide the exercises near
#   the border line: the Russian troops in Belarus, 122 km from Lithuania, are outside a 50 km
#   zone and inside a 500 km one.
# - `missile_classes`, `launch_mode`, `heavy_bombers`, `black_sea_fleet`, `nuclear_at_sea` and
#   `russia_allies` change nothing in this scenario: it has no sub-500 km missile, no sea-based
#   type on land, no Tu-22M3, no Russian deployment in Ukraine, no nuclear platform on the high
#   seas, and Belarus is Russia's ally under both readings.

# %%
def changed(dep_label, reading, clause):
    rows = changes[(changes["deployment"] == dep_label) & (changes["reading"] == reading)
                   & (changes["clause"] == clause)]
    return rows.iloc[0]["under the reading"] if len(rows) else None


assert changed("Dark Eagle at Fort Bliss, Texas", "nato5_other_parties=all", "NATO-5") == "violation"
for label in ("US armoured brigade in Poland", "US troops in Hungary at or below the 1997 level"):
    assert base.finding("NATO-7.1", label).status.value == "violation"
    assert changed(label, "art7_reading=post_soviet", "NATO-7.1") == "compliant"
assert changed("Arleigh Burke with Tomahawk in US territorial waters", "territorial_sea=False",
               "US-5.1") is not None
assert changed("US base in Georgia", "europe=conventional", "NATO-4") is not None
assert changed("US troops in Hungary at or below the 1997 level",
               "nato4_unsplit_baseline=upper_bound", "NATO-4") == "depends"
belarus = "Russian troops in Belarus, 2022"
assert changed(belarus, "nato72_zone_km=50.0", "NATO-7.2") == "compliant"
assert changed(belarus, "nato72_zone_km=500.0", "NATO-7.2") == "violation"
silent = {"missile_classes", "launch_mode", "heavy_bombers", "black_sea_fleet", "nuclear_at_sea",
          "russia_allies"}
assert not any(r.split("=")[0] in silent for r in changes["reading"]), changes["reading"].unique()
assert {r.split("=")[0] for r in changes["reading"]} == {
    "nato5_other_parties", "art7_reading", "territorial_sea", "europe", "nato4_unsplit_baseline",
    "nato72_zone_km", "brigade_threshold"}
print("readings that change a verdict:", sorted({r for r in changes["reading"]}))

# %% [markdown]
# ## Interactive: the findings on a map, offline
#
# `report.to_geodataframe()` gives one row per finding with the deployment's geometry and the
# evidence columns; geopandas' `.explore()` (folium; `pip install 'deployguard[interactive]'`)
# draws it. `tiles=None` means no tile server: the map is made offline (a browser showing it
# still loads Leaflet's JavaScript from its CDN).

# %%
gdf = base.to_geodataframe()
print(gdf.shape, gdf.crs)
located = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
m = located[["label", "clause", "status", "reason", "distance_km", "geometry"]].explore(
    column="status", tiles=None, cmap=["#e08a1e", "#8c959d", "#2e9d5b", "#c0392b"],
    marker_kwds={"radius": 6}, tooltip=["label", "clause", "status", "distance_km"])
m

# %% [markdown]
# **Conclusion.** Of the open terms, five change verdicts of the real cases: who the "other
# Parties" of NATO-5 are (Canada), which regions NATO-7.1 names (Poland and Hungary), whether
# national territory includes the 12-nmi sea, which states are "in Europe" (Georgia), and how a
# total 1997 figure bounds one service. The zone width of NATO-7.2 and the brigade threshold
# matter where forces stand near the border line. The others are silent here, which says
# something about this scenario rather than about the readings: notebook 01 shows the launch
# mode deciding a Kalibr on land.
