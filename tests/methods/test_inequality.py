"""sii() and assign_quantiles() against PHEindicatormethods' reference data.

SII, RII and intercept are closed-form (weighted least squares) and are compared at
rtol 1e-8. The confidence limits are Monte Carlo estimates: R's and ours use different
random streams, so they can only agree statistically. The sample p-quantile of R
simulations has standard error about sigma * sqrt(p (1 - p) / R) / phi(z_p) (normal
approximation; sigma estimated from the published limits: half-width / z), so the
difference between two independent runs (ours with R1 repetitions, the published ones with
R2) has standard error sigma * sqrt(p(1-p)) / phi(z_p) * sqrt(1/R1 + 1/R2). We allow five
such standard errors (a false alarm about once in 1.7 million comparisons) with a fixed
seed; with R1 = 20,000 and R2 = 100,000 that is about 0.1 sigma, much tighter than the
R suite's blanket 5% relative tolerance.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from inequalities.methods import sii

from ._reference import read_ref

pytestmark = pytest.mark.unit

REPS = 20_000
SEED = 20240607


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return read_ref("testdata_SII__testdata_SII.csv")


def block(ref, description):
    rows = ref[ref["TestDescription"] == description]
    assert len(rows), description
    return rows


def expected_rows(rows):
    return rows.groupby("Area", sort=True).head(1).sort_values("Area")


def mc_tolerance(lower, upper, level, reps_ref, reps_ours=REPS):
    z = stats.norm.ppf(0.5 + level / 2)
    sigma = np.abs(np.asarray(upper) - np.asarray(lower)) / (2 * z)
    p = (1 - level) / 2
    se_q = np.sqrt(p * (1 - p)) / stats.norm.pdf(stats.norm.ppf(p))
    return 5 * sigma * se_q * np.sqrt(1 / reps_ours + 1 / np.asarray(reps_ref, dtype=float))


def check(out, exp, levels, *, rii=True, intercept=False, point_rtol=1e-8):
    np.testing.assert_allclose(out["sii"], exp["sii"], rtol=point_rtol)
    if rii:
        np.testing.assert_allclose(out["rii"], exp["rii"], rtol=point_rtol)
    if intercept:
        np.testing.assert_allclose(out["intercept"], exp["Intercept"], rtol=point_rtol)
    reps_ref = exp["Repetitions"].to_numpy()
    for i, (level, suffix) in enumerate(levels, start=1):
        for stat in ("sii", "rii") if rii else ("sii",):
            lo, up = exp[f"{stat}_lowercl_{i}"], exp[f"{stat}_uppercl_{i}"]
            tol = mc_tolerance(lo, up, level, reps_ref)
            assert np.all(np.abs(out[f"{stat}_lower{suffix}"].to_numpy() - lo.to_numpy()) <= tol), (
                stat,
                suffix,
            )
            assert np.all(np.abs(out[f"{stat}_upper{suffix}"].to_numpy() - up.to_numpy()) <= tol), (
                stat,
                suffix,
            )


COMMON = dict(
    quantile="Quantile",
    population="Population",
    value="Value",
    by="Area",
    repetitions=REPS,
    seed=SEED,
)
SE = dict(se="StandardError")
CL = dict(lower="LowerCL", upper="UpperCL")

CASES = [
    # description, kwargs, levels [(level, suffix)], rii, intercept
    ("default (e.g. life expectancy) - default parameters", dict(**SE), [(0.95, "")], True, False),
    ("default (e.g. life expectancy) - default parameters", dict(**CL), [(0.95, "")], True, False),
    ("default - testing 99% confidence", dict(**CL, confidence=0.99), [(0.99, "")], True, False),
    ("default - testing 99% confidence", dict(**SE, confidence=99), [(0.99, "")], True, False),
    ("default - testing 10,000 repetitions", dict(**SE), [(0.95, "")], True, False),
    (
        "default (e.g. life expectancy) - multiple CIs",
        dict(**SE, confidence=[95, 99]),
        [(0.95, "_95"), (0.99, "_99")],
        True,
        False,
    ),
    (
        "rate (e.g. infant mortality) - default parameters",
        dict(**SE, value_type=1),
        [(0.95, "")],
        True,
        False,
    ),
    (
        "rate (e.g. infant mortality) - default parameters",
        dict(**CL, value_type=1),
        [(0.95, "")],
        True,
        False,
    ),
    (
        "proportion (e.g. child obesity) - default parameters",
        dict(**SE, value_type=2),
        [(0.95, "")],
        True,
        False,
    ),
    (
        "proportion (e.g. child obesity) - default parameters",
        dict(**CL, value_type=2),
        [(0.95, "")],
        True,
        False,
    ),
    (
        "proportion - testing multiplier (x 100)",
        dict(**CL, value_type=2, multiplier=100),
        [(0.95, "")],
        True,
        False,
    ),
    (
        "proportion - testing multiplier (x 100)",
        dict(**CL, value_type=2, multiplier=100),
        [(0.95, "")],
        False,
        False,
    ),
    (
        "proportion - testing multiplier (x -100)",
        dict(**CL, value_type=2, multiplier=-100),
        [(0.95, "")],
        True,
        False,
    ),
    (
        "proportion - testing multiplier (x -100)",
        dict(**CL, value_type=2, multiplier=-100),
        [(0.95, "")],
        False,
        False,
    ),
    ("default (e.g. life expectancy) - intercept", dict(**CL), [(0.95, "")], True, True),
    (
        "rate (e.g. infant mortality) - intercept",
        dict(**CL, value_type=1),
        [(0.95, "")],
        True,
        True,
    ),
    (
        "proportion (e.g. child obesity) - intercept",
        dict(**CL, value_type=2),
        [(0.95, "")],
        True,
        True,
    ),
    (
        "rate (e.g. infant mortality) - log transform with intercept",
        dict(**CL, value_type=1, transform=True),
        [(0.95, "")],
        True,
        True,
    ),
    (
        "proportion (e.g. child obesity) - logit transform with intercept",
        dict(**CL, value_type=2, transform=True),
        [(0.95, "")],
        True,
        True,
    ),
    (
        "proportion (e.g. child obesity) - logit transform with negative multiplier",
        dict(**CL, value_type=2, transform=True, multiplier=-1),
        [(0.95, "")],
        True,
        True,
    ),
    (
        "rate (e.g. infant mortality) - log transform with negative multiplier",
        dict(**CL, value_type=1, transform=True, multiplier=-1),
        [(0.95, "")],
        True,
        True,
    ),
    (
        "rate (e.g. infant mortality) - log transform with 98% CI",
        dict(**CL, value_type=1, transform=True, confidence=98),
        [(0.98, "")],
        True,
        True,
    ),
    (
        "rate (e.g. infant mortality) - log transform without rii",
        dict(**CL, value_type=1, transform=True),
        [(0.95, "")],
        False,
        False,
    ),
    (
        "proportion (e.g. child obesity) - logit transform without rii",
        dict(**CL, value_type=2, transform=True),
        [(0.95, "")],
        False,
        False,
    ),
    (
        "proportion (e.g. child obesity) - logit transform with 98% cis",
        dict(**CL, value_type=2, transform=True, confidence=0.98),
        [(0.98, "")],
        True,
        True,
    ),
]


@pytest.mark.parametrize("description, kwargs, levels, rii, intercept", CASES)
def test_sii_matches_reference(ref, description, kwargs, levels, rii, intercept):
    rows = block(ref, description)
    exp = expected_rows(rows)
    out = sii(rows, **COMMON, **kwargs, rii=rii, intercept=intercept)
    assert out["Area"].tolist() == exp["Area"].tolist()
    check(out, exp, levels, rii=rii, intercept=intercept)
    assert ("rii" in out.columns) == rii and ("intercept" in out.columns) == intercept
    np.testing.assert_array_equal(out["value"], out["sii"])


def test_quintiles_point_estimates(ref):
    rows = block(ref, "default - testing quintiles")
    out = sii(rows, **COMMON, **SE, rii=True)
    exp = expected_rows(rows)
    # these values come from OHID's Excel tool (published to about 1e-10)
    np.testing.assert_allclose(out["sii"], exp["sii"], rtol=1e-8)
    np.testing.assert_allclose(out["rii"], exp["rii"], rtol=1e-8)


def test_ungrouped_equals_grouped(ref):
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    area1 = rows[rows["Area"] == "area1"]
    kw = {k: v for k, v in COMMON.items() if k != "by"}
    out = sii(area1, **kw, **SE, rii=True)
    assert len(out) == 1 and "Area" not in out.columns
    check(out, expected_rows(area1), [(0.95, "")])


def test_sii_equals_weighted_least_squares_slope(ref):
    # statsmodels WLS on population-share weights, independent of the implementation
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    for _area, sub in rows.groupby("Area"):
        sub = sub.sort_values("Quantile")
        share = sub["Population"] / sub["Population"].sum()
        mid = share.cumsum() - share / 2
        fit = sm.WLS(sub["Value"], sm.add_constant(mid.to_numpy()), weights=share).fit()
        out = sii(
            sub,
            quantile="Quantile",
            population="Population",
            value="Value",
            se="StandardError",
            intercept=True,
            repetitions=1000,
            seed=1,
        )
        assert out["sii"].iloc[0] == pytest.approx(fit.params.iloc[1], rel=1e-10)
        assert out["intercept"].iloc[0] == pytest.approx(fit.params.iloc[0], rel=1e-10)


def test_same_seed_same_limits_and_row_order_irrelevant(ref):
    rows = block(ref, "rate (e.g. infant mortality) - default parameters")
    a = sii(rows, **COMMON, **CL, value_type=1, rii=True)
    b = sii(rows, **COMMON, **CL, value_type=1, rii=True)
    pd.testing.assert_frame_equal(a, b)
    c = sii(rows.sample(frac=1, random_state=3), **COMMON, **CL, value_type=1, rii=True)
    pd.testing.assert_frame_equal(a, c)


@pytest.mark.parametrize(
    "description, kwargs, rule",
    [
        ("error handling - negative populations", SE, "population .* greater than zero"),
        ("error handling - negative counts/standard error", SE, "standard error .* zero or more"),
        ("error handling - invalid proportion in CLs", dict(**CL, value_type=2), "between 0 and 1"),
    ],
)
def test_invalid_data_raises_naming_row(ref, description, kwargs, rule):
    rows = block(ref, description)
    with pytest.raises(ValueError, match=rule) as info:
        sii(rows, **COMMON, **kwargs)
    assert "row" in str(info.value)


def test_value_proportions_out_of_range_raise(ref):
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    with pytest.raises(ValueError, match="between 0 and 1"):
        sii(rows, **COMMON, **SE, value_type=2)


@pytest.mark.parametrize(
    "description, kwargs",
    [
        ("error handling - missing value field", SE),
        ("error handling - missing confidence limits and se", SE),
        ("error handling - missing confidence limits and se", CL),
        ("warning handling - missing populations, counts or values", SE),
    ],
)
def test_missing_values_give_missing_results(ref, description, kwargs):
    rows = block(ref, description)
    good = block(ref, "default (e.g. life expectancy) - default parameters")
    both = pd.concat([rows, good[good["Area"] == "area2"]])
    with pytest.warns(UserWarning, match="missing"):
        out = sii(both, **COMMON, **kwargs)
    bad_area = rows["Area"].iloc[0]
    assert out.loc[out["Area"] == bad_area, ["sii", "sii_lower", "sii_upper"]].isna().all(axis=None)
    assert out.loc[out["Area"] == "area2", ["sii", "sii_lower", "sii_upper"]].notna().all(axis=None)


def test_missing_quantile_in_one_group_gives_missing_result(ref):
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    with pytest.warns(UserWarning):
        out = sii(rows.drop(index=rows.index[15]), **COMMON, **SE)
    assert np.isfinite(out["sii"].iloc[0]) and np.isnan(out["sii"].iloc[1])


def test_many_quantiles_work(ref):
    rows = block(ref, "warning handling - large number of quantiles (>10)")
    out = sii(rows, **COMMON, **SE, rii=True)
    assert out[["sii", "sii_lower", "sii_upper", "rii"]].notna().all(axis=None)
    assert out["sii_lower"].iloc[0] < out["sii"].iloc[0] < out["sii_upper"].iloc[0]


@pytest.mark.parametrize(
    "kwargs, rule",
    [
        (dict(value_type=3), "value_type"),
        (dict(transform=True), "transform=True needs value_type"),
        (dict(value_type=1, transform=True), "do not pass se"),
        (dict(repetitions=500), "repetitions"),
        (dict(confidence=135), "confidence"),
    ],
)
def test_bad_arguments_raise(ref, kwargs, rule):
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    with pytest.raises(ValueError, match=rule):
        sii(rows, **{**COMMON, **SE, **kwargs})


def test_fewer_than_two_quantiles_raises(ref):
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    with pytest.raises(ValueError, match="at least two quantiles"):
        sii(rows[rows["Quantile"] == 1], **COMMON, **SE)


def test_repeated_quantile_raises(ref):
    rows = block(ref, "default (e.g. life expectancy) - default parameters")
    with pytest.raises(ValueError, match="appears twice"):
        sii(pd.concat([rows, rows.iloc[[0]]]), **COMMON, **SE)


def test_limits_from_known_truth_by_simulation():
    # 400 areas simulated with a known slope; the 95% limits should cover it ~95% of the time
    rng = np.random.default_rng(7)
    q = np.tile(np.arange(1, 11), 400)
    area = np.repeat(np.arange(400), 10)
    pop = np.full(q.size, 1000.0)
    mid = (q - 0.5) / 10
    se = np.full(q.size, 0.5)
    value = 70 + 5 * mid + rng.normal(0, 0.5, q.size)
    frame = pd.DataFrame({"area": area, "q": q, "pop": pop, "v": value, "se": se})
    out = sii(
        frame,
        quantile="q",
        population="pop",
        value="v",
        se="se",
        by="area",
        repetitions=2000,
        seed=1,
    )
    covered = ((out["sii_lower"] <= 5) & (5 <= out["sii_upper"])).mean()
    assert 0.92 <= covered <= 0.98  # binomial sd ~ 0.011 around 0.95


# ---------------------------------------------------------------- assign_quantiles

from inequalities.methods import assign_quantiles, quantile_name  # noqa: E402

POLARITY = {
    "RAG - Low is good": True,
    "RAG - High is good": False,
    "True": True,
    "False": False,
    True: True,
    False: False,
}


def test_quantile_names_match_ohid():
    names = read_ref("sysdata/qnames.csv")
    assert [quantile_name(n) for n in names["quantiles"]] == names["qname"].tolist()


def test_grouping_variables_used_here_match_the_r_objects():
    # R's tests rely on dplyr groups recorded in _index.csv; the by= used in this module match
    index = read_ref("sysdata/_index.csv").set_index("object")["groups"].fillna("")
    assert index["test_quantiles_g"] == "IndSexRef" and index["test_quantiles_ug"] == ""
    assert index["test_multiarea"] == "area" and index["test_DSR_nonind"] == "area"
    assert index["test_Mean_Grp"] == "area" and index["test_Prop_g"] == "Area"


@pytest.mark.parametrize(
    "source", ["sysdata/test_quantiles_g.csv", "sysdata/test_quantiles_ug.csv"]
)
def test_sysdata_quantiles(source):
    data = read_ref(source)
    data["invert"] = data["Polarity"].map(POLARITY)
    df1 = data[data["GroupSet"] == "IndSexReg"]
    with pytest.warns(UserWarning):
        out = assign_quantiles(df1, value="Value", by=["IndSexRef", "ParentCode"], invert="invert")
    np.testing.assert_array_equal(out["quantile"], df1["QuantileInGrp"])
    df3 = data[data["GroupSet"] == "IndSex"]
    out = assign_quantiles(df3, value="Value", by="IndSexRef", n=7, invert="invert")
    np.testing.assert_array_equal(out["quantile"], df3["QuantileInGrp"])
    df4 = data[data["GroupSet"] == "None"]
    out = assign_quantiles(df4, value="Value", n=4, invert=True)
    np.testing.assert_array_equal(out["quantile"], df4["QuantileInGrp"])


def test_sysdata_quantiles_fail():
    data = read_ref("sysdata/test_quantiles_fail.csv")
    data["invert"] = data["Polarity"].map(POLARITY)
    with pytest.raises(ValueError, match="one value per group"):
        assign_quantiles(data, value="Value", by="IndSexRef", n=7, invert="invert")


@pytest.fixture(scope="module")
def qref() -> pd.DataFrame:
    data = read_ref(
        "testdata_Quantiles__testdata_Quantiles.csv", keep_default_na=False, na_values=[""]
    )
    data["GroupSet"] = data["GroupSet"].fillna("None")  # the spreadsheet's "None" set is blank
    data["invert"] = data["Polarity"].map(POLARITY)
    assert data["invert"].notna().all()
    return data


def test_within_region_deciles_with_polarity(qref):
    df = qref[qref["GroupSet"] == "IndSexReg"]
    with pytest.warns(UserWarning, match="fewer non-missing"):  # one region has under 10 areas
        out = assign_quantiles(
            df, value="Value", by=["IndSexRef", "ParentCode"], n=10, invert="invert"
        )
    np.testing.assert_array_equal(out["quantile"], df["QuantileInGrp"])
    assert out.index.equals(df.index)


def test_within_region_deciles_not_inverted(qref):
    df = qref[(qref["GroupSet"] == "IndSexReg") & (qref["IndSexRef"] == "90366Female")]
    assert not df["invert"].any()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = assign_quantiles(df, value="Value", by=["IndSexRef", "ParentCode"], invert=False)
    np.testing.assert_array_equal(out["quantile"], df["QuantileInGrp"])


def test_septiles_by_indicator(qref):
    df = qref[(qref["GroupSet"] == "IndSex") & (qref["Test"] != "BadPolarity")]
    out = assign_quantiles(df, value="Value", by="IndSexRef", n=7, invert="invert")
    np.testing.assert_array_equal(out["quantile"], df["QuantileInGrp"])


def test_ungrouped_quartiles_inverted(qref):
    df = qref[qref["GroupSet"] == "None"]
    out = assign_quantiles(df, value="Value", n=4, invert=True)
    np.testing.assert_array_equal(out["quantile"], df["QuantileInGrp"])


def test_polarity_varying_within_group_raises(qref):
    df = qref[qref["Test"] == "BadPolarity"]
    with pytest.raises(ValueError, match="one value per group"):
        assign_quantiles(df, value="Value", by="IndSexRef", n=7, invert="invert")


def test_too_few_values_gives_missing_with_warning(qref):
    df = qref[(qref["GroupSet"] == "IndSexReg") & (qref["IndSexRef"] == "90366Female")].copy()
    df.loc[df["ParentCode"] == "E12000006", "Value"] = np.nan
    with pytest.warns(UserWarning, match="fewer non-missing values"):
        out = assign_quantiles(df, value="Value", by=["IndSexRef", "ParentCode"])
    assert out.loc[df["ParentCode"] == "E12000006", "quantile"].isna().all()


def test_quantiles_by_hand():
    out = assign_quantiles(pd.DataFrame({"v": [5.0, 1.0, 3.0, 2.0, 4.0, np.nan]}), value="v", n=5)
    assert out["quantile"].iloc[:5].tolist() == [5, 1, 3, 2, 4] and np.isnan(
        out["quantile"].iloc[5]
    )


# ---------------------------------------------------------------- SII on real OHID outputs


def wls_slope(sub, quantile, population, value):
    sub = sub.sort_values(quantile)
    share = sub[population] / sub[population].sum()
    mid = share.cumsum() - share / 2
    fit = sm.WLS(
        sub[value].to_numpy(), sm.add_constant(mid.to_numpy()), weights=share.to_numpy()
    ).fit()
    return fit.params[1], fit.params[0]


@pytest.mark.filterwarnings("ignore:sii. 2 group:UserWarning")  # two LE areas lack a decile
@pytest.mark.parametrize(
    "name, by, quantile, population, value, kwargs",
    [
        # life expectancy at birth by area, sex and deprivation decile (legacy OHID output)
        ("LE_testdata.csv", ["Sex", "GeoCode"], "Decile", "Pop", "LifeExp", dict(se="SE")),
        # child obesity (NCMP) percentages by school year and decile; SE in percentage points
        (
            "NCMP_testdata.csv",
            ["Period", "SchoolYear", "AreaCode"],
            "Decile",
            "Measured",
            "Rate",
            dict(se="SE"),
        ),
        # the same as proportions (value_type 2) from the 95% limits, reported per 100
        (
            "NCMP_testdata.csv",
            ["Period", "SchoolYear", "AreaCode"],
            "Decile",
            "Measured",
            "Rate",
            dict(lower="LCL", upper="UCL", value_type=2, multiplier=100, divide=100),
        ),
        # directly standardised rates by period and quintile (value_type 1, rates)
        (
            "DSR_testdata.csv",
            "Period",
            "Quintile",
            "total_pop",
            "value",
            dict(lower="lowercl", upper="uppercl", value_type=1),
        ),
    ],
)
def test_sii_on_published_indicator_tables(name, by, quantile, population, value, kwargs):
    data = read_ref(name)
    kwargs = dict(kwargs)
    divide = kwargs.pop("divide", None)
    if divide:
        for col in (value, kwargs["lower"], kwargs["upper"]):
            data[col] = data[col] / divide
    out = sii(
        data,
        quantile=quantile,
        population=population,
        value=value,
        by=by,
        repetitions=2000,
        seed=SEED,
        rii=True,
        intercept=True,
        **kwargs,
    )
    groups = data.groupby(by, sort=True)
    assert len(out) == groups.ngroups
    mult = kwargs.get("multiplier", 1)
    for i, (_, sub) in enumerate(list(groups)[:25]):
        slope, icpt = wls_slope(sub, quantile, population, value)
        assert out["sii"].iloc[i] == pytest.approx(slope * mult, rel=1e-9, abs=1e-12)
        assert out["intercept"].iloc[i] == pytest.approx(icpt, rel=1e-9)
    ok = out["sii"].notna()
    assert (out.loc[ok, "sii_lower"] < out.loc[ok, "sii"]).all()
    assert (out.loc[ok, "sii"] < out.loc[ok, "sii_upper"]).all()


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.floats(50, 90), min_size=5, max_size=10),
    se=st.floats(0.05, 3),
    vt=st.sampled_from([0, 2]),
)
def test_sii_limits_bracket_and_widen(values, se, vt):
    q = np.arange(1, len(values) + 1)
    frame = pd.DataFrame(
        {"q": q, "pop": 1000.0 + 10 * q, "v": np.array(values) / (100 if vt == 2 else 1)}
    )
    frame["lo"] = frame["v"] - se / (100 if vt == 2 else 1)
    frame["up"] = frame["v"] + se / (100 if vt == 2 else 1)
    if vt == 2:
        frame["lo"] = frame["lo"].clip(0.001, 0.999)
        frame["up"] = frame["up"].clip(0.001, 0.999)
    out = sii(
        frame,
        quantile="q",
        population="pop",
        value="v",
        lower="lo",
        upper="up",
        value_type=vt,
        confidence=[0.9, 0.95, 0.998],
        repetitions=4000,
        seed=1,
        rii=True,
    ).iloc[0]
    for stat in ("sii", "rii"):
        assert out[f"{stat}_lower_99_8"] <= out[f"{stat}_lower_95"] <= out[f"{stat}_lower_90"]
        assert out[f"{stat}_upper_90"] <= out[f"{stat}_upper_95"] <= out[f"{stat}_upper_99_8"]
        assert (
            out[f"{stat}_lower_95"] <= out[stat] <= out[f"{stat}_upper_95"]
            or abs(out[f"{stat}_upper_95"] - out[f"{stat}_lower_95"]) < 1e-6
        )


@settings(max_examples=25, deadline=None)
@given(se=st.floats(0.1, 3), k=st.floats(2, 20))
def test_sii_limits_shrink_with_precision(se, k):
    # smaller standard errors (larger samples) give narrower limits
    frame = pd.DataFrame(
        {"q": np.arange(1, 11), "pop": 1000.0, "v": np.linspace(70, 80, 10), "se": se}
    )
    wide = sii(
        frame, quantile="q", population="pop", value="v", se="se", repetitions=4000, seed=2
    ).iloc[0]
    narrow = sii(
        frame.assign(se=se / np.sqrt(k)),
        quantile="q",
        population="pop",
        value="v",
        se="se",
        repetitions=4000,
        seed=2,
    ).iloc[0]
    assert narrow["sii_upper"] - narrow["sii_lower"] < wide["sii_upper"] - wide["sii_lower"]
