"""dsr(), isr() and isratio() against PHEindicatormethods' reference data.

DSR expected values are the package's published results (test_DSR_results). The ISR
expected results are not published with the data, so ISR is checked against a hand
calculation written here from the textbook definitions (expected = sum(pop * ref rate);
limits from chi-squared quantiles or Byar's formula), independent of the package code.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from inequalities.methods import dsr, esp2013, isr, isratio

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit

RESULT_COLS = [
    "total_count",
    "total_pop",
    "value",
    "lower95_0cl",
    "upper95_0cl",
    "lower99_8cl",
    "upper99_8cl",
]
OUT_COLS = ["total_count", "total_pop", "value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]
RESULTS = ["sysdata/test_DSR_results.csv", "testdata_DSR_ISR__testresults_DSR.csv"]


def test_esp2013_is_the_published_standard():
    esp = esp2013()
    assert len(esp) == 19 and esp["population"].sum() == 100_000
    assert esp["age_band"].iloc[0] == "0-4" and esp["age_band"].iloc[-1] == "90+"
    # the same weights as the stdpop column of the package's error fixtures (ESP2013)
    assert (
        esp["population"].tolist()
        == read_ref("testdata_DSR_ISR__testdata_err1.csv")["stdpop"].abs().tolist()
    )


MULTIAREA = ["testdata_DSR_ISR__testdata_multiarea.csv", "sysdata/test_multiarea.csv"]


@pytest.mark.parametrize("data_file", MULTIAREA)
@pytest.mark.parametrize("results", RESULTS)
@pytest.mark.parametrize("rows, multiplier", [([0, 1, 2], 10_000), ([4, 5, 6], 100_000)])
@pytest.mark.parametrize("age_band", [None, "ageband"])
def test_dsr_esp2013_matches_reference(data_file, results, rows, multiplier, age_band):
    data = read_ref(data_file)
    ref = read_ref(results).iloc[rows]
    out = dsr(
        data,
        count="count",
        population="pop",
        by="area",
        age_band=age_band,
        confidence=(0.95, 0.998),
        multiplier=multiplier,
    )
    assert out["area"].tolist() == ref["area"].tolist()
    assert_close(out[OUT_COLS], ref[RESULT_COLS])
    single = dsr(data, count="count", population="pop", by="area", multiplier=multiplier)
    assert_close(single[["value", "lower", "upper"]], ref[["value", "lower95_0cl", "upper95_0cl"]])


@pytest.mark.parametrize(
    "data_file", ["sysdata/test_DSR_1976.csv", "testdata_DSR_ISR__testdata_1976.csv"]
)
@pytest.mark.parametrize("results", RESULTS)
@pytest.mark.parametrize("row, multiplier", [(3, 10_000), (7, 100_000)])
def test_dsr_with_other_standard_column(data_file, results, row, multiplier):
    data, ref = read_ref(data_file), read_ref(results).iloc[[row]]
    out = dsr(data, count="count", population="pop", standard="esp1976", multiplier=multiplier)
    assert_close(out[["total_count", "total_pop", "value", "lower", "upper"]], ref[RESULT_COLS[:5]])
    # the standard as a vector matched by position gives the same
    again = dsr(
        data,
        count="count",
        population="pop",
        standard=data["esp1976"].to_numpy(),
        multiplier=multiplier,
    )
    assert_close(again[["value", "lower", "upper"]], out[["value", "lower", "upper"]])


def test_dsr_with_esp2013_appended_as_column():
    # sysdata's *_esp objects carry ESP2013 appended by position: the shipped standard
    data = read_ref("sysdata/test_multiarea_esp.csv")
    ref = read_ref("sysdata/test_DSR_results.csv").iloc[4:7]
    out = dsr(
        data,
        count="count",
        population="pop",
        by="area",
        standard="esp2013",
        confidence=[0.95, 0.998],
    )
    assert_close(out[OUT_COLS], ref[RESULT_COLS])
    assert (
        data.groupby("area")["esp2013"]
        .apply(list)
        .map(lambda v: v == esp2013()["population"].tolist())
        .all()
    )


def _nonindependent_long() -> pd.DataFrame:
    wide = read_ref("testdata_DSR_ISR__testdata_nonindepe.csv")
    long = wide.melt(
        id_vars=["area", "ageband", "count", "pop"],
        value_vars=["f1", "f2", "f3", "f4"],
        var_name="freq",
        value_name="persons",
    )
    long["freq"] = long["freq"].str[1].astype(int)
    return (
        long.dropna(subset=["persons"])
        .sort_values(["area", "freq", "ageband"])
        .reset_index(drop=True)
    )


@pytest.mark.parametrize("results", RESULTS)
@pytest.mark.parametrize("source", ["spreadsheet", "sysdata"])
def test_dsr_non_independent_events(results, source):
    ref = read_ref(results).iloc[8:12]
    if source == "sysdata":  # long form with esp2013 appended (freq 4 dropped for three areas)
        data, standard = read_ref("sysdata/test_DSR_nonind.csv"), "esp2013"
    else:
        data, standard = _nonindependent_long(), None
    out = dsr(
        data,
        count="persons",
        population="pop",
        by="area",
        age_band="ageband",
        standard=standard,
        event_frequency="freq",
        confidence=[0.95, 0.998],
    )
    assert out["area"].tolist() == ref["area"].tolist()
    # the spreadsheet's non-independent results are written to 8 decimal places
    assert_close(out[OUT_COLS], ref[RESULT_COLS], rtol=1e-10, atol=1e-8)


@pytest.mark.parametrize(
    "name", ["sysdata/test_DSR_nonind_err1.csv", "sysdata/test_DSR_nonind_err2.csv"]
)
def test_dsr_non_independent_published_error_fixtures(name):
    with pytest.raises(ValueError, match="different populations or standard populations"):
        dsr(
            read_ref(name),
            count="persons",
            population="pop",
            by="area",
            age_band="ageband",
            standard="esp2013",
            event_frequency="freq",
        )


def test_dsr_non_independent_inconsistent_population_raises():
    long = _nonindependent_long()
    long.loc[(long["freq"] == 2) & (long["ageband"] == "05-09"), "pop"] += 1
    with pytest.raises(ValueError, match="different populations"):
        dsr(
            long,
            count="persons",
            population="pop",
            by="area",
            age_band="ageband",
            event_frequency="freq",
        )


@pytest.mark.parametrize(
    "name, standard, rule",
    [
        ("testdata_DSR_ISR__testdata_err1.csv", "stdpop", "count .* must be zero or more"),
        ("testdata_DSR_ISR__testdata_err2.csv", None, "population .* greater than zero"),
        ("testdata_DSR_ISR__testdata_err3.csv", "stdpop", "population .* greater than zero"),
        (
            "testdata_DSR_ISR__testdata_err4.csv",
            "stdpop",
            "standard population must be zero or more",
        ),
        ("sysdata/test_err1.csv", "stdpop", "count .* must be zero or more"),
        ("sysdata/test_err2.csv", None, "population .* greater than zero"),
        ("sysdata/test_err2_esp.csv", "esp2013", "population .* greater than zero"),
        ("sysdata/test_err3.csv", "stdpop", "population .* greater than zero"),
        ("sysdata/test_err4.csv", "stdpop", "standard population must be zero or more"),
    ],
)
def test_dsr_bad_input_raises_naming_row(name, standard, rule):
    data = read_ref(name)
    by = "area" if "area" in data.columns else None
    with pytest.raises(ValueError, match=rule) as info:
        dsr(data, count="count", population="pop", by=by, standard=standard)
    assert "row" in str(info.value)


def test_dsr_age_bands_must_match_standard():
    data = read_ref("testdata_DSR_ISR__testdata_multiarea.csv")
    with pytest.raises(ValueError, match="age bands do not match the standard"):
        dsr(data.drop(index=5), count="count", population="pop", by="area")
    bad = data.assign(ageband=data["ageband"].replace({"90+": "95+"}))
    with pytest.raises(ValueError, match="does not match the standard"):
        dsr(bad, count="count", population="pop", by="area", age_band="ageband")


def test_dsr_missing_population_gives_missing_result():
    data = read_ref("testdata_DSR_ISR__testdata_multiarea.csv")
    data.loc[3, "pop"] = np.nan
    out = dsr(data, count="count", population="pop", by="area")
    assert np.isnan(out.loc[0, "value"]) and np.isfinite(out.loc[1, "value"])


# ---------------------------------------------------------------- indirect standardisation


def _hand_isr(count, pop, refcount, refpop, level, multiplier, as_rate):
    """Textbook ISR/SMR for one area, written independently of the package."""
    refcount = [0.0 if math.isnan(r) else r for r in refcount]
    observed = sum(0.0 if math.isnan(c) else c for c in count)
    expected = sum(
        (0.0 if math.isnan(p) else p) * rc / rp
        for p, rc, rp in zip(pop, refcount, refpop, strict=True)
    )
    z = stats.norm.ppf(0.5 + level / 2)
    if observed < 10:
        lo = stats.chi2.ppf((1 - level) / 2, 2 * observed) / 2 if observed > 0 else 0.0
        hi = stats.chi2.ppf(0.5 + level / 2, 2 * observed + 2) / 2
    else:
        lo = observed * (1 - 1 / (9 * observed) - z / 3 / math.sqrt(observed)) ** 3
        o1 = observed + 1
        hi = o1 * (1 - 1 / (9 * o1) + z / 3 / math.sqrt(o1)) ** 3
    scale = sum(refcount) / sum(refpop) * multiplier if as_rate else multiplier
    return (
        observed,
        expected,
        observed / expected * scale,
        lo / expected * scale,
        hi / expected * scale,
    )


def _hand_table(data, refcount, refpop, multiplier, as_rate):
    rows = []
    for _area, sub in data.groupby("area", sort=True):
        rc = sub[refcount].tolist() if isinstance(refcount, str) else list(refcount)
        rp = sub[refpop].tolist() if isinstance(refpop, str) else list(refpop)
        o, e, v, l95, u95 = _hand_isr(
            sub["count"].tolist(), sub["pop"].tolist(), rc, rp, 0.95, multiplier, as_rate
        )
        *_, l998, u998 = _hand_isr(
            sub["count"].tolist(), sub["pop"].tolist(), rc, rp, 0.998, multiplier, as_rate
        )
        rows.append([o, e, v, l95, u95, l998, u998])
    return np.array(rows)


ISR_OUT = ["observed", "expected", "value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]


@pytest.mark.parametrize("data_file", MULTIAREA)
@pytest.mark.parametrize("multiplier", [100_000, 1_000])
def test_isr_with_reference_vectors(data_file, multiplier):
    data = read_ref(data_file)
    ref = read_ref("testdata_DSR_ISR__refdata.csv")
    out = isr(
        data,
        count="count",
        population="pop",
        ref_count=ref["refcount"].to_numpy(),
        ref_population=ref["refpop"].to_numpy(),
        by="area",
        confidence=[0.95, 0.998],
        multiplier=multiplier,
    )
    expected = _hand_table(data, ref["refcount"], ref["refpop"], multiplier, True)
    assert_close(out[ISR_OUT], expected, rtol=1e-12)
    assert_close(
        out["ref_rate"], [ref["refcount"].sum() / ref["refpop"].sum() * multiplier] * 3, rtol=1e-12
    )
    # observed totals agree with the package's lookup of observed counts
    lookup = read_ref("testdata_DSR_ISR__testdata_multiarea_lookup.csv")
    assert out["observed"].tolist() == lookup["total_count"].tolist()
    sys_lookup = read_ref("sysdata/test_ISR_lookup.csv")
    assert out["observed"].tolist() == sys_lookup["total_count"].tolist()
    sys_ref = read_ref("sysdata/test_ISR_refdata.csv")
    assert sys_ref[["refcount", "refpop"]].equals(ref[["refcount", "refpop"]])


@pytest.mark.parametrize(
    "name", ["testdata_DSR_ISR__testdata_multiarea_isr.csv", "sysdata/test_ISR_ownref.csv"]
)
@pytest.mark.parametrize("multiplier", [1, 100])
def test_isratio_with_reference_columns(name, multiplier):
    data = read_ref(name)
    out = isratio(
        data,
        count="count",
        population="pop",
        ref_count="refcount",
        ref_population="refpop",
        by="area",
        confidence=(95, 99.8),
        multiplier=multiplier,
    )
    expected = _hand_table(data, "refcount", "refpop", multiplier, False)
    assert_close(out[ISR_OUT], expected, rtol=1e-12)
    assert "ref_rate" not in out.columns
    # the reference as columns equals the reference as vectors (NA reference count = 0)
    ref = read_ref("testdata_DSR_ISR__refdata.csv")
    vec = isratio(
        data,
        count="count",
        population="pop",
        ref_count=ref["refcount"].to_numpy(),
        ref_population=ref["refpop"].to_numpy(),
        by="area",
        confidence=(95, 99.8),
        multiplier=multiplier,
    )
    assert_close(vec[ISR_OUT].iloc[:2], out[ISR_OUT].iloc[:2], rtol=1e-12)


@pytest.mark.parametrize("name", ["testdata_DSR_ISR__testdata_err2.csv", "sysdata/test_err2.csv"])
def test_isr_zero_population_is_allowed(name):
    data = read_ref(name)
    ref = read_ref("testdata_DSR_ISR__refdata.csv")
    out = isr(
        data,
        count="count",
        population="pop",
        ref_count=ref["refcount"].to_numpy(),
        ref_population=ref["refpop"].to_numpy(),
        by="area",
        confidence=[0.95, 0.998],
    )
    expected = _hand_table(data, ref["refcount"], ref["refpop"], 100_000, True)
    assert_close(out[ISR_OUT], expected, rtol=1e-12)


def test_isr_negative_count_raises():
    data = read_ref("testdata_DSR_ISR__testdata_multiarea_isr.csv")
    data.loc[7, "count"] = -2
    with pytest.raises(ValueError, match="row 7"):
        isr(
            data,
            count="count",
            population="pop",
            ref_count="refcount",
            ref_population="refpop",
            by="area",
        )


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(0, 500), min_size=19, max_size=19),
    pops=st.lists(st.integers(100, 10_000), min_size=19, max_size=19),
    k=st.integers(2, 10),
)
def test_dsr_limits_bracket_widen_and_shrink(counts, pops, k):
    frame = pd.DataFrame({"count": counts, "pop": pops})
    if sum(counts) < 10:
        return
    out = dsr(frame, count="count", population="pop", confidence=[0.9, 0.95, 0.998]).iloc[0]
    assert out["lower_99_8"] <= out["lower_95"] <= out["lower_90"] <= out["value"]
    assert out["value"] <= out["upper_90"] <= out["upper_95"] <= out["upper_99_8"]
    big = dsr(frame * k, count="count", population="pop").iloc[0]
    small = dsr(frame, count="count", population="pop").iloc[0]
    assert big["value"] == pytest.approx(small["value"], rel=1e-12)
    assert big["upper"] - big["lower"] < small["upper"] - small["lower"]


@settings(max_examples=30, deadline=None)
@given(counts=st.lists(st.integers(0, 300), min_size=19, max_size=19), k=st.integers(2, 10))
def test_isratio_limits_bracket_widen_and_shrink(counts, k):
    ref = read_ref("testdata_DSR_ISR__refdata.csv")
    frame = pd.DataFrame({"count": counts, "pop": [1000] * 19})
    kw = dict(
        count="count",
        population="pop",
        ref_count=ref["refcount"].to_numpy(),
        ref_population=ref["refpop"].to_numpy(),
    )
    out = isratio(frame, **kw, confidence=[0.9, 0.998]).iloc[0]
    assert (
        out["lower_99_8"] <= out["lower_90"] <= out["value"] <= out["upper_90"] <= out["upper_99_8"]
    )
    if sum(counts) > 0:
        big = isratio(frame * k, **kw).iloc[0]
        small = isratio(frame, **kw).iloc[0]
        assert big["upper"] - big["lower"] < small["upper"] - small["lower"]
