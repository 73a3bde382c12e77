"""The demonstration data: deterministic, England-like, and with recoverable effects.

Expected values come from outside the generator: the real per-region shares (ONS RUC
2011, NDRS coastal flag, quoted in the PROVENANCE of ../shared/data) and the documented
TRUE_EFFECTS, recovered here by ordinary least squares written in the test.
"""

import hashlib

import numpy as np
import pytest

from inequalities.cli import main
from inequalities.data import load
from inequalities.data.demo import TRUE_EFFECTS, _geography, generate
from inequalities.data.validate import validate_dir

pytestmark = pytest.mark.slow

SEED = 7


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("demo") / "d", seed=SEED)


@pytest.fixture(scope="module")
def ds(demo_dir, tmp_path_factory):
    return load(demo_dir, cache_dir=tmp_path_factory.mktemp("cache"))


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_byte_identical_for_the_same_seed_and_different_for_another(demo_dir, tmp_path):
    # regenerated through the command line: ``inequalities data demo --seed N --dest DIR``
    again = tmp_path / "again"
    assert main(["data", "demo", "--seed", str(SEED), "--dest", str(again)]) == 0
    assert _digests(again) == _digests(demo_dir)
    # another seed gives another England (compared on the geography step only, for speed)
    _, one = _geography(np.random.Generator(np.random.PCG64(SEED)))
    _, two = _geography(np.random.Generator(np.random.PCG64(SEED + 1)))
    assert not one["imd_score"].equals(two["imd_score"])


def test_demo_passes_validation_and_is_labelled(demo_dir, ds):
    assert validate_dir(demo_dir) == []
    assert ds.is_demo
    assert "not official statistics" in ds.label


def test_demo_follows_the_newest_vintage_layout(demo_dir, ds):
    # the same files (names and columns) as the 2025 vintage of the real data
    for name in ("imd2025_lsoa21.csv", "census21_age_lsoa21.csv", "ruc21_lsoa21.csv",
                 "coastal_lsoa21.csv", "lookup_lsoa21_icb24.csv", "lookup_lsoa11_lsoa21.csv"):
        assert (demo_dir / name).is_file(), name
    assert not (demo_dir / "population_lsoa11_mid2019.csv").exists()
    assert ds.vintage_id == "2025" and "2025" in ds.vintage
    assert set(ds.areas["rurality_code"]) <= {"UN1", "UF1", "RLN1", "RLF1", "RSN1", "RSF1"}
    assert ds.population["age_band"].cat.categories[-1] == "85+"
    gp = ds.indicators[ds.indicators["indicator_id"] == "iod_gp_distance_km"]
    assert set(gp["period"]) == {"2019"} and "IoD 2019" in str(gp["indicator"].iloc[0])
    assert set(ds.indicators.loc[ds.indicators["indicator_id"] == "iod_ypll", "period"]) == {
        "2025"}


def test_looks_like_england(ds):
    a = ds.areas
    assert 32_000 <= len(a) <= 33_500
    assert 280 <= a["lad_code"].nunique() <= 320
    assert a["region_code"].nunique() == 9
    # real shares of rural (RUC 2011 D/E) and coastal LSOAs by region, from the staged files
    real_rural = {"E12000001": 0.176, "E12000007": 0.002, "E12000009": 0.302,
                  "E12000006": 0.283}
    real_coastal = {"E12000001": 0.442, "E12000005": 0.0, "E12000009": 0.352}
    by = a.groupby("region_code")
    rural = by["urban_rural"].apply(lambda s: (s == "Rural").mean())
    coastal = by["coastal"].mean()
    for code, share in real_rural.items():
        assert abs(rural[code] - share) < 0.05, code
    for code, share in real_coastal.items():
        assert abs(coastal[code] - share) < 0.06, code
    # IMD 2019 scores: median about 17, long right tail (real: 17.0, max 92.7)
    assert 13 < a["imd_score"].median() < 22
    assert a["imd_score"].max() > 70
    assert a["imd_decile"].value_counts().min() >= 3_200
    # older in rural and coastal areas
    old = a.groupby(["urban_rural", "coastal"])["pct_65_plus"].mean()
    assert old[("Rural", False)] > old[("Urban", False)] + 3
    assert old[("Urban", True)] > old[("Urban", False)] + 2
    assert 1_500 < a["population"].mean() < 1_950


def _ols(X, y):
    X = np.column_stack([np.ones(len(y)), X])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    return beta[1:]


def test_access_gap_is_recoverable(ds):
    a = ds.areas.set_index("area_code")
    ind = ds.indicators
    d = ind[ind["indicator_id"] == "iod_gp_distance_km"].set_index("area_code")["value"]
    a = a.join(d.rename("dist"))
    # the demo's sparse setting is written in RUC 2021 as "further from a major town or city"
    further = a["rurality_code"].isin(["UF1", "RLF1", "RSF1"])
    X = np.column_stack([a["urban_rural"].eq("Rural"), further, a["coastal"]]).astype(float)
    b = _ols(X, np.log(a["dist"].to_numpy()))
    assert np.exp(b[0]) == pytest.approx(TRUE_EFFECTS["gp_distance_rural_ratio"], rel=0.06)
    assert np.exp(b[1]) == pytest.approx(TRUE_EFFECTS["gp_distance_sparse_ratio"], rel=0.12)
    assert np.exp(b[2]) == pytest.approx(TRUE_EFFECTS["gp_distance_coastal_ratio"], rel=0.06)


def test_life_expectancy_gradient_is_recoverable(ds):
    areas = ds.areas.assign(w=ds.areas["population"].astype(float))
    areas["wdec"] = areas["w"] * areas["imd_decile"].astype(float)
    g = areas.groupby("lad_code")
    la = (g["wdec"].sum() / g["w"].sum()).rename("decile").to_frame()
    lads = ds.lads.set_index("lad_code")
    la = la.join(lads[["coastal_share", "rural_share"]])
    ind = ds.indicators
    le = ind[(ind["indicator_id"] == "90366") & (ind["area_level"] == "LAD")
             & (ind["sex"] == "Male") & (ind["period"] == "2015 - 17")]
    la = la.join(le.set_index("area_code")["value"].rename("le"))
    b = _ols(la[["decile", "coastal_share", "rural_share"]].to_numpy(), la["le"].to_numpy())
    assert b[0] == pytest.approx(TRUE_EFFECTS["le_years_per_decile"], abs=0.15)
    assert b[1] == pytest.approx(TRUE_EFFECTS["le_coastal_years"], abs=0.6)


def test_u75_counts_limits_and_denominators_are_carried(ds):
    ind = ds.indicators
    u75 = ind[(ind["indicator_id"] == "93721") & (ind["area_level"] == "LAD")]
    assert u75["count"].notna().all() and (u75["count"] <= u75["denominator"]).all()
    assert (u75["lower"] <= u75["value"]).all() and (u75["value"] <= u75["upper"]).all()
    rate = 1e5 * u75["count"] / u75["denominator"]
    assert np.allclose(rate, u75["value"], atol=0.051)
