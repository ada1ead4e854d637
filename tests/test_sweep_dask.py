"""The Dask path of deployguard.sweep returns the same table as the in-memory path."""

import pandas as pd
import pytest

import deployguard as dg

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_sweep__dask_cluster_equals_in_memory():
    sites = dg.grid((18.0, 53.0, 46.0, 60.0), 60)  # the Baltic to the Volga
    systems = ["Iskander-M", "9M729", "Dark Eagle", "Typhon"]
    args = {"by": "host", "on": "2021-12-17", "range_estimate": ["low", "high"],
            "partition_size": 60, "progress": False}
    local = dg.sweep(sites, systems, **args)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = dg.sweep(sites, systems, client=client, **args)
    assert len(sites) > 250 and len(local) == len(sites) * 8
    pd.testing.assert_frame_equal(remote, local)
    assert set(local["NATO-5"]) >= {"violation", "compliant", "not_applicable"}
