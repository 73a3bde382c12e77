"""Rate ratios: hand-checkable cases, simulation with known truth, coverage, edge cases."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from inequalities.models import diagnostics, gap_heterogeneity, rate_ratios, simulate_areas

pytestmark = pytest.mark.unit

Z95 = stats.norm.ppf(0.975)


def small_frame():
    # Two urban areas, two rural areas. Hand calculation (saturated Poisson model):
    # urban rate = (30 + 50) / (10_000 + 10_000) = 0.004
    # rural rate = (20 + 40) / (5_000 + 7_000) = 0.005  -> rate ratio 1.25
    # se(log RR) = sqrt(1/80 + 1/60)
    return pd.DataFrame(
        {
            "area": ["u1", "u2", "r1", "r2"],
            "ur": ["Urban", "Urban", "Rural", "Rural"],
            "deaths": [30, 50, 20, 40],
            "pop": [10_000, 10_000, 5_000, 7_000],
        }
    )


def test_hand_checkable_two_group_rate_ratio():
    out = rate_ratios(
        small_frame(), count="deaths", population="pop", exposure="ur", family="poisson"
    )
    assert list(out.columns) == [
        "term",
        "variable",
        "level",
        "reference",
        "rate_ratio",
        "lower",
        "upper",
        "p_value",
        "family",
        "n",
        "events",
        "model",
        "note",
    ]
    row = out.iloc[0]
    se = math.sqrt(1 / 80 + 1 / 60)
    assert row["term"] == "ur[Rural]" and row["reference"] == "Urban"
    assert row["rate_ratio"] == pytest.approx(1.25, rel=1e-8)
    assert row["lower"] == pytest.approx(1.25 * math.exp(-Z95 * se), rel=1e-6)
    assert row["upper"] == pytest.approx(1.25 * math.exp(Z95 * se), rel=1e-6)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(math.log(1.25) / se), rel=1e-6)
    assert row["family"] == "poisson" and row["n"] == 4 and row["events"] == 140
    assert row["note"] == ""


def test_quasi_poisson_widens_by_sqrt_pearson_dispersion():
    frame = small_frame()
    # Pearson X2 by hand: fitted = group rate x population.
    fitted = np.array([40, 40, 25, 35.0])
    x2 = np.sum((frame["deaths"] - fitted) ** 2 / fitted)
    phi = x2 / (4 - 2)
    poisson = rate_ratios(frame, count="deaths", population="pop", exposure="ur", family="poisson")
    quasi = rate_ratios(
        frame, count="deaths", population="pop", exposure="ur", family="quasipoisson"
    )
    width = lambda t: math.log(t["upper"].iloc[0]) - math.log(t["lower"].iloc[0])  # noqa: E731
    assert width(quasi) / width(poisson) == pytest.approx(math.sqrt(phi), rel=1e-6)
    assert quasi["family"].iloc[0] == "quasi_poisson"
    assert diagnostics(poisson)["dispersion"].iloc[0] == pytest.approx(phi, rel=1e-6)


def test_simulated_truth_inside_intervals_and_dispersion_switch():
    sim = simulate_areas(6000, 80, seed=11, overdispersion=0.05)
    out = rate_ratios(
        sim.frame,
        count="deaths",
        population="population",
        exposure=["urban_rural", "coastal", "imd_decile", "pct_65_plus"],
    )
    truth = {
        "urban_rural[Rural]": sim.truth.rural_rate_ratio,
        "coastal[True]": sim.truth.coastal_rate_ratio,
        "imd_decile": sim.truth.deprivation_rate_ratio,
        "pct_65_plus": sim.truth.age_rate_ratio,
    }
    for term, value in truth.items():
        row = out.set_index("term").loc[term]
        assert row["lower"] <= value <= row["upper"], (term, row.to_dict())
    assert set(out["family"]) == {"negative_binomial"}
    diag = diagnostics(out)
    assert diag["dispersion"].iloc[0] > 1.5
    assert "negative binomial" in diag["reason"].iloc[0]
    # NB2 moment estimate of alpha near the generating value
    assert diag["alpha"].iloc[0] == pytest.approx(0.05, abs=0.02)


def _coverage(seeds, overdispersion):
    hits = {"urban_rural[Rural]": 0, "coastal[True]": 0, "imd_decile": 0}
    families = []
    for seed in seeds:
        sim = simulate_areas(400, 20, seed=seed, overdispersion=overdispersion)
        out = rate_ratios(
            sim.frame,
            count="deaths",
            population="population",
            exposure=["urban_rural", "coastal", "imd_decile"],
            adjust=["pct_65_plus"],
        ).set_index("term")
        truth = {
            "urban_rural[Rural]": sim.truth.rural_rate_ratio,
            "coastal[True]": sim.truth.coastal_rate_ratio,
            "imd_decile": sim.truth.deprivation_rate_ratio,
        }
        for term, value in truth.items():
            hits[term] += bool(out.loc[term, "lower"] <= value <= out.loc[term, "upper"])
        families.append(out["family"].iloc[0])
    return {k: v / len(seeds) for k, v in hits.items()}, families


@pytest.mark.parametrize(
    ("overdispersion", "n_seeds"),
    [(0.0, 200), (0.08, 120)],
    ids=["poisson", "overdispersed"],
)
def test_interval_coverage_near_nominal(overdispersion, n_seeds):
    # Nominal 95%: with n_seeds independent fits the observed coverage has sd
    # sqrt(0.95 * 0.05 / n_seeds); accept within 3 sd (0.95 +/- 0.046 for 200 fits,
    # +/- 0.060 for 120 fits).
    coverage, families = _coverage(range(n_seeds), overdispersion)
    tolerance = 3 * math.sqrt(0.95 * 0.05 / n_seeds)
    for term, value in coverage.items():
        assert abs(value - 0.95) <= tolerance, (term, value, tolerance)
    if overdispersion > 0:
        # the dispersion check must have moved (almost) every fit off Poisson
        assert np.mean([f == "negative_binomial" for f in families]) > 0.9


def test_within_region_gives_each_region_its_gap_and_flags_london():
    sim = simulate_areas(8000, 90, seed=3)
    out = rate_ratios(
        sim.frame,
        count="deaths",
        population="population",
        exposure="urban_rural",
        adjust=["coastal", "imd_decile", "pct_65_plus"],
        within="region_code",
    )
    assert list(out.columns[:2]) == ["region_code", "term"]
    assert len(out) == 9 and out["region_code"].is_monotonic_increasing
    london = out.set_index("region_code").loc["E12000007"]
    assert np.isnan(london["rate_ratio"]) and "no areas" in london["note"]
    others = out[out["region_code"] != "E12000007"]
    assert (others["note"] == "").all()
    inside = (others["lower"] <= sim.truth.rural_rate_ratio) & (
        sim.truth.rural_rate_ratio <= others["upper"]
    )
    assert inside.sum() >= 7  # 8 regions, each 95%: P(<7 inside) < 0.01


def test_by_region_finer_rurality_classes():
    sim = simulate_areas(8000, 90, seed=4)
    out = rate_ratios(
        sim.frame,
        count="deaths",
        population="population",
        exposure="rurality_code",
        adjust=["imd_decile", "pct_65_plus"],
        by="region_code",
        reference={"rurality_code": "A1"},
    )
    assert set(out["reference"]) == {"A1"}
    assert len(diagnostics(out)) == 9
    london = out[out["region_code"] == "E12000007"]
    rural_levels = london[london["level"].str[0].isin(["D", "E"])]
    assert rural_levels["rate_ratio"].isna().all()
    assert rural_levels["note"].str.contains("no areas").all()


def test_single_area_raises_clear_error():
    frame = small_frame().iloc[:1]
    with pytest.raises(ValueError, match="single level"):
        rate_ratios(frame, count="deaths", population="pop", exposure="ur")
    frame = frame.assign(ur=pd.Categorical(frame["ur"], categories=["Urban", "Rural"]))
    with pytest.raises(ValueError, match="too few areas: 1 area"):
        rate_ratios(frame, count="deaths", population="pop", exposure="ur")


def test_single_area_group_with_by_is_flagged_not_crashed():
    frame = pd.concat(
        [small_frame().assign(region="A"), small_frame().iloc[:1].assign(region="B")],
        ignore_index=True,
    )
    out = rate_ratios(
        frame, count="deaths", population="pop", exposure="ur", by="region", family="poisson"
    )
    b = out.set_index("region").loc["B"]
    assert np.isnan(b["rate_ratio"]) and b["note"].startswith("not fitted")
    assert out.set_index("region").loc["A", "rate_ratio"] == pytest.approx(1.25)


def test_all_zero_counts_raise_and_zero_level_is_flagged():
    frame = small_frame().assign(deaths=0)
    with pytest.raises(ValueError, match="no events"):
        rate_ratios(frame, count="deaths", population="pop", exposure="ur")
    frame = small_frame()
    frame.loc[frame["ur"] == "Rural", "deaths"] = 0
    frame = pd.concat([frame, frame.assign(area="x")], ignore_index=True)
    out = rate_ratios(frame, count="deaths", population="pop", exposure="ur")
    assert np.isnan(out["rate_ratio"].iloc[0])
    assert "no events" in out["note"].iloc[0]


def test_zero_counts_in_some_areas_are_fine():
    frame = small_frame()
    frame.loc[0, "deaths"] = 0  # urban now 50 / 20_000
    out = rate_ratios(frame, count="deaths", population="pop", exposure="ur", family="poisson")
    assert out["rate_ratio"].iloc[0] == pytest.approx((60 / 12_000) / (50 / 20_000))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(deaths=[-1, 2, 3, 4]), "finite counts >= 0"),
        (lambda f: f.assign(pop=[0, 1, 1, 1]), "populations > 0"),
        (lambda f: f.assign(ur=["Urban", None, "Rural", "Rural"]), "missing value"),
        (lambda f: f.drop(columns="pop"), "not found"),
    ],
)
def test_bad_inputs_raise_value_error(change, message):
    with pytest.raises(ValueError, match=message):
        rate_ratios(change(small_frame()), count="deaths", population="pop", exposure="ur")


def test_unknown_family_raises():
    with pytest.raises(ValueError, match="family"):
        rate_ratios(
            small_frame(), count="deaths", population="pop", exposure="ur", family="binomial"
        )


def test_slice_without_rural_areas_errors_clearly_or_flags_with_categorical():
    sim = simulate_areas(4000, 60, seed=6)
    london = sim.frame[sim.frame["region_code"] == "E12000007"]
    with pytest.raises(ValueError, match="single level"):
        rate_ratios(london, count="deaths", population="population", exposure="urban_rural")
    declared = london.assign(
        urban_rural=pd.Categorical(london["urban_rural"], categories=["Urban", "Rural"])
    )
    out = rate_ratios(
        declared,
        count="deaths",
        population="population",
        exposure=["urban_rural", "coastal"],
        adjust=["imd_decile"],
    )
    row = out.set_index("term").loc["urban_rural[Rural]"]
    assert np.isnan(row["rate_ratio"]) and "no areas at this level" in row["note"]
    assert np.isfinite(out.set_index("term").loc["coastal[True]", "rate_ratio"])


_area = st.tuples(st.integers(1, 200), st.integers(500, 50_000))


@settings(max_examples=30, deadline=None)
@given(
    urban=st.lists(_area, min_size=2, max_size=6),
    rural=st.lists(_area, min_size=2, max_size=6),
    scale=st.floats(0.01, 100),
)
def test_properties_population_scale_and_reference_swap(urban, rural, scale):
    frame = pd.DataFrame(
        [("Urban", d, p) for d, p in urban] + [("Rural", d, p) for d, p in rural],
        columns=["ur", "deaths", "pop"],
    )
    base = rate_ratios(frame, count="deaths", population="pop", exposure="ur", family="poisson")
    # rates per person change units, rate ratios do not
    scaled = rate_ratios(
        frame.assign(pop=frame["pop"] * scale),
        count="deaths",
        population="pop",
        exposure="ur",
        family="poisson",
    )
    cols = ["rate_ratio", "lower", "upper", "p_value"]
    np.testing.assert_allclose(scaled[cols].to_numpy(float), base[cols].to_numpy(float), rtol=1e-6)
    # swapping the reference inverts the ratio and its interval
    ref = "Rural" if base["reference"].iloc[0] == "Urban" else "Urban"
    swapped = rate_ratios(
        frame,
        count="deaths",
        population="pop",
        exposure="ur",
        family="poisson",
        reference={"ur": ref},
    )
    assert swapped["rate_ratio"].iloc[0] == pytest.approx(1 / base["rate_ratio"].iloc[0])
    assert swapped["lower"].iloc[0] == pytest.approx(1 / base["upper"].iloc[0])
    assert swapped["upper"].iloc[0] == pytest.approx(1 / base["lower"].iloc[0])


def test_gap_heterogeneity_hand_checked_two_regions():
    # Saturated within-region model (no adjustment): the region gaps are the crude log
    # rate ratios, independent, with variances 1/d_rural + 1/d_urban.
    frame = pd.concat(
        [
            small_frame().assign(region="A"),  # RR 1.25: 60 vs 80 deaths
            small_frame().assign(region="B", deaths=[30, 50, 40, 80]),  # RR 2.5: 120 vs 80
        ],
        ignore_index=True,
    )
    out = gap_heterogeneity(
        frame, count="deaths", population="pop", exposure="ur", within="region", family="poisson"
    )
    diff = math.log(2.5) - math.log(1.25)
    variance = (1 / 60 + 1 / 80) + (1 / 120 + 1 / 80)
    assert out["statistic"].iloc[0] == pytest.approx(diff**2 / variance, rel=1e-6)
    assert out["df"].iloc[0] == 1 and out["levels"].iloc[0] == 2
    assert out["p_value"].iloc[0] == pytest.approx(stats.chi2.sf(diff**2 / variance, 1), rel=1e-6)


def test_gap_heterogeneity_skips_regions_without_rural_areas():
    sim = simulate_areas(6000, 80, seed=12)
    out = gap_heterogeneity(
        sim.frame,
        count="deaths",
        population="population",
        exposure="urban_rural",
        within="region_code",
        adjust=["coastal", "imd_decile", "pct_65_plus"],
    )
    assert out["levels"].iloc[0] == 8 and out["df"].iloc[0] == 7  # London has no gap
    assert 0 <= out["p_value"].iloc[0] <= 1
