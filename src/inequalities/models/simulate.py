"""Simulated small-area data with known truth, for tests, benchmarks and report validation.

:func:`simulate_areas` draws an England-like table of small areas (the columns of the
data layer's ``areas`` table, plus simulated outcomes) from a generating model whose
parameters are kept in a :class:`Truth`, so that a fitted model can be checked against
the values it should recover. It is **not** official data and must never be presented as
such.

Generating model (area i in local authority j, period t = 0 .. periods-1):

* deaths_it ~ Poisson(population_i * base_rate * exp(eta_it) * u_i), with
  eta_it = log(rural_rate_ratio) * rural_i + log(rural_trend) * rural_i * t
  + log(coastal_rate_ratio) * coastal_i
  + log(deprivation_rate_ratio) * (imd_decile_i - 1)
  + log(age_rate_ratio) * (pct_65_plus_i - 18)
  and u_i ~ Gamma(1/alpha, scale=alpha) (mean 1, variance alpha) when
  ``overdispersion = alpha > 0``, which makes the counts negative binomial (NB2);
* life_expectancy_i = 79 + le_rural * rural_i + le_coastal * coastal_i
  + le_per_decile * (imd_decile_i - 1) + a_j + e_i, with a_j ~ N(0, le_lad_sd^2) a
  local-authority random intercept and e_i ~ N(0, le_residual_sd^2);
* gp_fte_i ~ Gamma(shape 4, mean population_i * fte_per_person
  * access_rural_ratio^rural_i) (non-integer, as FTE are);
* need_population_i = population_i * (1 + 0.02 * (pct_65_plus_i - 18)).

London (E12000007) has no rural areas, as in the 2011 rural-urban classification, so
the simulated data contain the "region without rural areas" case by construction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

#: The nine English regions (ONS codes and names).
REGIONS: tuple[tuple[str, str], ...] = (
    ("E12000001", "North East"),
    ("E12000002", "North West"),
    ("E12000003", "Yorkshire and The Humber"),
    ("E12000004", "East Midlands"),
    ("E12000005", "West Midlands"),
    ("E12000006", "East of England"),
    ("E12000007", "London"),
    ("E12000008", "South East"),
    ("E12000009", "South West"),
)
_REGION_WEIGHTS = np.array([5.0, 13.0, 10.0, 9.0, 11.0, 11.0, 15.0, 16.0, 10.0])
_RURAL_SHARE = np.array([0.18, 0.12, 0.16, 0.27, 0.16, 0.30, 0.0, 0.22, 0.36])
_URBAN_CODES = ("A1", "B1", "C1", "C2")
_RURAL_CODES = ("D1", "D2", "E1", "E2")
_LABELS = {
    "A1": "Urban major conurbation",
    "B1": "Urban minor conurbation",
    "C1": "Urban city and town",
    "C2": "Urban city and town in a sparse setting",
    "D1": "Rural town and fringe",
    "D2": "Rural town and fringe in a sparse setting",
    "E1": "Rural village and dispersed",
    "E2": "Rural village and dispersed in a sparse setting",
}


@dataclass(frozen=True)
class Truth:
    """Parameters of the generating model (see the module docstring for the equations).

    Rate ratios are multiplicative effects on the death rate; ``deprivation_rate_ratio``
    is per IMD decile step towards less deprived (decile 1 = most deprived), so it is
    below 1; ``age_rate_ratio`` is per percentage point of population aged 65+.
    Life-expectancy effects are in years.
    """

    base_rate: float = 0.01
    rural_rate_ratio: float = 1.15
    coastal_rate_ratio: float = 1.10
    deprivation_rate_ratio: float = 0.94
    age_rate_ratio: float = 1.03
    rural_trend: float = 1.0
    overdispersion: float = 0.0
    le_rural: float = 0.8
    le_coastal: float = -0.7
    le_per_decile: float = 0.45
    le_lad_sd: float = 0.6
    le_residual_sd: float = 1.5
    fte_per_person: float = 0.0006
    access_rural_ratio: float = 0.85

    def as_dict(self) -> dict[str, float]:
        """Return the parameters as a plain dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class Simulation:
    """A simulated table and the truth that generated it."""

    frame: pd.DataFrame
    truth: Truth


def simulate_areas(
    n_areas: int = 32_844,
    n_lads: int = 296,
    *,
    periods: int = 1,
    truth: Truth | None = None,
    seed: int = 0,
    **overrides: float,
) -> Simulation:
    """Simulate an England-like small-area table with outcomes of known truth.

    Parameters
    ----------
    n_areas
        Number of small areas (England has 32,844 LSOAs, 2011 boundaries).
    n_lads
        Number of local authorities (296 lower-tier LAs in 2021).
    periods
        Number of periods; the table then has ``n_areas * periods`` rows with a
        ``period`` column 0, 1, ... (areas and populations fixed, outcomes redrawn).
    truth
        Generating parameters; keyword ``overrides`` replace single fields of it
        (e.g. ``rural_rate_ratio=1.3``).
    seed
        Seed of the numpy Generator: the same seed gives the same table.
    **overrides
        Single :class:`Truth` fields to replace, e.g. ``rural_rate_ratio=1.3``.

    Returns
    -------
    Simulation
        ``frame`` with the data layer's ``areas`` columns (``area_code``, ``lad_code``,
        ``lad_name``, ``region_code``, ``region_name``, ``rurality_code``, ``rurality``,
        ``urban_rural``, ``sparse``, ``coastal``, ``imd_score``, ``imd_decile``,
        ``imd_quintile``, ``core20``, ``population``, ``pct_65_plus``) plus ``period``,
        ``deaths``, ``expected_deaths``, ``life_expectancy``, ``gp_fte``,
        ``need_population``; and the ``truth``.

    """
    if n_areas < 1 or n_lads < 1 or periods < 1:
        raise ValueError("simulate_areas: n_areas, n_lads and periods must be >= 1")
    truth = truth or Truth()
    if overrides:
        unknown = sorted(set(overrides) - set(truth.as_dict()))
        if unknown:
            raise ValueError(f"simulate_areas: unknown Truth field(s) {unknown}")
        truth = Truth(**{**truth.as_dict(), **overrides})
    rng = np.random.default_rng(seed)

    # Local authorities: region, rural share, coastal flag, deprivation level.
    n_lads = min(n_lads, n_areas)
    lad_region = rng.choice(len(REGIONS), size=n_lads, p=_REGION_WEIGHTS / _REGION_WEIGHTS.sum())
    share = _RURAL_SHARE[lad_region]
    lad_rural = np.where(share > 0, rng.beta(1.0, 1.0, n_lads) * 2 * share, 0.0).clip(0, 0.95)
    lad_coastal = rng.random(n_lads) < 0.35
    lad_dep = rng.normal(0.0, 0.6, n_lads)
    # Areas: every LA gets at least one area, the rest spread at random.
    area_lad = np.concatenate([np.arange(n_lads), rng.integers(0, n_lads, n_areas - n_lads)])
    area_lad.sort()
    rural = rng.random(n_areas) < lad_rural[area_lad]
    sparse = rng.random(n_areas) < np.where(rural, 0.15, 0.01)
    urban_code = rng.choice(np.array(["A1", "B1", "C1"]), size=n_areas, p=[0.35, 0.15, 0.5])
    urban_code = np.where(sparse, "C2", urban_code)
    rural_code = np.where(rng.random(n_areas) < 0.55, "D1", "E1")
    rural_code = np.where(sparse, np.char.replace(rural_code, "1", "2"), rural_code)
    code = np.where(rural, rural_code, urban_code)
    coastal = lad_coastal[area_lad] & (rng.random(n_areas) < 0.45)
    imd_score = np.exp(2.9 + lad_dep[area_lad] - 0.35 * rural + rng.normal(0, 0.55, n_areas))
    rank = pd.Series(-imd_score).rank(method="first").to_numpy()  # 1 = most deprived
    decile = np.ceil(rank * 10 / n_areas).astype("int64").clip(1, 10)
    population = rng.integers(1000, 3000, n_areas).astype("int64")
    pct_65 = 16 + 7 * rural + 3 * coastal + 0.4 * (decile - 5.5) + rng.normal(0, 4, n_areas)
    pct_65 = pct_65.clip(2, 50).round(1)

    region_code = np.array([r[0] for r in REGIONS])[lad_region][area_lad]
    region_name = np.array([r[1] for r in REGIONS])[lad_region][area_lad]
    lad_code = np.char.add("E0", np.char.zfill((7_000_001 + area_lad).astype(str), 7))
    base = pd.DataFrame(
        {
            "area_code": np.char.add(
                "E01", np.char.zfill(np.arange(1, n_areas + 1).astype(str), 6)
            ),
            "lad_code": lad_code,
            "lad_name": np.char.add("Simulated LA ", (area_lad + 1).astype(str)),
            "region_code": region_code,
            "region_name": region_name,
            "rurality_code": code,
            "rurality": pd.Series(code).map(_LABELS).to_numpy(),
            "urban_rural": np.where(rural, "Rural", "Urban"),
            "sparse": sparse,
            "coastal": coastal,
            "imd_score": imd_score.round(3),
            "imd_decile": decile,
            "imd_quintile": (decile + 1) // 2,
            "core20": decile <= 2,
            "population": population,
            "pct_65_plus": pct_65,
        }
    )
    frames = []
    for period in range(periods):
        eta = (
            np.log(truth.rural_rate_ratio) * rural
            + np.log(truth.rural_trend) * rural * period
            + np.log(truth.coastal_rate_ratio) * coastal
            + np.log(truth.deprivation_rate_ratio) * (decile - 1)
            + np.log(truth.age_rate_ratio) * (pct_65 - 18)
        )
        mean = population * truth.base_rate * np.exp(eta)
        if truth.overdispersion > 0:
            alpha = truth.overdispersion
            mean = mean * rng.gamma(1 / alpha, alpha, n_areas)
        deaths = rng.poisson(mean)
        lad_effect = rng.normal(0, truth.le_lad_sd, n_lads)
        life = (
            79
            + truth.le_rural * rural
            + truth.le_coastal * coastal
            + truth.le_per_decile * (decile - 1)
            + lad_effect[area_lad]
            + rng.normal(0, truth.le_residual_sd, n_areas)
        )
        fte_mean = population * truth.fte_per_person * np.where(rural, truth.access_rural_ratio, 1)
        frame = base.copy()
        frame.insert(len(frame.columns), "period", period)
        frame["deaths"] = deaths.astype("int64")
        frame["expected_deaths"] = population * truth.base_rate * np.exp(eta)
        frame["life_expectancy"] = life.round(2)
        frame["gp_fte"] = rng.gamma(4.0, fte_mean / 4.0).round(3)
        frame["need_population"] = population * (1 + 0.02 * (pct_65 - 18))
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if periods > 1 else frames[0]
    return Simulation(frame=frame, truth=truth)
