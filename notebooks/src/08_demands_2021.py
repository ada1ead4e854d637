# %% [markdown]
# # What the drafts would have demanded on 17 December 2021
#
# On 17 December 2021 Russia's Ministry of Foreign Affairs published two draft treaties: one
# with the United States, one with NATO's members (texts: TASS, https://tass.com/world/1377211
# and the MFA's own pages). Analysts did not ask whether some hypothetical deployment would
# break an article; they asked what the drafts would require of the forces that actually stood
# in Europe that day, and of Russia's. This notebook answers that with the real posture of the
# day (`dg.posture("2021-12-17")`: DMDC's US personnel counts by host, NATO's forward-presence
# battlegroups, the FAS estimates of US nuclear weapons in Europe, Aegis Ashore, Russia's
# Iskander-M brigades and 9M729 battalions, its forces abroad; each row with its public source
# in `geodata/postures/`) and, for each violation, the remedy `Report.remedies()` computes:
# how many to withdraw, what to move and how far.
#
# **Assumptions.** Memberships on 17 December 2021; the drafts applied as if in force on that
# day; the default readings (`dg.Readings()`; docs/readings.md gives the reasons); nominal
# range estimates; Natural Earth 4.1.0 borders with the 12-nmi territorial sea, `de_facto`
# worldview; geodesic distances on WGS84. Rows marked `[est. position]` or `[est. size]` have
# a position or size chosen by us (the row's notes say why). The last section changes the
# assumptions that change the answer.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd
import shapely

import deployguard as dg
from deployguard.viz.basemap import draw_geometry, view_of

warnings.filterwarnings("ignore", message="IProgress not found")
pd.set_option("display.max_colwidth", 80)
posture = dg.posture("2021-12-17")
ON = posture.defaults.on
report = dg.check(posture, on=ON, progress=False)
assert report.settings["readings"] == dg.Readings().as_dict()  # the default readings
table = report.to_frame()
print(f"{posture.title}: {len(posture)} deployments, checked on {ON}")
pd.Series([d.by for d in posture]).value_counts().rename("deployments").to_frame().T

# %% [markdown]
# ## Which articles the posture breaks, and whose deployments
#
# One count per finding (a deployment that breaks two articles counts under each). `depends`
# findings turn on an open term or an uncertain figure; they are counted apart.

# %%
by_status = pd.crosstab([table["clause"], table["article"]], [table["status"], table["by"]])
violations = by_status["violation"] if "violation" in by_status else pd.DataFrame()
violations = violations[violations.sum(axis=1) > 0]
violations

# %%
depends = by_status["depends"]
depends[depends.sum(axis=1) > 0]

# %% [markdown]
# ## The remedies
#
# `Report.remedies()` gives one row per violating (or `depends`) finding with its remedy:
# `reduce` to the 27 May 1997 level (NATO Art. 4), `relocate` a missile to the nearest point of
# its party's own territory from which it reaches no other Party (NATO Art. 5, US Art. 6),
# `withdraw` what may stand nowhere abroad (nuclear weapons, US Art. 7), `none` where no
# position or number mends it (an activity that is forbidden wherever it stands). We ask only
# for the clauses that have a number or a distance as their remedy (the others are `none`),
# one group a cell: the missiles' permitted zones take the longest to trace (one system a
# cell).

# %%
reductions = report.remedies(clauses=["NATO-4"])  # to the 1997 level
withdrawals = report.remedies(clauses=["US-7.1", "US-5.2"])  # nuclear weapons, bombers, ships

# %%
def missile_remedies(*systems: str) -> dg.Remedies:
    """NATO-5 and US-6 remedies of the posture's deployments of these systems.

    A check of those alone: a missile's findings do not depend on the other deployments.
    """
    part = [d for d in posture if d.system is not None and d.system.name in systems]
    return dg.check(part, on=ON, progress=False).remedies(clauses=["NATO-5", "US-6"])


iskander = missile_remedies("Iskander-M")

# %%
ssc8 = missile_remedies("9M729")
relocations = pd.concat([iskander, ssc8], ignore_index=True)
missile_findings = table[table["clause"].isin(["NATO-5", "US-6"])
                         & table["status"].isin(["violation", "depends"])]
assert set(missile_findings["deployment_id"]) == set(relocations["deployment_id"])  # all of them

# %%
remedies = dg.Remedies(pd.concat([reductions, relocations, withdrawals], ignore_index=True))
summary = remedies.summary()
summary.by_clause

# %% [markdown]
# **Personnel to withdraw under NATO-4**, per sending party and host (violations only; a
# `depends` finding is one whose personnel lie inside the spread of the 1997 estimate, see the
# last section):

# %%
personnel = summary.by_party_host[summary.by_party_host["personnel_to_withdraw"] > 0]
personnel = personnel[["by", "host", "personnel_to_withdraw"]].set_index(["by", "host"])
per_party = personnel.groupby(level="by")["personnel_to_withdraw"].sum()
print(per_party.to_string())
personnel

# %% [markdown]
# **Systems that must relocate or withdraw, and how far** (`move_km`: the geodesic to the
# nearest compliant position, for a withdrawal in the party's own national territory), with the
# area of the party's territory from which that system may still stand (`zone_area_km2`, the
# permitted zone with its 12-nmi sea; empty for nuclear weapons, which may stand anywhere at
# home):

# %%
moves = (pd.DataFrame(remedies[remedies["action"].isin(["relocate", "withdraw"])])
         .sort_values("move_km", ascending=False).drop_duplicates("deployment"))
moves[["deployment", "by", "host", "system", "clause", "action", "move_km", "zone_area_km2"]
      ].round(0).reset_index(drop=True)

# %%
summary.by_system

# %% [markdown]
# ## The report map
#
# `report.plot()`: each deployment numbered, its range ring where it has a missile, the other
# party's territory within range shaded, the key by worst status.

# %%
fig = report.plot()
plt.show()

# %% [markdown]
# ## The map of the remedies
#
# Each move from `Remedies.to_geodataframe()` drawn as its geodesic path: red for a missile
# relocated inside its own territory, blue for a withdrawal home (the paths leave the map
# where home lies beyond it).

# %%
paths = remedies.to_geodataframe().drop_duplicates("deployment")
world = dg.World.load()
fig, ax = plt.subplots(figsize=(10, 6.5), layout="constrained")
ax = dg.plot_map(ax, extent=(-15, 30, 70, 72), world=world, projection="lcc",
                 title=f"What the drafts would have moved, {ON} (o from, x to)")
view = view_of(ax)
colors = {"relocate": "#d62728", "withdraw": "#1f77b4"}
for action, group in paths.groupby("action"):
    draw_geometry(ax, view, shapely.union_all(list(group.geometry)), edgecolor=colors[action],
                  linewidth=1.6, zorder=4, label=f"{action} ({len(group)})")
    for _, row in group.iterrows():
        x, y = view.project_xy(row["lon"], row["lat"])
        ax.plot(float(x), float(y), "o", color=colors[action], markersize=4, zorder=5)
        x, y = view.project_xy(row["to_lon"], row["to_lat"])
        ax.plot(float(x), float(y), "x", color=colors[action], markersize=6, zorder=5)
ax.legend(loc="lower left", fontsize=8)
plt.show()

# %% [markdown]
# ## The assumptions that change the answer
#
# **The 1997 level's spread.** Where the personnel of 2021 lie inside the spread of the
# 27 May 1997 estimate, NATO-4 is `depends`. Counted as violations (the level at the low end of
# its spread), the personnel to withdraw become:

# %%
with_depends = remedies.summary(include_depends=True).by_party_host
per_party_depends = with_depends.groupby("by")["personnel_to_withdraw"].sum()
pd.DataFrame({"violations only": per_party, "with depends": per_party_depends}).fillna(0)

# %% [markdown]
# **The art7 reading.** NATO Art. 7 para 1 forbids military activity "on the territory of
# Ukraine as well as other States in the Eastern Europe". Which states those are is the
# `art7_reading` (default `nato_1997_line`); the violations per reading:

# %%
art7 = {}
for reading in ("nato_1997_line", "m49", "post_soviet"):
    t = dg.check(posture, on=ON, readings=dg.Readings(art7_reading=reading),
                 progress=False).to_frame()
    hit = t[(t["clause"] == "NATO-7.1") & (t["status"] == "violation")]
    art7[reading] = {"violations": len(hit),
                     "hosts": ", ".join(sorted(hit["host"].dropna().unique()))}
art7 = pd.DataFrame(art7).T
art7

# %% [markdown]
# **The range estimate.** NATO-5 turns on how far the missiles reach; the violations under
# the low, nominal and high published ranges:

# %%
nato5 = {}
for estimate in ("low", "nominal", "high"):
    t = dg.check(posture, on=ON, range_estimate=estimate, progress=False).to_frame()
    nato5[estimate] = int(((t["clause"] == "NATO-5") & (t["status"] == "violation")).sum())
pd.Series(nato5, name="NATO-5 violations").to_frame().T

# %% [markdown]
# **Forces abroad (US Art. 5 para 1).** Forces outside national territory "in the areas where
# such deployment could be perceived by the other Party as a threat": the perception is
# Russia's to state, so every such finding is `depends`. Were all of them violations, these
# personnel would go home:

# %%
us51 = [f for f in report if f.clause_id == "US-5.1" and f.status.value == "depends"]
abroad = pd.Series({by: sum(f.deployment.personnel or 0 for f in us51 if f.deployment.by == by)
                    for by in sorted({f.deployment.by for f in us51})}, name="personnel home")
abroad.to_frame().T

# %% [markdown]
# ## The verdicts, asserted

# %%
count = table[table["status"] == "violation"].groupby(["clause", "by"]).size()
nato5_by = set(table[(table["clause"] == "NATO-5") & (table["status"] == "violation")]["by"])
assert nato5_by == {"RUS"} and count["NATO-5", "RUS"] == 7  # every NATO-5 violation is Russian
assert "US-6" not in count.index.get_level_values(0)  # no US intermediate-range missile abroad
us7 = set(table[(table["clause"] == "US-7.1") & (table["status"] == "violation")]["host"])
assert us7 == {"BEL", "DEU", "ITA", "NLD", "TUR"}  # the B61 hosts
assert per_party["USA"] > 5_000 and per_party["USA"] == per_party.max()
usa = personnel.loc["USA", "personnel_to_withdraw"]
assert usa.idxmax() == "POL"  # the US rotational forces in Poland the most
assert set(per_party.index) == {"USA", "GBR", "CAN", "DEU"}  # no Russian NATO-4 violation
assert set(remedies["verified"].dropna()) <= {True}  # every move checked by check() again
relocated = moves[moves["action"] == "relocate"]
assert set(relocated["by"]) == {"RUS"} and len(relocated) == 7
farthest = relocated.loc[relocated["move_km"].idxmax()]
assert farthest["system"] == "9M729" and farthest["move_km"] > 2_000
withdrawn = moves[moves["action"] == "withdraw"]
assert set(withdrawn["by"]) == {"USA"} and withdrawn["move_km"].min() > 4_000
assert art7.loc["nato_1997_line", "violations"] > art7.loc["m49", "violations"] > 0
assert art7.loc["post_soviet", "violations"] == 0  # no activity in the four post-Soviet states
assert nato5["low"] == 0 < nato5["nominal"] <= nato5["high"]  # low: under the INF floor
assert per_party_depends["USA"] > per_party["USA"]
assert len(art7.loc["nato_1997_line", "hosts"].split(", ")) == 5 and abroad["USA"] > 100_000
assert abroad["USA"] > 100_000 and abroad["RUS"] > 10_000
print(f"NATO-5: {count['NATO-5', 'RUS']} Russian violations, {len(relocated)} missiles to move "
      f"(farthest {relocated['move_km'].max():,.0f} km); NATO-4: {per_party.to_dict()} "
      f"personnel to withdraw; US nuclear weapons home from {len(withdrawn)} bases")

# %% [markdown]
# **Conclusion.** On 17 December 2021 the drafts would have demanded of the United States
# that it withdraw its nuclear weapons from the five host states (US Art. 7: Belgium, Germany,
# Italy, the Netherlands, Turkey; each over 4,000 km to the nearest US territory) and, under
# NATO-4, more than 5,000 personnel, most of them the rotational forces in Poland, a few
# hundred from Romania and Italy (the figures above);
# of the United Kingdom, Canada and Germany, their forward-presence battlegroups in the Baltic
# states. Every NATO-5 violation is Russian: seven Iskander-M and 9M729 units that reach NATO
# territory from where they stood, each to be moved east inside Russia (the farthest, a 9M729,
# over 2,000 km). No US missile of the INF classes stood in Europe, so US Art. 6 asked nothing. The
# answer moves with the assumptions: the 1997 level's spread adds the `depends` personnel (a
# few hundred more US personnel); under the low range estimates no Russian missile breaks
# NATO-5 at all (the low figures fall under the INF 500 km floor); NATO Art. 7 para 1 forbids
# activity in five states under the default reading, two under M49's Eastern Europe and none
# under the post-Soviet one; and if Russia perceives all forces abroad as a threat (US Art. 5
# para 1), some 128,000 US and 22,000 Russian personnel go home.
