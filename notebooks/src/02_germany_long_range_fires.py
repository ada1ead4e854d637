# %% [markdown]
# # Long-range fires in Germany from 2026: Typhon (SM-6, Tomahawk) and Dark Eagle
#
# On 10 July 2024 the United States and Germany announced that "the United States will begin
# episodic deployments of the long-range fires capabilities of its Multi-Domain Task Force in
# Germany in 2026 ... When fully developed, these conventional long-range fires units will
# include SM-6, Tomahawk, and developmental hypersonic weapons" (joint statement, quoted in
# full by European Security & Defence:
# https://euro-sd.com/2024/07/major-news/39264/germany-to-host-us-missiles/). Under Russia's
# drafts two articles concern such missiles:
#
# - **US draft Art. 6**: the Parties "shall undertake not to deploy land-based
#   intermediate-range and shorter-range missiles outside their national territories, as well
#   as in the areas of their national territories, from which such weapons can attack targets
#   in the national territory of the other Party" (Sputnik via UrduPoint, 17 Dec 2021:
#   https://www.urdupoint.com/en/world/russia-us-should-not-deploy-inf-banned-missi-1429300.html);
# - **NATO draft Art. 5**: no such missiles "in areas allowing them to reach the territory of
#   the other Parties" (TASS, 17 Dec 2021: https://tass.com/world/1377211/amp).
#
# The statement names no sites. We put the Typhon launcher at Wiesbaden (Clay Kaserne, the
# headquarters of US Army Europe and Africa) and the Dark Eagle battery at Grafenwöhr; the date
# is 1 July 2026. Both choices are ours, not facts.
#
# **Assumptions.** NATO membership on each deployment's date; the drafts applied as if in force.
# Borders: Natural Earth 4.1.0 (1:50m distances, 1:10m placement), `de_facto` worldview, with the
# 12-nmi territorial sea. INF Treaty classes (500-1,000 km shorter-range, 1,000-5,500 km
# intermediate-range; https://nuke.fas.org/control/inf/text/inf.htm); a missile on land is
# ground-launched. Geodesic distances on WGS84.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import deployguard as dg

warnings.filterwarnings("ignore", message="IProgress not found")
pd.set_option("display.max_colwidth", 110)
ON = "2026-07-01"
catalogue = dg.Catalogue.load()
deployments = [
    dg.Deployment(by="USA", at="Wiesbaden", date=ON, system="Typhon", weapon="SM-6 (Typhon)",
                  arrangement="rotational", label="Typhon with SM-6, Wiesbaden"),
    dg.Deployment(by="USA", at="Wiesbaden", date=ON, system="Typhon",
                  weapon="Tomahawk (Typhon)", arrangement="rotational",
                  label="Typhon with Tomahawk, Wiesbaden"),
    dg.Deployment(by="USA", at="Grafenwöhr", date=ON, system="Dark Eagle",
                  arrangement="rotational", label="Dark Eagle, Grafenwöhr"),
]
pd.DataFrame([{"missile": s.name, "class": s.system_class, "low km": s.range_low_km,
               "nominal km": s.range_nominal_km, "high km": s.range_high_km,
               **{f"class ({e})": c for e, c in s.inf_classes_by_estimate.items()},
               "sources": len(s.range_sources)}
              for s in map(catalogue.get, ["SM-6 (Typhon)", "Tomahawk (Typhon)", "Dark Eagle"])])

# %% [markdown]
# The SM-6 straddles the INF floor: its published ranges (370-500 km) lie at or below 500 km, so
# whether it is a "shorter-range missile" at all depends on the estimate. Tomahawk and Dark
# Eagle are intermediate-range under every estimate.
#
# ## The check, with sensitivity
#
# Every range estimate and every built-in worldview; a finding whose status changes becomes
# `depends`, and its reason says what each alternative gives.

# %%
report = dg.check(deployments, sensitivity=True, progress=False)
table = report.to_frame()
clauses = table[table["clause"].isin(["US-6", "NATO-5"])]
clauses.pivot(index="label", columns="clause", values="status")

# %%
for f in report:
    if f.clause_id in ("US-6", "NATO-5"):
        print(f"{f.label} / {f.clause_id}: {f.status.value}  flipped_by={f.flipped_by}")
        print("   ", f.reason, "\n")

# %% [markdown]
# Two different tests are at work. US-6 forbids such missiles *anywhere outside* the deployer's
# national territory, whatever they reach: Germany is not US territory, so the Tomahawk and the
# Dark Eagle break it by standing there. NATO-5 asks whether the missile can reach another
# Party; the nearest Russian territory (Kaliningrad, with its territorial sea) is within the
# Tomahawk's and the Dark Eagle's range from these sites:

# %%
import shapely

world = dg.World.load("50m")
russia = world.territory("RUS", sea=True)
moscow = shapely.Point(dg.Bases.load().get("Moscow Kremlin").lonlat)
rows = []
for d in deployments:
    lon, lat = d.lonlat
    missile = d.weapon or d.system
    rows.append({"deployment": d.label, "missile": missile.name,
                 "to Russia km": float(dg.distance_km(lon, lat, russia)),
                 "to Moscow km": float(dg.distance_km(lon, lat, moscow)),
                 **{f"{e} km": missile.range_for(e) for e in ("low", "nominal", "high")}})
reach = pd.DataFrame(rows).set_index("deployment").round(1)
reach

# %% [markdown]
# So the Tomahawk reaches Moscow only at its high (2,500 km) estimate; the Dark Eagle at every
# estimate. The cities of a million or more inside Russia within each missile's nominal range
# (GeoNames, CC BY 4.0):

# %%
for d in deployments[1:]:
    missile = d.weapon or d.system
    km = missile.range_for("nominal")
    places = dg.places_in_reach(*d.lonlat, km, min_population=1_000_000)
    ru = places[places["sovereign"] == "RUS"]
    print(f"{d.label} ({km:,.0f} km): {len(ru)} Russian cities of 1M+:",
          ", ".join(f"{n} ({km:,.0f} km)" for n, km in zip(ru["name"], ru["distance_km"])))

# %% [markdown]
# ## The map
#
# `report.plot()` draws the report map: each deployment numbered, its geodesic range ring, and
# the Russian territory within that ring shaded in the ring's colour; the key lists the
# deployments under their worst status, and the footer gives the dates, worldview, range
# estimate and the verdicts that change with the estimate.

# %%
fig = report.plot()
plt.show()

# %% [markdown]
# The SM-6 on its own, with its low-high band: the band ends at 500 km, the INF floor, and no
# Russian territory lies within it (the NATO-5 question does not arise at any estimate).

# %%
fig = report.plot(deployment=0)
plt.show()

# %% [markdown]
# ## The verdicts, asserted
#
# The conclusions below are computed; these assertions make the notebook fail if the data or
# the checker change them.

# %%
status = clauses.pivot(index="label", columns="clause", values="status")
flips = {(f.label, f.clause_id): f.flipped_by for f in report if f.clause_id in ("US-6", "NATO-5")}
for name in ("Typhon with Tomahawk, Wiesbaden", "Dark Eagle, Grafenwöhr"):
    assert status.loc[name, "US-6"] == "violation" and status.loc[name, "NATO-5"] == "violation"
    assert flips[(name, "US-6")] == () and flips[(name, "NATO-5")] == ()  # robust
sm6 = "Typhon with SM-6, Wiesbaden"
assert status.loc[sm6, "US-6"] == "depends" and flips[(sm6, "US-6")] == ("range_estimate",)
assert reach.loc[sm6, "to Russia km"] > reach.loc[sm6, "high km"]  # out of reach at any estimate
sm6_nato5 = report.finding("NATO-5", sm6)
assert "violation" not in sm6_nato5.evidence["sensitivity"].values()  # never a NATO-5 breach
# a flip only between "not covered" and "compliant" keeps the status, and says so
assert sm6_nato5.status.value == "not_applicable" and sm6_nato5.flipped_by == ("range_estimate",)
print("SM-6 NATO-5 under each variant:", sm6_nato5.evidence["sensitivity"])
tomahawk = reach.loc["Typhon with Tomahawk, Wiesbaden"]
assert tomahawk["nominal km"] < tomahawk["to Moscow km"] <= tomahawk["high km"]
assert reach.loc["Dark Eagle, Grafenwöhr", "to Moscow km"] < reach.loc["Dark Eagle, Grafenwöhr", "low km"]
print("robust violations:", sorted({(f.label, f.clause_id) for f in report.robust_violations
                                    if f.clause_id in ("US-6", "NATO-5")}))

# %% [markdown]
# **Conclusion.** A Typhon firing Tomahawk, or a Dark Eagle battery, in Germany in 2026 would
# break both US draft Art. 6 (an intermediate-range missile outside US territory, whatever it
# reaches) and NATO draft Art. 5 (Russian territory, Kaliningrad first, is within range), under
# every range estimate and worldview. The same launcher with SM-6 only is a different case: its
# published range (370-500 km) reaches the INF floor only at the high estimate, so under US-6
# it `depends` on the estimate (a violation at 500 km, not covered below it). Under NATO-5 it
# stays `not_applicable`: the estimate only decides whether the clause applies (at 500 km it
# would be compliant), since it reaches no Russian territory at any estimate; the finding's
# `flipped_by` and reason say so.
