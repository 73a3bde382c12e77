"""Indicator statistics that reproduce OHID/UKHSA's official methods (Fingertips).

Every function is vectorised over whole columns and returns a tidy ``pandas.DataFrame``
with lower-case columns ``value``, ``lower``, ``upper`` (plus those each function lists),
one row per input row or per group of ``by``.

Confidence levels: ``confidence`` accepts 0.95 or 95. A scalar gives plain ``lower`` /
``upper`` columns; a sequence such as ``(0.95, 0.998)`` gives one suffixed pair per level:
``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8`` (``sii_lower_95`` ... for SII).

The methods follow the PHE technical guidance on confidence intervals and the R package
PHEindicatormethods (v2.1.0), whose published test results are reproduced by the tests in
``tests/methods``.

Deliberate differences from PHEindicatormethods:

- Invalid input (negative counts or populations, numerator above denominator, age bands
  that do not match the standard, fewer than two SII quantiles) raises ``ValueError``
  naming the row or group; R sometimes returns missing values with a warning instead
  (e.g. negative deaths in life expectancy). Missing inputs give missing results.
- ``sii`` keeps groups with incomplete data as rows of missing results (R drops them), and
  accepts from 2 quantiles (R requires 5 to 100). Its Monte Carlo limits agree with OHID's
  within simulation error, not digit for digit (different random streams); where the
  regression is linear in the simulated values the (intercept, slope) pair is drawn from
  its exact joint normal distribution, which is the distribution OHID's simulation samples.
- ``dsr`` also takes ``age_band`` (match to the standard by label) and
  ``event_frequency`` (non-independent events, PHEindicatormethods 2.1).
"""

from .funnels import funnel_limits, funnel_points, funnel_significance, overdispersion
from .inequality import assign_quantiles, quantile_name, sii
from .life_expectancy import life_expectancy
from .means import mean, weighted_difference, weighted_mean
from .proportions import proportion
from .rates import rate
from .standardisation import dsr, esp2013, isr, isratio
from .suppression import suppress

__all__ = [
    "assign_quantiles",
    "dsr",
    "esp2013",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "overdispersion",
    "isr",
    "isratio",
    "life_expectancy",
    "mean",
    "weighted_difference",
    "weighted_mean",
    "proportion",
    "quantile_name",
    "rate",
    "sii",
    "suppress",
]
