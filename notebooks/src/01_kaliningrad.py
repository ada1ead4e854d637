# %% [markdown]
# # Kaliningrad: Iskander-M, 9M729 and Kalibr under NATO draft Art. 5
#
# Russia confirmed Iskander-M brigades in Kaliningrad on 5 Feb 2018 (Reuters, via the Jerusalem
# Post: https://www.jpost.com/breaking-news/russia-deploys-iskander-nuclear-capable-missiles-to-kaliningrad-540735).
# The exclave is a few tens of kilometres from Poland and Lithuania. NATO draft Art. 5 says
# the Parties "shall not deploy land-based intermediate- and short-range missiles in areas
# allowing them to reach the territory of the other Parties" (TASS, 17 Dec 2021:
# https://tass.com/world/1377211/amp). What do three Russian missiles reach from there, under
# the low, nominal and high published range estimates, and what is the verdict?
#
# **Assumptions** (each is stated on every finding as well). Membership of NATO on 17 Dec 2021,
# the day the drafts were published; the drafts never entered into force, so they are applied
# as if in force. Borders: Natural Earth 4.1.0 (1:50m for distances, 1:10m for where a
# deployment stands) under the `de_facto` worldview; national territory includes the 12-nmi
# territorial sea (UNCLOS Art. 2-3). Distances are geodesics on WGS84 (GeographicLib through
# pyproj) to the nearest point of a territory; "reaches" means distance <= range. The missile
# classes are the INF Treaty's (Art. II: shorter-range 500-1,000 km, intermediate-range
# 1,000-5,500 km, ground-launched; https://nuke.fas.org/control/inf/text/inf.htm), and a missile
# standing on land counts as ground-launched (the `launch_mode="location"` reading): the 9M729
# is the missile the United States named when it left the INF Treaty in 2019; the Kalibr 3M14
# is a ship-launched cruise missile, put on land here to show what that reading does.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import deployguard as dg

# tqdm's notebook bar wants ipywidgets; the runs below have progress=False anyway
warnings.filterwarnings("ignore", message="IProgress not found")

ON = "2021-12-17"
SYSTEMS = ["Iskander-M", "9M729", "Kalibr 3M14"]
catalogue = dg.Catalogue.load()
site = dg.Bases.load().get("Kaliningrad")
print("site", site.lonlat)
pd.DataFrame([{"system": s.name, "class": s.system_class, "basing": s.basing,
               "low km": s.range_low_km, "nominal km": s.range_nominal_km,
               "high km": s.range_high_km, "min km": s.min_range_km, "first source": s.source[0]}
              for s in map(catalogue.get, SYSTEMS)]).set_index("system")

# %% [markdown]
# Where each figure comes from (the catalogue keeps, for every figure, the outlet, the words
# it printed and the date):

# %%
pd.set_option("display.max_colwidth", 90)
pd.DataFrame([{"system": s.name, "km": r.km, "estimates": "/".join(r.estimates),
               "outlet": r.outlet, "says": r.says, "date": r.date, "source": r.source}
              for s in map(catalogue.get, SYSTEMS) for r in s.range_sources]).set_index("system")

# %% [markdown]
# The 9M729's low figure (480 km) is the range Russia's defence ministry declared in January
# 2019, below the INF floor; the 2,500 km of the nominal and high estimates is the Western
# (CSIS) figure. The low and high Iskander-M figures are weaker claims than the nominal one (the
# catalogue's notes say so).
#
# ## One check per range estimate
#
# The same three deployments, checked three times. The NATO-5 row of each run gives the
# verdict and the evidence: the NATO members reached and the nearest of them.

# %%
deployments = [dg.Deployment(by="RUS", at="Kaliningrad", date=ON, system=s, label=s)
               for s in SYSTEMS]
rows = []
for estimate in ("low", "nominal", "high"):
    report = dg.check(deployments, range_estimate=estimate, progress=False)
    for d in deployments:
        f = report.finding("NATO-5", d.label)
        rows.append({"system": d.label, "estimate": estimate, "range_km": f.evidence.get("range_km"),
                     "class": f.evidence.get("missile_class"), "NATO-5": f.status.value,
                     "nearest": f.evidence.get("nearest_state"),
                     "distance_km": f.evidence.get("distance_km"),
                     "states reached": len(f.evidence.get("states_reached") or ())})
by_estimate = pd.DataFrame(rows).set_index(["system", "estimate"])
by_estimate

# %% [markdown]
# The nearest NATO territory is Poland, about 33 km from the city, measured to Poland's
# territory with its territorial sea. An independent check of that number with `pyproj.Geod`
# on the same polygon (densely sampled boundary, brute force):

# %%
import numpy as np
import pyproj
import shapely

world = dg.World.load("50m")
poland = world.territory("POL", sea=True)
edge = shapely.segmentize(poland.boundary, 0.01)  # about 1 km between points
xy = shapely.get_coordinates(edge)
brute = pyproj.Geod(ellps="WGS84").inv(np.full(len(xy), site.lonlat[0]),
                                       np.full(len(xy), site.lonlat[1]), xy[:, 0], xy[:, 1])[2]
exact = float(dg.distance_km(*site.lonlat, poland))
evidence = by_estimate.loc[("Iskander-M", "nominal"), "distance_km"]
print(f"deployguard {exact:.2f} km, evidence {evidence:.2f} km, brute force {brute.min() / 1000:.2f} km")
assert abs(exact - evidence) < 0.01 and 0 <= brute.min() / 1000 - exact < 0.5

# %% [markdown]
# ## What each system reaches
#
# Nested rings from the site: each system's band runs from its low to its high estimate, the
# solid ring is its nominal range (Kalibr's rings would lie between the 9M729's, and are left
# out to keep the map legible). NATO members on the date, with their territorial sea as the
# checker measures them, are coloured by the shortest ring that reaches them; the others
# (Canada and the USA) form one grey group. Denmark is shaded whole, Greenland included, because
# the state is reached (through Bornholm). Reached capitals and cities of a million
# or more are labelled from the GeoNames places layer (CC BY 4.0).

# %%
ax = dg.plot_range_overlap("Kaliningrad", {"Iskander-M": (400, 500, 700),
                                           "9M729": (480, 2500, 2500)},
                           against="NATO", on=ON, world=world, sea=True, label="Kaliningrad",
                           title="From Kaliningrad: Iskander-M and 9M729 (low, nominal, high)")
plt.show()

# %% [markdown]
# ## Sensitivity: why the verdict `depends`
#
# `check(..., sensitivity=True)` runs every range estimate and every built-in worldview and
# marks a finding `depends` when its status changes; `flipped_by` names what flips it and the
# reason says what each alternative gives. Adding `"launch_mode"` also tries the catalogue's
# basing instead of the location (the one reading that concerns a Kalibr on land).

# %%
report = dg.check(deployments, sensitivity=["range_estimate", "worldview", "launch_mode"],
                  progress=False)
nato5 = {d.label: report.finding("NATO-5", d.label) for d in deployments}
for name, f in nato5.items():
    print(f"{name}: {f.status.value}, flipped_by={f.flipped_by}")
    print("   ", f.reason, "\n")

# %% [markdown]
# Read against the table above:
#
# - **Iskander-M** is a violation at the nominal (500 km) and high (700 km) estimates, and not
#   covered at all at the low one: 400 km is below the INF Treaty's 500 km floor, so the
#   missile is not "short-range" in the INF sense and Art. 5 does not concern it. The verdict
#   depends on the range estimate, not on geography: Poland is 33 km away.
# - **9M729** the same way: Russia's declared 480 km would put it below the floor; the Western
#   2,500 km estimate makes it intermediate-range, reaching most of Europe.
# - **Kalibr on land** reaches NATO territory under every estimate and worldview; only the
#   launch-mode reading flips it (by its catalogue basing it is a sea-launched missile, which
#   Art. 5 does not name).
#
# These statements are asserted below, so a change in the data or the checker makes this
# notebook fail rather than print a stale conclusion.

# %%
assert report.settings["sensitivity"] == ["range_estimate", "worldview", "launch_mode"]
low = by_estimate.xs("low", level="estimate")["NATO-5"]
nominal = by_estimate.xs("nominal", level="estimate")["NATO-5"]
assert low.to_dict() == {"Iskander-M": "not_applicable", "9M729": "not_applicable",
                         "Kalibr 3M14": "violation"}
assert set(nominal) == {"violation"}
assert nato5["Iskander-M"].flipped_by == ("range_estimate",)
assert nato5["9M729"].flipped_by == ("range_estimate",)
assert nato5["Kalibr 3M14"].flipped_by == ("launch_mode",)
assert "400 km" in nato5["Iskander-M"].reason and "POL" in nato5["Iskander-M"].reason
assert by_estimate.loc[("Iskander-M", "nominal"), "nearest"] == "POL"
print("robust violations:", [f.label for f in report.robust_violations])
print("dependent violations:", [(f.label, f.clause_id) for f in report.dependent_violations])

# %% [markdown]
# ## The finding on a map
#
# `Finding.plot()` draws one finding with its evidence: an azimuthal equidistant map centred on
# the site, the ring at the range the verdict used, the band between the low and high
# estimates, the NATO members reached (shaded) and not reached, and the geodesic to the
# nearest one, labelled with the evidence's distance.

# %%
fig = nato5["Iskander-M"].plot(report)
plt.show()

# %% [markdown]
# **Conclusion.** Under NATO draft Art. 5 an Iskander-M or a 9M729 in Kaliningrad is a
# violation at the nominal and high published ranges and outside the clause at the low ones
# (both low figures fall under the INF Treaty's 500 km floor): the verdict is `depends`, on the
# range estimate alone. A Kalibr put on land would be a violation under every range estimate;
# only reading "land-based" by the catalogue's basing, rather than by where it stands, would
# clear it.
