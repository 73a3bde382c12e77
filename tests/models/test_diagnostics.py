"""Diagnostics: warnings captured not printed; tables built and combined."""

import warnings

import pandas as pd
import pytest
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from inequalities.models import combine_diagnostics, diagnostics, rate_ratios, simulate_areas
from inequalities.models.diagnostics import DIAGNOSTIC_COLUMNS, captured_warnings

pytestmark = pytest.mark.unit


def test_captured_warnings_records_and_deduplicates(recwarn):
    with captured_warnings() as caught:
        warnings.warn("did not converge", ConvergenceWarning, stacklevel=1)
        warnings.warn("did not converge", ConvergenceWarning, stacklevel=1)
        warnings.warn("overflow", RuntimeWarning, stacklevel=1)
    assert caught == ["ConvergenceWarning: did not converge", "RuntimeWarning: overflow"]
    assert len(recwarn) == 0  # nothing escaped to the caller


def test_diagnostics_of_model_tables_combine():
    sim = simulate_areas(2000, 40, seed=1)
    a = rate_ratios(sim.frame, count="deaths", population="population", exposure="coastal")
    b = rate_ratios(
        sim.frame, count="deaths", population="population", exposure="coastal", by="region_code"
    )
    both = combine_diagnostics(a, b)
    assert len(both) == 10
    assert set(DIAGNOSTIC_COLUMNS) <= set(both.columns)
    assert both["n"].iloc[0] == 2000 and both["n"].iloc[1:].sum() == 2000
    # tables with diagnostics survive pandas concat (attrs hold plain records)
    pd.concat([a, a])


def test_plain_frame_has_no_diagnostics():
    with pytest.raises(ValueError, match="attrs"):
        diagnostics(pd.DataFrame({"x": [1]}))
