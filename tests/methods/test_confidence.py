"""Byar's and Wilson limits against PHEindicatormethods' published values (test_BW)."""

import numpy as np
import pytest

from inequalities.methods._confidence import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    parse_confidence,
    wilson_lower,
    wilson_upper,
)

from ._reference import assert_close, read_ref

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", ["sysdata/test_BW.csv", "testdata_Byars_Wilson__testdata_B_W.csv"])
def test_byars_and_wilson_match_reference(name):
    ref = read_ref(name)
    level = ref["confidence"].map({"95%": 0.95, "99.8%": 0.998}).to_numpy()
    byars = (ref["method"] == "Byars").to_numpy()
    for conf in (0.95, 0.998):
        rows = byars & (level == conf)
        x = ref.loc[rows, "x"].to_numpy()
        assert_close(byars_lower(x, conf), ref.loc[rows, "lowercl"])
        assert_close(byars_upper(x, conf), ref.loc[rows, "uppercl"])
        rows = ~byars & (level == conf)
        x, n = ref.loc[rows, "x"].to_numpy(), ref.loc[rows, "n"].to_numpy()
        assert_close(wilson_lower(x, n, conf), ref.loc[rows, "lowercl"])
        assert_close(wilson_upper(x, n, conf), ref.loc[rows, "uppercl"])


def test_wilson_at_full_confidence_is_zero_to_one():
    assert wilson_lower(np.array([3.0]), np.array([10.0]), 1.0)[0] == 0
    assert wilson_upper(np.array([3.0]), np.array([10.0]), 1.0)[0] == 1


def test_exact_poisson_limits_by_hand():
    # x = 0: upper = -ln(0.025) (solves P(X=0) = 0.025); x = 1: lower = -ln(0.975)
    assert exact_lower(np.array([0.0]), 0.95)[0] == 0
    assert exact_upper(np.array([0.0]), 0.95)[0] == pytest.approx(-np.log(0.025), rel=1e-12)
    assert exact_lower(np.array([1.0]), 0.95)[0] == pytest.approx(-np.log(0.975), rel=1e-12)


@pytest.mark.parametrize(
    "given, levels, suffixes",
    [
        (0.95, (0.95,), ("",)),
        (95, (0.95,), ("",)),
        ([95, 99.8], (0.95, 0.998), ("_95", "_99_8")),
        ((0.9,), (0.9,), ("_90",)),
    ],
)
def test_parse_confidence(given, levels, suffixes):
    parsed = parse_confidence(given)
    assert parsed.levels == pytest.approx(levels)
    assert parsed.suffixes == suffixes


@pytest.mark.parametrize("bad", [0, -1, 101, "x", [], [95, 0.95]])
def test_parse_confidence_rejects(bad):
    with pytest.raises(ValueError, match="confidence"):
        parse_confidence(bad)
