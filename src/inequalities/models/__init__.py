"""Statistical models of urban-rural and coastal gaps in access and outcomes, per region.

Every function takes plain tidy DataFrames plus column names (no dependency on the data
layer) and returns a tidy DataFrame, one row per estimate, with its confidence interval,
``n`` and the ``model`` that produced it; rows that cannot be estimated are kept and
explained in ``note``. ``attrs["diagnostics"]`` holds one record per fitted model, read
with :func:`diagnostics` (or several with :func:`combine_diagnostics`).

========================  ==========================================================
:func:`rate_ratios`       adjusted rate ratios (Poisson / negative binomial GLM,
                          population offset, dispersion check; ``by`` or ``within``)
:func:`gap_heterogeneity`  does the gap differ between regions? (Wald chi-squared)
:func:`multilevel`        linear mixed model, LA random intercepts (life expectancy)
:func:`adjusted_rates`    adjusted predicted rates per cell (urban/rural x IMD
                          quintile x region) with intervals, for charts
:func:`gradients`         SII/RII within urban and within rural areas, and the gap
:func:`access_rates`      workforce per population / need-weighted population
:func:`access_ratios`     adjusted access ratios (quasi-Poisson)
:func:`lowest_access_share`  share of population in the lowest-access fifth
:func:`gap_trend`         is the gap narrowing? period x exposure Wald test
:func:`simulate_areas`    England-like simulated data with known :class:`Truth`
========================  ==========================================================
"""

from inequalities.models.access import access_rates, access_ratios, lowest_access_share
from inequalities.models.diagnostics import combine_diagnostics, diagnostics
from inequalities.models.gradients import gradients
from inequalities.models.multilevel import multilevel
from inequalities.models.predictions import adjusted_rates
from inequalities.models.rate_ratios import gap_heterogeneity, rate_ratios
from inequalities.models.simulate import Simulation, Truth, simulate_areas
from inequalities.models.trends import gap_trend

__all__ = [
    "Simulation",
    "Truth",
    "access_rates",
    "access_ratios",
    "adjusted_rates",
    "combine_diagnostics",
    "diagnostics",
    "gap_heterogeneity",
    "gap_trend",
    "gradients",
    "lowest_access_share",
    "multilevel",
    "rate_ratios",
    "simulate_areas",
]
