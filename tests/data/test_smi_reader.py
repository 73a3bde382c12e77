"""NHS England SMI health checks: long returns to quarterly counts, summed to ICB/England."""

from __future__ import annotations

import pandas as pd
import pytest

from inequalities.data import readers
from inequalities.data.readers import SourceError


def test_period_labels_become_sortable_quarters():
    labels = pd.Series(["SMI-Q4-2023-2024", "SMI-Q3-2018-2019"])
    assert readers._smi_period(labels).tolist() == ["2023-24 Q4", "2018-19 Q3"]
    with pytest.raises(SourceError, match="not like"):
        readers._smi_period(pd.Series(["Q4 2023"]))


def test_returns_pivot_to_checks_over_register():
    raw = pd.DataFrame({
        "period": ["SMI-Q4-2023-2024"] * 3, "subicb_code": ["01F"] * 3,
        "question": ["All6PHC", "SMIRegister", "Smoking"], "answer": [30, 40, 39]})
    out = readers._tidy_smi(raw, type("Src", (), {"file": "x.csv"})())
    row = out.iloc[0]
    assert (row["count"], row["denominator"], row["value"]) == (30, 40, 75.0)
    assert row["area_code"] == "01F" and row["period"] == "2023-24 Q4"


def test_sub_icbs_sum_to_icbs_only_in_quarters_that_all_map(tmp_path):
    from types import SimpleNamespace

    from inequalities.data import _assemble
    lookup_file = tmp_path / "lookup.csv"
    lookup_file.write_text("x\n")
    lookup = SimpleNamespace(kind="subicb_icb", required=False, path=lambda root: lookup_file)
    manifest = SimpleNamespace(sources=[lookup], name="t", vintage="")
    part = pd.DataFrame({
        "area_code": ["01F", "01G", "01F", "99Z"], "indicator_id": "smi_all6_checks",
        "period": ["2023-24 Q4", "2023-24 Q4", "2019-20 Q4", "2019-20 Q4"],
        "sex": "Persons", "age": "All ages", "count": [30.0, 10.0, 5.0, 7.0],
        "denominator": [40.0, 60.0, 10.0, 10.0]})
    read = lambda src, root: pd.DataFrame({"subicb_code": ["01F", "01G"],  # noqa: E731
                                           "icb_code": ["E54000008", "E54000008"]})
    out = _assemble._subicbs_to_icbs(part, SimpleNamespace(id="smi"), manifest, tmp_path,
                                     read, [])
    england = out[out["area_code"] == "E92000001"].set_index("period")
    assert england.loc["2019-20 Q4", "value"] == pytest.approx(60.0)   # (5 + 7) / 20
    icb = out[out["area_code"] == "E54000008"]
    assert icb["period"].tolist() == ["2023-24 Q4"]                    # 99Z is no sub-ICB
    assert icb["value"].iloc[0] == pytest.approx(40.0)                  # 40 / 100
