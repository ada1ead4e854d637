# %% [markdown]
# # The 1997 baseline: NATO enlargement, stationed forces since, and what NATO-4 would forbid
#
# NATO draft Art. 4: "The Russian Federation and all the Parties that were member States of
# the North Atlantic Treaty Organization as of 27 May 1997, respectively, shall not deploy
# military forces and weaponry on the territory of any of the other States in Europe in
# addition to the forces stationed on that territory as of 27 May 1997" (Estonian World:
# https://estonianworld.com/security/moscow-demands-no-nato-troops-in-estonia-without-russias-explicit-permission/;
# TASS: https://tass.com/world/1377211/amp). 27 May 1997 is the day the NATO-Russia Founding
# Act was signed in Paris. Sixteen states joined NATO after it, the last two (Finland, Sweden)
# after the drafts were published. State by state: what was stationed there in 1997, and would
# a battalion-sized deployment of each of the large NATO-16 senders be allowed today?
#
# **Assumptions.** The deployers Art. 4 binds are Russia and the 16 members of 27 May 1997
# (a member that joined later, e.g. Czechia, is not named as a deployer). "States in Europe"
# is the UN M49 Europe region (`Readings(europe="m49_europe")`). The 1997 baseline is the
# bundled `geodata/baseline_1997.csv`: US counts from the DoD/DMDC personnel reports of 30 Sep
# 1996 and 30 Sep 1997 (via the troopdata dataset, https://github.com/meflynn/troopdata)
# interpolated to 27 May 1997, with sourced zeros where an authoritative 1997 list shows no
# forces of a sender, and "unknown" where no such list exists. Counts under about 100 are
# embassy and guard detachments, not stationed forces. The probe of 1,000 ground personnel is
# our round figure for a battalion battlegroup ("about 1,000 soldiers" each, dpa via aNews,
# 25 May 2023: https://www.anews.com.tr/europe/2023/05/25/nato-pledges-closer-cooperation-in-baltic-region).

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd
import shapely

import deployguard as dg

warnings.filterwarnings("ignore", message="IProgress not found")
TODAY = "2026-06-01"
BASELINE_DAY = "1997-05-27"
new_members = sorted(dg.nato.members(on=TODAY) - dg.nato.members(on=BASELINE_DAY),
                     key=lambda c: (dg.nato.accession_date(c), c))
europe = dg.states_in_europe()
world = dg.World.load("50m")
enlargement = pd.DataFrame([{"state": c, "name": world.name(c),
                             "joined": dg.nato.accession_date(c), "former USSR": c in dg.FORMER_USSR,
                             "in Europe (M49)": c in europe, "source": dg.nato.source(c)[0][0]}
                            for c in new_members]).set_index("state")
print(len(new_members), "members joined after 27 May 1997;",
      len(dg.nato.members(on=BASELINE_DAY)), "were members on that day")
enlargement

# %% [markdown]
# ## What was stationed there on 27 May 1997
#
# For each new member and each of six senders, the baseline level the checker compares with:
# a count (personnel, interpolated), a sourced zero, or unknown (no 1997 list of that host's
# foreign forces covers the sender; the IISS Military Balance 1997/98 was not available to
# build the data).

# %%
SENDERS = ["USA", "GBR", "DEU", "FRA", "CAN", "ITA"]
baseline = dg.Baseline1997.load()


def level_text(host, sender):
    lv = baseline.level(host, sender)
    if lv.sourced_zero:
        return "0 (sourced)"
    if not lv.known:
        return "unknown"
    return f"{lv.personnel:,}" + (" (token)" if any(e.token for e in lv.entries) else "")


levels = pd.DataFrame({s: [level_text(h, s) for h in new_members] for s in SENDERS},
                      index=pd.Index(new_members, name="host"))
levels

# %%
us = baseline.level("POL", "USA")
print("Example, USA in Poland:", us.personnel, "-", us.note)
print("  source:", us.entries[0].source[:160], "...")

# %% [markdown]
# ## The check: a 1,000-strong ground deployment of each sender in each new member
#
# 16 hosts x 6 senders = 96 deployments, each at a point inside the host, on 1 June 2026,
# rotational. (The probe is ours; nothing here says such a deployment exists.)

# %%
where = {h: shapely.point_on_surface(world.territory(h)) for h in new_members}
probes = [dg.Deployment(by=s, at=(where[h].x, where[h].y), date=TODAY, personnel=1000,
                        category="ground", arrangement="rotational", label=f"{s} in {h}")
          for h in new_members for s in SENDERS]
report = dg.check(probes, drafts="nato", progress=False)
nato4 = report.to_frame().query("clause == 'NATO-4'").copy()
nato4["host"] = nato4["label"].str[-3:]
nato4["sender"] = nato4["label"].str[:3]
assert (nato4["host"] == [p.label[-3:] for p in probes]).all()
grid = nato4.pivot(index="host", columns="sender", values="status").loc[new_members, SENDERS]
grid

# %%
print(grid.apply(pd.Series.value_counts).fillna(0).astype(int))
print()
for f in (report.finding("NATO-4", "USA in FIN"), report.finding("NATO-4", "GBR in EST"),
          report.finding("NATO-4", "ITA in ALB")):
    print(f"{f.label}: {f.status.value} - {f.reason}\n")

# %% [markdown]
# Where the United States is the sender the DMDC counts give a baseline almost everywhere, so
# the verdict is mostly definite. The exceptions, with the checker's reasons:

# %%
for h in grid.index[grid["USA"] != "violation"]:
    print(f"USA in {h}: {grid.loc[h, 'USA']} - {report.finding('NATO-4', f'USA in {h}').reason}\n")

# %% [markdown]
# Hungary held the US support base for the Bosnia mission (Taszár, about 5,000 in 1997), so a
# battalion stays within the baseline. In Croatia 1,000 lies inside the spread of the
# interpolated estimate (866-4,007: the IFOR to SFOR drawdown was a step, not a line), so the
# interpolation decides and the checker says so. Montenegro was part of the Federal Republic of
# Yugoslavia in 1997, whose token DMDC line (at most 13) the data files under Serbia; that
# whole bounds each successor, so 1,000 is in addition (see the note at the end). For the
# other senders the Baltic states and Poland have sourced zeros (no permanent foreign troops
# in the Baltic states before 2014, Reuters, 28 Apr 2014; none in Poland after the last Soviet
# troops left in 1993), so those cells are violations; elsewhere the baseline is mostly
# unknown and the checker says `depends` rather than guess. Italy and France had forces in
# Albania in 1997 (Operation Alba), so those two cells are definite.
#
# ## The real forward presence
#
# NATO's enhanced Forward Presence battlegroups, each "about 1,000 soldiers", led by "the
# United States in Poland, Britain in Estonia, Canada in Latvia, and Germany in Lithuania"
# (dpa via aNews, 25 May 2023, link above; in place since 2017, NATO Defense College, *Lessons
# from the Enhanced Forward Presence, 2017-2020*, 2020:
# https://docslib.org/doc/2795335/lessons-from-the-enhanced-forward-presence-2017-2020edited-by).
# After February 2022 four more were formed, in Slovakia (led by Czechia), Hungary, Romania
# (France) and Bulgaria (Italy) (secondary summary: https://grokipedia.com/page/NATO_Enhanced_Forward_Presence).
# Hungary's is led by Hungary itself, so no foreign sender is named for it.

# %%
efp = {"POL": "USA", "EST": "GBR", "LVA": "CAN", "LTU": "DEU", "ROU": "FRA", "BGR": "ITA",
       "SVK": "CZE"}
real = [dg.Deployment(by=s, at=(where[h].x, where[h].y), date=TODAY, personnel=1000,
                      category="ground", arrangement="rotational", label=f"eFP {s} in {h}")
        for h, s in efp.items()]
real_report = dg.check(real, drafts="nato", progress=False)
real_table = pd.DataFrame([{"battlegroup": f.label, "NATO-4": f.status.value, "reason": f.reason}
                           for f in real_report if f.clause_id == "NATO-4"]).set_index("battlegroup")
real_table

# %% [markdown]
# ## The map: what NATO-4 would forbid a US battalion today
#
# Each new member coloured by the NATO-4 verdict on the US probe; the NATO-16 in lavender.
# Letters give the eFP framework nation where there is one.

# %%
from deployguard.viz.basemap import STATUS_COLORS, draw_geometry, view_of

old16 = dg.nato.members(on=BASELINE_DAY)
ax = dg.plot_map(territories=None, extent=(-12, 34, 42, 71), world=world,
                 projection="lcc", title=f"NATO-4 on a 1,000-strong US deployment, {TODAY}")
view = view_of(ax)
draw_geometry(ax, view, shapely.union_all([world.territory(c) for c in old16 & europe]),
              facecolor="#ddd3ea", edgecolor="#7f8c8d", linewidth=0.4, zorder=2,
              label="members on 27 May 1997 (in Europe)")
for status, color in STATUS_COLORS.items():
    hosts = [h for h in new_members if grid.loc[h, "USA"] == status]
    if hosts:
        draw_geometry(ax, view, shapely.union_all([world.territory(h) for h in hosts]),
                      facecolor=color, edgecolor="#333333", linewidth=0.5, alpha=0.85, zorder=3,
                      label=f"{status}: {', '.join(hosts)}")
for h in new_members:
    x, y = view.project_xy(where[h].x, where[h].y)
    ax.text(float(x), float(y), h + (f"\n({efp[h]})" if h in efp else ""), ha="center", va="center", fontsize=7,
            zorder=5)
ax.legend(loc="lower left", fontsize=8, title="NATO-4 verdict on the US probe")
plt.show()

# %% [markdown]
# ## The verdicts, asserted

# %%
assert len(new_members) == 16 and {"FIN", "SWE"} <= set(new_members)
us_col = grid["USA"]
assert us_col["HUN"] == "compliant", us_col["HUN"]
assert us_col["HRV"] == "depends" and us_col["MNE"] == "violation"
assert set(us_col.drop(["HUN", "HRV"])) == {"violation"}, us_col
assert us_col["FIN"] == us_col["SWE"] == "violation"
assert (us_col == "violation").sum() == 14
for h in ("EST", "LVA", "LTU", "POL"):  # sourced zeros for every sender
    assert set(grid.loc[h]) == {"violation"}, grid.loc[h]
for label in ("eFP GBR in EST", "eFP CAN in LVA", "eFP DEU in LTU"):
    assert real_report.finding("NATO-4", label).status.value == "violation"
assert real_report.finding("NATO-4", "eFP CZE in SVK").status.value == "not_applicable"
assert {f.status.value for f in real_report if f.clause_id == "NATO-4"
        and not f.label.startswith("eFP CZE")} <= {"violation", "depends"}
assert real_report.finding("NATO-4", "eFP USA in POL").status.value == "violation"
print("US probe forbidden in:", ", ".join(us_col[us_col == "violation"].index))

# %% [markdown]
# **Conclusion.** Read with the 1997 baseline, NATO-4 would forbid a US battalion in fourteen
# of the sixteen states that joined NATO after 27 May 1997, Finland, Sweden and Montenegro
# included: there the United States had at most embassy detachments in 1997 (Montenegro's
# within Yugoslavia's 13). Hungary is allowed one, because the US support base for the Bosnia
# mission was there on that day; Croatia depends on how the 1997 drawdown is interpolated. The
# British, Canadian and German battlegroups in Estonia, Latvia and Lithuania are violations:
# those hosts had no permanent foreign troops before 2014, a sourced zero. For the French and
# Italian battlegroups in Romania and Bulgaria the verdict `depends`: no authoritative 1997
# list of those hosts' foreign forces was available, and the checker will not read a missing
# number as zero. The Czech-led battlegroup in Slovakia is outside the
# article altogether, because Czechia joined NATO after 1997 and Art. 4 names only the
# members of 27 May 1997 (and Russia) as deployers.

# %% [markdown]
# *A note on the data.* The DMDC line "Yugoslavia" (11 US personnel, a token) is filed under
# Serbia and its note says it also covers Montenegro and Kosovo; the coverage table says so
# (`within_predecessor`), and the checker bounds each successor by the whole:

# %%
print(baseline.level("SRB", "USA").entries[0].notes[-260:])
mne = baseline.level("MNE", "USA")
print(mne.note, "| coverage:", mne.coverage, "| at most:", mne.high)
assert mne.coverage == "within_predecessor" and mne.high == baseline.level("SRB", "USA").high
