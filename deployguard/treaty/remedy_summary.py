"""Summaries of a :class:`~deployguard.treaty.remedies.Remedies` table: per clause, per party
and host, per system (:meth:`Remedies.summary`).

Each deployment counts once however many of its findings share a remedy (a missile that breaks
US Art. 6 and NATO Art. 5 is one system to move, by the larger of its moves). Deployments of one
sender in one host share one 27 May 1997 level (NATO Art. 4 reads each deployment as the
sender's whole presence, so two rows would count the allowance twice): the personnel to
withdraw are their sum less that level once. Only deployments with a remedy are summed: a
compliant deployment of the same sender in the same host is not in the table, so with one the
sum is a lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from deployguard.treaty.clauses import CLAUSES

__all__ = ["ACTIONS", "RemedySummary", "summarise"]

#: the remedies, in the order tables list them
ACTIONS = ("relocate", "reduce", "withdraw", "none")

_SYSTEM_ACTIONS = ("relocate", "withdraw")


@dataclass(frozen=True)
class RemedySummary:
    """Summaries of :class:`Remedies` as tables.

    Attributes
    ----------
    by_clause : DataFrame
        Per clause: violations, ``depends`` findings, and the remedies by action.
    by_party_host : DataFrame
        Per deploying party and host: personnel to withdraw (NATO Art. 4; deployments of one
        sender in one host share one 1997 level), personnel that go home whole (a ``withdraw``
        remedy: US Art. 5.1 under ``include_depends``), systems to relocate and to withdraw,
        and the distances moved (sum and largest, km).
    by_system : DataFrame
        Per party and system: the area of the party's territory from which it may still stand
        (km^2, the permitted zone with its 12-nmi sea), how many move and how far.
    """

    by_clause: pd.DataFrame
    by_party_host: pd.DataFrame
    by_system: pd.DataFrame

    def __str__(self) -> str:
        parts = [("Per clause", self.by_clause), ("Per party and host", self.by_party_host),
                 ("Per system", self.by_system)]
        # km to one decimal and areas in whole km2 on the terminal; the frames keep full precision;
        # a missing host (a deployment on no State's territory, or none: training) prints blank
        return "\n\n".join(
            f"{title}\n{frame.to_string(index=False, na_rep='', float_format=_terminal_number)}"
            for title, frame in parts if len(frame))


def _terminal_number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100_000 else f"{value:,.1f}"


def summarise(table: pd.DataFrame, include_depends: bool = False) -> RemedySummary:
    """Per clause, per party and host, per system (module notes).

    Parameters
    ----------
    table : Remedies (or a DataFrame with its columns)
    include_depends : bool, default False
        Count ``depends`` findings too, under the assumptions that make them violations.
    """
    frame = pd.DataFrame(table)
    by_clause = _by_clause(frame)
    if not include_depends:
        frame = frame[frame["status"] == "violation"]
    return RemedySummary(by_clause=by_clause, by_party_host=_by_party_host(frame),
                         by_system=_by_system(frame))


def _by_clause(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=["clause", "violation", "depends", *ACTIONS])
    status = pd.crosstab(frame["clause"], frame["status"])
    action = pd.crosstab(frame["clause"], frame["action"])
    out = pd.concat([status.reindex(columns=["violation", "depends"], fill_value=0),
                     action.reindex(columns=list(ACTIONS), fill_value=0)], axis=1)
    order = {c.id: k for k, c in enumerate(CLAUSES)}  # the drafts' order
    return out.sort_index(key=lambda ix: ix.map(order)).reset_index()


def _personnel(frame: pd.DataFrame) -> pd.Series:
    """Personnel to withdraw per (by, host): the group's sum less its 1997 level, once."""
    cuts = frame[(frame["action"] == "reduce") & frame["withdraw_personnel"].notna()]
    if cuts.empty:
        return pd.Series(dtype="int64")
    grouped = cuts.groupby(["by", "host"], dropna=False)
    total = grouped["personnel"].sum() - grouped["level_1997"].min()
    return total.clip(lower=0).astype("int64")


def _moves(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per deployment that moves: its action (withdraw over relocate) and largest move."""
    moves = frame[frame["action"].isin(_SYSTEM_ACTIONS) & frame["kind"].ne("forces")]
    if moves.empty:
        return moves.assign(move=pd.Series(dtype=float))
    moves = moves.assign(rank=moves["action"].map({"withdraw": 0, "relocate": 1}))
    moves = moves.sort_values(["rank", "move_km"], ascending=[True, False])
    return moves.drop_duplicates("deployment")


def _by_party_host(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["by", "host", "findings", "personnel_to_withdraw", "personnel_home",
            "systems_to_relocate",
            "systems_to_withdraw", "move_km_total", "move_km_max"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    keys = ["by", "host"]
    out = frame.groupby(keys, dropna=False).size().rename("findings").to_frame()
    out["personnel_to_withdraw"] = _personnel(frame)
    home = frame[(frame["action"] == "withdraw") & frame["personnel"].notna()]
    out["personnel_home"] = home.drop_duplicates("deployment").groupby(
        keys, dropna=False)["personnel"].sum()
    moves = _moves(frame)
    for action in _SYSTEM_ACTIONS:
        n = moves[moves["action"] == action].groupby(keys, dropna=False).size()
        out[f"systems_to_{action}"] = n
    g = moves.groupby(keys, dropna=False)["move_km"]
    out["move_km_total"], out["move_km_max"] = g.sum(), g.max()
    out = out.reset_index()
    for c in ("personnel_to_withdraw", "personnel_home", "systems_to_relocate",
              "systems_to_withdraw"):
        out[c] = out[c].fillna(0).astype("int64")
    return out.loc[:, cols].sort_values(["by", "host"], na_position="last", ignore_index=True)


def _by_system(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["by", "system", "zone_area_km2", "deployments", "to_relocate", "to_withdraw",
            "move_km_max"]
    zoned = frame[frame["zone_area_km2"].notna() & frame["system"].notna()]
    if zoned.empty:
        return pd.DataFrame(columns=cols)
    keys = ["by", "system"]
    out = zoned.groupby(keys)["zone_area_km2"].min().to_frame()
    out["deployments"] = zoned.groupby(keys)["deployment"].nunique()
    moves = _moves(zoned)
    for action in _SYSTEM_ACTIONS:
        out[f"to_{action}"] = moves[moves["action"] == action].groupby(keys).size()
    out["move_km_max"] = moves.groupby(keys)["move_km"].max()
    out = out.reset_index()
    for c in ("to_relocate", "to_withdraw"):
        out[c] = out[c].fillna(0).astype("int64")
    return out.loc[:, cols]
