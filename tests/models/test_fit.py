"""wald_columns: Wald limits and p-values against hand calculations."""

import math

import numpy as np
import pandas as pd
import pytest

from inequalities.models._fit import wald_columns

pytestmark = pytest.mark.unit

# Two-sided 95% normal quantile, 1.959964 (standard tables).
Z95 = 1.959964


def test_log_scale_estimate_is_exponentiated_with_its_limits():
    table = pd.DataFrame({"estimate": [math.log(2.0)], "se": [0.1], "note": [""]})
    out = wald_columns(table, 0.95, value="rate_ratio", transform=np.exp)
    row = out.iloc[0]
    # 2 * exp(-/+ 1.959964 * 0.1) = 1.64404 and 2.43304; z = log(2) / 0.1 = 6.93
    assert row["rate_ratio"] == pytest.approx(2.0)
    assert row["lower"] == pytest.approx(2 * math.exp(-Z95 * 0.1), rel=1e-6)
    assert row["upper"] == pytest.approx(2 * math.exp(Z95 * 0.1), rel=1e-6)
    assert row["p_value"] == pytest.approx(math.erfc(6.931472 / math.sqrt(2)), rel=1e-5)
    assert "estimate" not in out and "se" not in out


def test_identity_scale_keeps_estimate_and_flags_non_finite_intervals():
    table = pd.DataFrame(
        {"estimate": [1.0, 3.0, np.nan], "se": [0.5, np.inf, np.nan], "note": ["", "", "dropped"]}
    )
    out = wald_columns(table, 0.90, not_finite_note="interval not finite")
    # 90%: z = 1.644854; 1 -/+ 1.644854 * 0.5, p = 2 * (1 - Phi(2)) = 0.0455003
    assert out["estimate"].iloc[0] == 1.0
    assert out["lower"].iloc[0] == pytest.approx(1 - 1.644854 * 0.5, abs=1e-6)
    assert out["upper"].iloc[0] == pytest.approx(1 + 1.644854 * 0.5, abs=1e-6)
    assert out["p_value"].iloc[0] == pytest.approx(0.0455003, rel=1e-5)
    assert out["note"].tolist() == ["", "interval not finite", "dropped"]
    assert "se" not in out
