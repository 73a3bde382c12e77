"""Statistical models of urban-rural and coastal gaps in access and outcomes, per region.

Every function takes plain tidy DataFrames plus column names and returns a tidy
DataFrame, one row per estimate, with its confidence interval, ``n`` and the ``model``
that produced it; ``attrs["diagnostics"]`` holds one record per fitted model, read with
:func:`diagnostics`.
"""

from inequalities.models.diagnostics import combine_diagnostics, diagnostics
from inequalities.models.rate_ratios import rate_ratios
from inequalities.models.simulate import Simulation, Truth, simulate_areas

__all__ = [
    "Simulation",
    "Truth",
    "combine_diagnostics",
    "diagnostics",
    "rate_ratios",
    "simulate_areas",
]
