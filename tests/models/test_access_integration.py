"""Access models on real data: GP FTE per registered patient by LA rurality and region.

Real files from ``../shared/data`` (NHS Digital GP workforce per LA 2024, ONS 2011
rural-urban classification of LAs, ONS LA-region lookup; see PROVENANCE.md there). The
directory can be moved with ``INEQUALITIES_SHARED_DATA``; the tests skip without it.
Expected values are pooled totals computed here with plain pandas.
"""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inequalities.models import access_rates, access_ratios, diagnostics, lowest_access_share

pytestmark = pytest.mark.integration

DATA = Path(
    os.environ.get(
        "INEQUALITIES_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"
    )
)


@pytest.fixture(scope="module")
def las():
    needed = ["gp_patients_per_fte_lad24.csv", "ruc11_lad11.csv", "lookup_lad_region.csv"]
    if not all((DATA / name).exists() for name in needed):
        pytest.skip(f"real data not found in {DATA} (set INEQUALITIES_SHARED_DATA)")
    gp = pd.read_csv(DATA / "gp_patients_per_fte_lad24.csv")
    # 2011 LAs merged into one 2023 LA: re-derive the broad class from pooled populations
    # with the ONS 2011 LA thresholds (rural incl. hub towns >= 50%: Predominantly Rural;
    # 26-50%: Urban with Significant Rural; below 26%: Predominantly Urban).
    ruc = (
        pd.read_csv(DATA / "ruc11_lad11.csv")
        .groupby("lad23_code", as_index=False)[["rural_incl_hub_pop_2011", "total_pop_2011"]]
        .sum()
    )
    pct = 100 * ruc["rural_incl_hub_pop_2011"] / ruc["total_pop_2011"]
    ruc["Broad_RUC11"] = np.select(
        [pct >= 50, pct >= 26],
        ["Predominantly Rural", "Urban with Significant Rural"],
        "Predominantly Urban",
    )
    region = pd.read_csv(DATA / "lookup_lad_region.csv")
    region = region[region["lad_vintage"] == 2024][["lad_code", "region_code"]]
    frame = (
        gp.merge(ruc, left_on="lad24_code", right_on="lad23_code", how="inner")
        .merge(region, left_on="lad24_code", right_on="lad_code", how="inner")
        .rename(columns={"Broad_RUC11": "rurality"})
    )
    frame["rurality"] = pd.Categorical(
        frame["rurality"],
        categories=["Predominantly Urban", "Urban with Significant Rural", "Predominantly Rural"],
    )
    assert len(frame) == 296
    return frame


def test_unadjusted_access_ratio_equals_ratio_of_pooled_rates(las):
    out = access_ratios(
        las, workforce="total_gp_fte", population="total_patients", exposure="rurality"
    )
    totals = las.groupby("rurality", observed=True)[["total_gp_fte", "total_patients"]].sum()
    rate = totals["total_gp_fte"] / totals["total_patients"]
    for _, row in out.iterrows():
        assert row["reference"] == "Predominantly Urban"
        expected = rate[row["level"]] / rate["Predominantly Urban"]
        assert row["rate_ratio"] == pytest.approx(expected, rel=1e-6)
        assert row["lower"] < row["rate_ratio"] < row["upper"]
    assert set(out["family"]) == {"quasi_poisson"}
    assert diagnostics(out)["converged"].all()


def test_within_region_flags_london(las):
    out = access_ratios(
        las,
        workforce="total_gp_fte",
        population="total_patients",
        exposure="rurality",
        within="region_code",
    )
    assert len(out) == 2 * 9
    london = out[out["region_code"] == "E12000007"]
    assert london["rate_ratio"].isna().all() and (london["note"] != "").all()
    assert out[out["note"] == ""]["rate_ratio"].notna().all()


def test_rates_and_lowest_fifth_by_region(las):
    rates = access_rates(
        las, workforce="total_gp_fte", population="total_patients", groups=[], by="region_code"
    )
    pooled = las.groupby("region_code")[["total_gp_fte", "total_patients"]].sum()
    expected = pooled["total_gp_fte"] / pooled["total_patients"] * 1e5
    np.testing.assert_allclose(rates.set_index("region_code")["rate"], expected, rtol=1e-9)
    frame = las.assign(fte_per_100k=las["total_gp_fte"] / las["total_patients"] * 1e5)
    share = lowest_access_share(frame, access="fte_per_100k", population="total_patients")
    overall = share["population_lowest"].sum() / share["population"].sum()
    largest = frame["total_patients"].max() / frame["total_patients"].sum()
    assert abs(overall - 0.2) <= largest  # the fifth is cut at an LA boundary
    assert ((share["lower"] <= share["share"]) & (share["share"] <= share["upper"])).all()
