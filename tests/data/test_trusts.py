"""Acute trusts: consultant FTE from quarterly sums, catchments and site placement."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from inequalities.data import _assemble, readers


def test_quarterly_sums_are_divided_by_the_months_present(tmp_path):
    src = SimpleNamespace(file="w.csv", options={"one_month_quarters": ["2019 Q1"]})
    work = readers._tidy_trust_workforce(pd.DataFrame({
        "trust_code": ["RAA", "RAA"], "period": ["2019 Q1", "2019 Q2"],
        "consultant": [100.0, 330.0]}), src)
    assert work["months"].tolist() == [1, 3]
    files = {}
    for kind in ("trust_workforce", "trust_catchment", "trust_sites"):
        path = tmp_path / f"{kind}.csv"
        path.write_text("x\n")
        files[kind] = SimpleNamespace(kind=kind, required=False, path=lambda root, p=path: p)
    tables = {
        "trust_workforce": work,
        "trust_catchment": pd.DataFrame({"trust_code": ["RAA"], "year": [2019],
                                         "catchment": [200_000.0]}),
        # one site in a current coastal authority, one in its pre-2023 predecessor
        "trust_sites": pd.DataFrame({"trust_code": ["RAA", "RAA"], "site_code": ["S1", "S2"],
                                     "lad_code": ["E06000063", "E07000028"]}),
    }
    manifest = SimpleNamespace(sources=list(files.values()))
    lads = pd.DataFrame({"lad_code": ["E06000063"], "coastal": [True],
                         "urban_rural": ["Rural"]})
    history = pd.DataFrame({"lad21_code": ["E07000028"], "lad23_code": ["E06000063"]})
    out = _assemble._trusts(manifest, tmp_path, lambda s, root: tables[s.kind], lads,
                            history, 2023).iloc[0]
    assert out["consultant_fte"] == pytest.approx(430 / 4)     # (100 + 330) / 4 months
    assert (out["sites"], out["sites_placed"], out["coastal_sites"]) == (2, 2, 2)
