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
"""

from .funnels import funnel_limits, funnel_points, funnel_significance
from .inequality import assign_quantiles, quantile_name, sii
from .life_expectancy import life_expectancy
from .means import mean
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
    "isr",
    "isratio",
    "life_expectancy",
    "mean",
    "proportion",
    "quantile_name",
    "rate",
    "sii",
    "suppress",
]
